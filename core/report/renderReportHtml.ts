import type { Interval, ItemAgreement } from '../agreement/itemAgreement';
import type { OutcomeAnalysis } from '../ipc/contract';
import { defaultResponderThresholds } from '../letb/letbChange';
import type { IccForm } from '../stats/icc';
import { iccForms } from '../stats/icc';
import { landisKochBands } from '../stats/landisKoch';
import type { Protocol } from '../studies/protocol';
import {
  fixed,
  formatCoefficient,
  formatMeasurement,
  formatP,
  formatPercent,
  formatTimestamp,
  minusSign,
} from './format';
import { outcomesStatScope, renderOutcomesSection } from './renderOutcomesHtml';
import { cap, esc, notApplicable, Notes, stat, type Counter } from './reportHtmlParts';
import type { LetbPlacementReproducibility } from './letbReproducibility';
import type { BlandAltmanPoints, StudyReport, WaterfallBar } from './studyReport';
import { blandAltmanPlot } from './svg/blandAltmanPlot';
import { confusionHeatmap } from './svg/confusionHeatmap';
import { fontStack } from './svg/svgDocument';
import { waterfallPlot } from './svg/waterfallPlot';

/** Patient identity per case code, given only when the coordinator asks for an identifying copy. */
export type ReportIdentity = ReadonlyMap<string, { patientName: string; patientId: string }>;

export interface RenderReportOptions {
  /** Case code → patient. Without it the report holds no patient identity (SPEC §6). */
  identity?: ReportIdentity;
  /** The study's survival analysis (`getOutcomeAnalysis`); without it the report says outcomes were not imported. */
  outcomes?: OutcomeAnalysis;
}

/** The scope of the report's own numbers (case count, seed, cross-tables) in `data-stat`. */
export const reportStatScope = '@report';

/**
 * The key of an agreement result in the report's `data-stat` attributes: the item id, and
 * `@timepoint` when it has one (`burden@0`, `recist.overall_response@1`, `recist.best_response`).
 */
export function agreementKey(a: Pick<ItemAgreement, 'item' | 'timepoint'>): string {
  return a.timepoint === null ? a.item : `${a.item}@${a.timepoint}`;
}

const criteriaNames: Record<string, string> = { recist: 'RECIST 1.1', mrecist: 'mRECIST' };

/** The readers' LETB items of the long export (`readRows`). */
const letbItemLabels: Record<string, string> = {
  'letb.percent': 'LETB, mean of three ROI placements',
  'letb.change_percent': 'Change of LETB from baseline',
  'letb.roi1': 'LETB, ROI placement 1',
  'letb.roi2': 'LETB, ROI placement 2',
  'letb.roi3': 'LETB, ROI placement 3',
};

/** "baseline" for timepoint 0, "follow-up n" for n ≥ 1, else "timepoint <t>". */
export function timepointName(timepoint: string): string {
  if (timepoint === '0') return 'baseline';
  return /^[1-9][0-9]*$/.test(timepoint) ? `follow-up ${timepoint}` : `timepoint ${timepoint}`;
}

/**
 * The label a reader of the paper understands for an analysed item: the protocol's label for a
 * reading-form question (with the timepoint when it is asked at every timepoint), and for the
 * computed items e.g. "RECIST 1.1 overall response (follow-up 1)", "mRECIST sum of viable target
 * diameters (baseline)", "LETB, mean of three ROI placements (baseline)"; an unknown id is shown
 * as it is.
 */
export function reportItemLabel(protocol: Protocol, item: string, timepoint: string | null): string {
  const at = timepoint === null ? '' : ` (${timepointName(timepoint)})`;
  const question = protocol.items.find((q) => q.id === item);
  if (question) return `${question.label}${question.scope === 'every' ? at : ''}`;
  const letb = letbItemLabels[item];
  if (letb) return `${letb}${at}`;
  const m = /^(m?recist)\.([a-z_]+)$/.exec(item);
  if (!m) return `${item}${at}`;
  const c = criteriaNames[m[1]!]!;
  const what: Record<string, string> = {
    overall_response: 'overall response',
    best_response: 'best overall response',
    objective_response: 'objective response (CR or PR)',
    target_response: 'target response',
    sum_mm: m[1] === 'recist' ? 'sum of target diameters' : 'sum of viable target diameters',
    change_from_baseline_percent: 'change of the sum from baseline',
    change_from_nadir_percent: 'change of the sum from the nadir',
  };
  return `${c} ${what[m[2]!] ?? m[2]!.replaceAll('_', ' ')}${at}`;
}

/** The unit of a continuous item: the protocol's for a numeric question, mm for sums, % for changes and LETB. */
export function reportItemUnit(protocol: Protocol, item: string): string {
  const question = protocol.items.find((q) => q.id === item);
  if (question) return question.kind === 'numeric' ? question.unit : '';
  if (/\.sum_mm$|\.(longest|viable)$/.test(item)) return 'mm';
  if (/_percent$/.test(item) || /^letb\.(percent|roi[0-9]+)$/.test(item)) return '%';
  return '';
}

/** Which group of the tables an item belongs to: the reading form's questions, a criteria, or the readers' LETB. */
function itemGroup(item: string): 'form' | 'recist' | 'mrecist' | 'letb' {
  const m = /^(m?recist|letb)\./.exec(item);
  return m ? (m[1] as 'recist' | 'mrecist' | 'letb') : 'form';
}
const groupTitles = {
  form: 'Reading-form questions',
  recist: 'RECIST 1.1 (categories and sums computed from the measurements)',
  mrecist: 'mRECIST (categories and sums computed from the measurements)',
  letb: "LETB (from each reader's three ROI placements)",
};

