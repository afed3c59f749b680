import { BrowserWindow, dialog, shell, type WebContents } from 'electron';
import { externalLinkPrompt, openExternalButton } from './externalUrls';

/**
 * Shows the confirmation (externalLinkPrompt, attached to the link's window) and opens the URL in
 * the system browser only on an explicit "Open in browser". The caller has already checked the
 * URL against the allowlist; this is the app's only call of `shell.openExternal`.
 */
export async function confirmAndOpenExternal(contents: WebContents, url: string): Promise<void> {
  const owner = BrowserWindow.fromWebContents(contents);
  const prompt = externalLinkPrompt(url);
  const { response } = owner ? await dialog.showMessageBox(owner, prompt) : await dialog.showMessageBox(prompt);
  if (response === openExternalButton) await shell.openExternal(url);
}
