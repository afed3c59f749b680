import { describe, expect, it } from 'vitest';
import { readsAgreement } from '../../../core/agreement/readsAgreement';
import type { ItemAgreement } from '../../../core/agreement/itemAgreement';
import { letbReproducibility } from '../../../core/report/letbReproducibility';
import { reportResponderThresholds } from '../../../core/letb/letbChange';
import {
  outcomeGroupingName,
  outcomesMethodsParagraph,
  outcomesStatScope,
  plottedGroupings,
} from '../../../core/report/renderOutcomesHtml';
import {
  agreementKey,
  renderReportHtml,
  reportItemLabel,
  reportItemUnit,
  reportStatScope,
} from '../../../core/report/renderReportHtml';
import { buildStudyReport, reportItems, type StudyReport } from '../../../core/report/studyReport';
import { icc } from '../../../core/stats/icc';
import type { LongRow } from '../../../core/studies/exportReads';
import { dataStats, valueAt } from './dataStats';
import {
  letbFixtureCases,
  letbFixtureProtocol,
  letbFixtureReport,
  letbFixtureStudy,
  letbPlacements,
} from './letbReportFixture';
import { fixtureOutcomeAnalysis } from './outcomesFixture';
import { fixtureLetbChanges, fixtureProtocol, fixtureReport } from './reportFixture';
import { xmlProblems } from './xmlCheck';

/**
 * The agreement report of a study whose readers measured LETB (SPEC §2, §4): LETB and its change
 * as continuous items between readers, the reproducibility of each reader's three ROI placements
 * (ICC over placements, from the very text of reads.csv), the ΔLETB waterfall per reader, and the
 * survival groupings by each reader's LETB.
 */

/** reads.csv parsed by hand (the fixture has no quoted field): one object per line. */
function parseReadsCsv(
  text: string,
): { case_code: string; reader: string; timepoint: string; item: string; value: string }[] {
  const [header, ...lines] = text.split('\r\n').filter((l) => l !== '');
  expect(header).toBe('case_code,reader,timepoint,item,value');
  return lines.map((line) => {
    const [case_code, reader, timepoint, item, value] = line.split(',') as [string, string, string, string, string];
    return { case_code, reader, timepoint, item, value };
  });
}

/**
 * The placement table of reads.csv built independently of the app: per (reader, case, timepoint)
 * in the order of the file, the three `letb.roi<k>` cells as numbers; only timepoints with all
 * three numeric. `reader` null pools every reader.
 */
function placementMatrix(csv: string, reader: string | null): number[][] {
  const byTarget = new Map<string, (number | undefined)[]>();
  for (const row of parseReadsCsv(csv)) {
    const m = /^letb\.roi([123])$/.exec(row.item);
    if (!m || (reader !== null && row.reader !== reader)) continue;
    const key = `${row.reader}|${row.case_code}|${row.timepoint}`;
    const values = byTarget.get(key) ?? [];
    byTarget.set(key, values);
    values[Number(m[1]) - 1] = row.value === 'NE' ? undefined : Number(row.value);
  }
  return [...byTarget.values()].filter((v) => v.length === 3 && v.every((x) => typeof x === 'number')) as number[][];
}

/**
 * Every data-stat of the document equals the value at its path: `@report` in the report, item scopes in
 * `concord agreement`'s objects for reads.csv.
 */
function expectNumbersMatch(html: string, report: StudyReport): number {
  const cli = JSON.parse(JSON.stringify(readsAgreement(report.readsCsv, report.items))) as ItemAgreement[];
  const json = JSON.parse(JSON.stringify(report)) as StudyReport;
  const found = dataStats(html);
  for (const s of found) {
    const source = s.scope === reportStatScope ? json : cli.find((a) => agreementKey(a) === s.scope);
    expect(source, `scope ${s.scope}`).toBeDefined();
    const value = valueAt(source, s.path);
    expect(value, `${s.scope}|${s.path} exists`).not.toBeUndefined();
    expect(s.value, `${s.scope}|${s.path}`).toBe(String(value));
  }
  return found.length;
}

/** Text as the report escapes it (only the apostrophe occurs here). */
const apostrophe = (text: string) => text.replaceAll("'", '&#39;');

const report = letbFixtureReport();
const html = renderReportHtml(report);
const statOf = (scope: string, path: string) => dataStats(html).find((s) => s.scope === scope && s.path === path);