/** "0.56 (0.12 to 0.99)" with every number in its own data-stat element; "n.e." with a note when null. */
function estimateCell(
  key: string,
  path: string,
  value: number | null,
  ci: Interval | null,
  ciPath: string,
  format: (v: number) => string,
  notes: Notes,
  reason: string | null,
): string {
  if (value === null)
    return `${stat(key, path, null, 'n.e.')}${notes.ref(`n.e., not estimable: ${reason ?? 'not estimable for these data.'}`)}`;
  const interval =
    ci === null
      ? ''
      : ` <span class="ci">(${stat(key, `${ciPath}.0`, ci[0], format(ci[0]))} to ${stat(key, `${ciPath}.1`, ci[1], format(ci[1]))})</span>`;
  return `<span class="est">${stat(key, path, value, format(value))}</span>${interval}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function itemCell(report: StudyReport, a: ItemAgreement, notes: Notes): string {
  const label = reportItemLabel(report.study.protocol, a.item, a.timepoint);
  const excluded =
    a.excludedCases > 0
      ? notes.ref(
          `${a.excludedCases} case${a.excludedCases === 1 ? '' : 's'} left out of this item (not rated by every reader, or not evaluable): ${a.excludedCaseIds.join(', ')}.`,
        )
      : '';
  return `<th scope="row" class="item">${esc(label)}${excluded}<span class="item-id">${esc(a.timepoint === null ? a.item : `${a.item} @ ${a.timepoint}`)}</span></th>`;
}

function groupRows<T>(
  rows: readonly T[],
  itemOf: (row: T) => string,
  columns: number,
  render: (row: T) => string,
): string {
  let html = '';
  let current: string | null = null;
  for (const row of rows) {
    const g = itemGroup(itemOf(row));
    if (g !== current) {
      html += `<tr class="group"><th colspan="${columns}" scope="rowgroup">${esc(groupTitles[g])}</th></tr>`;
      current = g;
    }
    html += render(row);
  }
  return html;
}

function categoricalTable(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  if (items.length === 0) return '';
  const notes = new Notes();
  // Weighted kappas are computed for ordinal items with exactly two readers.
  const anyOrdinal = items.some((a) => a.scale === 'ordinal' && a.raters.length === 2);
  const anyFleiss = items.some((a) => a.raters.length >= 3);
  const anyCohen = items.some((a) => a.raters.length <= 2);
  const head = [
    '<th scope="col" class="item">Item</th>',
    '<th scope="col" class="num">n</th>',
    '<th scope="col" class="num">Readers</th>',
    anyCohen ? `<th scope="col">Cohen's κ (95\u00a0%\u00a0CI)</th>` : '',
    anyFleiss ? `<th scope="col">Fleiss' κ (P)</th>` : '',
    '<th scope="col">Strength<sup class="note-ref">†</sup></th>',
    anyOrdinal
      ? '<th scope="col">Weighted κ, linear (95\u00a0%\u00a0CI)</th><th scope="col">Weighted κ, quadratic (95\u00a0%\u00a0CI)</th>'
      : '',
    '<th scope="col" class="num">Agreement (%)</th>',
  ].join('');
  const columns = 5 + (anyCohen ? 1 : 0) + (anyFleiss ? 1 : 0) + (anyOrdinal ? 2 : 0);
  const body = groupRows(
    items,
    (a) => a.item,
    columns,
    (a) => {
      const key = agreementKey(a);
      const cohen = a.raters.length <= 2;
      const cells = [
        itemCell(report, a, notes),
        `<td class="num">${stat(key, 'n', a.n, String(a.n))}</td>`,
        `<td class="num">${stat(key, 'raters.length', a.raters.length, String(a.raters.length))}</td>`,
      ];
      if (anyCohen)
        cells.push(
          `<td>${cohen ? estimateCell(key, 'kappa', a.kappa, a.kappaCi, 'kappaCi', formatCoefficient, notes, a.reason) : notApplicable}</td>`,
        );
      if (anyFleiss) {
        cells.push(
          `<td>${
            cohen
              ? notApplicable
              : a.fleissKappa === null
                ? estimateCell(key, 'fleissKappa', null, null, '', formatCoefficient, notes, a.reason)
                : `<span class="est">${stat(key, 'fleissKappa', a.fleissKappa, formatCoefficient(a.fleissKappa))}</span>${a.fleissKappaP === null ? '' : ` <span class="ci">(P ${formatP(a.fleissKappaP).startsWith('<') ? '' : '= '}${stat(key, 'fleissKappaP', a.fleissKappaP, formatP(a.fleissKappaP).replace('<', '< '))})</span>`}`
          }</td>`,
        );
      }
      cells.push(`<td>${a.band === null ? notApplicable : stat(key, 'band', a.band, capitalize(a.band))}</td>`);
      if (anyOrdinal) {
        const weighted = a.scale === 'ordinal' && cohen;
        cells.push(
          `<td>${weighted ? estimateCell(key, 'weightedKappaLinear', a.weightedKappaLinear, a.weightedKappaLinearCi, 'weightedKappaLinearCi', formatCoefficient, notes, a.reason) : notApplicable}</td>`,
        );
        cells.push(
          `<td>${weighted ? estimateCell(key, 'weightedKappaQuadratic', a.weightedKappaQuadratic, a.weightedKappaQuadraticCi, 'weightedKappaQuadraticCi', formatCoefficient, notes, a.reason) : notApplicable}</td>`,
        );
      }
      cells.push(
        `<td class="num">${a.percentAgreement === null ? notApplicable : stat(key, 'percentAgreement', a.percentAgreement, formatPercent(a.percentAgreement))}</td>`,
      );
      return `<tr>${cells.join('')}</tr>`;
    },
  );
  const bands = landisKochBands
    .map((b) => `${b.band} ${b.from === null ? `< ${fixed(0, 2)}` : `${fixed(b.from, 2)}–${fixed(b.to, 2)}`}`)
    .join('; ');
  const caption =
    `Table ${++n.table}. Interreader agreement on categorical items. n, cases rated by every reader; κ, kappa with its asymptotic 95 % confidence interval (Fleiss, Cohen and Everitt 1969)` +
    `${anyOrdinal ? '; weighted κ over all levels of the ordinal scale (linear weights 1\u00a0−\u00a0|i\u00a0−\u00a0j|/(k\u00a0−\u00a01), quadratic 1\u00a0−\u00a0(i\u00a0−\u00a0j)²/(k\u00a0−\u00a01)²)' : ''}` +
    `${anyFleiss ? "; Fleiss' κ for three or more readers with P of the test κ = 0" : ''}; agreement, cases on which all readers gave the same level.`;
  const legend = `<ol class="notes plain"><li><sup>†</sup> Landis and Koch (1977), of the κ shown (Cohen's for two readers, Fleiss' for more): ${esc(bands)}; n.e., not estimable; —, not applicable.</li></ol>`;
  return `<table class="stats"><caption>${cap(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${legend}${notes.render()}`;
}

