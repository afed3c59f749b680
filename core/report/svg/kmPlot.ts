import { fixed } from '../format';
import { bottomAxis, leftAxis, type PlotArea } from './axes';
import { niceTicks, tickDecimals } from './niceTicks';
import { neutralGrey, seriesColours, seriesDashes } from './palette';
import { coord, linearScale, notEnoughData, svgDocument, svgLine, svgText, textWidth } from './svgDocument';

/** One group's Kaplan–Meier curve. */
export interface KmCurve {
  label: string;
  /** Ŝ just after each time at which it changes (e.g. `KaplanMeierRow` time and survival), in the time unit of the plot. */
  steps: readonly { time: number; survival: number }[];
  /** Times at which a subject was censored (tick marks on the curve). */
  censored: readonly number[];
}

export interface KmPlotOptions {
  /** Accessible title; default "Kaplan–Meier curves". */
  title?: string;
  /** x axis title, e.g. "Months since treatment"; default "Time". */
  timeLabel?: string;
  /** Default "Survival probability". */
  survivalLabel?: string;
  width?: number;
  height?: number;
  /**
   * Where the legend goes: 'inside' the plot's top right corner (default), or 'below' the x axis
   * title, one line per group, where it can never hide a curve (the plot area shrinks to make room).
   */
  legend?: 'inside' | 'below';
}

/** Ŝ(t) of a right-continuous step function that starts at 1. */
function survivalAt(steps: readonly { time: number; survival: number }[], t: number): number {
  let s = 1;
  for (const step of steps) {
    if (step.time > t) break;
    s = step.survival;
  }
  return s;
}

/**
 * Kaplan–Meier curves, one per group: a right-continuous step function from Ŝ(0) = 1 through
 * each step, continued to the group's last step or censoring time, with a short vertical tick at
 * every censoring time; groups told apart by Okabe–Ito colour and dash pattern, with a legend.
 * The x axis runs from 0 to the last time of any group, the y axis from 0 to 1. Steps and censoring
 * times that are not finite are left out, survival is clamped to [0, 1]. With no group or no time
 * after 0 the frame carries a "not enough data" note.
 * Reference: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481.
 * @param curves one per group (at most 7 styles; more groups reuse them)
 * @returns a standalone SVG document
 */
export function kmPlot(curves: readonly KmCurve[], options: KmPlotOptions = {}): string {
  const width = options.width ?? 420;
  const height = options.height ?? 280;
  const title = options.title ?? 'Kaplan–Meier curves';
  const legendBelow = options.legend === 'below';
  const legendLineHeight = 15;
  const legendHeight = legendBelow ? curves.length * legendLineHeight + 4 : 0;
  const area: PlotArea = { left: 62, top: 14, right: width - 16, bottom: height - 46 - legendHeight };
  const groups = curves.map((c) => ({
    label: c.label,
    steps: c.steps
      .filter((s) => Number.isFinite(s.time) && Number.isFinite(s.survival) && s.time >= 0)
      .map((s) => ({ time: s.time, survival: Math.min(1, Math.max(0, s.survival)) }))
      .sort((a, b) => a.time - b.time),
    censored: c.censored.filter((t) => Number.isFinite(t) && t >= 0),
  }));
  const lastTime = (g: (typeof groups)[number]) => Math.max(0, ...g.steps.map((s) => s.time), ...g.censored);
  const maxTime = Math.max(0, ...groups.map(lastTime));
  if (groups.length === 0 || !(maxTime > 0)) {
    const frame = `<rect x="${coord(area.left)}" y="${coord(area.top)}" width="${coord(area.right - area.left)}" height="${coord(area.bottom - area.top)}" fill="none" stroke="${neutralGrey}" stroke-width="0.8"/>`;
    return svgDocument(
      { width, height, title },
      frame +
        notEnoughData((area.left + area.right) / 2, (area.top + area.bottom) / 2, 'Not enough data: no follow-up time'),
    );
  }
  const xTicks = niceTicks(0, maxTime, 5);
  const yTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const x = linearScale(0, xTicks.at(-1)!, area.left, area.right);
  const y = linearScale(0, 1, area.bottom, area.top);
  const xDecimals = tickDecimals(xTicks);
  const parts: string[] = [
    leftAxis(area, yTicks, y, {
      label: options.survivalLabel ?? 'Survival probability',
      grid: true,
      format: (t) => fixed(t, 1),
    }),
    bottomAxis(area, xTicks, x, { label: options.timeLabel ?? 'Time', format: (t) => fixed(t, xDecimals) }),
  ];
  groups.forEach((g, n) => {
    const colour = seriesColours[n % seriesColours.length]!;
    const dash = seriesDashes[n % seriesDashes.length]!;
    const d = [`M${coord(x(0))} ${coord(y(1))}`];
    for (const s of g.steps) d.push(`H${coord(x(s.time))}`, `V${coord(y(s.survival))}`);
    d.push(`H${coord(x(lastTime(g)))}`);
    parts.push(
      `<path d="${d.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    for (const t of g.censored) {
      const py = y(survivalAt(g.steps, t));
      parts.push(svgLine(x(t), py - 4, x(t), py + 4, { stroke: colour, width: 1.2 }));
    }
  });
  // Legend in the top right corner of the plot, or under the x axis title.
  const legendW = Math.max(...groups.map((g) => textWidth(g.label, 10))) + 34;
  groups.forEach((g, n) => {
    const colour = seriesColours[n % seriesColours.length]!;
    const dash = seriesDashes[n % seriesDashes.length]!;
    const ly = legendBelow ? height - legendHeight + n * legendLineHeight + 6 : area.top + 10 + n * legendLineHeight;
    const lx = legendBelow ? area.left : area.right - legendW;
    parts.push(svgLine(lx, ly, lx + 22, ly, { stroke: colour, width: 1.6, dash }));
    parts.push(svgText(lx + 28, ly, g.label, { baseline: 'middle', sizePx: 10 }));
  });
  return svgDocument(
    {
      width,
      height,
      title,
      description: groups.map((g) => `${g.label}: ${g.steps.length} steps, ${g.censored.length} censored`).join('; '),
    },
    parts.join(''),
  );
}
