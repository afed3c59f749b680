import { createHash } from 'node:crypto';
import type { OutcomeAnalysis, OutcomeGrouping, OutcomesImported } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { letbChange, reportResponderThresholds, type LetbChange } from '../../../core/letb/letbChange';
import { caseEndpoints, daysPerMonth, outcomeEndpointDefinitions, outcomeEndpointKeys, type CaseEndpoints } from '../../../core/outcomes/outcomeEndpoints';
import { OutcomesCsvError, parseOutcomesCsv } from '../../../core/outcomes/parseOutcomesCsv';
import { survivalComparison } from '../../../core/outcomes/survivalComparison';
import type { ResponseCriteria } from '../../../core/recist/responseCategory';
import { caseTimepointLetb } from '../../db/repositories/caseLetb';
import { caseBaselines, replaceOutcomes, studyOutcomes } from '../../db/repositories/outcomes';
import { getStudy, studyProtocol } from '../../db/repositories/reads';
import { parseImportOutcomes, parseStudyIdRequest } from '../../ipc/parse/requests';
import { requireCoordinatorOf } from '../auth/requireRole';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';
import { unblindedCases } from './unblindedCases';

type OutcomeMethods = 'importOutcomes' | 'getOutcomeAnalysis';

const blindedMessage = 'The study is still blinded: outcomes exist only after unblinding, once every read is submitted and locked.';
const signed = (t: number) => `${t > 0 ? '+' : ''}${t}`;
const criteriaName: Record<ResponseCriteria, string> = { recist: 'RECIST 1.1', mrecist: 'mRECIST' };

/**
 * Outcomes (SPEC §5): the coordinator imports per-case event dates after unblinding and gets
 * survival by response. Readers never reach these methods (access level 'coordinator'), and the
 * study must be unblinded, so no outcome can exist while anyone still reads.
 */
