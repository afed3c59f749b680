import { maxErrorLineChars, maxExcerptChars } from './tableLimits';

/**
 * A short quotation of untrusted text for an error message: JSON-quoted (so control
 * characters, quotes and line breaks show as escapes and the message stays on one line), cut to
 * `max` characters with "…" and the full length when longer. A cell of 50 MB becomes
 * `"xxxxxxxx…" (52428800 characters)`, never the cell itself.
 * @param text the cell, line, name or value to quote
 * @param max the most characters of `text` kept (default `maxExcerptChars`, 40)
 * @param showLength whether a cut excerpt says the full length (false when `text` is itself a prefix)
 */
export function excerpt(text: string, max = maxExcerptChars, showLength = true): string {
  if (text.length <= max) return JSON.stringify(text);
  // Do not split a surrogate pair: a lone half would print as an escape.
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const quoted = JSON.stringify(`${text.slice(0, end)}…`);
  return showLength ? `${quoted} (${text.length} characters)` : quoted;
}

/**
 * A list of untrusted names for an error message (a header's columns, an item's levels): each
 * `excerpt`ed to 30 characters, at most `maxNames` of them, then "… (N in all)".
 * @param quote whether each name is JSON-quoted (default true); unquoted names are still cut
 */
export function excerptList(names: readonly string[], maxNames = 12, quote = true): string {
  const shown = names.slice(0, maxNames).map((n) => (quote ? excerpt(n, 30) : excerptPlain(n, 30)));
  return names.length > maxNames ? `${shown.join(', ')}, … (${names.length} in all)` : shown.join(', ');
}

/**
 * An unquoted excerpt, for names that read better bare (`case C01, reader B`): `text` cut to
 * `max` characters (default 30) with "…", control characters replaced by spaces (one line).
 */
export function excerptPlain(text: string, max = 30): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  const line = text.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length <= max ? line : `${line}…`;
}

/**
 * One line of an error message at most `maxErrorLineChars` characters long: longer text is cut,
 * ending in "…"; line breaks become spaces. The last defence: messages are built from excerpts
 * and normally fit.
 */
export function clampLine(text: string, max = maxErrorLineChars): string {
  const line = text.slice(0, 2 * max).replace(/[\r\n]+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