const iccNames: Record<IccForm, string> = {
  ICC1: 'ICC(1,1)',
  ICC2: 'ICC(2,1)',
  ICC3: 'ICC(3,1)',
  ICC1k: 'ICC(1,k)',
  ICC2k: 'ICC(2,k)',
  ICC3k: 'ICC(3,k)',
};
const iccDescriptions: Record<IccForm, string> = {
  ICC1: 'one-way random, single reader',
  ICC2: 'two-way random, absolute agreement, single reader',
  ICC3: 'two-way mixed, consistency, single reader',
  ICC1k: 'one-way random, mean of k readers',
  ICC2k: 'two-way random, absolute agreement, mean of k readers',
  ICC3k: 'two-way mixed, consistency, mean of k readers',
};
/** The form a continuous item's agreement is reported by; the others follow in a sub-table. */
const headlineIcc: IccForm = 'ICC2';

function continuousTable(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  if (items.length === 0) return '';
  const notes = new Notes();
  const protocol = report.study.protocol;
  const anyBa = items.some((a) => a.blandAltman !== null);
  const head = [
    '<th scope="col" class="item">Item</th>',
    '<th scope="col">Unit</th>',
    '<th scope="col" class="num">n</th>',
    '<th scope="col" class="num">Readers</th>',
    `<th scope="col">${iccNames[headlineIcc]} (95\u00a0%\u00a0CI)</th>`,
    anyBa ? '<th scope="col">Bias (95\u00a0%\u00a0CI)</th><th scope="col">95\u00a0% limits of agreement</th>' : '',
  ].join('');
  const body = groupRows(
    items,
    (a) => a.item,
    anyBa ? 7 : 5,
    (a) => {
      const key = agreementKey(a);
      const f = a.icc?.[headlineIcc] ?? null;
      const unit = reportItemUnit(protocol, a.item);
      const cells = [
        itemCell(report, a, notes),
        `<td>${esc(unit === '' ? '—' : unit)}</td>`,
        `<td class="num">${stat(key, 'n', a.n, String(a.n))}</td>`,
        `<td class="num">${stat(key, 'raters.length', a.raters.length, String(a.raters.length))}</td>`,
        `<td>${estimateCell(key, `icc.${headlineIcc}.value`, f?.value ?? null, f?.ci ?? null, `icc.${headlineIcc}.ci`, formatCoefficient, notes, f?.reason ?? a.reason)}</td>`,
      ];
      if (anyBa) {
        const ba = a.blandAltman;
        if (ba === null) cells.push(`<td>${notApplicable}</td><td>${notApplicable}</td>`);
        else {
          cells.push(
            `<td>${estimateCell(key, 'blandAltman.bias', ba.bias, ba.biasCi, 'blandAltman.biasCi', formatMeasurement, notes, ba.reason)}</td>`,
          );
          cells.push(
            `<td>${
              ba.lowerLimit === null || ba.upperLimit === null
                ? `${stat(key, 'blandAltman.lowerLimit', ba.lowerLimit, 'n.e.')}${notes.ref(`n.e., not estimable: ${ba.reason ?? 'not estimable for these data.'}`)}`
                : `${stat(key, 'blandAltman.lowerLimit', ba.lowerLimit, formatMeasurement(ba.lowerLimit))} to ${stat(key, 'blandAltman.upperLimit', ba.upperLimit, formatMeasurement(ba.upperLimit))}`
            }</td>`,
          );
        }
      }
      return `<tr>${cells.join('')}</tr>`;
    },
  );
  const pairs = [
    ...new Set(
      items.flatMap((a) => (a.blandAltman ? [`${a.blandAltman.raters[0]} − ${a.blandAltman.raters[1]}`] : [])),
    ),
  ];
  const difference =
    pairs.length === 1
      ? `the difference ${pairs[0]}`
      : 'the difference between the two readers (as labelled in the Bland–Altman plots)';
  const differenceNote = anyBa
    ? ` Bias, mean of ${difference}, with its t-based 95 % CI; limits of agreement, bias ∓ 1.96 SD of the differences (Bland and Altman 1986).`
    : '';
  const caption = `Table ${++n.table}. Interreader agreement on continuous items. ${iccNames[headlineIcc]}, intraclass correlation, two-way random effects, absolute agreement, single reader (Shrout and Fleiss 1979; McGraw and Wong ICC(A,1)) with its F-based 95 % CI; all six forms in Table ${n.table + 1}.${differenceNote}`;
  return `<table class="stats"><caption>${cap(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><ol class="notes plain"><li>n.e., not estimable; —, not applicable.</li></ol>${notes.render()}`;
}

function iccFormsTable(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  if (items.length === 0) return '';
  const notes = new Notes();
  const head = `<th scope="col" class="item">Item</th>${iccForms.map((f) => `<th scope="col" title="${esc(iccDescriptions[f])}">${esc(iccNames[f])}${f === headlineIcc ? '*' : ''}</th>`).join('')}`;
  const body = groupRows(
    items,
    (a) => a.item,
    1 + iccForms.length,
    (a) => {
      const key = agreementKey(a);
      const cells = iccForms.map((form) => {
        const f = a.icc?.[form] ?? null;
        return `<td class="icc">${estimateCell(key, `icc.${form}.value`, f?.value ?? null, f?.ci ?? null, `icc.${form}.ci`, formatCoefficient, notes, f?.reason ?? a.reason)}</td>`;
      });
      return `<tr>${itemCell(report, a, notes)}${cells.join('')}</tr>`;
    },
  );
  const caption = `Table ${++n.table}. The six intraclass correlation forms of Shrout and Fleiss (1979) with 95 % CIs, as R psych::ICC reports them: ${iccForms.map((f) => `${iccNames[f]}, ${iccDescriptions[f]}`).join('; ')}. *Headline form.`;
  return `<table class="stats compact"><caption>${cap(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${notes.render()}`;
}

/** Reproducibility is reported as ICC(1,1): the three placements of a timepoint are interchangeable repetitions, not distinct raters. */
const reproducibilityHeadline: IccForm = 'ICC1';
const reproducibilityForms: readonly IccForm[] = [reproducibilityHeadline, 'ICC2', 'ICC3'];

