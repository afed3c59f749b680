import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SurvivalComparison } from '../../core/agreement/survivalByGroup';
import { projectRoot } from '../../electron/platform/paths';
import { concord } from '../helpers/concord';
import { makeTempDir } from '../helpers/tempDir';

const lungCsv = join(projectRoot, 'test', 'fixtures', 'agreement', 'lung.csv');
// test/fixtures/agreement/survival.R: survfit + survdiff(Surv(time, dead) ~ sex) on lung.csv, R 4.2.2, survival 3.5-3.
const oracle = JSON.parse(
  readFileSync(join(projectRoot, 'test', 'fixtures', 'agreement', 'survival.json'), 'utf8'),
) as {
  rVersion: string;
  survivalVersion: string;
  lungBySex: SurvivalComparison;
};

async function survivalJson(...args: string[]): Promise<SurvivalComparison> {
  const { code, stdout, stderr } = await concord('survival', ...args, '--json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as SurvivalComparison;
}

describe('concord survival', () => {
  const tmp = makeTempDir('concord-survival-');
  afterAll(() => tmp.cleanup());

  it('reproduces R on lung by sex (ORACLES.md: χ² 10.326742, p 0.0013112, medians 270 (212–310) and 426 (348–550))', async () => {
    expect([oracle.rVersion.slice(0, 15), oracle.survivalVersion]).toEqual(['R version 4.2.2', '3.5.3']);
    const out = await survivalJson('--in', lungCsv, '--time', 'time', '--event', 'dead', '--group', 'sex');
    expect(Object.keys(out)).toEqual(['n', 'events', 'groups', 'chisq', 'df', 'p', 'reason']);
    expect(out).toMatchObject({ n: 228, events: 165, df: 1, reason: null });
    expect(out.groups).toEqual([
      { group: '1', n: 138, events: 112, median: 270, medianCi: [212, 310], expected: expect.any(Number) },
      { group: '2', n: 90, events: 53, median: 426, medianCi: [348, 550], expected: expect.any(Number) },
    ]);
    const r = oracle.lungBySex;
    expect(Math.abs(out.chisq! - r.chisq!)).toBeLessThanOrEqual(1e-9 * r.chisq!);
    expect(Math.abs(out.p! - r.p!) / r.p!).toBeLessThanOrEqual(1e-6);
    out.groups.forEach((g, i) => {
      const e = r.groups[i]!;
      expect([g.group, g.n, g.events, g.median, g.medianCi]).toEqual([e.group, e.n, e.events, e.median, e.medianCi]);
      expect(Math.abs(g.expected! - e.expected!)).toBeLessThanOrEqual(1e-9 * e.expected!);
    });
    expect(out.chisq).toBeCloseTo(10.326742, 6);
    expect(out.p).toBeCloseTo(0.0013112, 7);
  });

  it('reads the event as yes/no as well, and prints a readable summary without --json', async () => {
    const [words, plain] = await Promise.all([
      survivalJson('--in', lungCsv, '--time', 'time', '--event', 'dead_word', '--group', 'sex'),
      concord('survival', '--in', lungCsv, '--time', 'time', '--event', 'dead', '--group', 'sex'),
    ]);
    expect(words.chisq).toBeCloseTo(10.326742, 6);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(
      [
        'sex 1: n 138, 112 events, median 270 (95 % CI 212 to 310)',
        'sex 2: n 90, 53 events, median 426 (95 % CI 348 to 550)',
        'log-rank chi-square 10.327 on 1 df, p 0.00131',
        '',
      ].join('\n'),
    );
  });

  it('reports a single group with null chisq, df, p and the reason', async () => {
    const path = join(tmp.path, 'one-group.csv');
    writeFileSync(path, 'days,event,arm\n10,1,A\n20,0,A\n30,1,A\n');
    const out = await survivalJson('--in', path, '--time', 'days', '--event', 'event', '--group', 'arm');
    expect(out).toMatchObject({
      groups: [{ group: 'A', n: 3, events: 2, median: 30, expected: null }],
      chisq: null,
      df: null,
      p: null,
      reason: expect.stringMatching(/at least 2 groups/),
    });
  });

  it.each([
    [
      "lung's status (1/2) as the event",
      ['--in', lungCsv, '--time', 'time', '--event', 'status', '--group', 'sex'],
      /lung\.csv: line 2: status "2" is not an event indicator \(1\/0, true\/false or yes\/no\)$/,
    ],
    [
      'a missing column',
      ['--in', lungCsv, '--time', 'days', '--event', 'dead', '--group', 'sex'],
      /no time column "days" in the header \(columns: inst, time, status/,
    ],
  ])('rejects %s: exit 2, one line', async (_, args, message) => {
    const { code, stdout, stderr } = await concord('survival', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    ['a negative time', '-3,1,A', /line 3: t "-3" is not a follow-up time/],
    ['a missing time', ',1,A', /line 3: t "" is not a follow-up time/],
    ['an event "dead"', '3,dead,A', /line 3: e "dead" is not an event indicator/],
    ['an empty group', '3,1,', /line 3: the g cell is empty/],
  ])('names the row of %s', async (_, row, message) => {
    const path = join(tmp.path, 'bad.csv');
    writeFileSync(path, `t,e,g\n1,0,A\n${row}\n`);
    const { code, stderr } = await concord(
      'survival',
      '--in',
      path,
      '--time',
      't',
      '--event',
      'e',
      '--group',
      'g',
      '--json',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  const failsWith = async (name: string, content: string | Buffer, group = 'g') => {
    const path = join(tmp.path, name);
    writeFileSync(path, content);
    const { code, stdout, stderr } = await concord(
      'survival',
      '--in',
      path,
      '--time',
      't',
      '--event',
      'e',
      '--group',
      group,
      '--json',
    );
    expect(stdout).toBe('');
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThanOrEqual(500);
    return lines[0]!;
  };

  it('refuses an id column given as --group at the 101st group (5,000 groups ran for minutes)', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `P${i},${1 + (i % 97)},${i % 2}`).join('\n');
    expect(await failsWith('ids.csv', `id,t,e\n${rows}\n`, 'id')).toMatch(
      /ids\.csv: line 102: id "P100" would be group 101; at most 100 groups can be compared: is --group an id column\?$/,
    );
    // 100 groups are fine.
    const hundred = Array.from({ length: 200 }, (_, i) => `G${i % 100},${1 + (i % 7)},1`).join('\n');
    const path = join(tmp.path, 'hundred.csv');
    writeFileSync(path, `g,t,e\n${hundred}\n`);
    const out = await survivalJson('--in', path, '--time', 't', '--event', 'e', '--group', 'g');
    expect(out.groups).toHaveLength(100);
    expect(out.df).toBe(99);
  });

  it('keeps "Grün" and "Grþn" apart: two groups in UTF-8, a Latin-1 file refused naming row and column', async () => {
    const path = join(tmp.path, 'utf8.csv');
    writeFileSync(path, 't,e,g\n1,1,Grün\n2,0,Grþn\n3,1,Grün\n4,1,Grþn\n');
    const out = await survivalJson('--in', path, '--time', 't', '--event', 'e', '--group', 'g');
    expect(out.groups.map((g) => [g.group, g.n])).toEqual([
      ['Grün', 2],
      ['Grþn', 2],
    ]);
    expect(await failsWith('latin1.csv', Buffer.from('t,e,g\n1,1,Gr\xfcn\n2,0,Gr\xfen\n', 'latin1'))).toMatch(
      /latin1\.csv: line 2, column 3 \("g"\): byte 0xFC \(ü in Latin-1\) is not UTF-8; 2 invalid bytes in all, also on line 3\. The file is not UTF-8/,
    );
    expect(await failsWith('nfd.csv', 't,e,g\n1,1,Gr\u00fcn\n2,0,Gru\u0308n\n')).toMatch(
      /line 3: g "Gru\u0308n" and "Gr\u00fcn" look the same but their accents are encoded differently \(NFC or NFD\)/,
    );
  });

  it.each([
    ['a time of 1e308', '1e308,1,A', /line 3: t "1e308" is beyond ±1e15, the largest magnitude a table may hold$/],
    ['a time of 1e999', '1e999,1,A', /line 3: t "1e999" is not a finite number$/],
    ['a NUL byte', '3,1,A\0', /line 3, column 3 \("g"\): a NUL character/],
  ])('refuses %s, naming the row', async (_, row, message) => {
    expect(await failsWith('bad.csv', `t,e,g\n1,0,A\n${row}\n`)).toMatch(message);
  });

  it('quotes at most an excerpt of a 5 MB bad line, and refuses a 50 MB file from its size', async () => {
    expect(await failsWith('line.csv', `t,e,g\n1,1,A\n${'x'.repeat(5 * 1024 * 1024)},1,B\n`)).toMatch(
      /line 3, column 1: a cell longer than 4096 characters: "x{40}…"$/,
    );
    expect(await failsWith('huge.csv', Buffer.alloc(50 * 1024 * 1024, 0x78))).toMatch(
      /huge\.csv: the survival file has 52,428,800 bytes; a survival file may have at most 8 MiB\.$/,
    );
  });

  it.each([
    [['--time', 't', '--event', 'e', '--group', 'g'], /missing --in/],
    [['--in', 'x.csv', '--time', 't', '--event', 'e'], /missing --group/],
  ])('rejects the arguments %j with a one-line usage error', async (args, message) => {
    const { code, stderr } = await concord('survival', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
