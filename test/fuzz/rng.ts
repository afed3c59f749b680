import { hashString32 } from '../../core/random/hashString32';
import { createSeededRandom } from '../../core/random/seededRandom';

/**
 * The random choices of one fuzz case. Every case draws from its own stream, derived from the
 * campaign seed and the case index only, so case i is re-made from (seed, i) alone, whatever
 * the count and whichever cases ran before it.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [lo, hi] (both included). */
  range(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An item drawn with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  bytes(n: number): Uint8Array;
}

/** The stream of case `index` of the campaign with `seed`. */
export function caseRng(seed: number, index: number | string): Rng {
  return createRng(hashString32(`concord-fuzz:${seed}:${index}`));
}

export function createRng(seed: number): Rng {
  const random = createSeededRandom(seed);
  const rng: Rng = {
    next: () => random.uniform(),
    int: (n) => {
      if (!(n >= 1)) throw new RangeError(`int(n) needs n >= 1, got ${n}`);
      return Math.floor(random.uniform() * n);
    },
    range: (lo, hi) => lo + rng.int(hi - lo + 1),
    chance: (p) => random.uniform() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[rng.int(items.length)]!;
    },
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let x = random.uniform() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = rng.int(256);
      return out;
    },
  };
  return rng;
}
