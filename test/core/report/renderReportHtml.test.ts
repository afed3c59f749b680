import { describe, expect, it } from 'vitest';
import type { UnblindedCase } from '../../../core/ipc/contract';
import type { ItemAgreement } from '../../../core/agreement/itemAgreement';
import { readsAgreement } from '../../../core/agreement/readsAgreement';
import {
  fixed,
  formatChangePercent,
  formatCoefficient,
  formatP,
  formatPercent,
  formatTimestamp,
} from '../../../core/report/format';
import {
  agreementKey,
  renderReportHtml,
  reportItemLabel,
  reportItemUnit,
  reportStatScope,
  timepointName,
} from '../../../core/report/renderReportHtml';
import { buildStudyReport, type StudyReport } from '../../../core/report/studyReport';
import { assessRead } from '../../../core/studies/assessRead';
import {
  fixtureCases,
  fixtureIdentity,
  fixtureLetbChanges,
  fixtureProtocol,
  fixtureReport,
  fixtureStudy,
} from './reportFixture';
import { xmlProblems } from './xmlCheck';

const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** Every `data-stat` / `data-value` pair of the document, in order. */
function stats(html: string): { scope: string; path: string; value: string; text: string }[] {
  return [...html.matchAll(/<(\w+) data-stat="([^"]*)" data-value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => {
    const [scope, path] = unescape(m[2]!).split('|') as [string, string];
    return { scope, path, value: unescape(m[3]!), text: unescape(m[4]!) };
  });
}

/** The value at a dotted path (`kappaCi.0`, `icc.ICC2.value`, `raters.length`). */
function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], object);
}

/**
 * Checks every number the report prints against the objects `concord agreement --json` would
 * print for the report's own reads.csv (`readsAgreement`, through JSON as the CLI writes it) and
 * against the report object: the printed data-value is String(value) of the same field.
 */
function expectNumbersMatch(html: string, report: StudyReport): number {
  const cli = JSON.parse(JSON.stringify(readsAgreement(report.readsCsv, report.items))) as ItemAgreement[];
  const found = stats(html);
  for (const s of found) {
    const source = s.scope === reportStatScope ? report : cli.find((a) => agreementKey(a) === s.scope);
    expect(source, `scope ${s.scope}`).toBeDefined();
    expect(s.value, `${s.scope}|${s.path}`).toBe(String(at(source, s.path)));
  }
  return found.length;
}

const report = fixtureReport();
const html = renderReportHtml(report);
const byKey = (key: string) => report.agreement.find((a) => agreementKey(a) === key)!;
const statOf = (key: string, path: string) => stats(html).find((s) => s.scope === key && s.path === path);

