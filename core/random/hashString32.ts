/**
 * A 32-bit hash of a string, for deriving independent seeds and identifiers from names
 * (not cryptographic): FNV-1a over the UTF-16 code units, then the murmur3 finaliser to spread
 * the bits. The same string gives the same number everywhere.
 * References: Fowler/Noll/Vo FNV-1a; Appleby A, MurmurHash3 fmix32.
 * @param salt distinct salts give unrelated hashes of the same string (default 0)
 * @returns an unsigned 32-bit integer
 */
export function hashString32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(salt >>> 0, 0x9e3779b1)) >>> 0;
  for (let n = 0; n < text.length; n++) {
    h ^= text.charCodeAt(n);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
