/**
 * Colours of the report's figures: the Okabe & Ito (2008) palette, distinguishable with the
 * common colour-vision deficiencies and in greyscale print when paired with line styles, and a
 * single-hue blue ramp for counts (lightness alone carries the value).
 * Reference: Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations
 * that are friendly to colorblind people. 2008. https://jfly.uni-koeln.de/color/
 */
export const okabeIto = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Series colours in order of use (yellow left out: too light on white paper). */
export const seriesColours: readonly string[] = [
  okabeIto.blue,
  okabeIto.vermillion,
  okabeIto.bluishGreen,
  okabeIto.reddishPurple,
  okabeIto.orange,
  okabeIto.skyBlue,
  okabeIto.black,
];

/** Dash patterns paired with `seriesColours`, so curves stay apart in greyscale. */
export const seriesDashes: readonly (string | null)[] = [null, '6 3', '2 2', '8 3 2 3', '4 4', '1 3', '10 4'];

export const ink = '#1a1a1a';
export const gridGrey = '#d9d9d9';
export const axisGrey = '#4d4d4d';
export const neutralGrey = '#9e9e9e';

/** Light to dark blue (ColorBrewer "Blues" end points), for a count's share t ∈ [0, 1]. */
const rampFrom = [0xf7, 0xfb, 0xff];
const rampTo = [0x08, 0x45, 0x94];

/**
 * The fill of a heat-map cell holding the share t of the largest count (0 white-ish, 1 dark blue)
 * and whether its label should be white to stay readable.
 * @param t share in [0, 1]; values outside are clamped, NaN counts as 0
 */
export function blueRamp(t: number): { fill: string; lightText: boolean } {
  const s = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const channel = (i: number) => Math.round(rampFrom[i]! + (rampTo[i]! - rampFrom[i]!) * s);
  const hex = [0, 1, 2].map((i) => channel(i).toString(16).padStart(2, '0')).join('');
  return { fill: `#${hex}`, lightText: s > 0.55 };
}
