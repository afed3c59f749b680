import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Services } from '../../electron/services/createServices';
import { createServices } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { hashPassphrase } from '../../electron/services/auth/passphrase';
import { updatePassphraseHash } from '../../electron/db/repositories/signInSecurity';
import { verifyAudit } from '../../electron/db/audit';
import type { ReadingStudySummary, SignInSecurity, StudyUser } from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';
import { ok } from '../helpers/readingStudy';
import { auditActions, authStudy, coordinatorPassphrase, readerPassphrase, testClock } from '../helpers/authStudy';

/**
 * Issue 13, break 2: 80 wrong guesses at ~8/s, then the right passphrase accepted at once, one
 * audit row per guess, scrypt N = 2^15. Here every rule of core/auth/signInThrottle is driven
 * through the contract on a real database, with a clock the test moves (no sleeping).
 */

let temp: ReturnType<typeof makeTempDir>;
let clock: ReturnType<typeof testClock>;
let services: Services;
let study: ReadingStudySummary;
let reader: StudyUser;

beforeEach(async () => {
  temp = makeTempDir();
  clock = testClock();
  ({ services, study, reader } = await authStudy(temp.path, { now: clock.now }));
}, 120_000);
afterEach(async () => {
  await services.close();
  temp.cleanup();
});

const signIn = (displayName: string, passphrase: string, connection: string) =>
  services.dispatch('signIn', { studyId: study.id, displayName, passphrase }, connection);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'OK' : r.error!.code);
const message = (r: { ok: boolean; error?: { message: string } }) => (r.ok ? '' : r.error!.message);
const security = async () =>
  ok<SignInSecurity>(await services.dispatch('getSignInSecurity', { studyId: study.id }, 'conn-coordinator'));