/** One ICC form of a reproducibility entry: "0.87 (0.84 to 0.89)", or "n.e." with the reason as a note. */
function reproducibilityCell(i: number, r: LetbPlacementReproducibility, form: IccForm, notes: Notes): string {
  const R = reportStatScope;
  const base = `letbReproducibility.${i}.icc`;
  if (!r.icc.estimable)
    return `${stat(R, `${base}.estimable`, false, 'n.e.')}${notes.ref(`n.e., not estimable: ${r.icc.reason}`)}`;
  const f = r.icc.forms[form];
  if (!f.estimable)
    return `${stat(R, `${base}.forms.${form}.estimable`, false, 'n.e.')}${notes.ref(`n.e., not estimable: ${f.reason}`)}`;
  return estimateCell(
    R,
    `${base}.forms.${form}.value`,
    f.value,
    f.ci,
    `${base}.forms.${form}.ci`,
    formatCoefficient,
    notes,
    null,
  );
}

function reproducibilityTable(report: StudyReport, n: Counter): string {
  if (report.letbReproducibility.length === 0) return '';
  const notes = new Notes();
  const R = reportStatScope;
  const head = [
    '<th scope="col" class="item">Reader</th>',
    '<th scope="col" class="num">Targets</th>',
    ...reproducibilityForms.map(
      (f) =>
        `<th scope="col" title="${esc(iccDescriptions[f])}">${esc(iccNames[f])}${f === reproducibilityHeadline ? '*' : ''} (95\u00a0%\u00a0CI)</th>`,
    ),
  ].join('');
  const body = report.letbReproducibility
    .map((r, i) => {
      const who =
        r.reader === null
          ? '<th scope="row" class="item pooled">All readers (pooled)</th>'
          : `<th scope="row" class="item">${esc(r.reader)}</th>`;
      const cells = reproducibilityForms.map(
        (f) =>
          `<td${f === reproducibilityHeadline ? '' : ' class="secondary"'}>${reproducibilityCell(i, r, f, notes)}</td>`,
      );
      return `<tr${r.reader === null ? ' class="pooled"' : ''}>${who}<td class="num">${stat(R, `letbReproducibility.${i}.targets`, r.targets, String(r.targets))}</td>${cells.join('')}</tr>`;
    })
    .join('');
  const caption =
    `Table ${++n.table}. Reproducibility of the three ROI placements of LETB, per reader and over all readers. ` +
    `Targets, timepoints of a case with all three placements measured (pooled: per reader, so a timepoint counts once for each reader); columns of the ICC, placements 1, 2 and 3 as the reader numbered them. ` +
    `*${iccNames[reproducibilityHeadline]}, one-way random effects, single placement (Shrout and Fleiss 1979), the form reported because the three placements of a timepoint are interchangeable repetitions, not distinct raters; ` +
    `${iccNames.ICC2} (two-way random, absolute agreement) and ${iccNames.ICC3} (two-way mixed, consistency) for comparison; F-based 95 % CIs as R psych::ICC gives them.`;
  return `<table class="stats reproducibility"><caption>${cap(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><ol class="notes plain"><li>n.e., not estimable.</li></ol>${notes.render()}`;
}

function pairwiseTable(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  const withPairs = items.filter((a) => a.pairwise !== null && a.pairwise.length > 0);
  if (withPairs.length === 0) return '';
  const notes = new Notes();
  const anyOrdinal = withPairs.some((a) => a.scale === 'ordinal');
  const head = `<th scope="col" class="item">Item</th><th scope="col">Readers</th><th scope="col">Cohen's κ (95\u00a0%\u00a0CI)</th><th scope="col">Strength</th>${anyOrdinal ? '<th scope="col">Weighted κ, linear</th><th scope="col">Weighted κ, quadratic</th>' : ''}<th scope="col" class="num">Agreement (%)</th>`;
  const rows = withPairs.flatMap((a) =>
    a.pairwise!.map((p, i) => {
      const key = agreementKey(a);
      const weighted = (path: 'weightedKappaLinear' | 'weightedKappaQuadratic') =>
        a.scale !== 'ordinal'
          ? notApplicable
          : p[path] === null
            ? stat(key, `pairwise.${i}.${path}`, null, 'n.e.')
            : stat(key, `pairwise.${i}.${path}`, p[path], formatCoefficient(p[path]!));
      return `<tr>${i === 0 ? itemCell(report, a, notes).replace('<th scope="row"', `<th scope="row" rowspan="${a.pairwise!.length}"`) : ''}<td class="pair">${esc(p.raters[0])} vs<br>${esc(p.raters[1])}</td><td>${estimateCell(key, `pairwise.${i}.kappa`, p.kappa, p.kappaCi, `pairwise.${i}.kappaCi`, formatCoefficient, notes, p.reason)}</td><td>${p.band === null ? notApplicable : stat(key, `pairwise.${i}.band`, p.band, capitalize(p.band))}</td>${anyOrdinal ? `<td>${weighted('weightedKappaLinear')}</td><td>${weighted('weightedKappaQuadratic')}</td>` : ''}<td class="num">${p.percentAgreement === null ? notApplicable : stat(key, `pairwise.${i}.percentAgreement`, p.percentAgreement, formatPercent(p.percentAgreement))}</td></tr>`;
    }),
  );
  const caption = `Table ${++n.table}. Cohen's κ of every pair of readers on the categorical items read by three or more readers, over the cases every reader rated.`;
  return `<table class="stats"><caption>${cap(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>${notes.render()}`;
}

/** About half the A4 text width in CSS px (180 mm text, 6 mm gap: 329 px); wider figures take the full width instead of shrinking much. */
const halfWidthPx = 340;

function figureClass(svg: string): string {
  const width = Number(/^<svg [^>]*?width="([\d.]+)"/.exec(svg)?.[1] ?? 0);
  return width > halfWidthPx ? 'cell span' : 'cell';
}