export function createOutcomeHandlers(ctx: ServiceContext): Pick<HandlerTable, OutcomeMethods> {
  const db = ctx.db;

  async function requireUnblinded(studyId: number) {
    const study = await getStudy(db, studyId);
    if (!study.unblinded_at) throw new AppException('CONFLICT', blindedMessage);
    return study;
  }

  /**
   * LETB responder status per case at every report threshold: the change from the baseline
   * timepoint (ordinal 0) to the first follow-up (ordinal 1), each the mean of the placements on
   * that exam's arterial series (`caseTimepointLetb`); responder as `letbChange` defines it
   * (change strictly below the threshold). A string is why the case has no status.
   */
  async function letbStatus(studyId: number, caseCodes: readonly string[]): Promise<Map<string, LetbChange | string>> {
    const letb = await caseTimepointLetb(db, studyId);
    const out = new Map<string, LetbChange | string>();
    for (const code of caseCodes) {
      const timepoints = letb.get(code) ?? [];
      const pre = timepoints[0] ?? null;
      const post = timepoints[1] ?? null;
      const missing = [pre === null ? 'the baseline' : null, post === null ? 'the first follow-up' : null].filter(Boolean);
      if (missing.length > 0) {
        out.set(code, `no LETB at ${missing.join(' nor at ')} (no ROI placements on its arterial series)`);
        continue;
      }
      const change = letbChange(pre!, post!, reportResponderThresholds);
      out.set(code, change.estimable ? change : `LETB change not estimable: ${change.reason}`);
    }
    return out;
  }

  return {
    importOutcomes: {
      access: 'coordinator',
      parse: parseImportOutcomes('importOutcomes'),
      run: async ({ studyId, csv }, caller): Promise<OutcomesImported> => {
        const me = requireCoordinatorOf(caller, studyId);
        await requireUnblinded(studyId);
        const cases = await caseBaselines(db, studyId);
        let outcomes;
        try {
          outcomes = parseOutcomesCsv(csv, cases);
        } catch (err) {
          if (err instanceof OutcomesCsvError) throw new AppException('INVALID_INPUT', err.message);
          if (err instanceof InputDataError) throw new AppException('INVALID_INPUT', `The outcomes file cannot be read: ${err.message}`);
          throw err;
        }
        const sourceSha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
        const idByCode = new Map(cases.map((c) => [c.caseCode, c.caseId]));
        const importedAt = await replaceOutcomes(db, studyId, outcomes.map((o) => ({ caseId: idByCode.get(o.caseCode)!, dates: o.dates })), sourceSha256, `user:${me.userId}`);
        const withRow = new Set(outcomes.map((o) => o.caseCode));
        const endpoints = Object.fromEntries(
          outcomeEndpointKeys.map((e) => {
            const events = outcomes.filter((o) => o.endpoints[e].event).length;
            return [e, { events, censored: outcomes.length - events }];
          }),
        ) as OutcomesImported['endpoints'];
        return { cases: outcomes.length, casesWithoutRow: cases.filter((c) => !withRow.has(c.caseCode)).map((c) => c.caseCode), endpoints, importedAt, sourceSha256 };
      },
    },
    getOutcomeAnalysis: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getOutcomeAnalysis'),
      run: async ({ studyId }, caller): Promise<OutcomeAnalysis> => {
        requireCoordinatorOf(caller, studyId);
        const study = await requireUnblinded(studyId);
        const stored = await studyOutcomes(db, studyId);
        if (stored.length === 0) throw new AppException('NOT_FOUND', 'No outcomes have been imported for this study yet: import the outcomes CSV first.');
        const endpointsByCase = new Map<string, CaseEndpoints>(stored.map((o) => [o.caseCode, caseEndpoints(o.baselineDate, o.dates)]));
        // Every case is grouped (so each comparison counts those without outcomes); only cases
        // with outcomes are listed as left out, the others are listed once in casesWithoutOutcome.
        const allCases = await caseBaselines(db, studyId);
        const codes = allCases.map((c) => c.caseCode);
        const leaveOut = (list: OutcomeGrouping['leftOut'], caseCode: string, reason: string) => {
          if (endpointsByCase.has(caseCode)) list.push({ caseCode, reason });
        };
        const groupings: OutcomeGrouping[] = [];

        const letb = await letbStatus(studyId, codes);
        for (const [j, t] of reportResponderThresholds.entries()) {
          const grouping = new Map<string, boolean | null>();
          const leftOut: OutcomeGrouping['leftOut'] = [];
          for (const code of codes) {
            const status = letb.get(code)!;
            if (typeof status === 'string') {
              grouping.set(code, null);
              leaveOut(leftOut, code, status);
            } else if (status.estimable) {
              grouping.set(code, status.responders[j]!.responder);
            }
          }
          groupings.push({
            key: `letb${t}`,
            kind: 'letb',
            thresholdPercent: t,
            reader: null,
            positiveLabel: `LETB change < ${signed(t)} %`,
            negativeLabel: `LETB change ≥ ${signed(t)} %`,
            leftOut,
            comparison: survivalComparison(endpointsByCase, grouping, { labels: { positive: 'responder', negative: 'nonresponder' } }),
          });
        }

        const protocol = studyProtocol(study);
        const unblinded = await unblindedCases(db, studyId);
        const readers = new Map<number, string>();
        for (const c of unblinded) for (const r of c.reads) readers.set(r.readerId, r.reader);
        const readerIds = [...readers.keys()].sort((a, b) => a - b);
        for (const criteria of (['recist', 'mrecist'] as const).filter((c) => protocol.criteria.includes(c))) {
          for (const readerId of readerIds) {
            const displayName = readers.get(readerId)!;
            const grouping = new Map<string, boolean | null>();
            const leftOut: OutcomeGrouping['leftOut'] = [];
            for (const code of codes) {
              const read = unblinded.find((c) => c.caseCode === code)?.reads.find((r) => r.readerId === readerId && r.submittedAt !== '');
              const assessment = read?.assessment[criteria];
              const reason = !read ? `no submitted read by ${displayName}` : !assessment ? `the read has no ${criteriaName[criteria]} assessment` : !assessment.estimable ? assessment.reason : null;
              if (reason !== null) leaveOut(leftOut, code, reason);
              grouping.set(code, assessment?.estimable ? assessment.assessment.objectiveResponse : null);
            }
            groupings.push({
              key: criteria,
              kind: criteria,
              thresholdPercent: null,
              reader: { readerId, displayName },
              positiveLabel: `${criteriaName[criteria]} objective response (CR or PR), ${displayName}`,
              negativeLabel: `${criteriaName[criteria]} no objective response (SD, PD or NE), ${displayName}`,
              leftOut,
              comparison: survivalComparison(endpointsByCase, grouping, { labels: { positive: 'objective responder', negative: 'non-responder' } }),
            });
          }
        }

        return {
          studyId,
          importedAt: stored[0]!.importedAt,
          sourceSha256: stored[0]!.sourceSha256,
          cases: stored.length,
          casesWithoutOutcome: allCases.filter((c) => !endpointsByCase.has(c.caseCode)).map((c) => c.caseCode),
          timeUnit: 'months',
          daysPerMonth,
          endpoints: outcomeEndpointKeys.map((endpoint) => ({ endpoint, ...outcomeEndpointDefinitions[endpoint] })),
          groupings,
        };
      },
    },
  };
}
