/**
 * Results cross every process boundary as data, never as exceptions: Electron's IPC keeps only
 * an error's message, and HTTP keeps nothing, so the code a caller branches on must be a field.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /**
   * Refused unless the caller confirms (e.g. a DICOM SEG drawn on another series or patient than
   * the exam it is attached to): the message says what differs; the same request with its
   * confirmation flag proceeds, and the override is audited.
   */
  | 'NEEDS_CONFIRMATION'
  | 'UNSUPPORTED'
  /** Too many failed sign-ins: wait, or the account is locked (the message says until when). */
  | 'THROTTLED'
  /** The call carried a session that has ended (sign-out, timeout, restart): sign in again. */
  | 'SESSION_ENDED'
  | 'IO'
  | 'DICOM'
  | 'DB'
  | 'INTERNAL';

export const errorCodes: readonly ErrorCode[] = [
  'INVALID_INPUT',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'NEEDS_CONFIRMATION',
  'UNSUPPORTED',
  'THROTTLED',
  'SESSION_ENDED',
  'IO',
  'DICOM',
  'DB',
  'INTERNAL',
];

export interface AppError {
  code: ErrorCode;
  /** One sentence for a person: what failed and what to do. Never a stack, SQL or secret. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** An expected failure with a code that the transports turn into `{ ok: false }`. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppException';
  }
}

export function success<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** True when `value` has the shape of a Result (used by transports on untrusted input). */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r;
  return (
    r.ok === false &&
    typeof r.error === 'object' &&
    r.error !== null &&
    errorCodes.includes(r.error.code as ErrorCode) &&
    typeof r.error.message === 'string'
  );
}
