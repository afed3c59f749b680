/**
 * The passphrase rule for study users, shared by the main process (which enforces it) and the
 * forms (which say it as one types). Lengths count Unicode code points after NFC normalisation,
 * so an accented letter typed either way counts once.
 * Reference: NIST SP 800-63B §5.1.1.2 (length over composition rules; at most a generous cap).
 */
export const minPassphraseChars = 12;
export const maxPassphraseChars = 200;

/** Code points of `passphrase` after NFC normalisation. */
export function passphraseChars(passphrase: string): number {
  return [...passphrase.normalize('NFC')].length;
}

/**
 * Why `passphrase` cannot be set, or undefined when it can. Only new passphrases are checked:
 * a user whose passphrase predates a longer minimum still signs in with it.
 */
export function passphraseProblem(passphrase: string): string | undefined {
  const n = passphraseChars(passphrase);
  if (n < minPassphraseChars) return `The passphrase needs at least ${minPassphraseChars} characters (it has ${n}).`;
  if (n > maxPassphraseChars) return `The passphrase may have at most ${maxPassphraseChars} characters.`;
  return undefined;
}