function heatmapFigures(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  const withTables = items.filter((a) => a.confusion !== null);
  if (withTables.length === 0) return '';
  const figures = withTables.map((a) => {
    const c = a.confusion!;
    const key = agreementKey(a);
    const label = reportItemLabel(report.study.protocol, a.item, a.timepoint);
    const svg = confusionHeatmap(c.levels, c.counts, c.rowRater, c.columnRater, {
      title: `${label}: ${c.rowRater} against ${c.columnRater}`,
      statPrefix: `${key}|confusion.counts`,
    });
    const kappa =
      a.kappa === null ? 'κ not estimable' : `κ = ${formatCoefficient(a.kappa)}${a.band === null ? '' : `, ${a.band}`}`;
    return `<figure class="${figureClass(svg)}"><div class="svg">${svg}</div><figcaption><b>${esc(label)}</b> (n = ${a.n}; ${esc(kappa)})</figcaption></figure>`;
  });
  const caption = `Figure ${++n.figure}. Confusion matrices of the two readers on every categorical item, over all levels of the item (levels no reader used are kept). Rows, first reader; columns, second reader; outlined diagonal, agreement; shading, number of cases.`;
  return `<div class="figure-grid">${figures.join('')}</div><p class="figure-caption">${cap(caption)}</p>`;
}

function blandAltmanFigures(report: StudyReport, items: readonly ItemAgreement[], n: Counter): string {
  const pointsByKey = new Map<string, BlandAltmanPoints>(report.blandAltman.map((p) => [agreementKey(p), p]));
  const shown = items.filter((a) => a.blandAltman !== null);
  if (shown.length === 0) return '';
  const figures = shown.map((a) => {
    const ba = a.blandAltman!;
    const points = pointsByKey.get(agreementKey(a)) ?? { means: [], differences: [] };
    const unit = reportItemUnit(report.study.protocol, a.item);
    const label = reportItemLabel(report.study.protocol, a.item, a.timepoint);
    const svg = blandAltmanPlot(points, ba.bias, ba.lowerLimit, ba.upperLimit, unit, {
      title: `Bland–Altman plot: ${label}`,
      differenceLabel: `${ba.raters[0]} ${minusSign} ${ba.raters[1]}`,
    });
    return `<figure class="${figureClass(svg)}"><div class="svg">${svg}</div><figcaption><b>${esc(label)}</b> (n = ${a.n})</figcaption></figure>`;
  });
  const caption = `Figure ${++n.figure}. Bland–Altman plots of the continuous items: difference between the two readers against their mean, per case; solid line, bias (mean difference); dashed lines, 95 % limits of agreement (bias ∓ 1.96 SD).`;
  return `<div class="figure-grid">${figures.join('')}</div><p class="figure-caption">${cap(caption)}</p>`;
}

function crossTables(report: StudyReport, n: Counter): string {
  if (report.crossTables.length === 0) return '';
  const tables = report.crossTables.map((t, ti) => {
    const columnTotals = t.levels.map((_, j) => t.counts.reduce((s, row) => s + (row[j] ?? 0), 0));
    const total = columnTotals.reduce((a, b) => a + b, 0);
    const concordant = t.levels.reduce((s, _, i) => s + (t.counts[i]?.[i] ?? 0), 0);
    const rows = t.levels
      .map((level, i) => {
        const row = t.counts[i] ?? [];
        const cells = t.levels
          .map(
            (_, j) =>
              `<td class="num${i === j ? ' diagonal' : ''}">${stat(reportStatScope, `crossTables.${ti}.counts.${i}.${j}`, row[j] ?? 0, String(row[j] ?? 0))}</td>`,
          )
          .join('');
        return `<tr><th scope="row">${esc(level)}</th>${cells}<td class="num total">${row.reduce((a, b) => a + b, 0)}</td></tr>`;
      })
      .join('');
    const head = `<tr><th rowspan="2" scope="col" class="corner">RECIST 1.1</th><th colspan="${t.levels.length}" scope="colgroup">mRECIST</th><th rowspan="2" scope="col" class="num">Total</th></tr><tr>${t.levels.map((l) => `<th scope="col" class="num">${esc(l)}</th>`).join('')}</tr>`;
    const foot = `<tr class="total"><th scope="row">Total</th>${columnTotals.map((c) => `<td class="num">${c}</td>`).join('')}<td class="num">${total}</td></tr>`;
    const same = total === 0 ? 'no case with both categories' : `same category in ${concordant} of ${total} cases`;
    return `<div class="cross"><table class="stats cross-table"><caption>${stat(reportStatScope, `crossTables.${ti}.reader`, t.reader, t.reader, 'b')} <span class="ci">(${esc(same)})</span></caption><thead>${head}</thead><tbody>${rows}${foot}</tbody></table></div>`;
  });
  const caption = `Table ${++n.table}. Overall response at the first follow-up by RECIST 1.1 (rows) and mRECIST (columns), per reader; cases where either category could not be computed are not counted. Shaded cells, the same category under both criteria.`;
  return `<p class="table-caption">${cap(caption)}</p><div class="cross-grid">${tables.join('')}</div>`;
}

