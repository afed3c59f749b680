import type { OutcomeAnalysis, OutcomeGrouping } from '../ipc/contract';
import { defaultResponderThresholds } from '../letb/letbChange';
import type { OutcomeEndpoint } from '../outcomes/outcomeEndpoints';
import type { EndpointComparison, SurvivalGroupEstimate } from '../outcomes/survivalComparison';
import { fixed, formatMonths, formatP, formatTimestamp } from './format';
import { cap, esc, Notes, stat, type Counter } from './reportHtmlParts';
import { kmPlot, type KmCurve } from './svg/kmPlot';

/** The scope of the outcome analysis in the report's `data-stat` attributes; paths go into the `OutcomeAnalysis`. */
export const outcomesStatScope = '@outcomes';

/**
 * The endpoint the report draws Kaplan–Meier curves of: overall survival, the primary endpoint
 * of the reference study and the only one whose event needs no judgement of progression
 * (the other endpoints are in the tables and, with their curves, in agreement.json).
 */
export const plottedEndpoint: OutcomeEndpoint = 'overallSurvival';

const criteriaNames = { recist: 'RECIST 1.1', mrecist: 'mRECIST' } as const;

/**
 * "ΔLETB < −25.8 %" for a LETB grouping of the coordinator's placements, "ΔLETB < −25.8 %,
 * Reader 1" for one of a reader's placements, "RECIST 1.1, Reader 1" for a criteria grouping.
 */
export function outcomeGroupingName(g: OutcomeGrouping): string {
  if (g.kind === 'letb')
    return `ΔLETB < ${fixed(g.thresholdPercent ?? Number.NaN, 1)} %${g.reader ? `, ${g.reader.displayName}` : ''}`;
  return `${criteriaNames[g.kind]}, ${g.reader?.displayName ?? 'unknown reader'}`;
}

/** Whether a grouping put any case with outcomes into either group. */
const hasGroupedCases = (g: OutcomeGrouping) => g.comparison.nPositive + g.comparison.nNegative > 0;

/**
 * The groupings the report (and the dashboard) draws curves for: the LETB thresholds of the
 * waterfall plot (`defaultResponderThresholds`, −25.8 % first; of the first reader when the
 * readers measured LETB) and RECIST 1.1 and mRECIST of the first reader (lowest reader id); each
 * with its index in `analysis.groupings`. Groupings with no case in either group (e.g. LETB
 * without ROI placements) are left out. The other readers' curves are in the analysis
 * (agreement.json) but not drawn, so the figure stays one page.
 */
export function plottedGroupings(analysis: OutcomeAnalysis): { index: number; grouping: OutcomeGrouping }[] {
  const indexed = analysis.groupings
    .map((grouping, index) => ({ index, grouping }))
    .filter((x) => hasGroupedCases(x.grouping));
  const firstReader = Math.min(...analysis.groupings.flatMap((g) => (g.reader ? [g.reader.readerId] : [])));
  const letb = defaultResponderThresholds.flatMap((t) =>
    indexed.filter(
      (x) =>
        x.grouping.kind === 'letb' &&
        x.grouping.thresholdPercent === t &&
        (x.grouping.reader === null || x.grouping.reader.readerId === firstReader),
    ),
  );
  const criteria = (['recist', 'mrecist'] as const).flatMap((k) =>
    indexed.filter((x) => x.grouping.kind === k && x.grouping.reader?.readerId === firstReader),
  );
  return [...letb, ...criteria];
}

/** Names of the two groups of a grouping, as the curves' legends and the tables' headers say them. */
export function outcomeGroupNames(g: OutcomeGrouping): { positive: string; negative: string } {
  return g.kind === 'letb'
    ? { positive: 'Responders', negative: 'Non-responders' }
    : { positive: 'Objective response', negative: 'No objective response' };
}

