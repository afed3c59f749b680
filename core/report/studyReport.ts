import type { UnblindedCase } from '../ipc/contract';
import type { AgreementItemSpec } from '../agreement/agreementProtocol';
import { groupRatings, type ItemRatings } from '../agreement/groupRatings';
import { itemAgreement, type ItemAgreement } from '../agreement/itemAgreement';
import { parseLongCsv } from '../agreement/parseLongCsv';
import { confusionTable } from '../stats/confusionTable';
import type { ResponseCriteria } from '../recist/responseCategory';
import { responseCategories } from '../recist/responseCategory';
import type { Protocol } from '../studies/protocol';
import { readRows, toLongCsv, type LongRow } from '../studies/exportReads';
import { letbRoiVolumesMl } from '../studies/readForm';
import { letbReproducibility, type LetbPlacementReproducibility } from './letbReproducibility';

/** What the report says about the study itself (no patient identity). */
export interface ReportStudy {
  name: string;
  protocol: Protocol;
  randomizationSeed: number;
  createdAt: string;
  frozenAt: string | null;
  unblindedAt: string | null;
  readers: string[];
  software: { name: string; version: string };
  generatedAt: string;
  /**
   * The head of the data folder's keyed audit trail when the report was generated (rows and the
   * last row's HMAC, hex), so that the report can later be checked against the trail; absent when
   * the report is built outside a data folder.
   */
  auditTrail?: { rows: number; lastMac: string };
}

/** RECIST 1.1 against mRECIST overall response of one reader at the first follow-up. */
export interface CriteriaCrossTable {
  reader: string;
  levels: string[];
  /** counts[i][j]: cases with RECIST levels[i] and mRECIST levels[j]. */
  counts: number[][];
}

/** One bar of a waterfall plot. */
export interface WaterfallBar {
  caseCode: string;
  reader: string | null;
  changePercent: number;
}

/** Per-case values of a continuous item for the Bland-Altman plot (two readers). */
export interface BlandAltmanPoints {
  item: string;
  timepoint: string | null;
  raters: [string, string];
  means: number[];
  differences: number[];
}

export interface StudyReport {
  study: ReportStudy;
  cases: number;
  /** The long rows, exactly what reads.csv holds. */
  rows: LongRow[];
  readsCsv: string;
  /** The items analysed (protocol questions and the computed categories and sums). */
  items: AgreementItemSpec[];
  /** Agreement per item (and timepoint): the same objects `concord agreement` prints for reads.csv. */
  agreement: ItemAgreement[];
  crossTables: CriteriaCrossTable[];
  /** Change of the RECIST 1.1 sum from the baseline at the first follow-up, per reader and case. */
  sumWaterfall: WaterfallBar[];
  /**
   * Change of LETB from the baseline at the first follow-up: per reader and case from the
   * readers' ROI placements when the protocol measures LETB, else per case from the
   * coordinator's ROIs (reader null); empty without LETB.
   */
  letbWaterfall: WaterfallBar[];
  /** Reproducibility of the readers' three ROI placements, per reader then pooled (`letbReproducibility`); empty unless the protocol measures LETB. */
  letbReproducibility: LetbPlacementReproducibility[];
  blandAltman: BlandAltmanPoints[];
  methods: string;
}

/**
 * The items a study's agreement report analyses: every protocol question (numeric ones as
 * continuous), and for each criteria of the protocol the overall response and the objective
 * response (nominal), the best response, and the sum of diameters (continuous, per timepoint);
 * when the protocol measures LETB, the readers' LETB (`letb.percent`, mean of the three
 * placements, per timepoint) and its change from the baseline (`letb.change_percent`, per
 * follow-up), both continuous. Ids are those of the long export so `concord agreement` reads the
 * same file the same way.
 */
