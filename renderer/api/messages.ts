import type { AppError } from '../../core/ipc/result';

/** What a person sees for a failed call: the service's message, prefixed by what was tried. */
export function errorMessage(action: string, error: AppError): string {
  const hint: Partial<Record<AppError['code'], string>> = {
    FORBIDDEN: 'Access refused.',
    SESSION_ENDED: 'Signed out.',
    DB: 'Reader database problem.',
    IO: 'File or connection problem.',
    INTERNAL: 'Unexpected error.',
  };
  return [`${action} failed.`, hint[error.code], error.message].filter(Boolean).join(' ');
}
