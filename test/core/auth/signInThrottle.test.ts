import { describe, expect, it } from 'vitest';
import { recordFailure, retryDelayMs, signInGate, type FailureCount } from '../../../core/auth/signInThrottle';

const t0 = Date.parse('2026-03-02T09:00:00Z');
const lockoutMs = 15 * 60_000;

/** The count after `n` failures, each at the earliest moment the gate allowed it. */
function failures(n: number): FailureCount | undefined {
  let count: FailureCount | undefined;
  let now = t0;
  for (let i = 0; i < n; i++) {
    const gate = signInGate(count, now);
    if (!gate.open) now = gate.untilMs;
    count = recordFailure(count, now, lockoutMs).count;
  }
  return count;
}

describe('retryDelayMs', () => {
  it.each([
    // 1000 · 2^(n − 3) ms from the 3rd failure (hand derivation); none before.
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [8, 32_000],
    [9, 64_000],
  ])('after %i failures: %i ms', (n, ms) => {
    expect(retryDelayMs(n)).toBe(ms);
  });
});

describe('signInGate and recordFailure', () => {
  it('lets the first three attempts through at once', () => {
    let count: FailureCount | undefined;
    for (let i = 0; i < 3; i++) {
      expect(signInGate(count, t0)).toEqual({ open: true });
      count = recordFailure(count, t0, lockoutMs).count;
    }
    expect(signInGate(count, t0)).toEqual({ open: false, reason: 'delay', untilMs: t0 + 1000 });
    expect(signInGate(count, t0 + 999)).toMatchObject({ open: false });
    expect(signInGate(count, t0 + 1000)).toEqual({ open: true });
  });

  it('says which threshold a failure reached: the wait at 3, the lock at 10 and at every failure after a lock', () => {
    const reached: (string | null)[] = [];
    let count: FailureCount | undefined;
    let now = t0;
    for (let i = 1; i <= 12; i++) {
      const gate = signInGate(count, now);
      if (!gate.open) now = gate.untilMs;
      const r = recordFailure(count, now, lockoutMs);
      reached.push(r.reached);
      count = r.count;
    }
    expect(reached).toEqual([null, null, 'delay', null, null, null, null, null, null, 'lockout', 'lockout', 'lockout']);
    expect(count!.failures).toBe(12);
  });

  it('locks for the lockout period after the 10th failure, then allows one attempt', () => {
    const count = failures(10)!;
    expect(count.lockedUntilMs).toBe(count.lastFailureMs + lockoutMs);
    expect(signInGate(count, count.lastFailureMs + lockoutMs - 1)).toEqual({
      open: false,
      reason: 'locked',
      untilMs: count.lockedUntilMs,
    });
    expect(signInGate(count, count.lockedUntilMs!)).toEqual({ open: true });
    // Waits before the lock add up to 1 + 2 + … + 64 = 127 s after the 3rd failure.
    expect(count.lastFailureMs - t0).toBe(127_000);
  });

  it('rejects a non-positive lockout', () => {
    expect(() => recordFailure(undefined, t0, 0)).toThrow(RangeError);
  });
});
