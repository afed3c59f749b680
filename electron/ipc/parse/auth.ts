import type { SessionSettings } from '../../../core/auth/sessionSettings';
import { expectRecord, invalid } from './fields';

function expectWholeNumber(obj: Record<string, unknown>, key: string, what: string, min: number, max: number): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw invalid(`${what}: "${key}" must be a whole number from ${min} to ${max}.`);
  return v;
}

export function parseSessionSettings(method: string) {
  return (raw: unknown): { studyId: number } & SessionSettings => {
    const obj = expectRecord(
      raw,
      ['studyId', 'idleTimeoutMinutes', 'absoluteTimeoutMinutes', 'lockoutMinutes'],
      method,
    );
    return {
      studyId: expectWholeNumber(obj, 'studyId', method, 1, Number.MAX_SAFE_INTEGER),
      // The ranges proper are checked (with a sentence for a person) by sessionSettingsProblem.
      idleTimeoutMinutes: expectWholeNumber(obj, 'idleTimeoutMinutes', method, 0, 100_000),
      absoluteTimeoutMinutes: expectWholeNumber(obj, 'absoluteTimeoutMinutes', method, 0, 100_000),
      lockoutMinutes: expectWholeNumber(obj, 'lockoutMinutes', method, 0, 100_000),
    };
  };
}

export function parseUnlockUser(method: string) {
  return (raw: unknown): { studyId: number; userId: number } => {
    const obj = expectRecord(raw, ['studyId', 'userId'], method);
    return {
      studyId: expectWholeNumber(obj, 'studyId', method, 1, Number.MAX_SAFE_INTEGER),
      userId: expectWholeNumber(obj, 'userId', method, 1, Number.MAX_SAFE_INTEGER),
    };
  };
}
