import { join } from 'node:path';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger, type Logger } from '../../electron/services/logger';
import type { CallChannel } from '../../electron/services/auth/callers';
import type { ReadingStudySummary, StudyUser } from '../../core/ipc/contract';
import { ok } from './readingStudy';

/** A clock the test moves by hand (epoch ms): session timeouts and sign-in waits, without sleeping. */
export function testClock(startIso = '2026-03-02T09:00:00.000Z') {
  let nowMs = Date.parse(startIso);
  return {
    now: () => nowMs,
    advanceMinutes(m: number) {
      nowMs += m * 60_000;
    },
    advanceSeconds(s: number) {
      nowMs += s * 1000;
    },
  };
}

/**
 * A channel as the browser host builds one: the session token travels with the call and comes
 * back through `deliverToken`, so tests see exactly what a page would hold.
 */
export function pageChannel(connection: string, source = 'host 127.0.0.1') {
  let token: string | undefined;
  const delivered: (string | null)[] = [];
  return {
    delivered,
    get token() {
      return token;
    },
    set token(t: string | undefined) {
      token = t;
    },
    /** The channel of one call (a page builds one per request). */
    call(): CallChannel {
      return {
        connection,
        source,
        ...(token !== undefined ? { sessionToken: token } : {}),
        deliverToken: (next) => {
          delivered.push(next);
          token = next ?? undefined;
        },
      };
    },
  };
}

export const coordinatorPassphrase = 'coordinator passphrase';
export const readerPassphrase = 'reader a passphrase';

/**
 * Services on `<dir>/data` with a study, its coordinator (signed in on `conn-coordinator`) and Reader A (not
 * signed in).
 */
export async function authStudy(
  dir: string,
  o: { now?: () => number; logger?: Logger } = {},
): Promise<{ services: Services; study: ReadingStudySummary; reader: StudyUser }> {
  const services = await createServices({
    dataDir: join(dir, 'data'),
    shell: 'host',
    logger: o.logger ?? silentLogger,
    sessionSweepIntervalMs: 0,
    ...(o.now ? { now: o.now } : {}),
  });
  const study = ok<ReadingStudySummary>(
    await services.dispatch(
      'createReadingStudy',
      { name: 'Auth study', coordinatorName: 'Coordinator', passphrase: coordinatorPassphrase, seed: 7 },
      'conn-coordinator',
    ),
  );
  const reader = ok<StudyUser>(
    await services.dispatch(
      'addStudyReader',
      { studyId: study.id, displayName: 'Reader A', passphrase: readerPassphrase },
      'conn-coordinator',
    ),
  );
  return { services, study, reader };
}

/** The audit actions in order. */
export async function auditActions(services: Services): Promise<string[]> {
  return (await services.context.db.all<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).map(
    (r) => r.action,
  );
}
