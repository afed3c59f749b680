import { AppException } from '../../../core/ipc/result';
import { sessionSettingsProblem } from '../../../core/auth/sessionSettings';
import { listStudies } from '../../db/repositories/studies';
import { parseEmpty, parseStudyIdRequest, parseStudyUserRequest } from '../../ipc/parse/requests';
import { parseSessionSettings, parseUnlockUser } from '../../ipc/parse/auth';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';
import { requireCoordinatorOf } from './requireRole';

type AuthMethods = 'signIn' | 'signOut' | 'whoAmI' | 'getSignInSecurity' | 'setSessionSettings' | 'unlockStudyUser';

/** Sign-in, sign-out, the caller's identity, and the coordinator's session settings and lockouts. */
export function createAuthHandlers(ctx: ServiceContext): Pick<HandlerTable, AuthMethods> {
  return {
    signIn: {
      access: 'anyone',
      parse: parseStudyUserRequest('signIn'),
      run: (req, caller) => ctx.auth.signIn(caller, req),
    },
    signOut: {
      access: 'anyone',
      parse: parseEmpty('signOut'),
      run: async (_req, caller) => {
        await ctx.auth.signOut(caller);
        return { signedOut: true as const };
      },
    },
    whoAmI: {
      access: 'anyone',
      parse: parseEmpty('whoAmI'),
      run: async (_req, caller) => {
        if (caller.kind !== 'user') return null;
        const study = (await listStudies(ctx.db)).find((s) => s.id === caller.studyId);
        return {
          userId: caller.userId,
          studyId: caller.studyId,
          studyName: study?.name ?? '',
          role: caller.role,
          displayName: caller.displayName,
        };
      },
    },
    getSignInSecurity: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getSignInSecurity'),
      run: async ({ studyId }, caller) => {
        requireCoordinatorOf(caller, studyId);
        return ctx.auth.security(studyId);
      },
    },
    setSessionSettings: {
      access: 'coordinator',
      parse: parseSessionSettings('setSessionSettings'),
      run: async ({ studyId, ...settings }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        const problem = sessionSettingsProblem(settings);
        if (problem) throw new AppException('INVALID_INPUT', problem);
        await ctx.auth.setSettings(studyId, settings, `user:${me.userId}`);
        return ctx.auth.security(studyId);
      },
    },
    unlockStudyUser: {
      access: 'coordinator',
      parse: parseUnlockUser('unlockStudyUser'),
      run: async ({ studyId, userId }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        await ctx.auth.unlock(studyId, userId, `user:${me.userId}`);
        return ctx.auth.security(studyId);
      },
    },
  };
}
