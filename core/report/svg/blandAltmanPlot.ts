import { formatMeasurement, minusSign } from '../format';
import { bottomAxis, leftAxis, type PlotArea } from './axes';
import { niceTicks } from './niceTicks';
import { axisGrey, neutralGrey, okabeIto } from './palette';
import { coord, linearScale, notEnoughData, svgDocument, svgLine, svgText } from './svgDocument';

/** The per-case points of a Bland–Altman plot (the shape of `BlandAltmanPoints` in studyReport.ts). */
export interface BlandAltmanPlotPoints {
  means: readonly number[];
  differences: readonly number[];
}

export interface BlandAltmanPlotOptions {
  /** Accessible title; default "Bland–Altman plot". */
  title?: string;
  /** What the difference is, e.g. "Reader 1 − Reader 2"; default "Difference". */
  differenceLabel?: string;
  /** Default "Mean of the two readers". */
  meanLabel?: string;
}

const width = 328;
const height = 260;

/** Moves label centres apart (keeping their order) so no two are closer than `gap` px, within [min, max] where possible. */
function spread(ys: number[], gap: number, min: number, max: number): number[] {
  const order = ys.map((y, i) => ({ y: Math.min(max, Math.max(min, y)), i })).sort((a, b) => a.y - b.y);
  for (let n = 1; n < order.length; n++) order[n]!.y = Math.max(order[n]!.y, order[n - 1]!.y + gap);
  for (let n = order.length - 1; n >= 0; n--)
    order[n]!.y = Math.min(order[n]!.y, n === order.length - 1 ? max : order[n + 1]!.y - gap);
  const out = [...ys];
  for (const o of order) out[o.i] = o.y;
  return out;
}

/**
 * A Bland–Altman plot (Bland & Altman, Lancet 1986;i:307–310): each case at (mean of the two
 * readers, difference between them); the bias (mean difference) as a solid line and the 95 %
 * limits of agreement (bias ∓ 1.96 SD) as dashed lines, each labelled with its value at the
 * right; zero difference as a thin grey line. The axes cover the points, the three lines and 0.
 * Pairs with a non-finite mean or difference are left out. With fewer than 2 pairs, all pairs
 * identical, or no bias and limits (not estimable), the frame carries a "not enough data" note.
 * @param points per-case means and differences (same length)
 * @param bias mean difference, in `unit`; null when not estimable
 * @param lowerLimit bias − 1.96 SD, or null
 * @param upperLimit bias + 1.96 SD, or null
 * @param unit the measurement's unit for the axis titles ("" for none)
 * @throws RangeError when means and differences differ in length
 * @returns a standalone SVG document
 */
export function blandAltmanPlot(
  points: BlandAltmanPlotPoints,
  bias: number | null,
  lowerLimit: number | null,
  upperLimit: number | null,
  unit: string,
  options: BlandAltmanPlotOptions = {},
): string {
  if (points.means.length !== points.differences.length)
    throw new RangeError(`${points.means.length} means for ${points.differences.length} differences`);
  const title = options.title ?? 'Bland–Altman plot';
  const withUnit = (s: string) => (unit === '' ? s : `${s} (${unit})`);
  const xLabel = withUnit(options.meanLabel ?? 'Mean of the two readers');
  const yLabel = withUnit(options.differenceLabel ?? 'Difference');
  const pairs = points.means
    .map((m, i) => [m, points.differences[i]!] as const)
    .filter(([m, d]) => Number.isFinite(m) && Number.isFinite(d));
  const area: PlotArea = { left: 62, top: 14, right: width - 84, bottom: height - 46 };

  const lines = [bias, lowerLimit, upperLimit];
  const allSame = pairs.every(([m, d]) => m === pairs[0]![0] && d === pairs[0]![1]);
  if (pairs.length < 2 || allSame || !lines.every((v) => v !== null && Number.isFinite(v))) {
    const why =
      pairs.length < 2
        ? `${pairs.length} case${pairs.length === 1 ? '' : 's'} with both readings`
        : allSame
          ? 'every case has the same readings'
          : 'limits of agreement not estimable';
    const frame = `<rect x="${coord(area.left)}" y="${coord(area.top)}" width="${coord(area.right - area.left)}" height="${coord(area.bottom - area.top)}" fill="none" stroke="${neutralGrey}" stroke-width="0.8"/>`;
    return svgDocument(
      { width, height, title },
      frame +
        notEnoughData((area.left + area.right) / 2, (area.top + area.bottom) / 2 - 8, 'Not enough data') +
        notEnoughData((area.left + area.right) / 2, (area.top + area.bottom) / 2 + 10, `(${why})`),
    );
  }
  const [b, lo, hi] = lines as [number, number, number];
  const ds = [...pairs.map((p) => p[1]), b, lo, hi, 0];
  const ms = pairs.map((p) => p[0]);
  const yTicks = niceTicks(Math.min(...ds), Math.max(...ds), 5);
  // A margin of 4 % of the range keeps the extreme points off the frame.
  const xPad = (Math.max(...ms) - Math.min(...ms)) * 0.04;
  const xTicks = niceTicks(Math.min(...ms) - xPad, Math.max(...ms) + xPad, 4);
  const y = linearScale(yTicks[0]!, yTicks.at(-1)!, area.bottom, area.top);
  const x = linearScale(xTicks[0]!, xTicks.at(-1)!, area.left, area.right);

  const parts: string[] = [];
  parts.push(leftAxis(area, yTicks, y, { label: yLabel, grid: true }));
  parts.push(bottomAxis(area, xTicks, x, { label: xLabel, grid: true }));
  parts.push(svgLine(area.left, y(0), area.right, y(0), { stroke: axisGrey, width: 0.8 }));
  parts.push(svgLine(area.left, y(b), area.right, y(b), { stroke: okabeIto.blue, width: 1.6 }));
  parts.push(svgLine(area.left, y(lo), area.right, y(lo), { stroke: okabeIto.vermillion, width: 1.3, dash: '6 3' }));
  parts.push(svgLine(area.left, y(hi), area.right, y(hi), { stroke: okabeIto.vermillion, width: 1.3, dash: '6 3' }));
  for (const [m, d] of pairs) {
    parts.push(
      `<circle cx="${coord(x(m))}" cy="${coord(y(d))}" r="3.2" fill="${okabeIto.blue}" fill-opacity="0.45" stroke="${okabeIto.blue}" stroke-width="1"/>`,
    );
  }
  // Labels in the right margin: upper limit, bias, lower limit, pushed apart when the lines are close.
  const [yHi, yB, yLo] = spread([y(hi), y(b), y(lo)], 24, area.top + 4, area.bottom) as [number, number, number];
  const label = (yy: number, head: string, value: number, colour: string) =>
    svgText(area.right + 6, yy - 2, head, { sizePx: 10, fill: colour }) +
    svgText(area.right + 6, yy + 10, `${formatMeasurement(value)}${unit === '' ? '' : ` ${unit}`}`, {
      sizePx: 10,
      weight: 'bold',
      fill: colour,
    });
  parts.push(label(yHi, `+1.96 SD`, hi, okabeIto.vermillion));
  parts.push(label(yB, 'Bias', b, okabeIto.blue));
  parts.push(label(yLo, `${minusSign}1.96 SD`, lo, okabeIto.vermillion));

  return svgDocument(
    {
      width,
      height,
      title,
      description: `${pairs.length} cases; bias ${b}, limits of agreement ${lo} to ${hi}${unit === '' ? '' : ` ${unit}`}.`,
    },
    parts.join(''),
  );
}