function waterfallFigures(report: StudyReport, n: Counter): string {
  const parts: string[] = [];
  const readers = [...report.study.readers];
  for (const b of report.sumWaterfall) if (b.reader !== null && !readers.includes(b.reader)) readers.push(b.reader);
  const sumThresholds = [
    { percent: -30, label: `${minusSign}30 % (PR)` },
    { percent: 20, label: '+20 % (PD)' },
  ];
  if (report.sumWaterfall.length > 0) {
    const plots = readers.map((reader) => {
      const bars = report.sumWaterfall.filter((b: WaterfallBar) => b.reader === reader);
      const svg = waterfallPlot(bars, sumThresholds, {
        title: `Change of the RECIST 1.1 sum of target diameters at follow-up 1: ${reader}`,
        yLabel: 'Change of the sum (%)',
      });
      return `<figure class="wide"><div class="svg">${svg}</div><figcaption><b>${esc(reader)}</b> (${bars.length} case${bars.length === 1 ? '' : 's'})</figcaption></figure>`;
    });
    const caption = `Figure ${++n.figure}. Waterfall plots of the change of the RECIST 1.1 sum of target diameters from baseline to the first follow-up, per reader, sorted from the largest increase to the largest decrease. Dashed lines: −30 % (partial response) and +20 % (progression, which RECIST 1.1 also requires to be at least 5 mm and counts from the nadir; new lesions and non-target progression are not shown).`;
    parts.push(`${plots.join('')}<p class="figure-caption">${cap(caption)}</p>`);
  }
  if (report.letbWaterfall.length > 0) {
    const thresholds = defaultResponderThresholds.map((t) => ({ percent: t, label: `${fixed(t, 1)} %` }));
    const thresholdText = `Dashed lines: the responder thresholds ${defaultResponderThresholds.map((t) => `${fixed(t, 1)} %`).join(' and ')}; blue bars, at or below ${fixed(Math.min(...defaultResponderThresholds), 1)} %.`;
    if (report.letbWaterfall.some((b) => b.reader !== null)) {
      const letbReaders = [...readers];
      for (const b of report.letbWaterfall)
        if (b.reader !== null && !letbReaders.includes(b.reader)) letbReaders.push(b.reader);
      const plots = letbReaders.map((reader) => {
        const bars = report.letbWaterfall.filter((b) => b.reader === reader);
        const svg = waterfallPlot(bars, thresholds, {
          title: `Change of the liver enhancing tumour burden (LETB) at follow-up 1: ${reader}`,
          yLabel: 'Change of LETB (%)',
        });
        return `<figure class="wide"><div class="svg">${svg}</div><figcaption><b>${esc(reader)}</b> (${bars.length} case${bars.length === 1 ? '' : 's'})</figcaption></figure>`;
      });
      const caption = `Figure ${++n.figure}. Waterfall plots of the change of the liver enhancing tumour burden (LETB, mean of the reader's three ROI placements) from baseline to the first follow-up, per reader, sorted from the largest increase to the largest decrease; cases whose change could not be computed from a reader's read are not shown. ${thresholdText}`;
      parts.push(`${plots.join('')}<p class="figure-caption">${cap(caption)}</p>`);
    } else {
      const svg = waterfallPlot(report.letbWaterfall, thresholds, {
        title: 'Change of the liver enhancing tumour burden (LETB) at follow-up 1',
        yLabel: 'Change of LETB (%)',
      });
      const caption = `Figure ${++n.figure}. Waterfall plot of the change of the liver enhancing tumour burden (LETB, coordinator's ROI placements) from baseline to the first follow-up, per case. ${thresholdText}`;
      parts.push(
        `<figure class="wide"><div class="svg">${svg}</div></figure><p class="figure-caption">${cap(caption)}</p>`,
      );
    }
  }
  return parts.join('');
}

/** The study's case codes in the order the reads file first names them. */
function caseCodes(report: StudyReport): string[] {
  return [...new Set(report.rows.map((r) => r.case_code))];
}

function identityAppendix(report: StudyReport, identity: ReportIdentity): string {
  const codes = caseCodes(report);
  const rows = codes
    .map((code) => {
      const p = identity.get(code);
      return `<tr><th scope="row">${esc(code)}</th><td>${esc(p?.patientId ?? 'not given')}</td><td>${esc(p?.patientName ?? 'not given')}</td></tr>`;
    })
    .join('');
  return (
    `<section class="identity" id="identity"><h2>Appendix. Patient identity: IDENTIFYING</h2>` +
    `<p class="identity-warning">This appendix identifies patients. It was added at the coordinator's explicit request. Keep this copy confidential: do not share it with the readers, and remove this page before the report leaves the institution (for example, with a journal submission).</p>` +
    `<table class="stats identity-table"><thead><tr><th scope="col">Case code</th><th scope="col">Patient ID</th><th scope="col">Patient name</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

/** A CSS string literal of `text` that cannot end the string or the `<style>` element. */
function cssString(text: string): string {
  return `"${text
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/[\n\r\f]/g, ' ')
    .replace(/</g, '\\3c ')
    .replace(/>/g, '\\3e ')}"`;
}

