import { randomInt } from 'node:crypto';
import type { CoordinatorCase } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { ProtocolError, referenceProtocol, validateProtocol } from '../../../core/studies/protocol';
import { addReader, createStudy, listStudies } from '../../db/repositories/studies';
import {
  parseCaseRequest,
  parseCreateStudy,
  parseEmpty,
  parseSplitCase,
  parseStudyIdRequest,
  parseStudyUserRequest,
} from '../../ipc/parse/requests';
import { addCasesFromIndex, joinCase, listCases, readerWorklist, splitCase } from '../../db/repositories/cases';
import { hashPassphrase } from '../auth/passphrase';
import { passphraseProblem } from '../../../core/auth/passphraseRule';
import { requireCoordinator, requireCoordinatorOf, requireReader } from '../auth/requireRole';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';
import { caseSeries, getStudy, studyProtocol } from '../../db/repositories/reads';
import { letbReadiness } from '../letb/readLetbFields';

type StudyMethods =
  | 'listReadingStudies'
  | 'createReadingStudy'
  | 'addStudyReader'
  | 'addCasesFromIndex'
  | 'listStudyCases'
  | 'splitStudyCase'
  | 'joinStudyCase'
  | 'getMyWorklist';

function checkPassphrase(passphrase: string): void {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new AppException('INVALID_INPUT', problem);
}

/** Reading studies and their users (sign-in itself: auth/authHandlers). */
export function createStudyHandlers(ctx: ServiceContext): Pick<HandlerTable, StudyMethods> {
  /**
   * The study's cases for the coordinator; when the protocol measures LETB, each timepoint says
   * whether readers will find its phases and liver mask, and which mask with its checks
   * (`letbReadiness`: the database, and the header of an exam's SEG; no volume is loaded).
   */
  async function casesWithLetbReadiness(studyId: number): Promise<CoordinatorCase[]> {
    const cases = await listCases(ctx.db, studyId);
    if (!studyProtocol(await getStudy(ctx.db, studyId)).letb) return cases;
    for (const c of cases) {
      const series = await caseSeries(ctx.db, c.caseId);
      for (const t of c.timepoints) {
        t.letb = await letbReadiness(ctx.db, c.caseId, t.ordinal, series);
      }
    }
    return cases;
  }

  return {
    listReadingStudies: {
      access: 'anyone',
      parse: parseEmpty('listReadingStudies'),
      run: () => listStudies(ctx.db),
    },
    createReadingStudy: {
      access: 'coordinator',
      parse: parseCreateStudy('createReadingStudy'),
      run: async (req, caller) => {
        checkPassphrase(req.passphrase);
        let protocol = referenceProtocol;
        if (req.protocol !== undefined) {
          try {
            protocol = validateProtocol(req.protocol);
          } catch (err) {
            if (err instanceof ProtocolError) throw new AppException('INVALID_INPUT', err.message);
            throw err;
          }
        }
        const { study, coordinator } = await createStudy(ctx.db, {
          name: req.name,
          protocol,
          seed: req.seed ?? randomInt(0, 2 ** 47),
          coordinatorName: req.coordinatorName,
          passphraseHash: await hashPassphrase(req.passphrase),
        });
        ctx.studyCount++;
        await ctx.auth.startSession(caller, coordinator, { via: 'study.create' });
        return study;
      },
    },
    addStudyReader: {
      access: 'coordinator',
      parse: parseStudyUserRequest('addStudyReader'),
      run: async (req, caller) => {
        if (caller.kind !== 'user' || caller.studyId !== req.studyId)
          throw new AppException('FORBIDDEN', 'Only the coordinator of this study can add its readers.');
        checkPassphrase(req.passphrase);
        return addReader(
          ctx.db,
          req.studyId,
          req.displayName,
          await hashPassphrase(req.passphrase),
          `user:${caller.userId}`,
        );
      },
    },
    addCasesFromIndex: {
      access: 'coordinator',
      parse: parseStudyIdRequest('addCasesFromIndex'),
      run: async ({ studyId }, caller) => {
        const coordinator = requireCoordinatorOf(caller, studyId);
        const created = await addCasesFromIndex(ctx.db, studyId, `user:${coordinator.userId}`);
        return { created, cases: await casesWithLetbReadiness(studyId) };
      },
    },
    listStudyCases: {
      access: 'coordinator',
      parse: parseStudyIdRequest('listStudyCases'),
      run: async ({ studyId }, caller) => {
        requireCoordinatorOf(caller, studyId);
        return casesWithLetbReadiness(studyId);
      },
    },
    splitStudyCase: {
      access: 'coordinator',
      parse: parseSplitCase('splitStudyCase'),
      run: async ({ caseId, atTimepoint }, caller) => {
        const me = requireCoordinator(caller);
        await splitCase(ctx.db, me.studyId, caseId, atTimepoint, `user:${me.userId}`);
        return casesWithLetbReadiness(me.studyId);
      },
    },
    joinStudyCase: {
      access: 'coordinator',
      parse: parseCaseRequest('joinStudyCase'),
      run: async ({ caseId }, caller) => {
        const me = requireCoordinator(caller);
        await joinCase(ctx.db, me.studyId, caseId, `user:${me.userId}`);
        return casesWithLetbReadiness(me.studyId);
      },
    },
    getMyWorklist: {
      access: 'reader',
      parse: parseEmpty('getMyWorklist'),
      run: async (_req, caller) => {
        const me = requireReader(caller);
        return readerWorklist(ctx.db, me.studyId, me.userId);
      },
    },
  };
}
