import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../electron/platform/paths';

const run = promisify(execFile);

/** Type-checks one snippet as if it were in core/ (same compiler options, no DOM, no Node types). */
async function typecheckAsCore(source: string): Promise<string> {
  // Inside the project (so node_modules/@types/node is reachable and only the config keeps it
  // out) but outside core/, which the import-rule test reads in parallel.
  const dir = mkdtempSync(join(projectRoot, 'test', '.tscheck-'));
  try {
    writeFileSync(join(dir, 'probe.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../../core/tsconfig.json', include: ['./probe.ts'] }),
    );
    try {
      await run(process.execPath, [
        join(projectRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(dir, 'tsconfig.json'),
      ]);
      return '';
    } catch (err) {
      return (err as { stdout: string }).stdout;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('core/tsconfig.json', () => {
  it('rejects DOM globals, Node globals and Node modules in core/', async () => {
    const out = await typecheckAsCore(
      [
        'export const a = document.title;',
        "export const b = Buffer.from('x');",
        'export const c = process.env;',
        "import { readFileSync } from 'node:fs';",
        'export const d = readFileSync;',
      ].join('\n'),
    );
    expect(out).toMatch(/Cannot find name 'document'/);
    expect(out).toMatch(/Cannot find name 'Buffer'/);
    expect(out).toMatch(/Cannot find name 'process'/);
    expect(out).toMatch(/Cannot find module 'node:fs'/);
  });

  it('accepts plain ES2022 code', async () => {
    expect(
      await typecheckAsCore(
        'export const x: number = [1, 2, 3].at(-1) ?? 0;\nexport const m = new Map<string, number>();',
      ),
    ).toBe('');
  });
});
