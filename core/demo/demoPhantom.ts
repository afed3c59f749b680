/**
 * The synthetic abdomen of the demo study: tissues with their CT numbers per contrast phase,
 * and the shapes that place them. Coordinates are "body" millimetres with the LPS axes
 * (x → patient left, y → posterior, z → superior) around an anatomical centre at the level of
 * the liver; each timepoint puts that centre somewhere in its scanner's LPS space.
 * All numbers are design values (SPEC §1-2), not measurements.
 */

export type Vec3 = [number, number, number];

/** The three phases of a liver CT exam (SPEC §1), spelled as core/phases spells them. */
export type DemoPhase = 'precontrast' | 'arterial' | 'portal_venous';
export const demoPhases: readonly DemoPhase[] = ['precontrast', 'arterial', 'portal_venous'];

/** Noise-free CT numbers of a tissue per phase (HU). */
export type PhaseHu = Record<DemoPhase, number>;

export type PhantomShape =
  /** Axis-aligned ellipsoid; optionally only the part with y ≤ maxYMm (e.g. gas on top of fluid, supine). */
  | { kind: 'ellipsoid'; centreMm: Vec3; semiAxesMm: Vec3; maxYMm?: number }
  /** Elliptic cylinder along z over zRangeMm (default: the whole scan). */
  | { kind: 'cylinder'; centreMm: [number, number]; semiAxesMm: [number, number]; zRangeMm?: [number, number] }
  /** All points within radiusMm of the segment from → to. */
  | { kind: 'capsule'; fromMm: Vec3; toMm: Vec3; radiusMm: number };

/** Paint `label` where `shape` is, over the labels in `onlyOver` (over anything when absent). */
export interface PaintOp {
  shape: PhantomShape;
  label: number;
  onlyOver?: readonly number[];
}

/** Tissue labels of the phantom's labelmap (uint8). Lesion labels follow from `lesionLabels`. */
export const tissue = {
  air: 0,
  subcutaneousFat: 1,
  muscle: 2,
  visceralFat: 3,
  lung: 4,
  boneCortex: 5,
  boneCancellous: 6,
  csf: 7,
  aorta: 8,
  ivc: 9,
  portalVein: 10,
  kidneyCortex: 11,
  kidneyMedulla: 12,
  spleen: 13,
  stomachFluid: 14,
  stomachGas: 15,
  bowel: 16,
  gallbladder: 17,
  liver: 18,
  hepaticVein: 19,
} as const;

/** Noise-free HU per tissue and phase: late hepatic arterial ≈ 35 s, portal venous ≈ 75 s. */
export const tissueHu: Record<number, PhaseHu> = {
  [tissue.air]: { precontrast: -1000, arterial: -1000, portal_venous: -1000 },
  [tissue.subcutaneousFat]: { precontrast: -100, arterial: -100, portal_venous: -100 },
  [tissue.muscle]: { precontrast: 50, arterial: 55, portal_venous: 60 },
  [tissue.visceralFat]: { precontrast: -100, arterial: -100, portal_venous: -100 },
  [tissue.lung]: { precontrast: -850, arterial: -850, portal_venous: -850 },
  [tissue.boneCortex]: { precontrast: 700, arterial: 700, portal_venous: 700 },
  [tissue.boneCancellous]: { precontrast: 400, arterial: 400, portal_venous: 400 },
  [tissue.csf]: { precontrast: 15, arterial: 15, portal_venous: 15 },
  [tissue.aorta]: { precontrast: 40, arterial: 320, portal_venous: 170 },
  [tissue.ivc]: { precontrast: 40, arterial: 90, portal_venous: 150 },
  [tissue.portalVein]: { precontrast: 40, arterial: 160, portal_venous: 190 },
  [tissue.kidneyCortex]: { precontrast: 30, arterial: 190, portal_venous: 170 },
  [tissue.kidneyMedulla]: { precontrast: 30, arterial: 90, portal_venous: 170 },
  [tissue.spleen]: { precontrast: 45, arterial: 120, portal_venous: 125 },
  [tissue.stomachFluid]: { precontrast: 10, arterial: 10, portal_venous: 10 },
  [tissue.stomachGas]: { precontrast: -1000, arterial: -1000, portal_venous: -1000 },
  [tissue.bowel]: { precontrast: 35, arterial: 70, portal_venous: 90 },
  [tissue.gallbladder]: { precontrast: 10, arterial: 10, portal_venous: 10 },
  [tissue.liver]: { precontrast: 55, arterial: 70, portal_venous: 110 },
  [tissue.hepaticVein]: { precontrast: 45, arterial: 55, portal_venous: 160 },
};