export function reportItems(protocol: Protocol): AgreementItemSpec[] {
  const items: AgreementItemSpec[] = protocol.items.map((it) =>
    it.kind === 'numeric'
      ? { id: it.id, scale: 'continuous' as const }
      : { id: it.id, scale: it.kind, levels: [...it.levels] },
  );
  for (const c of protocol.criteria) {
    items.push(
      { id: `${c}.overall_response`, scale: 'nominal', levels: [...responseCategories] },
      { id: `${c}.best_response`, scale: 'nominal', levels: [...responseCategories] },
      { id: `${c}.objective_response`, scale: 'nominal', levels: ['yes', 'no'] },
      { id: `${c}.sum_mm`, scale: 'continuous' },
    );
  }
  if (protocol.letb)
    items.push({ id: 'letb.percent', scale: 'continuous' }, { id: 'letb.change_percent', scale: 'continuous' });
  return items;
}

const criteriaName: Record<ResponseCriteria, string> = { recist: 'RECIST 1.1', mrecist: 'mRECIST' };

/**
 * The methods paragraph a study can paste into a paper: software and version, design (readers,
 * blinding, randomisation seed), the response criteria, LETB when the protocol measures it (SPEC
 * §2), and the statistics with their references.
 */
export function methodsParagraph(s: ReportStudy, cases: number): string {
  const criteria = s.protocol.criteria.map((c) => criteriaName[c]).join(' and ');
  const [large, small] = letbRoiVolumesMl.map((v) => v.toFixed(1));
  const letb = s.protocol.letb
    ? [
        `Each reader also measured the liver enhancing tumour burden (LETB) at every timepoint: on the subtraction image (late arterial minus precontrast phase) the reader placed a spherical or cubic region of interest of ${large} cm³ (${small} cm³ when little tumour-free liver remained) three times in tumour-free liver parenchyma; each placement gave the threshold T = mean + 2 SD of the subtraction inside it, the enhancing liver volume (liver-mask voxels above T) and LETB = enhancing liver volume / liver volume × 100, and the LETB of the timepoint was the mean of the three placements; its change from the baseline to the first follow-up was (LETB post − LETB pre) / LETB pre × 100.`,
        `The reproducibility of the three placements was assessed with the one-way random-effects intraclass correlation ICC(1,1) (placements interchangeable), per reader and over all readers, and the agreement between readers on LETB and its change with intraclass correlation coefficients and Bland-Altman limits of agreement.`,
      ]
    : [];
  return [
    `${s.readers.length} readers (${s.readers.join(', ')}) independently read ${cases} case${cases === 1 ? '' : 's'} with ${s.software.name} ${s.software.version}, an offline reader-study application.`,
    `Readers were blinded to patient identity, real exam dates (shown relative to the baseline), outcomes and each other's reads; each read the cases in an individually randomised order drawn from the study seed ${s.randomizationSeed}.`,
    `Up to ${Math.min(s.protocol.targets.maxTotal, s.protocol.targets.maxPerOrgan)} liver target lesions per case were measured with an on-image caliper; response categories by ${criteria} were computed by the software from the measurements (never entered by the readers), with progression judged against the nadir${s.protocol.criteria.includes('recist') ? ' and, for RECIST 1.1, a 5 mm minimum absolute increase' : ''}.`,
    ...letb,
    `Submitted reads were locked; every entry was recorded in an append-only audit trail chained by HMAC-SHA-256 under a key kept outside the database, and the study was unblinded only after all reads were locked, which froze it.`,
    `Interreader agreement was assessed with Cohen's kappa (two readers; asymptotic standard errors and 95 % confidence intervals after Fleiss, Cohen and Everitt 1969), linearly and quadratically weighted kappa for ordinal items, Fleiss' kappa for more than two readers, and intraclass correlation coefficients (Shrout and Fleiss 1979, with F-based 95 % confidence intervals) with Bland-Altman limits of agreement for continuous measures; kappa values were graded after Landis and Koch (1977).`,
    `The software's statistics are validated against R (psych 2.2.9, vcd 1.4-11, survival 3.5-3) to within 1e-9.`,
  ].join(' ');
}