describe('per-account throttling', () => {
  it('waits 1 s after the 3rd failure, doubling, and locks after the 10th, whatever the source', async () => {
    // Each guess from a new source: only the account's own count can stop them.
    let n = 0;
    const guess = (passphrase = 'wrong passphrase!') => signIn('Reader A', passphrase, `conn-attacker-${++n}`);
    for (let i = 1; i <= 3; i++) expect(code(await guess())).toBe('FORBIDDEN');
    // The 4th at once: refused unverified, the right passphrase too.
    const early = await guess(readerPassphrase);
    expect(code(early)).toBe('THROTTLED');
    expect(message(early)).toBe('Too many failed sign-ins: wait 1 s before trying again.');
    // 1, 2, 4 … 64 s after the 3rd … 9th failure (1000 · 2^(n−3) ms).
    for (const [failures, waitS] of [
      [3, 1],
      [4, 2],
      [5, 4],
      [6, 8],
      [7, 16],
      [8, 32],
      [9, 64],
    ] as const) {
      clock.advanceSeconds(waitS - 1);
      expect(code(await guess(readerPassphrase)), `after ${failures} failures, ${waitS - 1} s`).toBe('THROTTLED');
      clock.advanceSeconds(1);
      expect(code(await guess()), `after ${failures} failures, ${waitS} s`).toBe('FORBIDDEN');
    }
    const locked = await guess(readerPassphrase);
    expect(code(locked)).toBe('THROTTLED');
    expect(message(locked)).toBe(
      'This account is locked after 10 failed sign-ins. The study coordinator can unlock it; otherwise try again in 15 min.',
    );
    const state = (await security()).users.find((u) => u.userId === reader.userId)!;
    expect(state).toMatchObject({
      failedAttempts: 10,
      waitUntil: null,
      lockedUntil: new Date(clock.now() + 15 * 60_000).toISOString(),
    });

    // Counts, not a row per guess: one row when the wait began, one at the lock.
    const actions = await auditActions(services);
    expect(actions.filter((a) => a.startsWith('auth.signin.'))).toEqual([
      'auth.signin.throttled',
      'auth.signin.locked',
    ]);
    const rows = await services.context.db.all<{ after_json: string }>(
      "SELECT after_json FROM audit_log WHERE action LIKE 'auth.signin.%' ORDER BY id",
    );
    expect(rows.map((r) => JSON.parse(r.after_json).failedAttempts)).toEqual([3, 10]);
    expect((await verifyAudit(services.context.db)).ok).toBe(true);
  }, 300_000);

  it('lets the coordinator lift a lockout (audited), after which the right passphrase signs in', async () => {
    await lockReaderA();
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-reader'))).toBe('THROTTLED');
    const after = ok<SignInSecurity>(
      await services.dispatch('unlockStudyUser', { studyId: study.id, userId: reader.userId }, 'conn-coordinator'),
    );
    expect(after.users.find((u) => u.userId === reader.userId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expect(ok<StudyUser>(await signIn('Reader A', readerPassphrase, 'conn-reader'))).toMatchObject({
      displayName: 'Reader A',
    });
    const unlock = await services.context.db.get<{ actor: string; before_json: string }>(
      "SELECT actor, before_json FROM audit_log WHERE action = 'auth.signin.unlock'",
    );
    expect(unlock).toEqual({
      actor: expect.stringMatching(/^user:\d+$/),
      before_json: JSON.stringify({ failedAttempts: 10 }),
    });
    // Only the study's coordinator may: a reader, or nobody, is refused.
    expect(
      code(await services.dispatch('unlockStudyUser', { studyId: study.id, userId: reader.userId }, 'conn-reader')),
    ).toBe('FORBIDDEN');
  }, 300_000);

  it('ends a lockout after the lockout period; the next failure locks again at once', async () => {
    await lockReaderA();
    clock.advanceMinutes(15);
    expect(code(await signIn('Reader A', 'still wrong passphrase', 'conn-x'))).toBe('FORBIDDEN');
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-y'))).toBe('THROTTLED');
    clock.advanceMinutes(15);
    const user = ok<StudyUser>(await signIn('Reader A', readerPassphrase, 'conn-y'));
    expect(user.displayName).toBe('Reader A');
    const signin = await services.context.db.get<{ after_json: string }>(
      "SELECT after_json FROM audit_log WHERE action = 'auth.signin' ORDER BY id DESC LIMIT 1",
    );
    expect(JSON.parse(signin!.after_json)).toMatchObject({ failedAttemptsBefore: 11, via: 'passphrase' });
    // (The coordinator's own session has idled out meanwhile: 30 min by default.)
    ok(await signIn('Coordinator', coordinatorPassphrase, 'conn-coordinator'));
    expect((await security()).users.every((u) => u.failedAttempts === 0)).toBe(true);
    expect((await auditActions(services)).filter((a) => a === 'auth.signin.locked')).toHaveLength(2);
  }, 300_000);

  it('uses the lockout period the coordinator set for the study', async () => {
    ok(
      await services.dispatch(
        'setSessionSettings',
        { studyId: study.id, idleTimeoutMinutes: 30, absoluteTimeoutMinutes: 720, lockoutMinutes: 60 },
        'conn-coordinator',
      ),
    );
    await lockReaderA();
    clock.advanceMinutes(59);
    expect(message(await signIn('Reader A', readerPassphrase, 'conn-y'))).toMatch(/try again in 60 s\.$/);
    clock.advanceMinutes(1);
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-y'))).toBe('OK');
  }, 300_000);

  /** Ten wrong guesses at Reader A, each from its own source, waiting out each delay. */
  async function lockReaderA(): Promise<void> {
    for (let i = 1; i <= 10; i++) {
      if (i > 1) clock.advanceSeconds(64); // the longest wait (after the 9th failure)
      expect(code(await signIn('Reader A', 'wrong passphrase!', `conn-lock-${i}`))).toBe('FORBIDDEN');
    }
  }
});

describe('per-source throttling', () => {
  it('slows and then pauses one source that sprays guesses over names and accounts; other sources go on', async () => {
    const names = ['Nobody', 'Reader A', 'Coordinator', 'Reader B', 'Mallory'];
    for (let i = 0; i < 3; i++)
      expect(code(await signIn(names[i]!, 'wrong passphrase!', 'conn-spray'))).toBe('FORBIDDEN');
    // The source now waits, even for a right passphrase of an account with no failure of its own.
    expect(message(await signIn('Coordinator', coordinatorPassphrase, 'conn-spray'))).toBe(
      'Too many failed sign-ins: wait 1 s before trying again.',
    );
    expect(code(await signIn('Coordinator', coordinatorPassphrase, 'conn-elsewhere'))).toBe('OK');
    for (let i = 3; i < 10; i++) {
      clock.advanceSeconds(64);
      expect(code(await signIn(names[i % names.length]!, 'wrong passphrase!', 'conn-spray'))).toBe('FORBIDDEN');
    }
    expect(message(await signIn('Reader A', readerPassphrase, 'conn-spray'))).toBe(
      'Sign-in from here is paused after 10 failed attempts; try again in 15 min.',
    );
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-reader'))).toBe('OK');
    const source = await services.context.db.get<{ after_json: string; entity: string }>(
      "SELECT entity, after_json FROM audit_log WHERE action = 'auth.signin.locked'",
    );
    expect(source!.entity).toBe('sign_in_source');
    expect(JSON.parse(source!.after_json)).toMatchObject({ source: 'conn-spray', failedAttempts: 10 });
    clock.advanceMinutes(15);
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-spray'))).toBe('OK');
  }, 300_000);
});

describe('throttling across a restart', () => {
  it('keeps counts and lockouts in the database (migration 011); sessions do not survive', async () => {
    for (let i = 1; i <= 10; i++) {
      expect(code(await signIn('Reader A', 'wrong passphrase!', `conn-r${i}`))).toBe('FORBIDDEN');
      clock.advanceSeconds(64);
    }
    expect(ok<StudyUser | null>(await services.dispatch('whoAmI', undefined, 'conn-coordinator'))).toMatchObject({
      role: 'coordinator',
    });
    await services.close();
    services = await createServices({
      dataDir: join(temp.path, 'data'),
      shell: 'host',
      logger: silentLogger,
      now: clock.now,
      sessionSweepIntervalMs: 0,
    });
    expect(code(await signIn('Reader A', readerPassphrase, 'conn-after'))).toBe('THROTTLED');
    // A restart signs everyone out.
    expect(ok<StudyUser | null>(await services.dispatch('whoAmI', undefined, 'conn-coordinator'))).toBeNull();
  }, 300_000);
});

describe('passphrase hashes', () => {
  it('rehashes a hash made with the old parameters (N = 2^15) at the next sign-in', async () => {
    await updatePassphraseHash(
      services.context.db,
      reader.userId,
      await hashPassphrase(readerPassphrase, { N: 2 ** 15, r: 8, p: 1 }),
    );
    ok(await signIn('Reader A', readerPassphrase, 'conn-reader'));
    const stored = await services.context.db.get<{ passphrase_hash: string }>(
      'SELECT passphrase_hash FROM study_users WHERE id = ?',
      [reader.userId],
    );
    expect(stored!.passphrase_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const rows = await services.context.db.all<{ after_json: string }>(
      "SELECT after_json FROM audit_log WHERE action = 'auth.signin' AND entity_id = ?",
      [String(reader.userId)],
    );
    expect(JSON.parse(rows.at(-1)!.after_json)).toMatchObject({ passphraseRehashed: true });
    // The new hash verifies, and is not replaced again.
    ok(await signIn('Reader A', readerPassphrase, 'conn-reader-2'));
    const again = await services.context.db.get<{ passphrase_hash: string }>(
      'SELECT passphrase_hash FROM study_users WHERE id = ?',
      [reader.userId],
    );
    expect(again!.passphrase_hash).toBe(stored!.passphrase_hash);
  }, 120_000);

  it('refuses a stored hash that asks for absurd work instead of computing it', async () => {
    const [, , r, p, salt, key] = (await hashPassphrase(readerPassphrase, { N: 2 ** 10, r: 8, p: 1 })).split('$');
    await updatePassphraseHash(services.context.db, reader.userId, ['scrypt', 2 ** 30, r, p, salt, key].join('$'));
    expect(message(await signIn('Reader A', readerPassphrase, 'conn-reader'))).toBe('Wrong name or passphrase.');
  }, 60_000);
});
