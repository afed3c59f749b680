/** Slicing-by-8 tables: table k (k = 0…7) at [256·k, 256·k + 256). Built on first use. */
let tables: Int32Array | undefined;

function makeTables(): Int32Array {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[256 * k + n] = c;
    }
  }
  return t;
}

/**
 * CRC-32 of `bytes` (the gzip / zlib / PNG CRC: reflected polynomial 0xEDB88320, initial value
 * and final XOR 0xFFFFFFFF), continuing from `crc` (the CRC of the bytes before, 0 to start).
 * Check value: crc32("123456789") = 0xCBF43926.
 * Reference: RFC 1952 §8 (ISO 3309 / ITU-T V.42); slicing-by-8 after Kounavis & Berry (2005).
 * @returns the CRC as an unsigned 32-bit integer
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = (tables ??= makeTables());
  let c = ~crc;
  const n = bytes.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