/** The two Kaplan–Meier curves of one endpoint of a grouping, ready for `kmPlot` (legend with n). */
export function outcomeKmCurves(g: OutcomeGrouping, endpoint: OutcomeEndpoint): KmCurve[] {
  const e = g.comparison.endpoints[endpoint];
  const names = outcomeGroupNames(g);
  const curve = (name: string, est: SurvivalGroupEstimate): KmCurve => ({
    label: `${name} (n = ${est.n}, ${est.events} event${est.events === 1 ? '' : 's'})`,
    steps: est.curve.steps,
    censored: est.curve.censored.map((c) => c.time),
  });
  return [curve(names.positive, e.positive), curve(names.negative, e.negative)];
}

const lowerLimitReason =
  'Lower 95 % confidence limit not estimable: the upper confidence curve of the Kaplan–Meier estimate does not fall to 50 % before the estimate reaches 0, where log-transformed limits do not exist (R: NA).';
const upperLimitReason =
  'Upper 95 % confidence limit not reached: the lower confidence curve of the Kaplan–Meier estimate does not fall to 50 % by the last follow-up, nor before the estimate reaches 0, where log-transformed limits do not exist (R: NA).';

/** "16.0 (11.2 to n.e.)": the median of one group with its limits, each number a data-stat, "n.e." with a footnote. */
function medianCell(path: string, est: SurvivalGroupEstimate, notes: Notes): string {
  const S = outcomesStatScope;
  const m = est.median;
  if (m.time === null)
    return `${stat(S, `${path}.median.time`, null, 'n.e.')}${notes.ref(`n.e., not estimable: ${est.medianReason ?? 'not estimable for these data.'}`)}`;
  const limit = (which: 'lower' | 'upper') => {
    const v = m[which];
    return v === null
      ? `${stat(S, `${path}.median.${which}`, null, 'n.e.')}${notes.ref(which === 'lower' ? lowerLimitReason : upperLimitReason)}`
      : stat(S, `${path}.median.${which}`, v, formatMonths(v));
  };
  return `<span class="est">${stat(S, `${path}.median.time`, m.time, formatMonths(m.time))}</span> <span class="ci">(${limit('lower')} to ${limit('upper')})</span>`;
}

