/**
 * CT display windows (width / level in HU). Liver W150/L30, abdomen (soft tissue) W400/L50,
 * bone W1800/L400: the usual values (Radiopaedia, "Windowing (CT)").
 */
export interface WindowPreset {
  id: 'liver' | 'abdomen' | 'bone';
  label: string;
  widthHu: number;
  levelHu: number;
}

export const windowPresets: readonly WindowPreset[] = [
  { id: 'liver', label: 'Liver', widthHu: 150, levelHu: 30 },
  { id: 'abdomen', label: 'Abdomen', widthHu: 400, levelHu: 50 },
  { id: 'bone', label: 'Bone', widthHu: 1800, levelHu: 400 },
];
