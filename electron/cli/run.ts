import { AppException } from '../../core/ipc/result';
import { clampLine } from '../../core/tables/excerpt';
import { UsageError, type CliIo, type Command } from './command';
import { dbCheckCommand } from './commands/dbCheck';
import { versionCommand } from './commands/version';
import { importCommand } from './commands/import';
import { importRunsCommand } from './commands/importRuns';
import { seriesCommand } from './commands/series';
import { letbChangeCommand } from './commands/letbChange';
import { letbCommand } from './commands/letb';
import { auditVerifyCommand } from './commands/auditVerify';
import { demoCommand } from './commands/demo';
import { recistCommand } from './commands/recist';
import { agreementCommand } from './commands/agreement';
import { survivalCommand } from './commands/survival';
import { reportCommand } from './commands/report';

export const commands: readonly Command[] = [
  versionCommand,
  dbCheckCommand,
  auditVerifyCommand,
  importCommand,
  importRunsCommand,
  seriesCommand,
  letbCommand,
  letbChangeCommand,
  demoCommand,
  recistCommand,
  agreementCommand,
  survivalCommand,
  reportCommand,
];

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: concord <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "concord <command> --help" for the options of one command.',
  ].join('\n');
}

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 a failure the command
 * reports (e.g. a newer database), 2 bad arguments. Every failure is one line on stderr, of at
 * most 500 characters (`clampLine`): messages quote excerpts of what they are about, and a
 * longer line (a huge argument echoed by a usage error) is cut.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(
      `${clampLine(`concord: unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')})`)}\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${clampLine(`concord ${name}: ${err.message} (usage: ${command.usage})`)}\n`);
      return 2;
    }
    if (err instanceof AppException) {
      io.err(`${clampLine(`concord ${name}: ${err.message}`)}\n`);
      return err.code === 'INVALID_INPUT' ? 2 : 1;
    }
    io.err(`${clampLine(`concord ${name}: unexpected error: ${err instanceof Error ? err.message : String(err)}`)}\n`);
    return 1;
  }
}
