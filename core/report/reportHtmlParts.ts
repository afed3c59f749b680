import { escapeXml } from './svg/escapeXml';

/**
 * Small HTML pieces shared by the report's sections (`renderReportHtml`, `renderOutcomesHtml`):
 * escaping, the `data-stat` element that carries every printed number, and per-table footnotes.
 */

export const esc = escapeXml;

/** Caption text, escaped, with a no-break space before every % so "95 %" never splits. */
export const cap = (text: string) => esc(text.replaceAll(' %', '\u00a0%'));

/**
 * An element holding one of the report's numbers, with the full-precision value for tests and
 * tools: `data-stat="<scope>|<path>"`, `data-value="<String(value)>"`.
 */
export function stat(
  scope: string,
  path: string,
  value: number | string | boolean | null,
  text: string,
  tag = 'span',
): string {
  return `<${tag} data-stat="${esc(`${scope}|${path}`)}" data-value="${esc(String(value))}">${esc(text)}</${tag}>`;
}

/** The letter of footnote i (0-based): a … z, then aa, ab … (the report's and the dashboard's tables alike). */
export function noteLetter(i: number): string {
  return i < 26
    ? String.fromCharCode(97 + i)
    : `${String.fromCharCode(97 + Math.floor(i / 26) - 1)}${String.fromCharCode(97 + (i % 26))}`;
}

/** Footnotes of one table: each distinct text gets the next letter, shared by every cell that cites it. */
export class Notes {
  private readonly texts: string[] = [];
  ref(text: string): string {
    let i = this.texts.indexOf(text);
    if (i < 0) i = this.texts.push(text) - 1;
    return `<sup class="note-ref">${noteLetter(i)}</sup>`;
  }
  render(): string {
    if (this.texts.length === 0) return '';
    return `<ol class="notes">${this.texts.map((t, i) => `<li><sup>${noteLetter(i)}</sup> ${esc(t)}</li>`).join('')}</ol>`;
  }
}

export const notApplicable = '<span class="na" title="not applicable">—</span>';

/** Running numbers of the report's tables and figures. */
export interface Counter {
  table: number;
  figure: number;
}
