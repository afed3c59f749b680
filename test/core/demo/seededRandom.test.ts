import { describe, expect, it } from 'vitest';
import { hashString32 } from '../../../core/random/hashString32';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { demoUid } from '../../../core/demo/demoUid';

/** Standard normal CDF by Simpson integration of the density from 0 (accurate to ~1e-10 here). */
function phi(z: number): number {
  const steps = 2000;
  const h = z / steps;
  let s = 0;
  for (let n = 0; n <= steps; n++) {
    const w = n === 0 || n === steps ? 1 : n % 2 === 1 ? 4 : 2;
    s += w * Math.exp(-0.5 * (n * h) ** 2);
  }
  return 0.5 + (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('createSeededRandom', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const take = (seed: number) => {
      const r = createSeededRandom(seed);
      return Array.from({ length: 8 }, () => [r.uniform(), r.normal()]).flat();
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('gives uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = createSeededRandom(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // SE of the mean: √(1/12 / n) ≈ 6.5e-4; 4 SE.
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it('gives standard normals: moments, tails and a Kolmogorov-Smirnov distance under the 1% critical value', () => {
    const r = createSeededRandom(2024);
    const n = 100_000;
    const x = Float64Array.from({ length: n }, () => r.normal());
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const kurtosis = x.reduce((a, b) => a + (b - mean) ** 4, 0) / n / variance ** 2;
    // SEs: mean 1/√n = 0.0032, variance √(2/n) = 0.0045, kurtosis √(24/n) = 0.015; 4 SE each.
    expect(Math.abs(mean)).toBeLessThan(0.013);
    expect(Math.abs(variance - 1)).toBeLessThan(0.018);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.06);
    // Tail beyond the ziggurat's base strip (r = 3.4426): P(|Z| > 3.5) = 4.65e-4 → 46.5 expected.
    const tail = x.filter((v) => Math.abs(v) > 3.5).length;
    expect(tail).toBeGreaterThan(20);
    expect(tail).toBeLessThan(80);
    const sorted = [...x].sort((a, b) => a - b);
    let d = 0;
    for (let i = 0; i < n; i += 97) d = Math.max(d, Math.abs(phi(sorted[i]!) - (i + 0.5) / n));
    expect(d).toBeLessThan(1.63 / Math.sqrt(n)); // KS critical value at α = 0.01
  });
});

describe('hashString32 and demoUid', () => {
  it('hashes deterministically, differently per salt and text', () => {
    expect(hashString32('pre/arterial', 1)).toBe(hashString32('pre/arterial', 1));
    expect(hashString32('pre/arterial', 1)).not.toBe(hashString32('pre/arterial', 2));
    expect(hashString32('pre/arterial', 1)).not.toBe(hashString32('pre/precontrast', 1));
    expect(Number.isInteger(hashString32('x')) && hashString32('x') >= 0 && hashString32('x') < 2 ** 32).toBe(true);
  });

  it('makes valid, stable, distinct UUID-derived UIDs (PS3.5 §B.2)', () => {
    const uids = new Set<string>();
    for (const seed of [1, 2]) for (let n = 0; n < 500; n++) uids.add(demoUid(seed, `image/${n}`));
    expect(uids.size).toBe(1000);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
      const value = BigInt(uid.slice(5));
      expect(value < 1n << 128n).toBe(true);
      expect((value >> 76n) & 0xfn).toBe(8n); // UUID version 8
      expect((value >> 62n) & 0x3n).toBe(2n); // RFC variant
    }
    expect(demoUid(1, 'pre/study')).toBe(demoUid(1, 'pre/study'));
  });
});
