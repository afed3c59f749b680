import { AppException } from '../../../core/ipc/result';

/**
 * Small validators for untrusted payloads. Each throws AppException('INVALID_INPUT') with a
 * message naming the field, before any file or database access.
 */
export function invalid(message: string): AppException {
  return new AppException('INVALID_INPUT', message);
}

/** A plain object with only the allowed keys. `undefined` counts as `{}` when `optional`. */
export function expectRecord(
  raw: unknown,
  allowedKeys: readonly string[],
  what: string,
  optional = false,
): Record<string, unknown> {
  if (raw === undefined && optional) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(`${what}: expected an object, got ${describe(raw)}.`);
  }
  const proto = Object.getPrototypeOf(raw);
  if (proto !== Object.prototype && proto !== null) throw invalid(`${what}: expected a plain object.`);
  for (const key of Object.keys(raw)) {
    if (!allowedKeys.includes(key)) throw invalid(`${what}: unexpected field "${key.slice(0, 40)}".`);
  }
  return raw as Record<string, unknown>;
}

export function expectString(
  obj: Record<string, unknown>,
  key: string,
  what: string,
  rules: { maxLength: number; pattern?: RegExp },
): string {
  const value = obj[key];
  if (typeof value !== 'string') throw invalid(`${what}: "${key}" must be a string, got ${describe(value)}.`);
  if (value.length === 0 || value.length > rules.maxLength) {
    throw invalid(`${what}: "${key}" must be 1 to ${rules.maxLength} characters long.`);
  }
  if (rules.pattern && !rules.pattern.test(value)) throw invalid(`${what}: "${key}" has an invalid format.`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