function comparisonCells(path: string, e: EndpointComparison, notes: Notes): string {
  const S = outcomesStatScope;
  const counts = `${stat(S, `${path}.nPositive`, e.nPositive, String(e.nPositive))} / ${stat(S, `${path}.nNegative`, e.nNegative, String(e.nNegative))}`;
  const difference = e.medianDifference.estimable
    ? stat(S, `${path}.medianDifference.time`, e.medianDifference.time, formatMonths(e.medianDifference.time))
    : `${stat(S, `${path}.medianDifference.estimable`, false, 'n.e.')}${notes.ref(`n.e., not estimable: ${capitalize(e.medianDifference.reason)}.`)}`;
  const p = e.logRank.estimable
    ? stat(S, `${path}.logRank.p`, e.logRank.p, formatP(e.logRank.p).replace('<', '< '))
    : `${stat(S, `${path}.logRank.estimable`, false, 'n.e.')}${notes.ref(`n.e., not estimable: ${e.logRank.reason}`)}`;
  return [
    `<td class="num counts">${counts}</td>`,
    `<td>${medianCell(`${path}.positive`, e.positive, notes)}</td>`,
    `<td>${medianCell(`${path}.negative`, e.negative, notes)}</td>`,
    `<td class="num">${difference}</td>`,
    `<td class="num">${p}</td>`,
  ].join('');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The cases left out, grouped by reason: "C-004, C-007 (no LETB …); C-009 (…)". */
function leftOutList(leftOut: OutcomeGrouping['leftOut']): string {
  const byReason = new Map<string, string[]>();
  for (const x of leftOut) byReason.set(x.reason, [...(byReason.get(x.reason) ?? []), x.caseCode]);
  return [...byReason].map(([reason, codes]) => `${codes.join(', ')} (${reason})`).join('; ');
}

/**
 * "1 case with outcomes is in neither group: C-004 (no LETB …)." The grouping is not named, so
 * rows that leave out the same cases for the same reasons share one footnote.
 */
function leftOutNote(g: OutcomeGrouping): string | null {
  const n = g.leftOut.length;
  if (n === 0) return null;
  return `${n} case${n === 1 ? '' : 's'} with outcomes ${n === 1 ? 'is' : 'are'} in neither group: ${leftOutList(g.leftOut)}.`;
}

/**
 * One survival table: a block of rows per endpoint (the endpoint's definition as a footnote), a
 * row per grouping with N+ / N−, both medians with their 95 % CIs, the difference and the
 * log-rank P. (The reference study's tables put the endpoints side by side; four endpoints of
 * five columns each do not fit an A4 page, so here they are stacked.)
 */
function survivalTable(
  analysis: OutcomeAnalysis,
  rows: readonly { index: number; grouping: OutcomeGrouping }[],
  head: { label: string; positive: string; negative: string },
  caption: string,
): string {
  const notes = new Notes();
  const columns = 6;
  // The definitions take the first letters, in endpoint order, before any cell's note.
  const definitionRefs = analysis.endpoints.map(({ label, definition }) => notes.ref(`${label}: ${definition}`));
  const body = analysis.endpoints
    .map(({ endpoint, label }, e) => {
      const group = `<tr class="group"><th colspan="${columns}" scope="rowgroup">${esc(label)}${definitionRefs[e]}</th></tr>`;
      const lines = rows.map(({ index, grouping: g }, i) => {
        const leftOut = leftOutNote(g);
        // A rule where the LETB rows of the next reader begin (criteria rows name the reader in every row).
        const nextReader =
          g.kind === 'letb' &&
          i > 0 &&
          g.reader !== null &&
          rows[i - 1]!.grouping.reader?.readerId !== g.reader.readerId;
        const name =
          g.kind === 'letb'
            ? `${esc('< ')}${stat(outcomesStatScope, `groupings.${index}.thresholdPercent`, g.thresholdPercent, `${fixed(g.thresholdPercent ?? Number.NaN, 1)} %`)}${g.reader ? `, ${esc(g.reader.displayName)}` : ''}`
            : `${esc(criteriaNames[g.kind])}, ${esc(g.reader?.displayName ?? 'unknown reader')}`;
        return `<tr${nextReader ? ' class="reader-start"' : ''}><th scope="row" class="grouping">${name}${leftOut ? notes.ref(leftOut) : ''}</th>${comparisonCells(`groupings.${index}.comparison.endpoints.${endpoint}`, g.comparison.endpoints[endpoint], notes)}</tr>`;
      });
      return group + lines.join('');
    })
    .join('');
  const thead = `<tr><th scope="col" class="grouping">${esc(head.label)}</th><th scope="col" class="num">N+ / N−</th><th scope="col">${cap(head.positive)}</th><th scope="col">${cap(head.negative)}</th><th scope="col" class="num">Difference</th><th scope="col" class="num">Log-rank P</th></tr>`;
  const without = analysis.casesWithoutOutcome.length;
  const legend = `<ol class="notes plain"><li>N+ / N−, cases in the first / second group; medians in months with 95 % CI; difference, first minus second median; n.e., not estimable.${
    without > 0
      ? ` ${without} case${without === 1 ? '' : 's'} without an outcome row (${analysis.casesWithoutOutcome.join(', ')}) ${without === 1 ? 'is' : 'are'} in no analysis.`
      : ''
  }</li></ol>`;
  return `<table class="stats survival"><caption>${cap(caption)}</caption><thead>${thead}</thead><tbody>${body}</tbody></table>${legend.replaceAll(' %', '\u00a0%')}${notes.render()}`;
}

function kmFigures(analysis: OutcomeAnalysis, n: Counter): string {
  const shown = plottedGroupings(analysis);
  if (shown.length === 0) return '';
  const S = outcomesStatScope;
  const endpointLabel = analysis.endpoints.find((e) => e.endpoint === plottedEndpoint)?.label ?? 'Overall survival';
  const figures = shown.map(({ index, grouping: g }) => {
    const e = g.comparison.endpoints[plottedEndpoint];
    const name = outcomeGroupingName(g);
    const svg = kmPlot(outcomeKmCurves(g, plottedEndpoint), {
      title: `${endpointLabel} by ${name}`,
      timeLabel: 'Months since the baseline exam',
      survivalLabel: 'Overall survival',
      width: 330,
      height: 270,
      legend: 'below',
    });
    const path = `groupings.${index}.comparison.endpoints.${plottedEndpoint}`;
    const p = e.logRank.estimable
      ? `log-rank P ${e.logRank.p < 0.001 ? '' : '= '}${stat(S, `${path}.logRank.p`, e.logRank.p, formatP(e.logRank.p).replace('<', '< '))}`
      : 'log-rank test not estimable';
    return `<figure class="cell"><div class="svg">${svg}</div><figcaption><b>${esc(name)}</b> (${p})</figcaption></figure>`;
  });
  const letbGroupings = shown.filter((x) => x.grouping.kind === 'letb');
  const letbShown = letbGroupings.map((x) => `${fixed(x.grouping.thresholdPercent ?? Number.NaN, 1)} %`);
  const letbReader = letbGroupings.find((x) => x.grouping.reader)?.grouping.reader?.displayName;
  const criteriaReader = shown.find((x) => x.grouping.kind !== 'letb' && x.grouping.reader)?.grouping.reader
    ?.displayName;
  const reader = criteriaReader ?? letbReader;
  const by = [
    letbShown.length > 0
      ? `by the change of LETB at ${letbShown.join(' and ')}${letbReader ? ` from ${letbReader}'s ROI placements` : ''} (responders against non-responders)`
      : null,
    criteriaReader ? `by RECIST 1.1 and mRECIST objective response (CR or PR) as read by ${criteriaReader}` : null,
  ].filter(Boolean);
  const caption = `Figure ${++n.figure}. Kaplan–Meier curves of ${endpointLabel.toLowerCase()} (months since the baseline exam) ${by.join(', and ')}. Ticks, censored follow-ups. Overall survival is drawn because it is the reference study's primary endpoint and needs no judgement of progression; the other endpoints${reader ? ' and readers' : ''} are in the tables and, with their curves, in agreement.json.`;
  return `<div class="km-figures"><div class="figure-grid">${figures.join('')}</div><p class="figure-caption">${cap(caption)}</p></div>`;
}

/**
 * The survival paragraph for the manuscript: endpoints, time origin and unit, the estimator, the
 * medians' intervals and the test, with their references.
 */
export function outcomesMethodsParagraph(analysis: OutcomeAnalysis): string {
  const letbByReader = analysis.groupings.some((g) => g.kind === 'letb' && g.reader !== null);
  const labels = analysis.endpoints.map((e) => e.label.toLowerCase());
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? '');
  return [
    `${capitalize(list)} were measured from the baseline exam in months (days / ${analysis.daysPerMonth}) and estimated with the Kaplan–Meier method (Kaplan and Meier 1958).`,
    `Median times are given with 95 % confidence intervals (Brookmeyer and Crowley 1982, log transformation, as R survival 3.5-3 prints them) and compared between responders and non-responders with the log-rank test (Mantel 1966), for each threshold of the change of LETB from the baseline to the first follow-up${letbByReader ? " (from each reader's ROI placements, per reader)" : ''} and for objective response (complete or partial response) by RECIST 1.1 and mRECIST of each reader.`,
    `P values are two-sided and not adjusted for the multiple thresholds, endpoints and readers.`,
  ].join(' ');
}

