import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../electron/services/createServices';
import type { JobProgress, JobStarted, ReadingStudySummary, SignInSecurity, StudyUser } from '../../core/ipc/contract';
import { AppException } from '../../core/ipc/result';
import { makeTempDir } from '../helpers/tempDir';
import { ok } from '../helpers/readingStudy';
import {
  auditActions,
  authStudy,
  coordinatorPassphrase,
  pageChannel,
  readerPassphrase,
  testClock,
} from '../helpers/authStudy';

/**
 * Issue 13, item 10 and "Sessions": the client id acted as a bearer token with no idle expiry,
 * and jobs belonged to the connection, so a reader signing in on the coordinator's page saw the
 * coordinator's import result with a patient folder name.
 */

const ct3 = join(import.meta.dirname, '../../../shared/data/dicom/dcmqi/segmentations/ct-3slice');

let temp: ReturnType<typeof makeTempDir>;
let clock: ReturnType<typeof testClock>;
let services: Services;
let study: ReadingStudySummary;

beforeEach(async () => {
  temp = makeTempDir();
  clock = testClock();
  ({ services, study } = await authStudy(temp.path, { now: clock.now }));
}, 120_000);
afterEach(async () => {
  await services.close();
  temp.cleanup();
});

const signInOn = (page: ReturnType<typeof pageChannel>, displayName: string, passphrase: string) =>
  services.dispatch('signIn', { studyId: study.id, displayName, passphrase }, page.call());
const who = async (page: ReturnType<typeof pageChannel>) =>
  ok<StudyUser | null>(await services.dispatch('whoAmI', undefined, page.call()));

/** A folder named like a patient, holding three real CT slices. */
function patientFolder(): string {
  const folder = join(temp.path, 'Doe^Jane 1961-04-12');
  mkdirSync(folder);
  cpSync(ct3, folder, { recursive: true });
  return folder;
}

describe('session tokens', () => {
  it('draws a random 256-bit token per sign-in, not the connection id, and keeps only its hash', async () => {
    const page = pageChannel('host-pageAAAAAAAAAAAA');
    ok(await signInOn(page, 'Reader A', readerPassphrase));
    const first = page.token!;
    expect(first).toMatch(/^[\w-]{43}$/); // 32 random bytes, base64url
    expect(first).not.toContain('pageAAAA');
    ok(await signInOn(page, 'Reader A', readerPassphrase));
    const second = page.token!;
    expect(second).not.toBe(first);
    // The first token died with the second sign-in (one session per client).
    const stale = await services.dispatch('getMyWorklist', undefined, { ...page.call(), sessionToken: first });
    expect(stale).toEqual({
      ok: false,
      error: {
        code: 'SESSION_ENDED',
        message: 'Another sign-in on this window or page ended this session: sign in again.',
      },
    });

    // Nothing the services keep, nor the database, holds a token in clear.
    const kept = JSON.stringify(services.context.auth.liveSessions());
    expect(kept).not.toContain(second);
    expect(kept).not.toContain('pageAAAA');
    for (const table of [
      'audit_log',
      'study_users',
      'account_sign_in_failures',
      'source_sign_in_failures',
      'study_session_settings',
    ]) {
      const dump = JSON.stringify(await services.context.db.all(`SELECT * FROM ${table}`));
      expect(dump, table).not.toContain(first);
      expect(dump, table).not.toContain(second);
      expect(dump, table).not.toContain('pageAAAA'); // the client id is not in the audit trail either
    }
  }, 120_000);

  it('does not let the connection id act for the session: the token alone signs calls in', async () => {
    const page = pageChannel('host-pageAAAAAAAAAAAA');
    ok(await signInOn(page, 'Coordinator', coordinatorPassphrase));
    const sameIdNoToken = pageChannel('host-pageAAAAAAAAAAAA');
    expect(await who(sameIdNoToken)).toBeNull();
    expect(await services.dispatch('listDicomIndex', undefined, sameIdNoToken.call())).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const otherId = pageChannel('host-pageBBBBBBBBBBBB');
    otherId.token = page.token;
    expect(await who(otherId)).toMatchObject({ role: 'coordinator' });
  }, 120_000);
});