function styles(footer: string): string {
  return `
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: ${cssString(footer)}; font: 7.5pt ${fontStack}; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt ${fontStack}; color: #555; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: ${fontStack}; font-size: 9.5pt; line-height: 1.4; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
@media print { main { max-width: none; padding: 0; } }
h1 { font-size: 17pt; margin: 0 0 1mm; line-height: 1.2; }
.subtitle { font-size: 11pt; color: #444; margin: 0 0 5mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 3mm; padding-bottom: 1mm; border-bottom: 1.5px solid #1a1a1a; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 2mm; break-after: avoid; }
section.break { break-before: page; }
section.break > h2:first-child { margin-top: 0; }
p { margin: 0 0 2.5mm; }
.summary { border: 1px solid #8c8c8c; padding: 3mm 4mm; margin: 0 0 5mm; break-inside: avoid; }
.summary dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 1mm 4mm; margin: 0; }
.summary dt { font-weight: bold; color: #333; }
.summary dd { margin: 0; }
.mac { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
.phi { margin: 3mm 0 0; padding-top: 2mm; border-top: 1px solid #d0d0d0; font-size: 9pt; }
.phi-banner { border: 2px solid #b00020; color: #b00020; font-weight: bold; padding: 2mm 3mm; margin: 0 0 4mm; }
.methods { border-left: 3px solid #0072B2; background: #f3f7fa; padding: 3mm 4mm; margin: 0 0 3mm; user-select: all; -webkit-user-select: all; }
.methods p { margin: 0; }
.hint { font-size: 8pt; color: #555; }
table.stats { border-collapse: collapse; width: 100%; margin: 5mm 0 1mm; font-size: 8.5pt; line-height: 1.3; border-top: 1.5px solid #1a1a1a; border-bottom: 1.5px solid #1a1a1a; }
table.stats caption { caption-side: top; text-align: left; font-size: 8.5pt; padding: 0 0 1.5mm; }
table.stats thead th { border-bottom: 0.8px solid #1a1a1a; vertical-align: bottom; font-weight: bold; }
table.stats th, table.stats td { padding: 1mm 1.6mm; text-align: left; vertical-align: top; }
table.stats td.num, table.stats th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.stats td { font-variant-numeric: tabular-nums; }
table.stats { break-inside: avoid; }
table.stats tr { break-inside: avoid; }
table.stats td.pair { white-space: nowrap; }
table.stats thead { display: table-header-group; }
table.stats tr.group th { font-weight: bold; font-style: italic; color: #333; padding-top: 2mm; border-bottom: 0.5px solid #bdbdbd; }
table.stats th.item { font-weight: normal; width: 32%; }
table.stats thead th.item { font-weight: bold; }
table.stats .item-id { display: block; font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 6.5pt; color: #767676; }
table.stats .ci { color: #444; white-space: nowrap; }
table.stats .est { font-weight: bold; }
table.stats.compact td.icc .ci { display: block; font-size: 7.5pt; }
table.stats.compact th.item { width: 26%; }
table.stats.reproducibility th.item { width: 24%; }
table.stats.reproducibility td.secondary .est { font-weight: normal; }
table.stats.reproducibility tr.pooled th, table.stats.reproducibility tr.pooled td { border-top: 0.5px solid #bdbdbd; }
.na { color: #767676; }
sup.note-ref { font-size: 6.5pt; color: #444; margin-left: 0.3mm; }
ol.notes { list-style: none; padding: 0; margin: 1mm 0 5mm; font-size: 7.5pt; color: #333; }
ol.notes.plain { margin-bottom: 0; }
ol.notes li { margin: 0 0 0.6mm; }
ol.notes + ol.notes { margin-top: 0; }
.table-caption, .figure-caption { font-size: 8.5pt; margin: 1mm 0 5mm; break-before: avoid; }
.table-caption { margin-bottom: 2mm; }
.figure-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm 6mm; }
figure { margin: 0; break-inside: avoid; }
figure .svg svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.cell { display: flex; flex-direction: column; justify-content: space-between; }
figure.cell .svg { flex: 1; display: flex; align-items: center; justify-content: center; }
figure.cell figcaption { font-size: 8pt; text-align: center; margin-top: 1.5mm; }
.figure-grid + .figure-caption { margin-top: 4mm; }
.figure-grid figure.span { grid-column: 1 / -1; }
figure.wide { margin: 0 0 2mm; }
figure.wide figcaption { font-size: 8pt; text-align: center; }
.cross-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm 8mm; }
.cross { break-inside: avoid; }
table.cross-table th.corner { vertical-align: bottom; }
table.cross-table td.diagonal { background: #e3ebf3; font-weight: bold; }
table.cross-table td.total, table.cross-table tr.total td, table.cross-table tr.total th { color: #555; }
table.cross-table tr.total th, table.cross-table tr.total td { border-top: 0.5px solid #8c8c8c; }
section.identity { break-before: page; }
section.identity h2 { color: #b00020; border-bottom-color: #b00020; }
.identity-warning { border: 2px solid #b00020; padding: 2mm 3mm; font-weight: bold; color: #b00020; }
table.identity-table { width: auto; min-width: 60%; }
table.stats.survival { break-inside: auto; }
table.stats.survival th.grouping { font-weight: normal; white-space: nowrap; }
table.stats.survival thead th.grouping { font-weight: bold; }
table.stats.survival td.counts, table.stats.survival thead th.num { white-space: nowrap; }
#outcomes .km-figures { break-before: page; }
table.stats.survival tr.group { break-after: avoid; }
table.stats.survival tr.reader-start th, table.stats.survival tr.reader-start td { border-top: 0.5px solid #bdbdbd; }
#outcomes .mono { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 8pt; }
#outcomes-not-imported { margin-top: 6mm; }
footer.colophon { margin-top: 6mm; font-size: 8pt; color: #555; border-top: 0.5px solid #bdbdbd; padding-top: 2mm; }
`;
}

/**
 * The study's agreement report as one standalone HTML document (UTF-8, inline CSS for A4 print,
 * inline SVG figures, no script and no external resource: a Content-Security-Policy forbids
 * them), for a journal reviewer and for printing to PDF:
 * - title and a summary box: readers, cases, criteria, seed, creation / freeze / unblinding
 *   dates, software and version, and the patient-identity statement;
 * - the methods paragraph (`report.methods`) in a block that selects as a whole;
 * - Table 1, categorical items: n, readers, Cohen's κ (95 % CI), Landis & Koch band, linearly and
 *   quadratically weighted κ (ordinal items), Fleiss' κ (three or more readers), % agreement;
 *   Table 2, continuous items: ICC(2,1) (two-way random, absolute agreement, single reader: the
 *   headline form) with CI, Bland–Altman bias (CI) and limits; Table 3, the six ICC forms;
 *   pairwise κ when three or more readers; when the protocol measures LETB, the readers' LETB and
 *   its change are continuous items of their own group, and a table of the reproducibility of the
 *   three ROI placements per reader and pooled (`report.letbReproducibility`: targets, ICC(1,1)
 *   with CI as the headline, ICC(2,1) and ICC(3,1)) follows the six ICC forms; a statistic that
 *   is null is printed "n.e." with its `reason` as a footnote, never NaN;
 * - confusion heat maps of the categorical items, Bland–Altman plots of the continuous ones,
 *   the RECIST 1.1 × mRECIST cross-table per reader, waterfall plots of the change of the sum per
 *   reader and of ΔLETB when present (per reader when the readers measured LETB);
 * - with `outcomes`, the "Outcomes" section (`renderOutcomesSection`): survival tables by LETB
 *   threshold and by RECIST 1.1 / mRECIST objective response per reader, Kaplan–Meier curves;
 *   without it one sentence says outcomes were not imported;
 * - with `identity`, a last page mapping case codes to patients, marked as identifying; without
 *   it no patient name or id appears anywhere (SPEC §6).
 * Numbers follow `format.ts` (coefficients 2 decimals, percentages 1). Every printed number sits
 * in an element `data-stat="<scope>|<path>" data-value="<String(value)>"`: the scope is
 * `agreementKey(item)` (e.g. `burden@0`) and the path a property path into that `ItemAgreement`
 * (`kappa`, `kappaCi.0`, `icc.ICC2.value`, `icc.ICC2.ci.1`, `blandAltman.bias`,
 * `confusion.counts.1.2`, `pairwise.0.kappa`, `raters.length` …), or the scope is `@report` and
 * the path goes into the `StudyReport` (`cases`, `study.randomizationSeed`,
 * `crossTables.0.counts.1.2`, `letbReproducibility.0.icc.forms.ICC1.value`, and
 * `letbReproducibility.0.icc.estimable` / `….forms.ICC2.estimable` = false when n.e.), or the scope is `@outcomes` and the path goes into the
 * `OutcomeAnalysis` (`groupings.4.comparison.endpoints.overallSurvival.logRank.p`); a null
 * statistic has data-value "null".
 * @param report the study report (`buildStudyReport`)
 * @param options identity: case code → patient, only for an identifying copy; outcomes: the
 *   study's outcome analysis
 * @returns the HTML text
 */
