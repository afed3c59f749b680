import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passphrases are stored as scrypt hashes (RFC 7914): N = 2^15, r = 8, p = 1, a 16-byte random
 * salt and a 32-byte key, written as `scrypt$N$r$p$salt$key` (base64url). Verification
 * recomputes with the stored parameters and compares in constant time.
 */
const params = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyLength = 32;

function derive(passphrase: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  // 128·N·r bytes of memory (32 MiB here); Node refuses more than 32 MiB unless told.
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(passphrase, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `passphrase` matches `stored`; false for any malformed stored value. */
export async function verifyPassphrase(passphrase: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(passphrase, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** At least 8 characters (NIST SP 800-63B's floor); the coordinator chooses longer ones. */
export function passphraseProblem(passphrase: string): string | undefined {
  return passphrase.length < 8 ? 'The passphrase needs at least 8 characters.' : passphrase.length > 200 ? 'The passphrase may have at most 200 characters.' : undefined;
}
