/**
 * Throttling of failed sign-ins, for one account or one source (the same rule for both):
 * - after 3 consecutive failures each further attempt waits 1 s · 2^(failures − 3)
 *   (1, 2, 4 … 64 s after the 3rd … 9th failure);
 * - the 10th failure locks for the lockout period; once it has passed, one more attempt is
 *   allowed and a failure locks again at once (so a patient attacker gets one guess per period);
 * - a successful sign-in, or the coordinator lifting the lockout, clears the count.
 * Attempts refused by the gate are not verified and not counted. Times are epoch milliseconds.
 * Reference: NIST SP 800-63B §5.2.2 (rate limiting, at most 100 consecutive failures).
 */
export const delayAfterFailures = 3;
export const lockAfterFailures = 10;

export interface FailureCount {
  failures: number;
  lastFailureMs: number;
  /** Set from the 10th failure on; the lock has ended once this is in the past. */
  lockedUntilMs: number | null;
}

export type SignInGate = { open: true } | { open: false; reason: 'delay' | 'locked'; untilMs: number };

/**
 * Milliseconds to wait after `failures` consecutive failures (0 below 3; meaningless from 10, where the lock
 * applies).
 */
export function retryDelayMs(failures: number): number {
  if (failures < delayAfterFailures) return 0;
  return 1000 * 2 ** (Math.min(failures, lockAfterFailures - 1) - delayAfterFailures);
}

/** Whether an attempt may be verified now. */
export function signInGate(count: FailureCount | undefined, nowMs: number): SignInGate {
  if (!count || count.failures < delayAfterFailures) return { open: true };
  if (count.lockedUntilMs !== null)
    return nowMs < count.lockedUntilMs
      ? { open: false, reason: 'locked', untilMs: count.lockedUntilMs }
      : { open: true };
  const untilMs = count.lastFailureMs + retryDelayMs(count.failures);
  return nowMs < untilMs ? { open: false, reason: 'delay', untilMs } : { open: true };
}

/**
 * The count after one more failure at `nowMs`, and the threshold it reached, if any: `delay`
 * at the 3rd failure, `lockout` at the 10th and at every failure after a lock has run out.
 * @throws RangeError when lockoutMs is not positive
 */
export function recordFailure(
  count: FailureCount | undefined,
  nowMs: number,
  lockoutMs: number,
): { count: FailureCount; reached: 'delay' | 'lockout' | null } {
  if (!(lockoutMs > 0)) throw new RangeError(`lockoutMs must be positive, got ${lockoutMs}`);
  const failures = (count?.failures ?? 0) + 1;
  if (failures >= lockAfterFailures) {
    return { count: { failures, lastFailureMs: nowMs, lockedUntilMs: nowMs + lockoutMs }, reached: 'lockout' };
  }
  return {
    count: { failures, lastFailureMs: nowMs, lockedUntilMs: null },
    reached: failures === delayAfterFailures ? 'delay' : null,
  };
}