describe('reportItems with LETB', () => {
  it("adds the readers' LETB and its change as continuous items, only when the protocol measures LETB", () => {
    const ids = (p: typeof fixtureProtocol) => reportItems(p).map((i) => i.id);
    expect(reportItems(letbFixtureProtocol).slice(-2)).toEqual([
      { id: 'letb.percent', scale: 'continuous' },
      { id: 'letb.change_percent', scale: 'continuous' },
    ]);
    expect(ids(letbFixtureProtocol)).toEqual([...ids(fixtureProtocol), 'letb.percent', 'letb.change_percent']);
    expect(ids(fixtureProtocol).some((id) => id.startsWith('letb'))).toBe(false);
  });

  it('labels them with their unit', () => {
    expect(reportItemLabel(letbFixtureProtocol, 'letb.percent', '0')).toBe(
      'LETB, mean of three ROI placements (baseline)',
    );
    expect(reportItemLabel(letbFixtureProtocol, 'letb.change_percent', '1')).toBe(
      'Change of LETB from baseline (follow-up 1)',
    );
    expect([
      reportItemUnit(letbFixtureProtocol, 'letb.percent'),
      reportItemUnit(letbFixtureProtocol, 'letb.change_percent'),
      reportItemUnit(letbFixtureProtocol, 'letb.roi2'),
    ]).toEqual(['%', '%', '%']);
  });
});

describe('buildStudyReport of a study whose readers measured LETB', () => {
  it('puts the placements, the timepoint LETB and the change in reads.csv', () => {
    const rows = parseReadsCsv(report.readsCsv);
    // C-001, Reader 1, baseline: placements with 3 decimals, and their mean.
    const at = (item: string, timepoint: string, reader = 'Reader 1', code = 'C-001') =>
      rows.find((r) => r.case_code === code && r.reader === reader && r.item === item && r.timepoint === timepoint)
        ?.value;
    expect([at('letb.roi1', '0'), at('letb.roi2', '0'), at('letb.roi3', '0')]).toEqual(['30.123', '31.046', '29.879']);
    expect(at('letb.percent', '0')).toBe(((30.12344 + 31.04561 + 29.87912) / 3).toFixed(3));
    expect(at('letb.roi2', '1', 'Reader 2', 'C-003')).toBe('NE');
    expect(at('letb.percent', '1', 'Reader 2', 'C-003')).toBe('NE');
    expect(at('letb.change_percent', '1', 'Reader 2', 'C-003')).toBe('NE');
    expect(rows.filter((r) => r.item === 'letb.change_percent')).toHaveLength(8);
  });

  it('computes the agreement on LETB between readers from reads.csv, like concord agreement', () => {
    const cli = readsAgreement(report.readsCsv, reportItems(letbFixtureProtocol));
    const letb = report.agreement.filter((a) => a.item.startsWith('letb.'));
    expect(letb.map(agreementKey)).toEqual(['letb.percent@0', 'letb.percent@1', 'letb.change_percent@1']);
    expect(letb).toEqual(cli.filter((a) => a.item.startsWith('letb.')));
    // C-003 has no follow-up LETB in Reader 2's read: 3 cases at follow-up 1, 4 at the baseline.
    expect(letb.map((a) => a.n)).toEqual([4, 3, 3]);
    expect(letb[0]!.icc?.ICC2.value).not.toBeNull();
    expect(report.blandAltman.filter((b) => b.item.startsWith('letb.')).map((b) => b.means.length)).toEqual([4, 3, 3]);
  });

  it('gives the reproducibility of the three placements per reader and pooled, equal to icc() on the matrix of reads.csv', () => {
    expect(report.letbReproducibility.map((r) => [r.reader, r.targets])).toEqual([
      ['Reader 1', 8],
      ['Reader 2', 7],
      [null, 15],
    ]);
    for (const r of report.letbReproducibility) {
      const matrix = placementMatrix(report.readsCsv, r.reader);
      expect(matrix).toHaveLength(r.targets);
      expect(r.icc).toEqual(icc(matrix));
    }
    // The numbers are those of the 3-decimal CSV text, not of the stored placements.
    const stored = Object.values(letbPlacements).flatMap(([r1]) => r1);
    const fromStored = icc(stored as number[][]);
    const one = report.letbReproducibility[0]!.icc;
    expect(one.estimable && fromStored.estimable).toBe(true);
    if (one.estimable && fromStored.estimable) {
      expect(one.forms.ICC1).toMatchObject({ estimable: true });
      expect(
        one.forms.ICC1.estimable &&
          fromStored.forms.ICC1.estimable &&
          one.forms.ICC1.value !== fromStored.forms.ICC1.value,
      ).toBe(true);
      // Close all the same: the readers' placements barely differ within a timepoint.
      if (one.forms.ICC1.estimable) expect(one.forms.ICC1.value).toBeGreaterThan(0.95);
    }
  });

  it('draws the ΔLETB waterfall of each reader from their reads, not from the coordinator', () => {
    const withCoordinator = buildStudyReport(letbFixtureStudy, letbFixtureCases(), fixtureLetbChanges);
    expect(withCoordinator.letbWaterfall).toEqual(report.letbWaterfall);
    const cases = letbFixtureCases();
    const expected = cases.flatMap((c) =>
      c.reads.flatMap((r) =>
        r.letb?.change?.estimable
          ? [{ caseCode: c.caseCode, reader: r.reader, changePercent: r.letb.change.changePercent }]
          : [],
      ),
    );
    expect(report.letbWaterfall).toEqual(expected);
    expect(report.letbWaterfall.filter((b) => b.reader === 'Reader 1')).toHaveLength(4);
    expect(report.letbWaterfall.filter((b) => b.reader === 'Reader 2').map((b) => b.caseCode)).toEqual([
      'C-001',
      'C-002',
      'C-004',
    ]);
    // C-001, Reader 1: means 30.349390 → 17.581837, (17.581837 − 30.349390) / 30.349390 × 100.
    const pre = (30.12344 + 31.04561 + 29.87912) / 3;
    const post = (17.50123 + 18.23337 + 17.01091) / 3;
    expect(report.letbWaterfall[0]!.changePercent).toBeCloseTo(((post - pre) / pre) * 100, 10);
  });

  it('keeps the coordinator-based report of a study without reader LETB', () => {
    const plain = fixtureReport();
    expect(plain.letbReproducibility).toEqual([]);
    expect(plain.letbWaterfall.every((b) => b.reader === null)).toBe(true);
    expect(plain.methods).not.toContain('LETB');
  });

  it('says how LETB was measured in the methods paragraph', () => {
    expect(report.methods).toContain('liver enhancing tumour burden (LETB)');
    expect(report.methods).toContain(
      '1.0 cm³ (0.5 cm³ when little tumour-free liver remained) three times in tumour-free liver parenchyma',
    );
    expect(report.methods).toContain('T = mean + 2 SD');
    expect(report.methods).toContain('LETB = enhancing liver volume / liver volume × 100');
    expect(report.methods).toContain('the mean of the three placements');
    expect(report.methods).toContain('ICC(1,1)');
    expect(report.methods).toContain('Bland-Altman');
  });
});

