import { describe, expect, it } from 'vitest';
import {
  maxPassphraseChars,
  minPassphraseChars,
  passphraseChars,
  passphraseProblem,
} from '../../../core/auth/passphraseRule';

describe('passphraseProblem', () => {
  it('asks for at least 12 characters and at most 200', () => {
    expect(minPassphraseChars).toBe(12);
    expect(passphraseProblem('a'.repeat(11))).toBe('The passphrase needs at least 12 characters (it has 11).');
    expect(passphraseProblem('a'.repeat(12))).toBeUndefined();
    expect(passphraseProblem('a'.repeat(maxPassphraseChars))).toBeUndefined();
    expect(passphraseProblem('a'.repeat(maxPassphraseChars + 1))).toBe(
      'The passphrase may have at most 200 characters.',
    );
  });

  it('counts code points after NFC, not UTF-16 units', () => {
    // "é" typed as e + combining acute (2 code points) is one character after NFC.
    expect(passphraseChars('e\u0301'.repeat(12))).toBe(12);
    expect(passphraseChars('\u{1F512}'.repeat(12))).toBe(12); // 24 UTF-16 units
    expect(passphraseProblem('\u{1F512}'.repeat(11) + 'x')).toBeUndefined();
    expect(passphraseProblem('\u{1F512}'.repeat(11))).toMatch(/it has 11/);
  });
});
