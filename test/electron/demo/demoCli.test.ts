import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getString } from '../../../core/dicom/values';
import { AppException } from '../../../core/ipc/result';
import { writeDemoStudy } from '../../../electron/services/demo/writeDemoStudy';
import { makeTempDir } from '../../helpers/tempDir';
import { concord } from '../../helpers/concord';

const temps: { cleanup(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));
const temp = () => {
  const t = makeTempDir('concord-demo-');
  temps.push(t);
  return t.path;
};

/** Files of the demo cohort: per patient 2 × (3 × 72 + 2) + 1 = 437, four patients, and cohort-ground-truth.json. */
const cohortFiles = 4 * 437 + 1;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile());
}

describe('concord demo (end to end)', () => {
  it('writes the small cohort into a new folder and prints the summary as JSON', async () => {
    const out = join(temp(), 'nested', 'demo');
    const { code, stdout, stderr } = await concord('demo', '--out', out, '--size', 'small', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    // Per patient 2 × (3 × 72 CT + SEG + NIfTI) + its ground truth = 437; the cohort file once.
    expect(summary).toEqual({
      out,
      files: cohortFiles,
      series: 32,
      patients: 4,
      groundTruth: join(out, 'ground-truth.json'),
      cohortGroundTruth: join(out, 'cohort-ground-truth.json'),
    });
    const written = listFiles(out);
    expect(written).toHaveLength(cohortFiles);
    expect(new Set(written.map((p) => p.split(sep)[0]))).toEqual(
      new Set(['DEMO-0001', 'DEMO-0002', 'DEMO-0003', 'DEMO-0004', 'ground-truth.json', 'cohort-ground-truth.json']),
    );
    const truth = JSON.parse(readFileSync(summary.groundTruth, 'utf8'));
    expect(truth).toMatchObject({ seed: 1, size: 'small', patientId: 'DEMO-0001' });
    const art = parseDicom(
      new Uint8Array(readFileSync(join(out, 'DEMO-0001', '2024-01-10_pre', 'ART', 'IM0001.dcm'))),
    ).dataset;
    expect(getString(art, T.Modality)).toBe('CT');
    expect(getString(art, T.SeriesInstanceUID)).toBe(truth.timepoints[0].series[1].seriesInstanceUid);
    const cohort = JSON.parse(readFileSync(summary.cohortGroundTruth, 'utf8'));
    expect(cohort.patients.map((p: { patientId: string }) => p.patientId)).toEqual([
      'DEMO-0001',
      'DEMO-0002',
      'DEMO-0003',
      'DEMO-0004',
    ]);
    for (const p of cohort.patients)
      expect(JSON.parse(readFileSync(join(out, p.groundTruth), 'utf8')).patientId).toBe(p.patientId);
  });

  it('refuses a folder that is not empty unless --force, then honours --seed', async () => {
    const out = temp();
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const refused = await concord('demo', '--out', out, '--size', 'small', '--json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/is not empty/);
    expect(listFiles(out)).toEqual(['notes.txt']);

    const forced = await concord('demo', '--out', out, '--size', 'small', '--seed', '7', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^Wrote 1749 files \(32 series, 4 patients\) to .*; cohort ground truth: .*cohort-ground-truth\.json$/m,
    );
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')).seed).toBe(7);
    expect(JSON.parse(readFileSync(join(out, 'cohort-ground-truth.json'), 'utf8')).seed).toBe(7);
  });

  it.each([
    [['demo', '--size', 'small'], /--out DIR is required/],
    [['demo', '--out', 'x', '--size', 'huge'], /--size must be small or standard/],
    [['demo', '--out', 'x', '--seed', '-3'], /--seed|Option/],
    [['demo', '--out', 'x', '--seed', 'abc'], /--seed must be a whole number/],
    [['demo', '--out', 'x', '--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with exit 2 and a one-line message', async (args, message) => {
    const { code, stderr } = await concord(...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('writeDemoStudy', () => {
  it('returns the summary and the ground truth it wrote', async () => {
    const out = temp();
    const summary = await writeDemoStudy(out, { size: 'small', seed: 3 });
    expect(summary).toMatchObject({
      out,
      files: cohortFiles,
      series: 32,
      patients: 4,
      groundTruth: join(out, 'ground-truth.json'),
      cohortGroundTruth: join(out, 'cohort-ground-truth.json'),
    });
    expect(JSON.parse(readFileSync(summary.groundTruth, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary.truth)));
    expect(JSON.parse(readFileSync(summary.cohortGroundTruth, 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(summary.cohort)),
    );
    expect(summary.patientTruths[0]).toBe(summary.truth);
    summary.cohort.patients.forEach((p, n) =>
      expect(JSON.parse(readFileSync(join(out, p.groundTruth), 'utf8'))).toEqual(
        JSON.parse(JSON.stringify(summary.patientTruths[n])),
      ),
    );
  });

  it('fails with IO for a path that is a file and CONFLICT for a non-empty folder', async () => {
    const dir = temp();
    const file = join(dir, 'file');
    writeFileSync(file, '');
    await expect(writeDemoStudy(file, { size: 'small' })).rejects.toMatchObject({ code: 'IO' });
    mkdirSync(join(dir, 'busy'));
    writeFileSync(join(dir, 'busy', 'x'), '');
    const err = await writeDemoStudy(join(dir, 'busy'), { size: 'small' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppException);
    expect((err as AppException).code).toBe('CONFLICT');
  });
});
