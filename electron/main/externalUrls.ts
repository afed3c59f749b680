import type { MessageBoxOptions } from 'electron';
import { productName } from '../../core/version';

/**
 * The only pages the desktop app will hand to the system browser, each after the user confirms:
 * the licence and the published method the reading form follows. Concord works offline; a link
 * elsewhere (a URL in an imported DICOM description, a report, a crafted page) is refused, so the
 * shell cannot be used to launch arbitrary URLs or protocol handlers. Each entry is an https URL
 * that a link must equal, or extend below on a path-segment boundary; to link a new page, add its
 * URL here.
 */
export const externalUrlAllowlist: readonly string[] = [
  'https://opensource.org/license/mit',
  'https://recist.eortc.org/',
];

/**
 * Whether `url` may be opened in the system browser: https only, no user name or password, the
 * default port, the exact host of an allowlist entry and its path or a path below it (compared
 * after the WHATWG URL parser has normalised case, dot segments and percent-encoded dots).
 * Pure, so the decision is unit-tested.
 */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = externalUrlAllowlist): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' || target.username !== '' || target.password !== '' || target.port !== '')
    return false;
  return allowlist.some((entry) => {
    const allowed = new URL(entry);
    if (target.host !== allowed.host) return false;
    if (target.pathname === allowed.pathname) return true;
    const prefix = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
    return target.pathname.startsWith(prefix);
  });
}

/** Index of the button that opens the link in `externalLinkPrompt`; every other answer keeps it closed. */
export const openExternalButton = 0;

/**
 * The confirmation shown before an allowed link leaves the app: names the full URL, defaults
 * to Cancel (Escape and closing the box cancel too).
 */
export function externalLinkPrompt(url: string): MessageBoxOptions {
  return {
    type: 'question',
    title: productName,
    message: 'Open this page in your web browser?',
    detail: `${url}\n\n${productName} works offline; the page opens outside the app.`,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}
