import { describe, expect, it } from 'vitest';
import type { OutcomeAnalysis } from '../../../core/ipc/contract';
import { reportResponderThresholds } from '../../../core/letb/letbChange';
import { outcomeEndpointDefinitions } from '../../../core/outcomes/outcomeEndpoints';
import { agreementKey, renderReportHtml, reportStatScope } from '../../../core/report/renderReportHtml';
import {
  outcomeKmCurves,
  outcomesMethodsParagraph,
  outcomesStatScope,
  plottedGroupings,
} from '../../../core/report/renderOutcomesHtml';
import type { StudyReport } from '../../../core/report/studyReport';
import { dataStats, valueAt } from './dataStats';
import { fixtureOutcomeAnalysis } from './outcomesFixture';
import { fixtureLetbChanges, fixtureReport } from './reportFixture';
import { xmlProblems } from './xmlCheck';

const escaped = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Every number of the report, outcomes included, is the value at its path: `@outcomes` paths go
 * into the analysis (through JSON, as agreement.json carries it), `@report` into the report, the
 * others into the item's agreement. Returns how many `@outcomes` numbers there are.
 */
function expectNumbersMatch(html: string, report: StudyReport, analysis: OutcomeAnalysis): number {
  const json = JSON.parse(JSON.stringify(analysis)) as OutcomeAnalysis;
  let outcomes = 0;
  for (const s of dataStats(html)) {
    const source =
      s.scope === outcomesStatScope
        ? json
        : s.scope === reportStatScope
          ? report
          : report.agreement.find((a) => agreementKey(a) === s.scope);
    expect(source, `scope ${s.scope}`).toBeDefined();
    const value = valueAt(source, s.path);
    expect(value, `${s.scope}|${s.path} exists`).not.toBeUndefined();
    expect(s.value, `${s.scope}|${s.path}`).toBe(String(value));
    if (s.scope === outcomesStatScope) outcomes++;
  }
  return outcomes;
}

const report = fixtureReport();
const analysis = fixtureOutcomeAnalysis();
const html = renderReportHtml(report, { outcomes: analysis });
const section = /<section id="outcomes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
const letb258 = reportResponderThresholds.indexOf(-25.8);
const statAt = (path: string) => dataStats(html).find((s) => s.scope === outcomesStatScope && s.path === path);

