import { describe, expect, it } from 'vitest';
import { defaultSessionSettings, sessionSettingsProblem } from '../../../core/auth/sessionSettings';

describe('session settings', () => {
  it('defaults to 30 min idle, 12 h absolute and a 15 min lockout', () => {
    expect(defaultSessionSettings).toEqual({ idleTimeoutMinutes: 30, absoluteTimeoutMinutes: 720, lockoutMinutes: 15 });
    expect(sessionSettingsProblem(defaultSessionSettings)).toBeUndefined();
  });

  it.each([
    [
      { idleTimeoutMinutes: 0, absoluteTimeoutMinutes: 720, lockoutMinutes: 15 },
      'The idle timeout must be a whole number of minutes from 1 to 480.',
    ],
    [
      { idleTimeoutMinutes: 481, absoluteTimeoutMinutes: 720, lockoutMinutes: 15 },
      'The idle timeout must be a whole number of minutes from 1 to 480.',
    ],
    [
      { idleTimeoutMinutes: 30, absoluteTimeoutMinutes: 1441, lockoutMinutes: 15 },
      'The absolute timeout must be a whole number of minutes from 5 to 1440.',
    ],
    [
      { idleTimeoutMinutes: 30, absoluteTimeoutMinutes: 720, lockoutMinutes: 1.5 },
      'The lockout must be a whole number of minutes from 1 to 1440.',
    ],
    [
      { idleTimeoutMinutes: 60, absoluteTimeoutMinutes: 30, lockoutMinutes: 15 },
      'The idle timeout cannot be longer than the absolute timeout.',
    ],
    [
      { idleTimeoutMinutes: Number.NaN, absoluteTimeoutMinutes: 30, lockoutMinutes: 15 },
      'The idle timeout must be a whole number of minutes from 1 to 480.',
    ],
  ])('refuses %j', (s, problem) => {
    expect(sessionSettingsProblem(s)).toBe(problem);
  });
});
