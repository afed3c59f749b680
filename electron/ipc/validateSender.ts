/** Host names (as `URL.hostname` spells them) of this machine's loopback interface. */
export const loopbackHosts: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an IPC message comes from our own top-level page (following VS Code's
 * validatedIpcMain): frames inside the page, other origins and pages navigated elsewhere are
 * refused. Pure so it can be tested without Electron.
 * @param frameUrl URL of the sending frame (`event.senderFrame.url`)
 * @param isTopFrame true when the sender is the window's main frame (`senderFrame.parent === null`)
 * @param appUrl the URL the window was told to load (file:// index.html or the dev server)
 */
export function isTrustedSender(frameUrl: string | undefined, isTopFrame: boolean, appUrl: string): boolean {
  if (!frameUrl || !isTopFrame) return false;
  let sender: URL;
  let app: URL;
  try {
    sender = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return sender.protocol === 'file:' && sender.pathname === app.pathname;
  // A dev server is trusted only on this machine (rendererUrlFor never yields another; this
  // holds even if a caller passed one).
  if (!(app.protocol === 'http:' || app.protocol === 'https:') || !loopbackHosts.has(app.hostname)) return false;
  return sender.origin === app.origin;
}