export function renderReportHtml(report: StudyReport, options: RenderReportOptions = {}): string {
  const s = report.study;
  const identity = options.identity;
  const n: Counter = { table: 0, figure: 0 };
  const categorical = report.agreement.filter((a) => a.scale !== 'continuous');
  const continuous = report.agreement.filter((a) => a.scale === 'continuous');
  const R = reportStatScope;

  const criteria =
    s.protocol.criteria.map((c) => criteriaNames[c]).join(', ') +
    (s.protocol.letb ? '; LETB from three ROI placements per timepoint' : '');
  const summary = [
    [
      'Readers',
      `${stat(R, 'study.readers.length', s.readers.length, String(s.readers.length))}: ${esc(s.readers.join(', '))}`,
    ],
    ['Cases', stat(R, 'cases', report.cases, String(report.cases))],
    ['Response criteria', esc(criteria)],
    [
      'Target lesions',
      `up to ${s.protocol.targets.maxTotal} in the liver (${s.protocol.targets.maxPerOrgan} per organ)`,
    ],
    ['Randomisation seed', stat(R, 'study.randomizationSeed', s.randomizationSeed, String(s.randomizationSeed))],
    [
      'Items analysed',
      `${report.agreement.length} (${categorical.length} categorical, ${continuous.length} continuous)`,
    ],
    ['Study created', esc(formatTimestamp(s.createdAt))],
    ['Protocol frozen', esc(formatTimestamp(s.frozenAt))],
    ['Unblinded', esc(formatTimestamp(s.unblindedAt))],
    ['Report generated', esc(formatTimestamp(s.generatedAt))],
    ['Software', esc(`${s.software.name} ${s.software.version}`)],
    ...(s.auditTrail
      ? [
          [
            'Audit trail',
            `${esc(String(s.auditTrail.rows))} rows when generated; head HMAC <span class="mac">${esc(s.auditTrail.lastMac)}</span>`,
          ],
        ]
      : []),
    [
      'Outcomes',
      options.outcomes
        ? `${stat(outcomesStatScope, 'cases', options.outcomes.cases, String(options.outcomes.cases))} cases, imported ${esc(formatTimestamp(options.outcomes.importedAt))}`
        : 'not imported',
    ],
  ]
    .map(([k, v]) => `<dt>${esc(k!)}</dt><dd>${v}</dd>`)
    .join('');
  const phiStatement = identity
    ? `<p class="phi"><b>Patient identity: this copy identifies patients.</b> The appendix on the last page maps case codes to patient names and IDs; it was added at the coordinator's explicit request. Everything before the appendix identifies cases by code only.</p>`
    : `<p class="phi"><b>Patient identity:</b> this report contains no patient identity. Cases are identified only by their study case codes; no patient name, patient ID, date of birth or exam date appears in it.</p>`;

  // The reproducibility table follows the six ICC forms, which the continuous table refers to as the next table.
  const agreementTables = [
    categoricalTable(report, categorical, n),
    pairwiseTable(report, categorical, n),
    continuousTable(report, continuous, n),
    iccFormsTable(report, continuous, n),
    reproducibilityTable(report, n),
  ].join('');
  const heatmaps = heatmapFigures(report, categorical, n);
  const baPlots = blandAltmanFigures(report, continuous, n);
  const cross = crossTables(report, n);
  const waterfalls = waterfallFigures(report, n);
  const outcomes = options.outcomes
    ? renderOutcomesSection(options.outcomes, n)
    : '<p class="hint" id="outcomes-not-imported">Outcomes were not imported for this study, so this report has no survival analysis (import the outcomes CSV on the study dashboard, then export the report again).</p>';

  const footer = `${s.name}: interreader agreement report${identity ? ' (IDENTIFYING)' : ''}`;
  const sections = [
    `<section id="agreement" class="break"><h2>Interreader agreement</h2>${agreementTables || '<p>No item to analyse.</p>'}</section>`,
    heatmaps ? `<section id="confusion" class="break"><h2>Confusion matrices</h2>${heatmaps}</section>` : '',
    baPlots ? `<section id="bland-altman" class="break"><h2>Bland–Altman plots</h2>${baPlots}</section>` : '',
    cross || waterfalls
      ? `<section id="response" class="break"><h2>Response by RECIST 1.1 and mRECIST${s.protocol.letb ? ' and LETB' : ''}</h2>${cross}${waterfalls}</section>`
      : '',
    outcomes,
  ].join('');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(`${s.software.name} ${s.software.version}`)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${s.name}: interreader agreement report`)}</title>
<style>${styles(footer)}</style>
</head>
<body>
<main>
<header>
${identity ? '<p class="phi-banner">CONTAINS PATIENT IDENTITY: confidential, see the appendix. Do not share with readers or attach to a submission.</p>' : ''}
<h1>${esc(s.name)}</h1>
<p class="subtitle">Interreader agreement report: blinded reads of liver CT by RECIST 1.1 and mRECIST${s.protocol.letb ? ', with LETB' : ''}</p>
</header>
<section class="summary" id="summary" aria-label="Study summary"><dl>${summary}</dl>${phiStatement}</section>
<section id="methods-section"><h2>Methods</h2>
<p class="hint">Methods paragraph for the manuscript (click once to select it all):</p>
<div class="methods" id="methods"><p>${esc(report.methods)}</p></div>
<p class="hint">Every number in this report is computed from the exported reads (reads.csv) by the same code as <code>concord agreement --reads reads.csv --protocol protocol.json --json</code>; the full-precision values are in agreement.json.</p>
</section>
${sections}
${identity ? identityAppendix(report, identity) : ''}
<footer class="colophon">${esc(`Generated ${formatTimestamp(s.generatedAt)} by ${s.software.name} ${s.software.version}.`)}${s.auditTrail ? ` ${esc(`Audit trail at generation: ${s.auditTrail.rows} rows, head HMAC`)} <span class="mac">${esc(s.auditTrail.lastMac)}</span>.` : ''} ${identity ? '<b>Identifying copy.</b>' : 'Contains no patient identity.'}</footer>
</main>
</body>
</html>
`;
}