describe('letbReproducibility', () => {
  const triplet = (reader: string, code: string, timepoint: number, values: string[]): LongRow[] =>
    values.map((value, k) => ({ case_code: code, reader, timepoint, item: `letb.roi${k + 1}`, value }));

  it('matches a hand calculation', () => {
    // Targets (1, 2, 3) and (4, 5, 6): MSR = 3·((2 − 3.5)² + (5 − 3.5)²) / 1 = 13.5,
    // MSW = (2 + 2) / (2·2) = 1, ICC(1,1) = (13.5 − 1) / (13.5 + 2·1) = 25/31.
    const out = letbReproducibility(
      [...triplet('A', 'C-1', 0, ['1.000', '2.000', '3.000']), ...triplet('A', 'C-1', 1, ['4.000', '5.000', '6.000'])],
      ['A'],
    );
    expect(out).toHaveLength(2);
    const [a, pooled] = out;
    expect(a!.targets).toBe(2);
    expect(a!.icc.estimable && a!.icc.forms.ICC1.estimable && a!.icc.forms.ICC1.value).toBeCloseTo(25 / 31, 12);
    expect(pooled).toEqual({ ...a, reader: null });
  });

  it('is not estimable, with the reason, for a reader with one complete timepoint, and leaves out timepoints with NE', () => {
    const out = letbReproducibility(
      [
        ...triplet('A', 'C-1', 0, ['10.000', '11.000', '12.000']),
        ...triplet('A', 'C-1', 1, ['5.000', 'NE', '6.000']),
        ...triplet('B', 'C-1', 0, ['9.000', '10.500', '11.000']),
      ],
      ['A', 'B', 'C'],
    );
    expect(out.map((r) => [r.reader, r.targets])).toEqual([
      ['A', 1],
      ['B', 1],
      ['C', 0],
      [null, 2],
    ]);
    expect(out[0]!.icc).toMatchObject({ estimable: false, reason: 'ICC needs at least 2 targets (rows); got 1.' });
    expect(out[2]!.icc).toMatchObject({ estimable: false, reason: 'ICC needs at least 2 targets (rows); got 0.' });
    expect(out[3]!.icc.estimable).toBe(true);
  });

  it('adds readers only found in the rows, and refuses the same placement twice', () => {
    expect(letbReproducibility(triplet('Z', 'C-1', 0, ['1', '2', '3']), ['A']).map((r) => r.reader)).toEqual([
      'A',
      'Z',
      null,
    ]);
    expect(() =>
      letbReproducibility([...triplet('A', 'C-1', 0, ['1', '2', '3']), ...triplet('A', 'C-1', 0, ['NE'])], ['A']),
    ).toThrow(RangeError);
  });
});

