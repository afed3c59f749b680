import { hashString32 } from '../random/hashString32';

/**
 * A deterministic DICOM UID for a named object of the demo study: "2.25." followed by the
 * decimal value of a 128-bit number hashed from the seed and the name, formatted as an
 * RFC 9562 version-8 (custom) UUID, so the UID is a valid UUID-derived UID (≤ 44 characters).
 * The same (seed, name) always gives the same UID; other seeds give unrelated UIDs, so two demo
 * studies with different seeds never share an instance UID.
 * Reference: DICOM PS3.5 §B.2 (UUID-derived UIDs); RFC 9562 §5.8 (UUIDv8).
 */
export function demoUid(seed: number, name: string): string {
  const text = `concord-demo/${seed}/${name}`;
  const words = [1, 2, 3, 4].map((salt) => BigInt(hashString32(text, salt)));
  let value = (words[0]! << 96n) | (words[1]! << 64n) | (words[2]! << 32n) | words[3]!;
  value = (value & ~(0xfn << 76n)) | (0x8n << 76n); // version 8
  value = (value & ~(0x3n << 62n)) | (0x2n << 62n); // variant 10
  return `2.25.${value.toString()}`;
}
