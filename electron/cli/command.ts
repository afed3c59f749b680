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
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

/**
 * `--threshold -25.8` and `--roi -12.5,30,4` are what people type, but node:util reads a
 * value starting with "-" as an option and refuses it as ambiguous: join such a value to its
 * string option (`--threshold=-25.8`). Only numbers (and number lists) are joined.
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let n = 0; n < argv.length; n++) {
    const arg = argv[n]!;
    const next = argv[n + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      n++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function printJsonOrText(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.out(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

export { AppException };