describe('renderReportHtml of a study whose readers measured LETB', () => {
  it('prints every number at its path, never NaN or undefined', () => {
    expect(expectNumbersMatch(html, report)).toBeGreaterThan(200);
    expect(html).not.toMatch(/NaN|Infinity|undefined|\[object/);
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g)!) expect(xmlProblems(svg)).toEqual([]);
  });

  it("has the readers' LETB in the continuous tables, in a group of its own, with Bland–Altman plots", () => {
    expect(html).toContain(
      `<tr class="group"><th colspan="7" scope="rowgroup">${apostrophe("LETB (from each reader's three ROI placements)")}</th></tr>`,
    );
    for (const key of ['letb.percent@0', 'letb.percent@1', 'letb.change_percent@1']) {
      for (const path of [
        'n',
        'icc.ICC2.value',
        'icc.ICC2.ci.0',
        'icc.ICC1.value',
        'blandAltman.bias',
        'blandAltman.lowerLimit',
      ])
        expect(statOf(key, path), `${key}|${path}`).toBeDefined();
    }
    expect(html).toContain('<title>Bland–Altman plot: LETB, mean of three ROI placements (baseline)</title>');
    expect(html).toContain('<title>Bland–Altman plot: Change of LETB from baseline (follow-up 1)</title>');
  });

  it('has the reproducibility table after the continuous tables, ICC(1,1) with its CI first, per reader and pooled', () => {
    const tables = html.match(/<table class="stats[^"]*">[\s\S]*?<\/table>/g)!;
    const at = tables.findIndex((t) => t.includes('Reproducibility of the three ROI placements'));
    expect(at).toBeGreaterThan(tables.findIndex((t) => t.includes('Interreader agreement on continuous items')));
    expect(at).toBeGreaterThan(tables.findIndex((t) => t.includes('The six intraclass correlation forms')));
    const table = tables[at]!;
    expect(table).toContain('All readers (pooled)');
    expect(table.indexOf('ICC(1,1)')).toBeLessThan(table.indexOf('ICC(2,1)'));
    report.letbReproducibility.forEach((r, i) => {
      const p = `letbReproducibility.${i}`;
      expect(statOf(reportStatScope, `${p}.targets`)?.value).toBe(String(r.targets));
      for (const form of ['ICC1', 'ICC2', 'ICC3']) {
        for (const path of [
          `${p}.icc.forms.${form}.value`,
          `${p}.icc.forms.${form}.ci.0`,
          `${p}.icc.forms.${form}.ci.1`,
        ])
          expect(table).toContain(`data-stat="@report|${path}"`);
      }
    });
    const one = report.letbReproducibility[2]!.icc;
    if (one.estimable && one.forms.ICC1.estimable)
      expect(statOf(reportStatScope, 'letbReproducibility.2.icc.forms.ICC1.value')?.text).toBe(
        one.forms.ICC1.value.toFixed(2),
      );
  });

  it('prints n.e. with the reason when a reader has one complete timepoint only', () => {
    // C-001 only, with every follow-up placement not evaluable: one target per reader, two pooled.
    const sparse = buildStudyReport(
      letbFixtureStudy,
      letbFixtureCases({
        ...letbPlacements,
        'C-001': [
          [letbPlacements['C-001']![0]![0], ['ne', 'ne', 'ne']],
          [letbPlacements['C-001']![1]![0], ['ne', 'ne', 'ne']],
        ],
      }).slice(0, 1),
    );
    expect(sparse.letbReproducibility.map((r) => r.targets)).toEqual([1, 1, 2]);
    const out = renderReportHtml(sparse);
    expect(dataStats(out).find((s) => s.path === 'letbReproducibility.0.icc.estimable')).toMatchObject({
      value: 'false',
      text: 'n.e.',
    });
    expect(out).toContain('n.e., not estimable: ICC needs at least 2 targets (rows); got 1.');
    expect(out).not.toMatch(/NaN|Infinity|undefined|\[object/);
    expectNumbersMatch(out, sparse);
    expect(out).not.toContain('<title>Change of the liver enhancing tumour burden');
  });

  it('renders a LETB study with no reads at all', () => {
    const empty = buildStudyReport(letbFixtureStudy, []);
    expect(empty.letbReproducibility.map((r) => [r.reader, r.targets, r.icc.estimable])).toEqual([
      ['Reader 1', 0, false],
      ['Reader 2', 0, false],
      [null, 0, false],
    ]);
    const out = renderReportHtml(empty);
    expect(out).toContain('n.e., not estimable: ICC needs at least 2 targets (rows); got 0.');
    expect(out).not.toMatch(/NaN|Infinity|undefined|\[object/);
    expectNumbersMatch(out, empty);
  });

  it('draws the ΔLETB waterfall of each reader', () => {
    expect(
      html.match(/<title>Change of the liver enhancing tumour burden \(LETB\) at follow-up 1: Reader [12]<\/title>/g),
    ).toHaveLength(2);
    expect(html).toContain(apostrophe("LETB, mean of the reader's three ROI placements"));
    expect(html).toContain('Response by RECIST 1.1 and mRECIST and LETB');
    // 8 heat maps; 5 + 3 Bland–Altman; 2 sum and 2 ΔLETB waterfalls.
    expect(html.match(/<svg[\s\S]*?<\/svg>/g)).toHaveLength(20);
  });
});

describe('the outcomes of a study whose readers measured LETB', () => {
  const analysis = fixtureOutcomeAnalysis({ cases: letbFixtureCases(), letbFromReads: true });
  const out = renderReportHtml(report, { outcomes: analysis });
  const section = /<section id="outcomes"[\s\S]*?<\/section>/.exec(out)![0];

  it('names the reader of every LETB grouping and draws the first reader’s default thresholds only', () => {
    expect(plottedGroupings(analysis).map((x) => outcomeGroupingName(x.grouping))).toEqual([
      'ΔLETB < −25.8 %, Reader 1',
      'ΔLETB < −10.0 %, Reader 1',
      'RECIST 1.1, Reader 1',
      'mRECIST, Reader 1',
    ]);
    const letbTable = section.match(/<table class="stats survival">[\s\S]*?<\/table>/g)![0]!;
    expect(letbTable).toContain('Responder if ΔLETB, reader');
    expect(letbTable).toContain(apostrophe("each reader's ROI placements"));
    expect(letbTable).toMatch(/−25\.8 %<\/span>, Reader 2/);
    // 2 readers × 7 thresholds per endpoint, a rule where Reader 2's rows begin.
    expect(letbTable.match(/<tr( class="reader-start")?><th scope="row"/g)).toHaveLength(
      4 * 2 * reportResponderThresholds.length,
    );
    expect(letbTable.match(/<tr class="reader-start">/g)).toHaveLength(4);
    expect(section).toContain('<title>Overall survival by ΔLETB &lt; −25.8 %, Reader 1</title>');
    expect(section).toContain(apostrophe("from Reader 1's ROI placements"));
    expect(outcomesMethodsParagraph(analysis)).toContain("from each reader's ROI placements");
  });

  it('prints every number of the analysis at its path', () => {
    const json = JSON.parse(JSON.stringify(analysis)) as typeof analysis;
    for (const s of dataStats(out).filter((x) => x.scope === outcomesStatScope))
      expect(s.value, s.path).toBe(String(valueAt(json, s.path)));
    expect(out).not.toMatch(/NaN|Infinity|undefined|\[object/);
  });
});