describe('number formats of the report', () => {
  it.each([
    [fixed(-0.12345, 2), '−0.12'],
    [fixed(-0.004, 2), '−0.00'],
    [formatCoefficient(0.6666666666666666), '0.67'],
    [formatPercent(75), '75.0'],
    [formatChangePercent(24), '+24.0 %'],
    [formatChangePercent(-30), '−30.0 %'],
    [formatChangePercent(0.01), '0.0 %'],
    [formatP(0.0004), '<0.001'],
    [formatP(0.0123), '0.012'],
    [formatTimestamp('2025-03-02T16:30:00.000Z'), '2025-03-02 16:30 UTC'],
    [formatTimestamp(null), 'not yet'],
    [formatTimestamp('yesterday'), 'yesterday'],
  ])('%s = %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('refuses to print NaN or Infinity', () => {
    expect(() => fixed(Number.NaN, 2)).toThrow(RangeError);
    expect(() => formatP(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('item labels', () => {
  it.each([
    ['burden', '0', 'Visual hepatic tumour burden'],
    ['liver_span', '0', 'Craniocaudal liver span'],
    ['recist.overall_response', '1', 'RECIST 1.1 overall response (follow-up 1)'],
    ['mrecist.sum_mm', '0', 'mRECIST sum of viable target diameters (baseline)'],
    ['recist.best_response', null, 'RECIST 1.1 best overall response'],
    ['recist.objective_response', null, 'RECIST 1.1 objective response (CR or PR)'],
    ['something_else', 'x', 'something_else (timepoint x)'],
  ])('%s @ %s → %s', (item, timepoint, label) => {
    expect(reportItemLabel(fixtureProtocol, item, timepoint)).toBe(label);
  });

  it('names timepoints, units and keys', () => {
    expect([timepointName('0'), timepointName('2'), timepointName('week 6')]).toEqual([
      'baseline',
      'follow-up 2',
      'timepoint week 6',
    ]);
    expect([
      reportItemUnit(fixtureProtocol, 'liver_span'),
      reportItemUnit(fixtureProtocol, 'recist.sum_mm'),
      reportItemUnit(fixtureProtocol, 'burden'),
    ]).toEqual(['cm', 'mm', '']);
    expect(agreementKey({ item: 'burden', timepoint: '0' })).toBe('burden@0');
    expect(agreementKey({ item: 'recist.best_response', timepoint: null })).toBe('recist.best_response');
  });
});

describe('renderReportHtml', () => {
  it('is a standalone UTF-8 document with print CSS, no script and no external resource', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/break-inside: avoid/);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('prints the numbers of `concord agreement` exactly (data-value = full precision)', () => {
    const count = expectNumbersMatch(html, report);
    expect(count).toBeGreaterThan(150);
    // Hand-checked values of the fixture (see reportFixture.ts for the reads):
    // enhancement: R1 hyper, hyper, iso, iso; R2 hyper, iso, iso, iso → p_o = 3/4, p_e = (2·1 + 2·3)/16 = 1/2, κ = 0.5.
    expect(statOf('enhancement@0', 'kappa')).toMatchObject({ value: '0.5', text: '0.50' });
    expect(statOf('enhancement@0', 'band')).toMatchObject({ value: 'moderate', text: 'Moderate' });
    expect(statOf('enhancement@0', 'percentAgreement')).toMatchObject({ value: '75', text: '75.0' });
    // burden: 3 of 4 agree; κ = (0.75 − 0.25)/(1 − 0.25) = 2/3 (p_e = (1·1 + 1·0 + 1·2 + 1·1)/16 = 0.25).
    expect(statOf('burden@0', 'kappa')).toMatchObject({ value: String(2 / 3), text: '0.67' });
    expect(statOf('burden@0', 'weightedKappaLinear')?.value).toBe(String(byKey('burden@0').weightedKappaLinear));
    expect(statOf('burden@0', 'weightedKappaQuadratic')?.value).toBe(String(byKey('burden@0').weightedKappaQuadratic));
  });

  it('shows every statistic of every item', () => {
    for (const a of report.agreement) {
      const key = agreementKey(a);
      const paths =
        a.scale === 'continuous'
          ? [
              'n',
              'icc.ICC1.value',
              'icc.ICC2.value',
              'icc.ICC3.value',
              'icc.ICC1k.value',
              'icc.ICC2k.value',
              'icc.ICC3k.value',
              'icc.ICC2.ci.0',
              'icc.ICC2.ci.1',
              'blandAltman.bias',
              'blandAltman.biasCi.0',
              'blandAltman.lowerLimit',
              'blandAltman.upperLimit',
            ]
          : [
              'n',
              'kappa',
              'kappaCi.0',
              'kappaCi.1',
              'band',
              'percentAgreement',
              ...(a.scale === 'ordinal'
                ? [
                    'weightedKappaLinear',
                    'weightedKappaLinearCi.0',
                    'weightedKappaQuadratic',
                    'weightedKappaQuadraticCi.1',
                  ]
                : []),
            ];
      for (const path of paths) expect(statOf(key, path), `${key}|${path}`).toBeDefined();
      if (a.confusion) {
        a.confusion.counts.forEach((row, i) =>
          row.forEach((c, j) => expect(statOf(key, `confusion.counts.${i}.${j}`)?.value).toBe(String(c))),
        );
      }
    }
  });

  it('says which ICC form is the headline and labels the computed items', () => {
    expect(html).toContain(
      'ICC(2,1), intraclass correlation, two-way random effects, absolute agreement, single reader',
    );
    expect(html).toContain('RECIST 1.1 overall response (follow-up 1)');
    expect(html).toContain('mRECIST sum of viable target diameters (follow-up 1)');
    expect(html).toContain('Landis and Koch (1977)');
  });

  it('puts the methods paragraph in its own block, escaped', () => {
    const block = /<div class="methods" id="methods"><p>([^<]*)<\/p><\/div>/.exec(html);
    expect(block).not.toBeNull();
    expect(unescape(block![1]!)).toBe(report.methods);
  });

  it('has the summary, the cross-tables and the waterfall figures', () => {
    expect(statOf(reportStatScope, 'cases')?.value).toBe('4');
    expect(statOf(reportStatScope, 'study.randomizationSeed')?.value).toBe('42');
    expect(html).toContain('2025-02-02 09:15 UTC');
    expect(html).toContain('Concord 0.1.0');
    report.crossTables.forEach((t, n) =>
      t.counts.forEach((row, i) =>
        row.forEach((c, j) =>
          expect(statOf(reportStatScope, `crossTables.${n}.counts.${i}.${j}`)?.value).toBe(String(c)),
        ),
      ),
    );
    // Reader 1: C-001 and C-004 are RECIST PR with mRECIST CR.
    expect(statOf(reportStatScope, 'crossTables.0.counts.1.0')?.value).toBe('2');
    // One sum waterfall per reader and the ΔLETB one.
    expect(html.match(/<title>Change of the RECIST 1\.1 sum/g)).toHaveLength(2);
    expect(html).toContain('<title>Change of the liver enhancing tumour burden');
    expect(html).toContain('−25.8 %');
  });

  it('embeds well-formed SVG figures without NaN', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g)!;
    // 8 categorical items (heat maps), 5 continuous (Bland–Altman), 2 + 1 waterfalls.
    expect(svgs).toHaveLength(16);
    for (const svg of svgs) expect(xmlProblems(svg)).toEqual([]);
    expect(html).not.toMatch(/NaN|Infinity|undefined|\[object/);
  });

  it('escapes every text it is given', () => {
    expect(html).not.toContain('<pilot>');
    expect(html).toContain('TACE response study &lt;pilot&gt; &amp; &quot;test&quot;');
    // The footer is a CSS string: it must not end the string or the style element.
    expect(html).toMatch(
      /@bottom-left \{ content: "TACE response study \\3c pilot\\3e {2}& \\"test\\": interreader agreement report";/,
    );
  });

  it('contains no patient identity unless asked, and marks the identifying copy', () => {
    const phi = [...fixtureIdentity.values()].flatMap((p) => [p.patientName, p.patientId]);
    for (const v of phi) expect(html).not.toContain(v);
    expect(html).toContain('this report contains no patient identity');

    const identifying = renderReportHtml(report, { identity: fixtureIdentity });
    for (const v of phi) expect(identifying).toContain(v);
    expect(identifying).toContain('CONTAINS PATIENT IDENTITY');
    expect(identifying).toContain('Appendix. Patient identity: IDENTIFYING');
    expect(identifying).toContain('(IDENTIFYING)');
    // The identity comes only in the appendix, after every statistic.
    const appendix = identifying.indexOf('<section class="identity"');
    for (const v of phi) expect(identifying.indexOf(v)).toBeGreaterThan(appendix);
    expectNumbersMatch(identifying, report);
  });
});

/** The fixture's cases with some answers replaced. */
function withAnswers(
  cases: UnblindedCase[],
  replace: (reader: string, item: string, value: unknown) => unknown,
  extraReaders: { name: string; from: string; replace?: (item: string, value: unknown) => unknown }[] = [],
): UnblindedCase[] {
  return cases.map((c) => {
    const reads = c.reads.map((r) => {
      const entries = r.entries.map((e) => ({ ...e, value: replace(r.reader, e.item, e.value) as typeof e.value }));
      return { ...r, entries, assessment: assessRead(fixtureProtocol, 2, entries) };
    });
    for (const x of extraReaders) {
      const from = reads.find((r) => r.reader === x.from)!;
      const entries = from.entries.map((e) => ({
        ...e,
        value: (x.replace ? x.replace(e.item, e.value) : e.value) as typeof e.value,
      }));
      reads.push({
        ...from,
        readId: from.readId + 100,
        readerId: from.readerId + 100,
        reader: x.name,
        entries,
        assessment: assessRead(fixtureProtocol, 2, entries),
      });
    }
    return { ...c, reads };
  });
}

describe('renderReportHtml on degenerate and larger studies', () => {
  it('prints "n.e." with the reason, never NaN, when a statistic is not estimable', () => {
    // Every reader says hyperenhancing and 15 cm for every case: kappa is 0/0, every ICC 0/0.
    const cases = withAnswers(fixtureCases(), (_reader, item, value) =>
      item === 'enhancement' ? 'hyperenhancing' : item === 'liver_span' ? 15 : value,
    );
    const r = buildStudyReport(fixtureStudy, cases, fixtureLetbChanges);
    const out = renderReportHtml(r);
    expect(r.agreement.find((a) => a.item === 'enhancement')!.kappa).toBeNull();
    expect(stats(out).find((s) => s.scope === 'enhancement@0' && s.path === 'kappa')).toMatchObject({
      value: 'null',
      text: 'n.e.',
    });
    expect(stats(out).find((s) => s.scope === 'liver_span@0' && s.path === 'icc.ICC2.value')).toMatchObject({
      value: 'null',
      text: 'n.e.',
    });
    expect(out).toContain(r.agreement.find((a) => a.item === 'enhancement')!.reason!.replaceAll('"', '&quot;'));
    expect(out).toContain('All 4 × 2 ratings are identical');
    expect(out).not.toMatch(/NaN|Infinity|undefined/);
    expectNumbersMatch(out, r);
    for (const svg of out.match(/<svg[\s\S]*?<\/svg>/g)!) expect(xmlProblems(svg)).toEqual([]);
  });

  it("shows Fleiss' kappa and the pairwise kappas for three readers", () => {
    const cases = withAnswers(fixtureCases(), (_r, _i, v) => v, [
      { name: 'Reader 3', from: 'Reader 1', replace: (item, v) => (item === 'burden' ? '>75%' : v) },
    ]);
    const r = buildStudyReport({ ...fixtureStudy, readers: ['Reader 1', 'Reader 2', 'Reader 3'] }, cases);
    const out = renderReportHtml(r);
    const burden = r.agreement.find((a) => a.item === 'burden')!;
    expect(burden.fleissKappa).not.toBeNull();
    expect(stats(out).find((s) => s.scope === 'burden@0' && s.path === 'fleissKappa')?.value).toBe(
      String(burden.fleissKappa),
    );
    expect(stats(out).find((s) => s.scope === 'burden@0' && s.path === 'pairwise.2.kappa')?.value).toBe(
      String(burden.pairwise![2]!.kappa),
    );
    expect(out).toContain("Fleiss' κ (P)");
    expect(out).toContain('Reader 2 vs<br>Reader 3');
    expectNumbersMatch(out, r);
    // No Bland–Altman with three readers, and no LETB waterfall without LETB.
    expect(out).not.toContain('Bland–Altman plots</h2>');
    expect(out).not.toContain('liver enhancing tumour burden');
  });

  it('renders a study with no reads at all', () => {
    const r = buildStudyReport(fixtureStudy, []);
    const out = renderReportHtml(r);
    expect(out).not.toMatch(/NaN|Infinity|undefined/);
    expect(out).toContain('n.e.');
    for (const svg of out.match(/<svg[\s\S]*?<\/svg>/g) ?? []) expect(xmlProblems(svg)).toEqual([]);
    expectNumbersMatch(out, r);
  });
});