/**
 * The "Outcomes" section of the report (SPEC §5; the layout of the reference study's Tables 3
 * and 4): the cases with outcomes, the survival methods paragraph, a table of the LETB
 * thresholds (the coordinator's placements, or each reader's with the reader named in every row)
 * and one of RECIST 1.1 / mRECIST objective response per reader, each with a block of rows per
 * endpoint (N+ / N−, medians with 95 % CI in months, difference, log-rank P; endpoint
 * definitions and left-out cases as footnotes; "n.e." with its reason, never NaN), then the
 * Kaplan–Meier curves of overall survival (`plottedGroupings`). Every number is in a
 * `data-stat="@outcomes|<path>"` element whose path goes into `analysis` (`cases`,
 * `groupings.4.comparison.endpoints.overallSurvival.positive.median.lower`,
 * `…logRank.p`, or `…logRank.estimable` / `…medianDifference.estimable` = false when n.e.).
 * @param analysis the study's outcome analysis (`getOutcomeAnalysis`)
 * @param n the report's table and figure counters, advanced
 * @returns the `<section id="outcomes">` HTML
 */
export function renderOutcomesSection(analysis: OutcomeAnalysis, n: Counter): string {
  const S = outcomesStatScope;
  const indexed = analysis.groupings.map((grouping, index) => ({ index, grouping }));
  const letb = indexed.filter((x) => x.grouping.kind === 'letb');
  const letbByReader = letb.some((x) => x.grouping.reader !== null);
  const criteria = indexed.filter((x) => x.grouping.kind !== 'letb');
  const without = analysis.casesWithoutOutcome.length;
  const intro =
    `<p>${stat(S, 'cases', analysis.cases, String(analysis.cases))} case${analysis.cases === 1 ? '' : 's'} with outcomes, imported ${esc(formatTimestamp(analysis.importedAt))} ` +
    `(file SHA-256 <span class="mono">${esc(analysis.sourceSha256.slice(0, 12))}…</span>)` +
    `${without > 0 ? `; ${stat(S, 'casesWithoutOutcome.length', without, String(without))} case${without === 1 ? '' : 's'} of the study without an outcome (${esc(analysis.casesWithoutOutcome.join(', '))}) ${without === 1 ? 'is' : 'are'} in no analysis` : ''}. ` +
    `Times are in months from the baseline exam.</p>`;
  const methods = `<p class="hint">Survival methods paragraph for the manuscript:</p><div class="methods" id="outcomes-methods"><p>${esc(outcomesMethodsParagraph(analysis))}</p></div>`;
  const letbTable = letb.length > 0 && letb.some((x) => hasGroupedCases(x.grouping));
  const noLetb =
    letb.length > 0 && !letbTable
      ? `<p id="outcomes-no-letb">No case with outcomes has a change of LETB from the baseline to the first follow-up, so there is no survival table by LETB${letb[0]!.grouping.leftOut.length > 0 ? `: ${esc(leftOutList(letb[0]!.grouping.leftOut))}` : ''}.</p>`
      : '';
  const tables = [
    noLetb,
    letbTable
      ? survivalTable(
          analysis,
          letb,
          {
            label: letbByReader ? 'Responder if ΔLETB, reader' : 'Responder if ΔLETB',
            positive: 'Median, responders (95 % CI)',
            negative: 'Median, non-responders (95 % CI)',
          },
          `Table ${++n.table}. Survival of responders and non-responders by the change of the liver enhancing tumour burden (ΔLETB, ${letbByReader ? "each reader's ROI placements in their blinded reads, per reader" : "coordinator's ROI placements"}) from the baseline to the first follow-up: a case is a responder when ΔLETB is below the threshold. Kaplan–Meier medians (months) with 95 % CI, their difference and the log-rank P, per endpoint.`,
        )
      : '',
    criteria.length > 0
      ? survivalTable(
          analysis,
          criteria,
          {
            label: 'Criteria, reader',
            positive: 'Median, objective response (95 % CI)',
            negative: 'Median, no objective response (95 % CI)',
          },
          `Table ${++n.table}. Survival by objective response (best overall response CR or PR) by RECIST 1.1 and mRECIST, per reader, against no objective response (SD, PD or not evaluable). Kaplan–Meier medians (months) with 95 % CI, their difference and the log-rank P, per endpoint.`,
        )
      : '',
  ].join('');
  return `<section id="outcomes" class="break"><h2>Outcomes</h2>${intro}${methods}${tables}${kmFigures(analysis, n)}</section>`;
}