/**
 * Builds the agreement report of an unblinded study from its reads: the long rows (reads.csv),
 * the agreement of every report item computed from that very CSV text (so the report and
 * `concord agreement --reads reads.csv` agree to the last digit), the RECIST-vs-mRECIST
 * cross-table per reader, the waterfall data and the Bland-Altman points of two-reader
 * continuous items; when the protocol measures LETB, the reproducibility of the readers' three ROI
 * placements (`letbReproducibility`, from the same rows) and the ΔLETB waterfall of each reader.
 * @param letbChanges per case code, ΔLETB % from the baseline to the first follow-up of the
 *   coordinator's ROIs (optional); not used when the protocol has the readers measure LETB
 */
export function buildStudyReport(
  study: ReportStudy,
  cases: readonly UnblindedCase[],
  letbChanges: ReadonlyMap<string, number> = new Map(),
): StudyReport {
  const rows = cases.flatMap((c) =>
    c.reads.flatMap((r) => readRows(c.caseCode, r.reader, r.entries, r.assessment, r.letb)),
  );
  const readsCsv = toLongCsv(rows);
  const items = reportItems(study.protocol);
  // The study's own export: no size or reader cap (they guard files from elsewhere).
  const grouped = groupRatings(parseLongCsv(readsCsv, { maxBytes: Number.POSITIVE_INFINITY }).rows, items, {
    maxRaters: Number.POSITIVE_INFINITY,
  });
  const agreement = grouped.map((g) => itemAgreement(g));

  const crossTables: CriteriaCrossTable[] = [];
  const sumWaterfall: WaterfallBar[] = [];
  if (study.protocol.criteria.length === 2) {
    for (const reader of study.readers) {
      const pairs = cases.flatMap((c) => {
        const r = c.reads.find((x) => x.reader === reader);
        const a = r?.assessment.recist;
        const b = r?.assessment.mrecist;
        if (!a?.estimable || !b?.estimable || !a.assessment.followUps[0] || !b.assessment.followUps[0]) return [];
        return [[a.assessment.followUps[0].overallResponse, b.assessment.followUps[0].overallResponse] as const];
      });
      const t = confusionTable(
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
        responseCategories,
      );
      crossTables.push({ reader, levels: [...responseCategories], counts: t.counts.map((row) => [...row]) });
    }
  }
  for (const c of cases) {
    for (const r of c.reads) {
      const a = r.assessment.recist;
      const change = a?.estimable ? a.assessment.followUps[0]?.changeFromBaselinePercent : null;
      if (typeof change === 'number')
        sumWaterfall.push({ caseCode: c.caseCode, reader: r.reader, changePercent: change });
    }
  }
  const letbWaterfall: WaterfallBar[] = study.protocol.letb
    ? cases.flatMap((c) =>
        c.reads.flatMap((r) =>
          r.letb?.change?.estimable
            ? [{ caseCode: c.caseCode, reader: r.reader, changePercent: r.letb.change.changePercent }]
            : [],
        ),
      )
    : [...letbChanges].map(([caseCode, changePercent]) => ({ caseCode, reader: null, changePercent }));

  const blandAltman = grouped.flatMap((g: ItemRatings): BlandAltmanPoints[] => {
    if (g.scale !== 'continuous' || g.raters.length !== 2 || g.ratings.length === 0) return [];
    return [
      {
        item: g.item,
        timepoint: g.timepoint,
        raters: [g.raters[0]!, g.raters[1]!],
        means: g.ratings.map((x) => (x[0]! + x[1]!) / 2),
        differences: g.ratings.map((x) => x[0]! - x[1]!),
      },
    ];
  });

  const reproducibility = study.protocol.letb ? letbReproducibility(rows, study.readers) : [];

  return {
    study,
    cases: cases.length,
    rows,
    readsCsv,
    items,
    agreement,
    crossTables,
    sumWaterfall,
    letbWaterfall,
    letbReproducibility: reproducibility,
    blandAltman,
    methods: methodsParagraph(study, cases.length),
  };
}
