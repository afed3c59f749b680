import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * Passphrases are stored as scrypt hashes (RFC 7914): N = 2^17, r = 8, p = 1 (128 MiB and
 * about 0.4-1 s per hash on a 2-core workstation, OWASP's first recommendation), a 16-byte
 * random salt and a 32-byte key, written as `scrypt$N$r$p$salt$key` (base64url). Verification
 * recomputes with the stored parameters and compares in constant time; a hash made with other
 * parameters (N = 2^15 before issue 13) is replaced at the next successful sign-in.
 */
export const currentScrypt: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const keyLength = 32;

function derive(passphrase: string, salt: Buffer, o: ScryptParams): Promise<Buffer> {
  // 128·N·r bytes of memory (128 MiB here); Node refuses more than 32 MiB unless told.
  const options: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassphrase(passphrase: string, params: ScryptParams = currentScrypt): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(passphrase, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * The parameters of a stored hash, or undefined when it is malformed or asks for more work
 * than Concord ever writes (a stored N of 2^30 would otherwise stall every sign-in).
 */
function storedParams(stored: string): (ScryptParams & { salt: Buffer; key: Buffer }) | undefined {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key || rest.length > 0) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // At most 2^18 (256 MiB per verification): twice today's cost leaves room for one upgrade.
  const powerOfTwo =
    Number.isInteger(params.N) && params.N >= 2 ** 10 && params.N <= 2 ** 18 && (params.N & (params.N - 1)) === 0;
  if (
    !powerOfTwo ||
    !Number.isInteger(params.r) ||
    params.r < 1 ||
    params.r > 16 ||
    !Number.isInteger(params.p) ||
    params.p < 1 ||
    params.p > 4
  )
    return undefined;
  return { ...params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** True when `passphrase` matches `stored`; false for any malformed stored value. */
export async function verifyPassphrase(passphrase: string, stored: string): Promise<boolean> {
  const s = storedParams(stored);
  if (!s || s.key.length !== keyLength) return false;
  const actual = await derive(passphrase, s.salt, s);
  return timingSafeEqual(s.key, actual);
}

/** True when `stored` was made with other parameters than today's (rehash it after a successful sign-in). */
export function needsRehash(stored: string): boolean {
  const s = storedParams(stored);
  return !s || s.N !== currentScrypt.N || s.r !== currentScrypt.r || s.p !== currentScrypt.p;
}
