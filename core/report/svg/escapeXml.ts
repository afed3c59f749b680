/**
 * Text as XML character data or attribute value (SVG and HTML alike): & < > " ' as entities, and
 * characters XML 1.0 does not allow (C0 controls other than tab, LF and CR, lone surrogates,
 * U+FFFE/U+FFFF) replaced by U+FFFD, so any reader name or label yields a well-formed document.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    );
}
