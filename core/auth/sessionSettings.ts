/**
 * A study's sign-in and session settings, in whole minutes:
 * - idle timeout: a session ends after this long without a call (and without a running job of its own);
 * - absolute timeout: a session ends this long after its sign-in, however active;
 * - lockout: how long an account stays locked after 10 failed sign-ins (the coordinator can lift it earlier).
 */
export interface SessionSettings {
  idleTimeoutMinutes: number;
  absoluteTimeoutMinutes: number;
  lockoutMinutes: number;
}

/** Defaults: 30 min idle (the issue's), 12 h absolute (a working day), 15 min lockout. */
export const defaultSessionSettings: SessionSettings = Object.freeze({
  idleTimeoutMinutes: 30,
  absoluteTimeoutMinutes: 720,
  lockoutMinutes: 15,
});

/** Inclusive limits of each setting, in minutes. */
export const sessionSettingLimits: Readonly<Record<keyof SessionSettings, readonly [number, number]>> = Object.freeze({
  idleTimeoutMinutes: [1, 480],
  absoluteTimeoutMinutes: [5, 1440],
  lockoutMinutes: [1, 1440],
});

const labels: Record<keyof SessionSettings, string> = {
  idleTimeoutMinutes: 'The idle timeout',
  absoluteTimeoutMinutes: 'The absolute timeout',
  lockoutMinutes: 'The lockout',
};

/** Why `s` cannot be used, or undefined: each setting a whole number within its limits, idle ≤ absolute. */
export function sessionSettingsProblem(s: SessionSettings): string | undefined {
  for (const key of Object.keys(sessionSettingLimits) as (keyof SessionSettings)[]) {
    const [min, max] = sessionSettingLimits[key];
    const v = s[key];
    if (!Number.isInteger(v) || v < min || v > max)
      return `${labels[key]} must be a whole number of minutes from ${min} to ${max}.`;
  }
  if (s.idleTimeoutMinutes > s.absoluteTimeoutMinutes)
    return 'The idle timeout cannot be longer than the absolute timeout.';
  return undefined;
}
