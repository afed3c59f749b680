import type { Session, WebContents } from 'electron';
import type { Logger } from '../services/logger';
import { isAllowedExternalUrl } from './externalUrls';
import { permissionDecision } from './permissions';

/**
 * Every permission check and request of the session is answered by `permissionDecision` (no),
 * device access (HID, serial, USB) and screen capture too. Without a check handler Chromium
 * answers checks itself and, for some permissions, yes.
 * Types only from Electron, so a test drives it with a recording stand-in for the session.
 */
export function hardenSession(
  ses: Pick<
    Session,
    | 'setPermissionCheckHandler'
    | 'setPermissionRequestHandler'
    | 'setDevicePermissionHandler'
    | 'setDisplayMediaRequestHandler'
  >,
): void {
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin),
  );
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl));
  });
  ses.setDevicePermissionHandler((details) => permissionDecision(details.deviceType, details.origin));
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

export interface GuardOptions {
  /** The app's own page (see window.ts appUrl). */
  appUrl: () => string;
  /** Electron's `app.isPackaged`: DevTools are closed as soon as they open. */
  isPackaged: boolean;
  /** Asks the user, then opens the URL in the system browser (externalLink.ts). Only called for allowlisted URLs. */
  confirmAndOpenExternal: (contents: WebContents, url: string) => Promise<void>;
  logger: Logger;
}

/**
 * Guards applied to every web contents the app creates (the main window, the hidden report
 * printer, anything else): no new windows, no navigation away from the app's page, no webviews,
 * and no DevTools in a packaged build. A link to an allowlisted page (`isAllowedExternalUrl`)
 * opens in the system browser once the user confirms; any other link is refused and logged.
 * Types only from Electron, so a test drives it with a stand-in web contents.
 */
export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  const offerExternal = (url: string) => {
    if (!isAllowedExternalUrl(url)) {
      options.logger.info(`refused to open a link outside the app: ${url.slice(0, 200)}`);
      return;
    }
    options
      .confirmAndOpenExternal(contents, url)
      .catch((err: unknown) => options.logger.error(`could not open ${url}`, err));
  };
  contents.setWindowOpenHandler(({ url }) => {
    offerExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url === options.appUrl()) return;
    event.preventDefault();
    offerExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (options.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
}
