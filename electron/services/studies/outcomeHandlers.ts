import { createHash } from 'node:crypto';
import type { OutcomeAnalysis, OutcomesImported } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { outcomeEndpointKeys } from '../../../core/outcomes/outcomeEndpoints';
import { OutcomesCsvError, parseOutcomesCsv } from '../../../core/outcomes/parseOutcomesCsv';
import { caseBaselines, replaceOutcomes } from '../../db/repositories/outcomes';
import { getStudy } from '../../db/repositories/reads';
import { parseImportOutcomes, parseStudyIdRequest } from '../../ipc/parse/requests';
import { requireCoordinatorOf } from '../auth/requireRole';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';
import { outcomesBlindedMessage, studyOutcomeAnalysis } from './outcomeAnalysis';

type OutcomeMethods = 'importOutcomes' | 'getOutcomeAnalysis';

/**
 * Outcomes (SPEC §5): the coordinator imports per-case event dates after unblinding and gets
 * survival by response. Readers never reach these methods (access level 'coordinator'), and the
 * study must be unblinded, so no outcome can exist while anyone still reads.
 */
export function createOutcomeHandlers(ctx: ServiceContext): Pick<HandlerTable, OutcomeMethods> {
  const db = ctx.db;

  async function requireUnblinded(studyId: number) {
    const study = await getStudy(db, studyId);
    if (!study.unblinded_at) throw new AppException('CONFLICT', outcomesBlindedMessage);
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
          if (err instanceof InputDataError)
            throw new AppException('INVALID_INPUT', `The outcomes file cannot be read: ${err.message}`);
          throw err;
        }
        const sourceSha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
        const idByCode = new Map(cases.map((c) => [c.caseCode, c.caseId]));
        const importedAt = await replaceOutcomes(
          db,
          studyId,
          outcomes.map((o) => ({ caseId: idByCode.get(o.caseCode)!, dates: o.dates })),
          sourceSha256,
          `user:${me.userId}`,
        );
        const withRow = new Set(outcomes.map((o) => o.caseCode));
        const endpoints = Object.fromEntries(
          outcomeEndpointKeys.map((e) => {
            const events = outcomes.filter((o) => o.endpoints[e].event).length;
            return [e, { events, censored: outcomes.length - events }];
          }),
        ) as OutcomesImported['endpoints'];
        return {
          cases: outcomes.length,
          casesWithoutRow: cases.filter((c) => !withRow.has(c.caseCode)).map((c) => c.caseCode),
          endpoints,
          importedAt,
          sourceSha256,
        };
      },
    },
    getOutcomeAnalysis: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getOutcomeAnalysis'),
      run: async ({ studyId }, caller): Promise<OutcomeAnalysis> => {
        requireCoordinatorOf(caller, studyId);
        const analysis = await studyOutcomeAnalysis(db, studyId);
        if (analysis === null)
          throw new AppException(
            'NOT_FOUND',
            'No outcomes have been imported for this study yet: import the outcomes CSV first.',
          );
        return analysis;
      },
    },
  };
}