/** Non-enhancing necrosis inside a metastasis (HU). */
export const necrosisHu: PhaseHu = { precontrast: 25, arterial: 27, portal_venous: 30 };
/** Iodized oil (lipiodol) deposit: bright on every phase, so arterial − precontrast ≈ 0 (HU). */
export const lipiodolHu: PhaseHu = { precontrast: 700, arterial: 700, portal_venous: 700 };

/** One metastasis at one timepoint: a viable sphere around a concentric necrotic core that may hold lipiodol. */
export interface DemoLesionDesign {
  id: string;
  /** Couinaud segment the lesion lies in. */
  couinaudSegment: string;
  centreBodyMm: Vec3;
  radiusMm: number;
  /** 0 when the lesion has no necrotic core. */
  necroticRadiusMm: number;
  /** 0 when there is no lipiodol; the deposit sits inside the necrotic core. */
  lipiodolRadiusMm: number;
  /** Noise-free HU of the viable (enhancing) tumour. */
  viableHu: PhaseHu;
  /**
   * Residual viable tumour of a wholly necrotic lesion (necroticRadiusMm = radiusMm): a sphere
   * inside the necrotic part, clear of the lipiodol, usually at the lesion's edge. Absent when
   * the lesion has none (every lesion of DEMO-0001).
   */
  viableNodule?: { centreBodyMm: Vec3; radiusMm: number };
}

/**
 * Labels of lesion n (0-based): viable 20 + n, necrotic core 30 + n, lipiodol deposit 40 + n.
 * @throws RangeError for n outside 0-9
 */
export function lesionLabels(n: number): { viable: number; necrotic: number; lipiodol: number } {
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new RangeError(`lesion index ${n} is outside 0-9`);
  return { viable: 20 + n, necrotic: 30 + n, lipiodol: 40 + n };
}

/** Noise-free HU per phase of every label a phantom with `lesions` uses (tissues, then each lesion's parts). */
export function labelHu(lesions: readonly DemoLesionDesign[]): Map<number, PhaseHu> {
  const out = new Map<number, PhaseHu>(Object.entries(tissueHu).map(([k, v]) => [Number(k), v]));
  lesions.forEach((lesion, n) => {
    const l = lesionLabels(n);
    out.set(l.viable, lesion.viableHu);
    out.set(l.necrotic, necrosisHu);
    out.set(l.lipiodol, lipiodolHu);
  });
  return out;
}

/** Labels that make up the liver mask: parenchyma, intrahepatic veins and every part of every lesion. */
export function liverMaskLabels(lesionCount: number): Set<number> {
  const labels = new Set<number>([tissue.liver, tissue.hepaticVein]);
  for (let n = 0; n < lesionCount; n++) {
    const l = lesionLabels(n);
    labels.add(l.viable).add(l.necrotic).add(l.lipiodol);
  }
  return labels;
}

const wholeScan: [number, number] = [-1000, 1000];
const liverLobes: PhantomShape[] = [
  // Right lobe (segments V-VIII) and the left lobe (II-IV) reaching across the midline.
  { kind: 'ellipsoid', centreMm: [-65, -5, 0], semiAxesMm: [80, 75, 80] },
  { kind: 'ellipsoid', centreMm: [20, -45, 25], semiAxesMm: [55, 30, 40] },
];