describe('timeouts', () => {
  it('ends a session after 30 idle minutes (audited), and any call tells the client why', async () => {
    const page = pageChannel('host-reader');
    ok(await signInOn(page, 'Reader A', readerPassphrase));
    clock.advanceMinutes(29);
    expect(await who(page)).toMatchObject({ displayName: 'Reader A' }); // a call: activity
    clock.advanceMinutes(29);
    expect(await services.dispatch('getMyWorklist', undefined, page.call())).toMatchObject({ ok: true });
    clock.advanceMinutes(30);
    const res = await services.dispatch('getMyWorklist', undefined, page.call());
    expect(res).toEqual({
      ok: false,
      error: { code: 'SESSION_ENDED', message: 'Your session ended after 30 minutes without activity: sign in again.' },
    });
    expect(page.delivered.at(-1)).toBeNull(); // the page is told to drop its token
    expect(await who(page)).toBeNull();
    const timeout = await services.context.db.get<{ action: string; actor: string; after_json: string }>(
      "SELECT action, actor, after_json FROM audit_log WHERE action = 'auth.session.timeout'",
    );
    expect(timeout!.actor).toBe('system');
    expect(JSON.parse(timeout!.after_json)).toMatchObject({ reason: 'idle', idleTimeoutMinutes: 30 });
  }, 120_000);

  it('ends a session 12 h after sign-in however active it is (the default absolute timeout)', async () => {
    const page = pageChannel('host-reader');
    ok(await signInOn(page, 'Reader A', readerPassphrase));
    for (let minutes = 20; minutes < 720; minutes += 20) {
      clock.advanceMinutes(20);
      expect(await who(page), `${minutes} min`).not.toBeNull();
    }
    clock.advanceMinutes(20);
    expect(await services.dispatch('getMyWorklist', undefined, page.call())).toEqual({
      ok: false,
      error: {
        code: 'SESSION_ENDED',
        message: "Your session ended 12 h after you signed in (the study's limit): sign in again.",
      },
    });
  }, 120_000);

  it('follows the idle timeout the coordinator sets for the study, and refuses impossible settings', async () => {
    const coordinator = pageChannel('host-coordinator');
    ok(await signInOn(coordinator, 'Coordinator', coordinatorPassphrase));
    const set = (s: Record<string, number>) =>
      services.dispatch(
        'setSessionSettings',
        { studyId: study.id, idleTimeoutMinutes: 5, absoluteTimeoutMinutes: 60, lockoutMinutes: 15, ...s },
        coordinator.call(),
      );
    expect(await set({ idleTimeoutMinutes: 90 })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'The idle timeout cannot be longer than the absolute timeout.' },
    });
    expect(await set({ lockoutMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/lockout/) },
    });
    expect(ok<SignInSecurity>(await set({})).settings).toEqual({
      idleTimeoutMinutes: 5,
      absoluteTimeoutMinutes: 60,
      lockoutMinutes: 15,
    });
    const reader = pageChannel('host-reader');
    ok(await signInOn(reader, 'Reader A', readerPassphrase));
    clock.advanceMinutes(4);
    expect(await who(reader)).not.toBeNull();
    clock.advanceMinutes(5);
    expect(await services.dispatch('getMyWorklist', undefined, reader.call())).toMatchObject({
      ok: false,
      error: { code: 'SESSION_ENDED', message: expect.stringMatching(/after 5 minutes without activity/) },
    });
    const audit = await services.context.db.get<{ before_json: string; after_json: string }>(
      "SELECT before_json, after_json FROM audit_log WHERE action = 'auth.settings.set'",
    );
    expect(JSON.parse(audit!.before_json)).toEqual({
      idleTimeoutMinutes: 30,
      absoluteTimeoutMinutes: 720,
      lockoutMinutes: 15,
    });
    expect(JSON.parse(audit!.after_json)).toEqual({
      idleTimeoutMinutes: 5,
      absoluteTimeoutMinutes: 60,
      lockoutMinutes: 15,
    });
  }, 120_000);

  it("does not idle out while the session's own job runs; the sweep ends it and its job once idle", async () => {
    const coordinator = pageChannel('host-coordinator');
    ok(await signInOn(coordinator, 'Coordinator', coordinatorPassphrase));
    const { caller } = await services.context.auth.identify(coordinator.call());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const events: JobProgress[] = [];
    services.subscribe('jobProgress', (e) => events.push(e));
    const { jobId } = services.context.jobs.start(
      'databaseCheck',
      2,
      async ({ signal }) => {
        await gate;
        if (signal.aborted) throw new AppException('CONFLICT', 'stopped');
        return { schemaVersion: 1, ok: true, problems: [] };
      },
      caller,
    );
    clock.advanceMinutes(45);
    await services.context.auth.sweep();
    expect(await who(coordinator)).toMatchObject({ role: 'coordinator' });
    // The job ends 45 min after the last call; idle time counts from then.
    release();
    await services.context.jobs.idle();
    clock.advanceMinutes(29);
    await services.context.auth.sweep();
    expect(services.context.auth.liveSessions().map((s) => s.role)).toEqual(['coordinator']);
    clock.advanceMinutes(2); // 31 min after the job ended, no call since: over
    await services.context.auth.sweep();
    expect(services.context.auth.liveSessions()).toEqual([]);
    // getJob needs no sign-in, so the ended session just makes the caller nobody: the job is gone for them.
    expect(await services.dispatch('getJob', { jobId }, coordinator.call())).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(events.filter((e) => e.jobId === jobId).map((e) => e.state)).toEqual(['succeeded']);
  }, 120_000);
});

