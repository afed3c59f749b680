import { hashString32 } from '../random/hashString32';
import { createSeededRandom } from '../random/seededRandom';

/**
 * A reader's reading order: a Fisher-Yates shuffle driven by a PRNG seeded from the study's
 * seed and the reader's key (SPEC §3: reading order randomised per reader, the seed recorded).
 * Same seed and key → same order; each reader gets an independent order.
 * @throws RangeError when the seed is not a safe integer or the key is empty
 */
export function worklistOrder<T>(items: readonly T[], seed: number, readerKey: string): T[] {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (readerKey === '') throw new RangeError('readerKey must not be empty');
  const rng = createSeededRandom(hashString32(readerKey, seed >>> 0) ^ Math.floor(seed / 2 ** 32));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
