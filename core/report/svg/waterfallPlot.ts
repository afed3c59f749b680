import { compareIds } from '../../agreement/compareIds';
import { escapeXml } from './escapeXml';
import { fixed, formatChangePercent } from '../format';
import { leftAxis, type PlotArea } from './axes';
import { niceTicks, tickDecimals } from './niceTicks';
import { axisGrey, ink, neutralGrey, okabeIto } from './palette';
import { coord, linearScale, notEnoughData, svgDocument, svgLine, svgText, textWidth } from './svgDocument';

/** One case's bar (the shape of `WaterfallBar` in studyReport.ts). */
export interface WaterfallPlotBar {
  caseCode: string;
  /** Change from baseline, %. */
  changePercent: number;
}

/** A reference line, e.g. { percent: −30, label: "−30 % (PR)" }; a bare number is labelled "−30 %". */
export interface WaterfallThreshold {
  percent: number;
  label: string;
}

/** "+20 %", "−30 %", "−25.8 %": the default label of a bare threshold. */
function thresholdLabel(percent: number): string {
  const text = fixed(percent, Number.isInteger(percent) ? 0 : 1);
  return `${percent > 0 ? '+' : ''}${text} %`;
}

export interface WaterfallPlotOptions {
  /** Accessible title; default "Waterfall plot". */
  title?: string;
  /** Default "Change from baseline (%)". */
  yLabel?: string;
  /** Width in px; default 660 (the text width of an A4 page). */
  width?: number;
}

/** Case codes are printed under the bars up to this many bars. */
const maxLabelledBars = 60;

/**
 * A waterfall plot: one bar per case, the change from baseline in %, sorted from the largest
 * increase to the largest decrease (ties by case code), with each threshold as a dashed
 * reference line labelled at the right. Bars at or below the most negative threshold are blue
 * (response), at or above the smallest positive threshold vermillion (progression), others grey;
 * a legend says which. Case codes are printed under the bars (up to 60 bars). The y axis covers
 * 0, every bar and every threshold. Bars with a non-finite change are left out; with no bar left
 * the frame carries a "not enough data" note.
 * @param bars one per case (and reader)
 * @param thresholds reference lines in % (a bare number gets the label "−30 %")
 * @returns a standalone SVG document
 */
export function waterfallPlot(
  bars: readonly WaterfallPlotBar[],
  thresholds: readonly (number | WaterfallThreshold)[],
  options: WaterfallPlotOptions = {},
): string {
  const width = options.width ?? 660;
  const title = options.title ?? 'Waterfall plot';
  const yLabel = options.yLabel ?? 'Change from baseline (%)';
  const data = bars
    .filter((b) => Number.isFinite(b.changePercent))
    .sort((a, b) => b.changePercent - a.changePercent || compareIds(a.caseCode, b.caseCode));
  const lines = thresholds
    .map((t) => (typeof t === 'number' ? { percent: t, label: thresholdLabel(t) } : t))
    .filter((t) => Number.isFinite(t.percent));
  const labelled = data.length <= maxLabelledBars;
  const codeH =
    labelled && data.length > 0 ? Math.min(90, Math.max(...data.map((b) => textWidth(b.caseCode, 9)))) + 10 : 4;
  const height = 236 + codeH;
  const area: PlotArea = { left: 62, top: 30, right: width - 86, bottom: height - codeH - 6 };
  if (data.length === 0) {
    const frame = `<rect x="${coord(area.left)}" y="${coord(area.top)}" width="${coord(area.right - area.left)}" height="${coord(area.bottom - area.top)}" fill="none" stroke="${neutralGrey}" stroke-width="0.8"/>`;
    return svgDocument(
      { width, height, title },
      frame +
        notEnoughData(
          (area.left + area.right) / 2,
          (area.top + area.bottom) / 2,
          'Not enough data: no case with a change from baseline',
        ),
    );
  }

  const values = [0, ...data.map((b) => b.changePercent), ...lines.map((t) => t.percent)];
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 6);
  const y = linearScale(ticks[0]!, ticks.at(-1)!, area.bottom, area.top);
  const band = (area.right - area.left) / data.length;
  const barW = Math.min(28, band * 0.78);
  const responseCut = lines
    .filter((t) => t.percent < 0)
    .reduce<number | null>((m, t) => (m === null ? t.percent : Math.min(m, t.percent)), null);
  const progressionCut = lines
    .filter((t) => t.percent > 0)
    .reduce<number | null>((m, t) => (m === null ? t.percent : Math.min(m, t.percent)), null);
  const colourOf = (v: number) =>
    responseCut !== null && v <= responseCut
      ? okabeIto.blue
      : progressionCut !== null && v >= progressionCut
        ? okabeIto.vermillion
        : neutralGrey;

  const decimals = tickDecimals(ticks);
  const parts: string[] = [leftAxis(area, ticks, y, { label: yLabel, grid: true, format: (t) => fixed(t, decimals) })];
  data.forEach((b, i) => {
    const cx = area.left + (i + 0.5) * band;
    const y0 = y(0);
    const y1 = y(b.changePercent);
    const top = Math.min(y0, y1);
    const h = Math.max(0.8, Math.abs(y1 - y0));
    parts.push(
      `<rect x="${coord(cx - barW / 2)}" y="${coord(top)}" width="${coord(barW)}" height="${coord(h)}" fill="${colourOf(b.changePercent)}"><title>${escapeXml(`${b.caseCode}: ${formatChangePercent(b.changePercent)}`)}</title></rect>`,
    );
    if (labelled)
      parts.push(
        svgText(cx, area.bottom + 6, b.caseCode, {
          rotate: -90,
          anchor: 'end',
          baseline: 'middle',
          sizePx: 9,
          fill: '#333333',
        }),
      );
  });
  parts.push(svgLine(area.left, y(0), area.right, y(0), { stroke: axisGrey, width: 1 }));
  for (const t of lines) {
    parts.push(svgLine(area.left, y(t.percent), area.right, y(t.percent), { stroke: ink, width: 1, dash: '5 3' }));
    parts.push(svgText(area.right + 6, y(t.percent), t.label, { baseline: 'middle', sizePx: 10 }));
  }
  if (!labelled)
    parts.push(
      svgText((area.left + area.right) / 2, area.bottom + 14, `${data.length} cases, sorted by change`, {
        anchor: 'middle',
        sizePx: 10,
      }),
    );

  // Legend across the top.
  const legend: [string, string][] = [];
  if (responseCut !== null) legend.push([okabeIto.blue, `≤ ${formatChangePercent(responseCut)}`]);
  if (progressionCut !== null) legend.push([okabeIto.vermillion, `≥ ${formatChangePercent(progressionCut)}`]);
  if (legend.length > 0) legend.push([neutralGrey, 'other']);
  let lx = area.left;
  for (const [colour, text] of legend) {
    parts.push(`<rect x="${coord(lx)}" y="10" width="12" height="10" fill="${colour}"/>`);
    parts.push(svgText(lx + 16, 15, text, { baseline: 'middle', sizePx: 10 }));
    lx += 16 + textWidth(text, 10) + 18;
  }
  const description = data.map((b) => `${b.caseCode} ${formatChangePercent(b.changePercent)}`).join(', ');
  return svgDocument({ width, height, title, description: `Cases sorted by change: ${description}.` }, parts.join(''));
}