describe('the outcomes section of the report', () => {
  it('prints every number of the analysis exactly (data-value = full precision), never NaN', () => {
    expect(section).not.toBe('');
    const count = expectNumbersMatch(html, report, analysis);
    // 4 endpoints × 11 groupings × at least 7 numbers (N+, N−, two medians, difference or n.e., P or n.e.).
    expect(count).toBeGreaterThan(4 * 11 * 7);
    expect(html).not.toMatch(/NaN|Infinity|undefined|\[object/);
  });

  it('matches a hand calculation at the −25.8 % LETB threshold', () => {
    // Responders C-001 (ΔLETB −41.2 %, alive at 64 months) and C-004 (−30.1 %, died at 48);
    // non-responders C-002 (died at 16) and C-003 (died at 32).
    // Ŝ responders: 1 → 0.5 at 48, never below: median 48. Ŝ non-responders: 0.5 at 16, 0 at 32:
    // median at the midpoint of the flat stretch at 0.5 (survmean), (16 + 32)/2 = 24. Difference 24.
    // Log-rank: at 16 (4 at risk, 2 responders) E = 1/2, V = 1/4; at 32 (3, 2) E = 2/3, V = 2/9;
    // at 48 (2, 2) E = 1, V = 0. O − E = 1 − 13/6 = −7/6, V = 17/36, χ² = 49/17,
    // P = erfc(√(χ²/2)) = 0.08955507441364256 (Python math.erfc).
    const path = `groupings.${letb258}.comparison.endpoints.overallSurvival`;
    expect(statAt(`groupings.${letb258}.thresholdPercent`)).toMatchObject({ value: '-25.8', text: '−25.8 %' });
    expect(statAt(`${path}.nPositive`)).toMatchObject({ value: '2', text: '2' });
    expect(statAt(`${path}.nNegative`)).toMatchObject({ value: '2', text: '2' });
    expect(statAt(`${path}.positive.median.time`)).toMatchObject({ value: '48', text: '48.0' });
    expect(statAt(`${path}.negative.median.time`)).toMatchObject({ value: '24', text: '24.0' });
    expect(statAt(`${path}.medianDifference.time`)).toMatchObject({ value: '24', text: '24.0' });
    expect(Number(statAt(`${path}.logRank.p`)!.value)).toBeCloseTo(0.08955507441364256, 9);
    expect(statAt(`${path}.logRank.p`)!.text).toBe('0.090');
    // Ŝ responders stays at 0.5 to the end, so its upper limit is not reached: n.e. with the reason.
    expect(statAt(`${path}.positive.median.upper`)).toMatchObject({ value: 'null', text: 'n.e.' });
    expect(section).toContain('Upper 95 % confidence limit not reached');
  });

  it('has one table for the LETB thresholds and one for RECIST 1.1 / mRECIST per reader, endpoints as row blocks with their definitions', () => {
    const tables = section.match(/<table class="stats survival">[\s\S]*?<\/table>/g)!;
    expect(tables).toHaveLength(2);
    expect(tables[0]).toContain('Responder if ΔLETB');
    expect(tables[0]!.match(/<tr><th scope="row"/g)).toHaveLength(4 * reportResponderThresholds.length);
    expect(tables[1]!.match(/<tr><th scope="row"/g)).toHaveLength(4 * 4);
    expect(tables[1]).toContain('RECIST 1.1, Reader 1');
    expect(tables[1]).toContain('mRECIST, Reader 2');
    for (const d of Object.values(outcomeEndpointDefinitions)) {
      expect(tables[0]).toContain(`<tr class="group"><th colspan="6" scope="rowgroup">${escaped(d.label)}`);
      expect(section).toContain(escaped(`${d.label}: ${d.definition}`));
    }
    expect(section).toContain(escaped(outcomesMethodsParagraph(analysis)));
    expect(html).toMatch(
      /<dt>Outcomes<\/dt><dd><span data-stat="@outcomes\|cases" data-value="4">4<\/span> cases, imported 2025-03-04 10:00 UTC<\/dd>/,
    );
  });

  it('draws well-formed Kaplan–Meier curves of overall survival at −25.8 % and −10 % LETB and for RECIST 1.1 and mRECIST of the first reader', () => {
    expect(
      plottedGroupings(analysis).map(
        (x) => analysis.groupings[x.index]!.key + (x.grouping.reader ? ` ${x.grouping.reader.displayName}` : ''),
      ),
    ).toEqual(['letb-25.8', 'letb-10', 'recist Reader 1', 'mrecist Reader 1']);
    const svgs = section.match(/<svg[\s\S]*?<\/svg>/g)!;
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(xmlProblems(svg)).toEqual([]);
    expect(svgs[0]).toContain('<title>Overall survival by ΔLETB &lt; −25.8 %</title>');
    const curves = outcomeKmCurves(analysis.groupings[letb258]!, 'overallSurvival');
    expect(curves.map((c) => c.label)).toEqual(['Responders (n = 2, 1 event)', 'Non-responders (n = 2, 2 events)']);
    expect(curves[0]!.censored).toEqual([64]);
    // The whole report: the 16 agreement figures and the 4 curves.
    expect(html.match(/<svg[\s\S]*?<\/svg>/g)).toHaveLength(20);
  });

  it('prints "n.e." with a reason footnote for everything not estimable, and lists the cases left out', () => {
    // Outcomes for C-001 and C-003 only, and no LETB change for C-003: at every threshold one
    // grouped case at most, so no comparison; C-002 and C-004 are in no analysis.
    const letb = new Map([...fixtureLetbChanges].filter(([code]) => code !== 'C-003'));
    const sparse = fixtureOutcomeAnalysis({ withOutcome: ['C-001', 'C-003'], letbChanges: letb });
    const out = renderReportHtml(report, { outcomes: sparse });
    expectNumbersMatch(out, report, sparse);
    expect(out).not.toMatch(/NaN|Infinity|undefined|\[object/);
    const st = dataStats(out).filter((s) => s.scope === outcomesStatScope);
    const path = `groupings.${letb258}.comparison.endpoints.overallSurvival`;
    expect(st.find((s) => s.path === `${path}.nNegative`)?.value).toBe('0');
    expect(st.find((s) => s.path === `${path}.negative.median.time`)).toMatchObject({ value: 'null', text: 'n.e.' });
    expect(st.find((s) => s.path === `${path}.logRank.estimable`)).toMatchObject({ value: 'false', text: 'n.e.' });
    expect(st.find((s) => s.path === `${path}.medianDifference.estimable`)).toMatchObject({
      value: 'false',
      text: 'n.e.',
    });
    expect(out).toContain('n.e., not estimable: Every grouped case is responder: there is no second group to compare.');
    expect(out).toContain('n.e., not estimable: No nonresponder cases.');
    // One footnote, cited by every threshold's row, since each leaves out the same case.
    const leftOut =
      '1 case with outcomes is in neither group: C-003 (no LETB at the first follow-up (no ROI placements on its arterial series)).';
    expect(out.split(leftOut)).toHaveLength(2);
    expect(out).toContain('2 cases without an outcome row (C-002, C-004) are in no analysis');
    expect(st.find((s) => s.path === 'casesWithoutOutcome.length')?.value).toBe('2');
    for (const svg of out.match(/<svg[\s\S]*?<\/svg>/g)!) expect(xmlProblems(svg)).toEqual([]);
  });

  it('says why there is no LETB table, and draws only curves with cases, when no case has a LETB change', () => {
    const noLetb = fixtureOutcomeAnalysis({ letbChanges: new Map() });
    const out = renderReportHtml(report, { outcomes: noLetb });
    expectNumbersMatch(out, report, noLetb);
    const part = /<section id="outcomes"[\s\S]*?<\/section>/.exec(out)![0];
    expect(part.match(/<table class="stats survival">/g)).toHaveLength(1);
    expect(part).not.toContain('Responder if ΔLETB');
    expect(part).toContain(
      'No case with outcomes has a change of LETB from the baseline to the first follow-up, so there is no survival table by LETB: C-001, C-002, C-003, C-004 (no LETB at the first follow-up (no ROI placements on its arterial series)).',
    );
    expect(part.match(/<svg[\s\S]*?<\/svg>/g)).toHaveLength(2);
    expect(part).not.toContain('Not enough data');
    expect(part).toContain(
      'Kaplan–Meier curves of overall survival (months since the baseline exam) by RECIST 1.1 and mRECIST objective response (CR or PR) as read by Reader 1.',
    );
  });

  it('is left out, with one sentence, without outcomes', () => {
    const plain = renderReportHtml(report);
    expect(plain).not.toContain('id="outcomes"');
    expect(plain).not.toContain(outcomesStatScope);
    expect(plain).not.toContain('Kaplan–Meier');
    expect(plain).toContain('Outcomes were not imported for this study');
    expect(plain).toContain('<dt>Outcomes</dt><dd>not imported</dd>');
    expect(html).not.toContain('Outcomes were not imported');
  });
});