/**
 * The paint operations of the abdomen with `lesions`, in order (later ones paint over earlier
 * ones where allowed). Structures that a liver mask excludes (IVC, portal vein, gallbladder)
 * are painted after the liver, so the mask never contains them.
 */
export function demoPaintOps(lesions: readonly DemoLesionDesign[]): PaintOp[] {
  const t = tissue;
  const ops: PaintOp[] = [
    // Body wall: skin-to-muscle fat, a muscle ring, then the abdominal cavity (visceral fat).
    {
      shape: { kind: 'cylinder', centreMm: [0, 0], semiAxesMm: [165, 125], zRangeMm: wholeScan },
      label: t.subcutaneousFat,
    },
    { shape: { kind: 'cylinder', centreMm: [0, 0], semiAxesMm: [147, 107], zRangeMm: wholeScan }, label: t.muscle },
    {
      shape: { kind: 'cylinder', centreMm: [0, -3], semiAxesMm: [135, 92], zRangeMm: wholeScan },
      label: t.visceralFat,
    },
    // Paraspinal muscles.
    { shape: { kind: 'cylinder', centreMm: [-36, 97], semiAxesMm: [20, 14], zRangeMm: wholeScan }, label: t.muscle },
    { shape: { kind: 'cylinder', centreMm: [36, 97], semiAxesMm: [20, 14], zRangeMm: wholeScan }, label: t.muscle },
    // Lung bases above the diaphragm (the liver dome and spleen paint over them).
    {
      shape: { kind: 'ellipsoid', centreMm: [-80, 25, 150], semiAxesMm: [72, 75, 88] },
      label: t.lung,
      onlyOver: [t.visceralFat],
    },
    {
      shape: { kind: 'ellipsoid', centreMm: [80, 25, 150], semiAxesMm: [72, 75, 88] },
      label: t.lung,
      onlyOver: [t.visceralFat],
    },
    // Spine: vertebral body (cortex, cancellous core), neural arch, canal, spinous process.
    { shape: { kind: 'cylinder', centreMm: [0, 62], semiAxesMm: [19, 17], zRangeMm: wholeScan }, label: t.boneCortex },
    {
      shape: { kind: 'cylinder', centreMm: [0, 62], semiAxesMm: [16, 14], zRangeMm: wholeScan },
      label: t.boneCancellous,
    },
    { shape: { kind: 'cylinder', centreMm: [0, 89], semiAxesMm: [13, 11], zRangeMm: wholeScan }, label: t.boneCortex },
    { shape: { kind: 'cylinder', centreMm: [0, 88], semiAxesMm: [8, 7], zRangeMm: wholeScan }, label: t.csf },
    { shape: { kind: 'cylinder', centreMm: [0, 106], semiAxesMm: [4, 9], zRangeMm: wholeScan }, label: t.boneCortex },
    // Aorta, left of the midline in front of the spine.
    { shape: { kind: 'capsule', fromMm: [14, 30, -1000], toMm: [14, 30, 1000], radiusMm: 12 }, label: t.aorta },
    // Kidneys (cortex around medulla), spleen, stomach (fluid with gas anteriorly), bowel loops.
    { shape: { kind: 'ellipsoid', centreMm: [-72, 58, -88], semiAxesMm: [28, 22, 50] }, label: t.kidneyCortex },
    {
      shape: { kind: 'ellipsoid', centreMm: [-72, 58, -88], semiAxesMm: [20, 14, 42] },
      label: t.kidneyMedulla,
      onlyOver: [t.kidneyCortex],
    },
    { shape: { kind: 'ellipsoid', centreMm: [75, 55, -70], semiAxesMm: [28, 22, 50] }, label: t.kidneyCortex },
    {
      shape: { kind: 'ellipsoid', centreMm: [75, 55, -70], semiAxesMm: [20, 14, 42] },
      label: t.kidneyMedulla,
      onlyOver: [t.kidneyCortex],
    },
    { shape: { kind: 'ellipsoid', centreMm: [92, 42, 15], semiAxesMm: [38, 30, 55] }, label: t.spleen },
    { shape: { kind: 'ellipsoid', centreMm: [72, 0, 20], semiAxesMm: [34, 34, 45] }, label: t.stomachFluid },
    { shape: { kind: 'ellipsoid', centreMm: [72, 0, 20], semiAxesMm: [34, 34, 45], maxYMm: -20 }, label: t.stomachGas },
    {
      shape: { kind: 'capsule', fromMm: [-60, -40, -70], toMm: [40, -50, -75], radiusMm: 14 },
      label: t.bowel,
      onlyOver: [t.visceralFat],
    },
    {
      shape: { kind: 'capsule', fromMm: [-95, -10, -80], toMm: [-85, -45, -40], radiusMm: 16 },
      label: t.bowel,
      onlyOver: [t.visceralFat],
    },
    {
      shape: { kind: 'capsule', fromMm: [20, -20, -85], toMm: [100, -15, -60], radiusMm: 13 },
      label: t.bowel,
      onlyOver: [t.visceralFat],
    },
    // Liver, painted only over the cavity's fat and the lung bases.
    ...liverLobes.map((shape): PaintOp => ({ shape, label: t.liver, onlyOver: [t.visceralFat, t.lung] })),
    // Hepatic veins from the IVC confluence into the right, middle and left liver.
    {
      shape: { kind: 'capsule', fromMm: [-22, 32, 62], toMm: [-115, 5, 45], radiusMm: 5 },
      label: t.hepaticVein,
      onlyOver: [t.liver],
    },
    {
      shape: { kind: 'capsule', fromMm: [-22, 32, 62], toMm: [-60, -45, 25], radiusMm: 4.5 },
      label: t.hepaticVein,
      onlyOver: [t.liver],
    },
    {
      shape: { kind: 'capsule', fromMm: [-22, 32, 62], toMm: [5, -40, 40], radiusMm: 4 },
      label: t.hepaticVein,
      onlyOver: [t.liver],
    },
  ];
  lesions.forEach((lesion, n) => {
    const l = lesionLabels(n);
    const sphere = (r: number): PhantomShape => ({
      kind: 'ellipsoid',
      centreMm: lesion.centreBodyMm,
      semiAxesMm: [r, r, r],
    });
    ops.push({ shape: sphere(lesion.radiusMm), label: l.viable, onlyOver: [t.liver, t.hepaticVein] });
    if (lesion.necroticRadiusMm > 0)
      ops.push({ shape: sphere(lesion.necroticRadiusMm), label: l.necrotic, onlyOver: [l.viable] });
    if (lesion.lipiodolRadiusMm > 0)
      ops.push({ shape: sphere(lesion.lipiodolRadiusMm), label: l.lipiodol, onlyOver: [l.necrotic] });
    const nodule = lesion.viableNodule;
    if (nodule)
      ops.push({
        shape: {
          kind: 'ellipsoid',
          centreMm: nodule.centreBodyMm,
          semiAxesMm: [nodule.radiusMm, nodule.radiusMm, nodule.radiusMm],
        },
        label: l.viable,
        onlyOver: [l.necrotic],
      });
  });
  ops.push(
    // Excluded from the liver mask: intrahepatic IVC, portal vein at the hilum, gallbladder.
    { shape: { kind: 'capsule', fromMm: [-22, 32, -1000], toMm: [-22, 32, 1000], radiusMm: 11 }, label: t.ivc },
    { shape: { kind: 'capsule', fromMm: [5, 10, -48], toMm: [-40, 5, -10], radiusMm: 7 }, label: t.portalVein },
    { shape: { kind: 'ellipsoid', centreMm: [-45, -45, -40], semiAxesMm: [14, 14, 28] }, label: t.gallbladder },
  );
  return ops;
}

