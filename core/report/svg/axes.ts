import { fixed } from '../format';
import { axisGrey, gridGrey } from './palette';
import { svgLine, svgText, textWidth } from './svgDocument';
import { tickDecimals } from './niceTicks';

/** The plotting area of a chart, in px. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface AxisOptions {
  /** Axis title. */
  label: string;
  /** Light grid lines across the plot at every tick. */
  grid?: boolean;
  /** Tick text; default the tick with as many decimals as the ticks need, a % sign when `percent`. */
  format?: (tick: number) => string;
}

const tickText = (ticks: readonly number[], o: AxisOptions) =>
  o.format ?? ((t: number) => fixed(t, tickDecimals(ticks)));

/** The left axis: line, ticks, tick labels, optional grid, and the rotated title. */
export function leftAxis(area: PlotArea, ticks: readonly number[], y: (v: number) => number, o: AxisOptions): string {
  const label = tickText(ticks, o);
  const parts: string[] = [];
  for (const t of ticks) {
    const py = y(t);
    if (o.grid) parts.push(svgLine(area.left, py, area.right, py, { stroke: gridGrey, width: 0.6 }));
    parts.push(svgLine(area.left - 4, py, area.left, py, { stroke: axisGrey }));
    parts.push(svgText(area.left - 6, py, label(t), { anchor: 'end', baseline: 'middle', sizePx: 10 }));
  }
  parts.push(svgLine(area.left, area.top, area.left, area.bottom, { stroke: axisGrey }));
  const widest = Math.max(...ticks.map((t) => textWidth(label(t), 10)));
  const titleX = area.left - 6 - widest - 12;
  parts.push(svgText(titleX, (area.top + area.bottom) / 2, o.label, { anchor: 'middle', rotate: -90, sizePx: 11 }));
  return parts.join('');
}

/** The bottom axis: line, ticks, tick labels, optional grid, and the title below. */
export function bottomAxis(area: PlotArea, ticks: readonly number[], x: (v: number) => number, o: AxisOptions): string {
  const label = tickText(ticks, o);
  const parts: string[] = [];
  for (const t of ticks) {
    const px = x(t);
    if (o.grid) parts.push(svgLine(px, area.top, px, area.bottom, { stroke: gridGrey, width: 0.6 }));
    parts.push(svgLine(px, area.bottom, px, area.bottom + 4, { stroke: axisGrey }));
    parts.push(svgText(px, area.bottom + 16, label(t), { anchor: 'middle', sizePx: 10 }));
  }
  parts.push(svgLine(area.left, area.bottom, area.right, area.bottom, { stroke: axisGrey }));
  parts.push(svgText((area.left + area.right) / 2, area.bottom + 34, o.label, { anchor: 'middle', sizePx: 11 }));
  return parts.join('');
}
