import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOutcomesCsvLength } from '../../electron/ipc/parse/requests';
import type {
  CoordinatorCase,
  LetbSession,
  OutcomeAnalysis,
  OutcomesImported,
  ReadView,
  StoredPlacement,
} from '../../core/ipc/contract';
import { demoCohortDesigns } from '../../core/demo/demoCohortDesigns';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { letbChange, reportResponderThresholds } from '../../core/letb/letbChange';
import { outcomeEndpointKeys } from '../../core/outcomes/outcomeEndpoints';
import { verifyAudit } from '../../electron/db/audit';
import { makeTempDir } from '../helpers/tempDir';
import { caliper, ok, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { demoPhi, phiFound } from '../helpers/demoPhi';

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
const call = (method: string, req: unknown, connection: string) =>
  f.services.dispatch(method as never, req, connection);
const header =
  'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date';

/** The demo case of a patient. */
const caseOf = (patientId: string): CoordinatorCase => f.cases.find((c) => c.patientId === patientId)!;

/**
 * Reads per patient, [reader 1, reader 2]: follow-up longest diameter (baseline 40 mm) and
 * viable diameter (baseline 30 mm; 0 = absent). Reader 1: RECIST PR (−30 %), PR (−50 %),
 * PD (+25 %, +10 mm), SD (−10 %); mRECIST CR, SD, PD (+20 %), CR. Reader 2: SD everywhere.
 */
const reads: Record<string, [[number, number], [number, number]]> = {
  'DEMO-0001': [
    [28, 0],
    [36, 30],
  ],
  'DEMO-0002': [
    [20, 30],
    [36, 30],
  ],
  'DEMO-0003': [
    [50, 36],
    [36, 30],
  ],
  'DEMO-0004': [
    [36, 0],
    [36, 30],
  ],
};

/** Event days after each patient's baseline exam: 487 days are exactly 16 months of 30.4375 days. */
const outcomeDays: Record<
  string,
  { last: number; death: 0 | 1; hepatic?: number; progression?: number; untreatable?: number }
> = {
  'DEMO-0001': { last: 487, death: 1 },
  'DEMO-0002': { last: 1948, death: 0, hepatic: 974 },
  'DEMO-0003': { last: 974, death: 1, hepatic: 487, progression: 487, untreatable: 974 },
  'DEMO-0004': { last: 1461, death: 1, hepatic: 974, untreatable: 1461 },
};
/** A date `days` after a DICOM YYYYMMDD date, as ISO (`dicom` false) or DICOM. */
function after(studyDate: string, days: number, dicom = false): string {
  const t =
    Date.UTC(Number(studyDate.slice(0, 4)), Number(studyDate.slice(4, 6)) - 1, Number(studyDate.slice(6, 8))) +
    days * 86_400_000;
  const iso = new Date(t).toISOString().slice(0, 10);
  return dicom ? iso.replaceAll('-', '') : iso;
}
function outcomesCsv(patients = Object.keys(outcomeDays)): string {
  const rows = patients.map((p, n) => {
    const d = outcomeDays[p]!;
    const base = caseOf(p).timepoints[0]!.studyDate;
    const date = (days?: number) => (days === undefined ? '' : after(base, days, n % 2 === 1));
    return [
      caseOf(p).caseCode,
      date(d.last),
      d.death ? 'yes' : '0',
      date(d.hepatic),
      date(d.progression),
      date(d.untreatable),
    ].join(',');
  });
  return [header, ...rows].join('\r\n') + '\r\n';
}

/** Mean LETB of the placements stored per patient and timepoint (the test's own record of what it placed). */
const placedLetb = new Map<string, (number | undefined)[]>();

async function submitReads() {
  for (const [r, reader] of f.readers.entries()) {
    for (const c of f.cases) {
      const [longest, viable] = reads[c.patientId]![r]!;
      const { readId } = ok<ReadView>(await call('openRead', { caseId: c.caseId }, reader.connection));
      const answers: [number, string, unknown][] = [
        [0, 'target1.longest', caliper(40)],
        [1, 'target1.longest', caliper(longest, 0, 't1-s1')],
        [0, 'target1.viable', caliper(30)],
        [1, 'target1.viable', viable === 0 ? { status: 'absent' } : caliper(viable, 0, 't1-s1')],
        [0, 'nontarget', 'absent'],
        [1, 'nontarget', 'absent'],
        [1, 'new_lesion', false],
        [0, 'enhancement', 'hyperenhancing'],
        [0, 'burden', '<25%'],
      ];
      for (const [timepoint, item, value] of answers)
        ok(await call('saveReadEntry', { readId, timepoint, item, value }, reader.connection));
      ok(await call('submitRead', { readId }, reader.connection));
    }
  }
}

/**
 * The coordinator places the three ROIs of each patient's ground truth on both timepoints, except
 * DEMO-0004's follow-up (so that case has no LETB change and is left out of the LETB groupings).
 */
async function placeLetb() {
  for (const design of demoCohortDesigns) {
    const truth = JSON.parse(readFileSync(join(temp.path, 'demo', design.groundTruthPath), 'utf8')) as DemoGroundTruth;
    const means: (number | undefined)[] = [];
    for (const [n, tp] of truth.timepoints.entries()) {
      if (truth.patientId === 'DEMO-0004' && n === 1) continue;
      const arterial = tp.series.find((s) => s.phase === 'arterial')!;
      const session = ok<LetbSession>(
        await call(
          'openLetbSession',
          {
            arterialSeriesUid: arterial.seriesInstanceUid,
            mask: { seriesInstanceUid: tp.segmentation.seriesInstanceUid },
          },
          f.coordinator,
        ),
      );
      const letb: number[] = [];
      for (const [k, c] of tp.roiCentresLpsMm.entries()) {
        letb.push(
          ok<StoredPlacement>(
            await call(
              'saveLetbPlacement',
              { sessionId: session.sessionId, centerLps: c, volumeMl: 1, shape: 'sphere', placementNo: k + 1 },
              f.coordinator,
            ),
          ).letbPercent,
        );
      }
      means[n] = letb.reduce((a, b) => a + b, 0) / letb.length;
    }
    placedLetb.set(truth.patientId, means);
  }
}

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 2);
  await submitReads();
  await placeLetb();
}, 180_000);
afterAll(async () => {
  await f.services.close();
  temp.cleanup();
});

