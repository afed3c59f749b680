import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppException } from '../../core/ipc/result';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Throws UsageError for bad arguments, AppException for failures. */
  run(argv: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

/** node:util parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export function printJsonOrText(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.out(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

export { AppException };
