import { AppException, type AppError } from '../../core/ipc/result';
import type { Logger } from './logger';

/**
 * AppException keeps its code and message. Anything else is a bug: it is logged with its
 * stack and cause here, and the caller gets a short INTERNAL message with no paths or SQL.
 */
export function toAppError(context: string, err: unknown, logger: Logger): AppError {
  if (err instanceof AppException) {
    if (err.code === 'DB' || err.code === 'INTERNAL') logger.error(`${context}: ${err.message}`, err.cause ?? err);
    return { code: err.code, message: err.message };
  }
  logger.error(`${context}: unexpected error`, err);
  return { code: 'INTERNAL', message: `Internal error in ${context}; details are in the Concord log.` };
}