/** Enhancing metastases before treatment (hyperenhancing NELM; L5 holds lipiodol from an earlier TACE). */
export const demoLesionsPre: readonly DemoLesionDesign[] = [
  {
    id: 'L1',
    couinaudSegment: 'VII',
    centreBodyMm: [-92, 0, 0],
    radiusMm: 32,
    necroticRadiusMm: 10,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 40, arterial: 165, portal_venous: 92 },
  },
  {
    id: 'L2',
    couinaudSegment: 'VIII',
    centreBodyMm: [-85, -40, 40],
    radiusMm: 18,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 42, arterial: 180, portal_venous: 95 },
  },
  {
    id: 'L3',
    couinaudSegment: 'VI',
    centreBodyMm: [-60, 30, -25],
    radiusMm: 14,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 38, arterial: 150, portal_venous: 88 },
  },
  {
    id: 'L4',
    couinaudSegment: 'III',
    centreBodyMm: [25, -45, 25],
    radiusMm: 13,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 40, arterial: 170, portal_venous: 90 },
  },
  {
    id: 'L5',
    couinaudSegment: 'V',
    centreBodyMm: [-40, -20, -30],
    radiusMm: 9,
    necroticRadiusMm: 5,
    lipiodolRadiusMm: 3,
    viableHu: { precontrast: 40, arterial: 155, portal_venous: 90 },
  },
  {
    id: 'L6',
    couinaudSegment: 'IV',
    centreBodyMm: [-20, -30, 15],
    radiusMm: 6,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 41, arterial: 160, portal_venous: 88 },
  },
];

