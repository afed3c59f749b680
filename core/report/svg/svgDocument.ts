import { escapeXml } from './escapeXml';
import { ink } from './palette';

/**
 * The figures' font: the platform's sans-serif UI face (San Francisco, Segoe UI), else Helvetica
 * or its metric twins Arial / Liberation Sans, so text widths are close to `textWidth`.
 */
export const fontStack =
  "-apple-system, 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', system-ui, sans-serif";

/**
 * A coordinate or length as SVG text: rounded to 0.01 px, without trailing zeros.
 * @throws RangeError for NaN or ±Infinity (an invariant: the plots never compute one)
 */
export function coord(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`non-finite SVG coordinate ${value}`);
  const v = Math.round(value * 100) / 100;
  return String(Object.is(v, -0) ? 0 : v);
}

/** Advance widths of printable ASCII (U+0020–U+007E) in Helvetica / Arial, 1/1000 em (Adobe AFM). */
const asciiWidths = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

/**
 * Estimated width of `text` in px at `sizePx`, for laying out labels without a text engine:
 * Helvetica / Arial advance widths for ASCII, 0.6 em for other Latin, Greek and symbols, 1 em for
 * CJK and wider scripts; bold 8 % wider; plus 6 % for faces a little wider than Helvetica
 * (San Francisco, Segoe UI, DejaVu Sans).
 */
export function textWidth(text: string, sizePx: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 0x20 && code <= 0x7e ? asciiWidths[code - 0x20]! / 1000 : code >= 0x2e80 ? 1 : 0.6;
  }
  return em * sizePx * (bold ? 1.08 : 1) * 1.06;
}

/**
 * Splits a label into at most two lines no wider than `maxPx` where it can: at a space, or after
 * "/" or "-", choosing the break that makes the longer line shortest. A label that fits, or has no
 * break opportunity, stays on one line (and may be wider than `maxPx`).
 */
export function wrapLabel(text: string, maxPx: number, sizePx: number): string[] {
  if (textWidth(text, sizePx) <= maxPx) return [text];
  let best: string[] = [text];
  let bestWidth = textWidth(text, sizePx);
  for (let i = 1; i < text.length; i++) {
    const c = text[i - 1]!;
    const breakAfter = c === '/' || c === '-';
    const breakAt = text[i] === ' ';
    if (!breakAfter && !breakAt) continue;
    const lines = [text.slice(0, i).trimEnd(), text.slice(breakAt ? i + 1 : i).trimStart()];
    if (lines.some((l) => l === '')) continue;
    const w = Math.max(...lines.map((l) => textWidth(l, sizePx)));
    if (w < bestWidth) {
      best = lines;
      bestWidth = w;
    }
  }
  return best;
}

/** A linear map from the data interval [d0, d1] to the pixel interval [r0, r1]; d0 = d1 maps to the middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  if (d0 === d1) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

export interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  sizePx?: number;
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Degrees, clockwise, about (x, y). */
  rotate?: number;
  /** Vertical alignment: 'middle' centres the text on y (dominant-baseline: central). */
  baseline?: 'alphabetic' | 'middle' | 'hanging';
  italic?: boolean;
}

/** A `<text>` element with escaped content. */
export function svgText(x: number, y: number, text: string, o: TextOptions = {}): string {
  const attrs = [`x="${coord(x)}"`, `y="${coord(y)}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.sizePx !== undefined) attrs.push(`font-size="${coord(o.sizePx)}"`);
  if (o.weight === 'bold') attrs.push('font-weight="bold"');
  if (o.italic) attrs.push('font-style="italic"');
  if (o.fill !== undefined) attrs.push(`fill="${o.fill}"`);
  if (o.baseline === 'middle') attrs.push('dominant-baseline="central"');
  if (o.baseline === 'hanging') attrs.push('dominant-baseline="hanging"');
  if (o.rotate) attrs.push(`transform="rotate(${coord(o.rotate)} ${coord(x)} ${coord(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(text)}</text>`;
}

/**
 * A `<text>` of several lines (`<tspan>`s `lineHeightPx` apart) centred vertically on y when
 * `o.baseline` is 'middle', else with the first line's baseline at y.
 */
export function svgTextLines(
  x: number,
  y: number,
  lines: readonly string[],
  lineHeightPx: number,
  o: TextOptions = {},
): string {
  if (lines.length <= 1) return svgText(x, y, lines[0] ?? '', o);
  const first = o.baseline === 'middle' ? y - ((lines.length - 1) * lineHeightPx) / 2 : y;
  const single = svgText(x, first, '', o);
  const spans = lines
    .map(
      (l, i) =>
        `<tspan x="${coord(x)}" ${i === 0 ? `y="${coord(first)}"` : `dy="${coord(lineHeightPx)}"`}>${escapeXml(l)}</tspan>`,
    )
    .join('');
  return single.replace('></text>', `>${spans}</text>`);
}

export interface LineOptions {
  stroke?: string;
  width?: number;
  dash?: string | null;
}

export function svgLine(x1: number, y1: number, x2: number, y2: number, o: LineOptions = {}): string {
  const dash = o.dash ? ` stroke-dasharray="${o.dash}"` : '';
  return `<line x1="${coord(x1)}" y1="${coord(y1)}" x2="${coord(x2)}" y2="${coord(y2)}" stroke="${o.stroke ?? ink}" stroke-width="${coord(o.width ?? 1)}"${dash}/>`;
}

export interface DocumentOptions {
  width: number;
  height: number;
  /** The figure's accessible name (`<title>`). */
  title: string;
  /** A longer accessible description (`<desc>`), e.g. the numbers behind the figure. */
  description?: string;
}

/**
 * A standalone SVG document: the SVG namespace, width, height and viewBox in px, a white
 * background, the sans-serif font and dark ink as inherited presentation attributes (no CSS),
 * `<title>` and `<desc>` for screen readers.
 */
export function svgDocument(o: DocumentOptions, body: string): string {
  const w = coord(o.width);
  const h = coord(o.height);
  const desc = o.description === undefined ? '' : `<desc>${escapeXml(o.description)}</desc>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" ` +
    `font-family="${escapeXml(fontStack)}" font-size="11" fill="${ink}">` +
    `<title>${escapeXml(o.title)}</title>${desc}` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>${body}</svg>`
  );
}

/** The grey italic note shown instead of data when a plot has too little of it. */
export function notEnoughData(x: number, y: number, message: string): string {
  return svgText(x, y, message, { anchor: 'middle', baseline: 'middle', sizePx: 12, italic: true, fill: '#555555' });
}