describe('outcomes before unblinding', () => {
  it('cannot be imported or analysed while the study is blinded', async () => {
    expect(await call('importOutcomes', { studyId: f.study.id, csv: outcomesCsv() }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/still blinded/) },
    });
    expect(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/still blinded/) },
    });
    expect(await f.services.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_outcomes')).toEqual({ n: 0 });
  });

  it('are refused to a reader whatever the state', async () => {
    expect(
      await call('importOutcomes', { studyId: f.study.id, csv: outcomesCsv() }, f.readers[0]!.connection),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.readers[0]!.connection)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('outcomes after unblinding', () => {
  it('has no analysis before an import', async () => {
    ok(await call('unblindStudy', { studyId: f.study.id }, f.coordinator));
    expect(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/No outcomes have been imported/) },
    });
  });

  it('refuses a malformed payload before touching the database', async () => {
    expect(await call('importOutcomes', { studyId: f.study.id }, f.coordinator)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await call('importOutcomes', { studyId: f.study.id, csv: 'x'.repeat(maxOutcomesCsvLength + 1) }, f.coordinator),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/csv/) } });
    expect(
      await call('importOutcomes', { studyId: f.study.id, csv: outcomesCsv(), extra: 1 }, f.coordinator),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a file with bad rows as a whole, listing every one', async () => {
    const [c1, c2, c3] = ['DEMO-0001', 'DEMO-0002', 'DEMO-0003'].map(caseOf) as [
      CoordinatorCase,
      CoordinatorCase,
      CoordinatorCase,
    ];
    const base = (c: CoordinatorCase) => c.timepoints[0]!.studyDate;
    const csv = [
      header,
      `C-999,${after(base(c1), 10)},0,,,`,
      `${c1.caseCode},${after(base(c1), -1)},1,,,`,
      `${c2.caseCode},,0,,,`,
      `${c3.caseCode},${after(base(c3), 100)},0,${after(base(c3), 200)},,`,
    ].join('\n');
    const res = await call('importOutcomes', { studyId: f.study.id, csv }, f.coordinator);
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const message = (res as { error: { message: string } }).error.message;
    expect(message).toMatch(/^The outcomes file has 4 problems: /);
    expect(message).toContain('line 2 (C-999): no case "C-999" in this study');
    expect(message).toMatch(
      new RegExp(`line 3 \\(${c1.caseCode}\\): last_followup_date .* is before the baseline exam`),
    );
    expect(message).toContain(`line 4 (${c2.caseCode}): last_followup_date is empty`);
    expect(message).toContain(
      `line 5 (${c3.caseCode}): hepatic_progression_date ${after(base(c3), 200)} is after last_followup_date ${after(base(c3), 100)}`,
    );
    expect(await f.services.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_outcomes')).toEqual({ n: 0 });
  });

  it('refuses text damaged by a lossy decoding (U+FFFD), naming line and column, and lists at most 20 of many bad rows', async () => {
    const c1 = caseOf('DEMO-0001');
    const damaged = [
      `${header},note`,
      `${c1.caseCode},${after(c1.timepoints[0]!.studyDate, 10)},0,,,,Dr M\ufffdller`,
    ].join('\n');
    expect(await call('importOutcomes', { studyId: f.study.id, csv: damaged }, f.coordinator)).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(
          /^The outcomes file cannot be read: line 2, column 7 \("note"\): U\+FFFD, the replacement character/,
        ),
      },
    });
    const many = [header, ...Array.from({ length: 300 }, (_, i) => `X-${i}${'x'.repeat(1000)},2020-01-01,0,,,`)].join(
      '\n',
    );
    const res = await call('importOutcomes', { studyId: f.study.id, csv: many }, f.coordinator);
    const message = (res as { error: { message: string } }).error.message;
    expect(message).toMatch(
      /^The outcomes file has 300 problems \(the first 20 listed\): line 2 \(X-0x{27}…\): no case "X-0x{27}…" \(1003 characters\) in this study; /,
    );
    const problems = message.split(/; (?=line \d+)/);
    expect(problems).toHaveLength(20);
    for (const p of problems) expect(p.length).toBeLessThanOrEqual(500);
    expect(await f.services.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_outcomes')).toEqual({ n: 0 });
  });

  it('imports the event dates, audited without the dates', async () => {
    const csv = outcomesCsv();
    const imported = ok<OutcomesImported>(await call('importOutcomes', { studyId: f.study.id, csv }, f.coordinator));
    expect(imported).toMatchObject({
      cases: 4,
      casesWithoutRow: [],
      endpoints: {
        overallSurvival: { events: 3, censored: 1 },
        hepaticPfs: { events: 4, censored: 0 },
        pfs: { events: 4, censored: 0 },
        timeToUntreatableProgression: { events: 2, censored: 2 },
      },
    });
    expect(imported.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = await f.services.context.db.get<{
      last_followup_date: string;
      death: number;
      hepatic_progression_date: string | null;
    }>('SELECT o.* FROM case_outcomes o WHERE o.case_ref = ?', [caseOf('DEMO-0002').caseId]);
    // DEMO-0002's row was written as DICOM dates (every second row); it is stored as ISO.
    expect(stored).toMatchObject({
      last_followup_date: after(caseOf('DEMO-0002').timepoints[0]!.studyDate, 1948),
      death: 0,
      hepatic_progression_date: after(caseOf('DEMO-0002').timepoints[0]!.studyDate, 974),
    });
    const audit = await f.services.context.db.all<{
      actor: string;
      entity_id: string;
      before_json: string | null;
      after_json: string;
    }>("SELECT * FROM audit_log WHERE action = 'study.outcomes.import'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: String(f.study.id), before_json: null });
    expect(JSON.parse(audit[0]!.after_json)).toEqual({ rows: 4, sha256: imported.sourceSha256 });
  });

  it('analyses overall survival by RECIST response by hand numbers (confirmed in R survival 3.5-3)', async () => {
    const a = ok<OutcomeAnalysis>(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator));
    expect(a).toMatchObject({
      studyId: f.study.id,
      cases: 4,
      casesWithoutOutcome: [],
      timeUnit: 'months',
      daysPerMonth: 30.4375,
    });
    expect(a.endpoints.map((e) => e.endpoint)).toEqual([...outcomeEndpointKeys]);
    expect(a.groupings.map((g) => [g.key, g.reader?.displayName ?? null])).toEqual([
      ...reportResponderThresholds.map((t) => [`letb${t}`, null]),
      ['recist', 'Reader 1'],
      ['recist', 'Reader 2'],
      ['mrecist', 'Reader 1'],
      ['mrecist', 'Reader 2'],
    ]);
    // Reader 1 RECIST: objective responders DEMO-0001 (died at 16 months) and DEMO-0002 (alive at
    // 64); non-responders DEMO-0003 (died at 32) and DEMO-0004 (died at 48). survfit: medians 16
    // (16, NA) and 40 (32, NA); survdiff χ² = 2/13, p = 0.694886602372473.
    const recist1 = a.groupings.find((g) => g.key === 'recist' && g.reader?.displayName === 'Reader 1')!;
    expect(recist1.leftOut).toEqual([]);
    const os = recist1.comparison.endpoints.overallSurvival;
    expect([os.nPositive, os.nNegative]).toEqual([2, 2]);
    expect(os.positive.median).toEqual({ time: 16, lower: 16, upper: null });
    expect(os.negative.median).toEqual({ time: 40, lower: 32, upper: null });
    expect(os.medianDifference).toEqual({ estimable: true, time: -24 });
    if (!os.logRank.estimable) throw new Error(os.logRank.reason);
    expect(os.logRank.chisq).toBeCloseTo(2 / 13, 10);
    expect(os.logRank.p).toBeCloseTo(0.694886602372473, 9);
    expect(os.positive.curve.steps.map((s) => [s.time, s.survival])).toEqual([
      [0, 1],
      [16, 0.5],
    ]);
    expect(os.positive.curve.censored).toEqual([{ time: 64, survival: 0.5, count: 1 }]);
    // Hepatic PFS of the same split: responders 16 (DEMO-0001 died) and 32 (DEMO-0002's hepatic progression).
    expect(recist1.comparison.endpoints.hepaticPfs.positive.median.time).toBe(24);

    // Reader 2 called every case SD: one group only, so nothing to compare (never NaN).
    const recist2 = a.groupings.find((g) => g.key === 'recist' && g.reader?.displayName === 'Reader 2')!;
    expect(recist2.comparison).toMatchObject({ nPositive: 0, nNegative: 4 });
    expect(recist2.comparison.endpoints.overallSurvival.logRank).toEqual({
      estimable: false,
      reason: 'Every grouped case is non-responder: there is no second group to compare.',
    });

    // Reader 1 mRECIST: CR for DEMO-0001 and DEMO-0004, SD and PD for the others.
    const mrecist1 = a.groupings.find((g) => g.key === 'mrecist' && g.reader?.displayName === 'Reader 1')!;
    expect(mrecist1.comparison.endpoints.overallSurvival).toMatchObject({
      nPositive: 2,
      nNegative: 2,
      positive: { events: 2 },
      negative: { events: 1 },
    });
    expect(JSON.stringify(a)).not.toMatch(/NaN/);
    expect(phiFound(a, await demoPhi(f.services.context.db))).toEqual([]);
  });

  it('groups by LETB change at every report threshold, leaving out the case without a follow-up LETB', async () => {
    const a = ok<OutcomeAnalysis>(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator));
    const changes = ['DEMO-0001', 'DEMO-0002', 'DEMO-0003'].map((p) => {
      const [pre, post] = placedLetb.get(p)!;
      const change = letbChange(pre!, post!, reportResponderThresholds);
      if (!change.estimable) throw new Error(change.reason);
      return change;
    });
    for (const [j, t] of reportResponderThresholds.entries()) {
      const g = a.groupings.find((x) => x.key === `letb${t}`)!;
      expect(g).toMatchObject({ kind: 'letb', thresholdPercent: t, reader: null });
      expect(g.leftOut).toEqual([
        {
          caseCode: caseOf('DEMO-0004').caseCode,
          reason: 'no LETB at the first follow-up (no ROI placements on its arterial series)',
        },
      ]);
      const responders = changes.filter((c) => c.responders[j]!.responder).length;
      expect([g.comparison.nPositive, g.comparison.nNegative, g.comparison.nUngrouped], `threshold ${t}`).toEqual([
        responders,
        3 - responders,
        1,
      ]);
      expect(g.comparison.endpoints.pfs.nPositive + g.comparison.endpoints.pfs.nNegative).toBe(3);
    }
    // The demo's LETB falls for DEMO-0001 (about −33 %) and DEMO-0002 (about −61 %) and rises for
    // DEMO-0003 (progressor). At −25.8 %: responders DEMO-0001 (died at 16 months) and DEMO-0002
    // (alive at 64), nonresponder DEMO-0003 (died at 32). By hand: O − E = 1 − (2/3 + 1/2) = −1/6,
    // V = 2/9 + 1/4 = 17/36, χ² = 1/17; R survdiff: 0.0588235294117646, p 0.8083651559145104;
    // survfit medians 16 (16, NA) and 32 (NA, NA).
    expect(changes.map((c) => c.changePercent < -25.8)).toEqual([true, true, false]);
    const os = a.groupings.find((g) => g.key === 'letb-25.8')!.comparison.endpoints.overallSurvival;
    expect(os.positive.median).toEqual({ time: 16, lower: 16, upper: null });
    expect(os.negative.median).toEqual({ time: 32, lower: null, upper: null });
    expect(os.logRank).toMatchObject({ estimable: true, df: 1 });
    if (!os.logRank.estimable) throw new Error(os.logRank.reason);
    expect(os.logRank.chisq).toBeCloseTo(1 / 17, 12);
    expect(os.logRank.p).toBeCloseTo(0.8083651559145104, 9);
  });

  it('replaces the outcomes as a whole on re-import (audited with the previous count and hash)', async () => {
    const first = await f.services.context.db.get<{ sha: string }>(
      'SELECT DISTINCT source_sha256 AS sha FROM case_outcomes',
    );
    const imported = ok<OutcomesImported>(
      await call(
        'importOutcomes',
        { studyId: f.study.id, csv: outcomesCsv(['DEMO-0001', 'DEMO-0003']) },
        f.coordinator,
      ),
    );
    expect(imported.cases).toBe(2);
    expect(imported.casesWithoutRow.sort()).toEqual(
      [caseOf('DEMO-0002').caseCode, caseOf('DEMO-0004').caseCode].sort(),
    );
    expect(await f.services.context.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_outcomes')).toEqual({ n: 2 });
    const audit = await f.services.context.db.all<{ before_json: string; after_json: string }>(
      "SELECT before_json, after_json FROM audit_log WHERE action = 'study.outcomes.import' ORDER BY id",
    );
    expect(audit.map((r) => [JSON.parse(r.before_json ?? 'null'), JSON.parse(r.after_json)])).toEqual([
      [null, { rows: 4, sha256: first!.sha }],
      [
        { rows: 4, sha256: first!.sha },
        { rows: 2, sha256: imported.sourceSha256 },
      ],
    ]);
    expect(await verifyAudit(f.services.context.db)).toMatchObject({ ok: true });

    const a = ok<OutcomeAnalysis>(await call('getOutcomeAnalysis', { studyId: f.study.id }, f.coordinator));
    expect(a.cases).toBe(2);
    expect(a.casesWithoutOutcome.sort()).toEqual(imported.casesWithoutRow.sort());
    const recist1 = a.groupings.find((g) => g.key === 'recist' && g.reader?.displayName === 'Reader 1')!;
    expect(recist1.comparison).toMatchObject({ nPositive: 1, nNegative: 1, nWithoutOutcome: 2 });
  });
});
