import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Reads a fixture written by an R script in test/fixtures/oracles/. */
export function readOracle<T>(fileName: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'oracles', fileName), 'utf8')) as T;
}

/** |actual − expected| ≤ tolerance · |expected| (exact equality passes, also for 0 and ±∞). */
export function expectRelativelyClose(actual: number, expected: number, tolerance: number, label = ''): void {
  if (actual === expected) return;
  const relative = Math.abs(actual - expected) / Math.abs(expected);
  expect(
    relative,
    `${label}: ${actual} vs ${expected} (relative difference ${relative.toExponential(2)})`,
  ).toBeLessThanOrEqual(tolerance);
}

/** |actual − expected| ≤ tolerance. */
export function expectAbsolutelyClose(actual: number, expected: number, tolerance: number, label = ''): void {
  const difference = Math.abs(actual - expected);
  expect(
    difference,
    `${label}: ${actual} vs ${expected} (difference ${difference.toExponential(2)})`,
  ).toBeLessThanOrEqual(tolerance);
}