/**
 * After TACE of the right lobe (segments V-VIII): treated lesions shrink a little and become
 * largely necrotic, with lipiodol retained in L1 and L2; untreated L4 (III) and L6 (IV) grow.
 */
export const demoLesionsPost: readonly DemoLesionDesign[] = [
  {
    id: 'L1',
    couinaudSegment: 'VII',
    centreBodyMm: [-92, 0, 0],
    radiusMm: 30,
    necroticRadiusMm: 24,
    lipiodolRadiusMm: 7,
    viableHu: { precontrast: 40, arterial: 160, portal_venous: 90 },
  },
  {
    id: 'L2',
    couinaudSegment: 'VIII',
    centreBodyMm: [-85, -40, 40],
    radiusMm: 16,
    necroticRadiusMm: 10,
    lipiodolRadiusMm: 5,
    viableHu: { precontrast: 42, arterial: 170, portal_venous: 92 },
  },
  {
    id: 'L3',
    couinaudSegment: 'VI',
    centreBodyMm: [-60, 30, -25],
    radiusMm: 13,
    necroticRadiusMm: 7,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 38, arterial: 150, portal_venous: 88 },
  },
  {
    id: 'L4',
    couinaudSegment: 'III',
    centreBodyMm: [25, -45, 25],
    radiusMm: 14,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 40, arterial: 170, portal_venous: 90 },
  },
  {
    id: 'L5',
    couinaudSegment: 'V',
    centreBodyMm: [-40, -20, -30],
    radiusMm: 8,
    necroticRadiusMm: 6,
    lipiodolRadiusMm: 3,
    viableHu: { precontrast: 40, arterial: 155, portal_venous: 90 },
  },
  {
    id: 'L6',
    couinaudSegment: 'IV',
    centreBodyMm: [-20, -30, 15],
    radiusMm: 7,
    necroticRadiusMm: 0,
    lipiodolRadiusMm: 0,
    viableHu: { precontrast: 41, arterial: 160, portal_venous: 88 },
  },
];

/** Liver segments treated between the timepoints. */
export const demoTreatedSegments: readonly string[] = ['V', 'VI', 'VII', 'VIII'];

/**
 * Centres (body mm) of three regions of interest in tumour-free parenchyma, in the right lobe
 * (VI), near the hilum (VIII/IV) and in the left lateral lobe (II/III). At both timepoints every
 * voxel within 11.5 mm of each centre is parenchyma, so a 1.0 cm³ sphere (radius 6.2 mm) keeps
 * more than 5 mm from lesions, vessels and the liver surface (checked in test/core/demo).
 */
export const demoRoiCentresBodyMm: readonly Vec3[] = [
  [-115, -5, -40],
  [-40, 15, 25],
  [50, -45, 30],
];