describe('jobs belong to the session that started them', () => {
  it("a reader signing in on the coordinator's page does not see the coordinator's import (nor its patient folder)", async () => {
    const page = pageChannel('host-shared-page');
    ok(await signInOn(page, 'Coordinator', coordinatorPassphrase));
    const { jobId } = ok<JobStarted>(
      await services.dispatch('startImport', { folderPath: patientFolder() }, page.call()),
    );
    await services.context.jobs.idle();
    const done = ok<JobProgress>(await services.dispatch('getJob', { jobId }, page.call()));
    expect(done).toMatchObject({ state: 'succeeded', result: { folder: expect.stringContaining('Doe^Jane') } });

    // The reader signs in on the same page, without the coordinator signing out first.
    ok(await signInOn(page, 'Reader A', readerPassphrase));
    expect(await services.dispatch('getJob', { jobId }, page.call())).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `No job ${jobId} in this session.` },
    });
    expect(await services.dispatch('cancelJob', { jobId }, page.call())).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // Hidden for good: not even the coordinator's next session sees it.
    ok(await signInOn(page, 'Coordinator', coordinatorPassphrase));
    expect(await services.dispatch('getJob', { jobId }, page.call())).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const actions = await auditActions(services);
    expect(actions.filter((a) => a === 'auth.signout')).toHaveLength(2); // each replaced session
  }, 120_000);

  it('sign-out cancels the running jobs of the session, and the last event carries no result', async () => {
    const page = pageChannel('host-coordinator');
    ok(await signInOn(page, 'Coordinator', coordinatorPassphrase));
    const { caller } = await services.context.auth.identify(page.call());
    const events: JobProgress[] = [];
    services.subscribe('jobProgress', (e) => events.push(e));
    let aborted = false;
    const { jobId } = services.context.jobs.start(
      'importFolder',
      10,
      async ({ signal, progress }) => {
        progress(1, 10, '1 file seen');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = true;
        // What an import returns when stopped: its summary, with the folder. It must not get out.
        return {
          runId: 1,
          folder: '/data/Doe^Jane',
          state: 'cancelled',
          filesSeen: 1,
          patients: 1,
          studies: 1,
          series: 1,
          instances: 1,
          added: 1,
          alreadyIndexed: 0,
          skipped: [],
        } as never;
      },
      caller,
    );
    await new Promise((r) => setImmediate(r));
    ok(await services.dispatch('signOut', undefined, page.call()));
    await services.context.jobs.idle();
    expect(aborted).toBe(true);
    const mine = events.filter((e) => e.jobId === jobId);
    expect(mine.at(-1)).toMatchObject({ state: 'cancelled', message: 'Cancelled: the session ended' });
    expect(mine.some((e) => e.result !== undefined)).toBe(false);
    expect(JSON.stringify(mine)).not.toContain('Doe^Jane');
    expect(page.delivered.at(-1)).toBeNull();
  }, 120_000);

  it('hides an unsigned import from unsigned callers once a study exists', async () => {
    // Fresh folder: no study, so the unsigned local user may import.
    await services.close();
    temp.cleanup();
    temp = makeTempDir();
    const { createServices } = await import('../../electron/services/createServices');
    const { silentLogger } = await import('../../electron/services/logger');
    services = await createServices({
      dataDir: join(temp.path, 'data'),
      shell: 'host',
      logger: silentLogger,
      now: clock.now,
      sessionSweepIntervalMs: 0,
    });
    const page = pageChannel('host-setup');
    const { jobId } = ok<JobStarted>(
      await services.dispatch('startImport', { folderPath: patientFolder() }, page.call()),
    );
    await services.context.jobs.idle();
    expect(await services.dispatch('getJob', { jobId }, page.call())).toMatchObject({ ok: true });
    const other = pageChannel('host-other');
    ok(
      await services.dispatch(
        'createReadingStudy',
        { name: 'Later', coordinatorName: 'Coordinator', passphrase: coordinatorPassphrase },
        other.call(),
      ),
    );
    // The same page id, still unsigned: imports now need the coordinator, and so does their result.
    expect(await services.dispatch('getJob', { jobId }, page.call())).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  }, 120_000);
});
