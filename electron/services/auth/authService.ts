import { createHash, randomBytes } from 'node:crypto';
import type { SignInSecurity, StudyUser } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { defaultSessionSettings, type SessionSettings } from '../../../core/auth/sessionSettings';
import { recordFailure, signInGate, type FailureCount, type SignInGate } from '../../../core/auth/signInThrottle';
import { appendAudit } from '../../db/audit';
import type { Database } from '../../db/database';
import { findUser } from '../../db/repositories/studies';
import {
  allSessionSettings,
  clearFailureCount,
  getFailureCount,
  saveFailureCount,
  saveSessionSettings,
  studyUsersWithFailures,
  updatePassphraseHash,
  type FailureScope,
} from '../../db/repositories/signInSecurity';
import type { JobRunner } from '../jobs';
import type { Logger } from '../logger';
import { hashPassphrase, needsRehash, verifyPassphrase } from './passphrase';
import { sessionJobOwner, type CallChannel, type Caller, type SessionInfo } from './callers';

/** Why a session ended, as the audit trail and the next call with its token say. */
export type SessionEnd = 'signout' | 'new sign-in' | 'idle' | 'absolute';

export interface AuthOptions {
  db: Database;
  jobs: JobRunner;
  logger: Logger;
  /** Epoch milliseconds; a test clock in tests. */
  now?: () => number;
  /**
   * How often expired sessions are looked for (their jobs are cancelled then); 30 s by default, 0: never
   * (tests sweep by hand).
   */
  sweepIntervalMs?: number;
}

/** Sources (the host's peer, a desktop window) are locked this long after 10 failures; only the wait ends it. */
export const sourceLockoutMinutes = defaultSessionSettings.lockoutMinutes;

/** How many ended sessions' token hashes are remembered, to tell their holder why (oldest forgotten first). */
const endedMemory = 2000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sign-in, sessions and sign-in throttling (issue 13).
 *
 * Sessions: each sign-in draws a 256-bit random token, handed to the client once; the services
 * keep only its SHA-256, with the user, the source and two times (sign-in, last call). A call
 * presents the token; the session ends on sign-out, on another sign-in by the same client, after
 * the study's idle timeout (no call and no running job of its own) or absolute timeout, and its
 * jobs are cancelled and hidden then. Sessions are in memory only: a restart signs everyone out.
 *
 * Throttling (core/auth/signInThrottle): per account and per source, counted in the database so a
 * restart does not reset them. Sign-ins are verified one at a time (scrypt at N = 2^17 takes 128
 * MiB and most of a second), so a burst of guesses meets the wait after the third.
 */
export class AuthService {
  private readonly sessions = new Map<string, SessionInfo>();
  private readonly ended = new Map<string, string>();
  private readonly settingsByStudy: Map<number, SessionSettings>;
  private readonly now: () => number;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private decoyHash: Promise<string> | undefined;

  private constructor(
    private readonly o: AuthOptions,
    settings: Map<number, SessionSettings>,
  ) {
    this.now = o.now ?? Date.now;
    this.settingsByStudy = settings;
    const every = o.sweepIntervalMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(
        () => void this.sweep().catch((err: unknown) => o.logger.error('sessions: sweep failed', err)),
        every,
      );
      this.timer.unref();
    }
  }

  static async open(o: AuthOptions): Promise<AuthService> {
    return new AuthService(o, await allSessionSettings(o.db));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A study's session settings (the defaults until its coordinator changes them). */
  settings(studyId: number): SessionSettings {
    return this.settingsByStudy.get(studyId) ?? defaultSessionSettings;
  }

  /**
   * Who is calling through `channel`, for one call (which counts as activity). When the call
   * carries the token of a session that has ended (or ends now, timed out), the caller is
   * unsigned, the client is told to drop the token and `ended` says why, for the person.
   */
  async identify(channel: CallChannel): Promise<{ caller: Caller; ended?: string }> {
    const token = channel.sessionToken;
    const unsigned: Caller = { kind: 'unsigned', connection: channel.connection, channel };
    if (token === undefined) return { caller: unsigned };
    const hash = sha256(token);
    const session = this.sessions.get(hash);
    if (session) {
      const expired = this.expiry(session);
      if (!expired) {
        session.lastCallMs = this.now();
        return { caller: this.callerOf(session, channel) };
      }
      await this.end(hash, session, expired);
    }
    channel.deliverToken(null);
    return {
      caller: unsigned,
      ended:
        this.ended.get(hash) ??
        'Your session is no longer valid (Concord was restarted since you signed in): sign in again.',
    };
  }

  /** Who holds `channel`'s token now, without counting it as activity (event streams). */
  peek(channel: CallChannel): Caller {
    const session = channel.sessionToken === undefined ? undefined : this.sessions.get(sha256(channel.sessionToken));
    return session && !this.expiry(session)
      ? this.callerOf(session, channel)
      : { kind: 'unsigned', connection: channel.connection, channel };
  }

  /** Checks a study user's passphrase under the throttle and starts their session. */
  signIn(caller: Caller, req: { studyId: number; displayName: string; passphrase: string }): Promise<StudyUser> {
    return this.serialized(async () => {
      const { db } = this.o;
      const now = this.now();
      const user = await findUser(db, req.studyId, req.displayName);
      const source: FailureScope = { scope: 'source', source: caller.channel.source };
      const account: FailureScope | undefined = user && { scope: 'account', userId: user.userId };
      const accountCount = account && (await getFailureCount(db, account));
      const sourceCount = await getFailureCount(db, source);
      refuseWhenClosed(signInGate(accountCount, now), 'account', now);
      refuseWhenClosed(signInGate(sourceCount, now), 'source', now);

      // Unknown names take as long as known ones: a hash with today's parameters is verified
      // either way (made at the first unknown name, so known users never pay for it).
      const ok = await verifyPassphrase(
        req.passphrase,
        user?.passphraseHash ??
          (await (this.decoyHash ??= hashPassphrase('decoy passphrase for names that are not users'))),
      );
      if (!user || !ok) {
        const lockoutMs = (user ? this.settings(user.studyId) : defaultSessionSettings).lockoutMinutes * 60_000;
        await db.transaction(async () => {
          if (account && user)
            await this.countFailure(account, accountCount, now, lockoutMs, {
              studyId: user.studyId,
              userId: user.userId,
            });
          await this.countFailure(source, sourceCount, now, sourceLockoutMinutes * 60_000, undefined);
        });
        throw new AppException('FORBIDDEN', 'Wrong name or passphrase.');
      }
      const rehash = needsRehash(user.passphraseHash) ? await hashPassphrase(req.passphrase) : undefined;
      const { passphraseHash: _hash, ...profile } = user;
      await this.startSession(caller, profile, { via: 'passphrase' }, async () => {
        const failedAttemptsBefore = await clearFailureCount(db, account!);
        await clearFailureCount(db, source);
        if (rehash) await updatePassphraseHash(db, user.userId, rehash);
        return { failedAttemptsBefore, passphraseRehashed: rehash !== undefined };
      });
      return profile;
    });
  }

  /**
   * Starts a session for `user` on the caller's channel (after a sign-in, or for the coordinator
   * who just set up a study), ending the one the caller had. One audit row, `auth.signin`, with
   * what `inTransaction` (run in the same transaction) adds to it.
   */
  async startSession(
    caller: Caller,
    user: Pick<StudyUser, 'userId' | 'studyId' | 'role' | 'displayName'>,
    audit: { via: 'passphrase' | 'study.create' },
    inTransaction?: () => Promise<Record<string, unknown>>,
  ): Promise<void> {
    if (caller.kind === 'user') await this.endSession(caller.session.id, 'new sign-in');
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: SessionInfo = {
      id: randomBytes(8).toString('hex'),
      userId: user.userId,
      studyId: user.studyId,
      role: user.role,
      displayName: user.displayName,
      source: caller.channel.source,
      createdMs: now,
      lastCallMs: now,
    };
    await this.o.db.transaction(async () => {
      const extra = (await inTransaction?.()) ?? {};
      await appendAudit(this.o.db, {
        actor: `user:${user.userId}`,
        action: 'auth.signin',
        entity: 'study_user',
        entityId: user.userId,
        before: null,
        after: {
          studyId: user.studyId,
          displayName: user.displayName,
          role: user.role,
          session: session.id,
          source: session.source,
          via: audit.via,
          ...extra,
        },
      });
    });
    this.sessions.set(sha256(token), session);
    caller.channel.deliverToken(token);
  }

  /** Signs the caller out: the session ends with its jobs, and the client drops its token. */
  async signOut(caller: Caller): Promise<void> {
    if (caller.kind === 'user') await this.endSession(caller.session.id, 'signout');
    caller.channel.deliverToken(null);
  }

  /**
   * Ends sessions whose idle or absolute time is up (runs every 30 s, so their jobs stop without waiting for
   * a call).
   */
  async sweep(): Promise<void> {
    for (const [hash, session] of [...this.sessions]) {
      const expired = this.expiry(session);
      if (expired) await this.end(hash, session, expired);
    }
  }

  /** A study's settings and its users' failures, for its coordinator. */
  async security(studyId: number): Promise<SignInSecurity> {
    const now = this.now();
    const users = await studyUsersWithFailures(this.o.db, studyId);
    return {
      studyId,
      settings: { ...this.settings(studyId) },
      defaults: { ...defaultSessionSettings },
      users: users.map((u) => {
        const gate = signInGate(u.count, now);
        return {
          userId: u.userId,
          displayName: u.displayName,
          role: u.role,
          failedAttempts: u.count?.failures ?? 0,
          lockedUntil: !gate.open && gate.reason === 'locked' ? new Date(gate.untilMs).toISOString() : null,
          waitUntil: !gate.open && gate.reason === 'delay' ? new Date(gate.untilMs).toISOString() : null,
        };
      }),
    };
  }

  /** Stores a study's session settings (audited); live sessions of the study follow them from their next call. */
  async setSettings(studyId: number, settings: SessionSettings, actor: string): Promise<void> {
    const before = this.settings(studyId);
    await this.o.db.transaction(async () => {
      await saveSessionSettings(this.o.db, studyId, settings);
      await appendAudit(this.o.db, {
        actor,
        action: 'auth.settings.set',
        entity: 'reading_study',
        entityId: studyId,
        before,
        after: settings,
      });
    });
    this.settingsByStudy.set(studyId, { ...settings });
  }

  /** Clears a user's failures and lockout (audited with the count it cleared). */
  async unlock(studyId: number, userId: number, actor: string): Promise<void> {
    const users = await studyUsersWithFailures(this.o.db, studyId);
    const user = users.find((u) => u.userId === userId);
    if (!user) throw new AppException('NOT_FOUND', `No user ${userId} in this study.`);
    if (!user.count) return;
    await this.o.db.transaction(async () => {
      const cleared = await clearFailureCount(this.o.db, { scope: 'account', userId });
      await appendAudit(this.o.db, {
        actor,
        action: 'auth.signin.unlock',
        entity: 'study_user',
        entityId: userId,
        before: { failedAttempts: cleared },
        after: { failedAttempts: 0 },
      });
    });
  }

  /** Live sessions (for tests and the architecture of sign-out): their public fields only. */
  liveSessions(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => ({ ...s }));
  }

  private callerOf(session: SessionInfo, channel: CallChannel): Caller {
    return {
      kind: 'user',
      connection: channel.connection,
      channel,
      session,
      userId: session.userId,
      studyId: session.studyId,
      role: session.role,
      displayName: session.displayName,
    };
  }

  /** Why `session` is over now, or undefined while it lasts. A running job of its own keeps it from idling. */
  private expiry(session: SessionInfo): 'idle' | 'absolute' | undefined {
    const now = this.now();
    const s = this.settings(session.studyId);
    if (now - session.createdMs >= s.absoluteTimeoutMinutes * 60_000) return 'absolute';
    const lastActive = Math.max(session.lastCallMs, this.o.jobs.lastActivityMs(sessionJobOwner(session.id)) ?? 0);
    if (now - lastActive >= s.idleTimeoutMinutes * 60_000) return 'idle';
    return undefined;
  }

  private async endSession(sessionId: string, why: SessionEnd): Promise<void> {
    for (const [hash, session] of this.sessions) if (session.id === sessionId) await this.end(hash, session, why);
  }

  /** Ends one session: forgotten at once (so concurrent calls see it gone), then its jobs and the audit row. */
  private async end(hash: string, session: SessionInfo, why: SessionEnd): Promise<void> {
    if (this.sessions.get(hash) !== session) return;
    this.sessions.delete(hash);
    const s = this.settings(session.studyId);
    this.ended.set(hash, endMessage(why, s));
    if (this.ended.size > endedMemory) this.ended.delete(this.ended.keys().next().value!);
    this.o.jobs.endOwner(sessionJobOwner(session.id));
    const timedOut = why === 'idle' || why === 'absolute';
    await this.o.db.transaction(() =>
      appendAudit(this.o.db, {
        actor: timedOut ? 'system' : `user:${session.userId}`,
        action: timedOut ? 'auth.session.timeout' : 'auth.signout',
        entity: 'study_user',
        entityId: session.userId,
        before: null,
        after: {
          studyId: session.studyId,
          session: session.id,
          reason: why,
          ...(why === 'idle'
            ? { idleTimeoutMinutes: s.idleTimeoutMinutes }
            : why === 'absolute'
              ? { absoluteTimeoutMinutes: s.absoluteTimeoutMinutes }
              : {}),
        },
      }),
    );
  }

  /**
   * One more failure for an account or a source, stored as a count. The audit trail hears of
   * it only when the count reaches the wait (3) or a lockout (10, and each lock after that).
   */
  private async countFailure(
    scope: FailureScope,
    before: FailureCount | undefined,
    now: number,
    lockoutMs: number,
    account: { studyId: number; userId: number } | undefined,
  ): Promise<void> {
    const { count, reached } = recordFailure(before, now, lockoutMs);
    await saveFailureCount(this.o.db, scope, count);
    if (!reached) return;
    await appendAudit(this.o.db, {
      actor: 'system',
      action: reached === 'lockout' ? 'auth.signin.locked' : 'auth.signin.throttled',
      entity: scope.scope === 'account' ? 'study_user' : 'sign_in_source',
      entityId: account?.userId ?? null,
      before: null,
      after: {
        ...(account ? { studyId: account.studyId } : { source: (scope as { source: string }).source }),
        failedAttempts: count.failures,
        ...(count.lockedUntilMs !== null ? { lockedUntil: new Date(count.lockedUntilMs).toISOString() } : {}),
      },
    });
  }

  /** Runs sign-ins one after another (each verification holds 128 MiB for most of a second). */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function endMessage(why: SessionEnd, s: SessionSettings): string {
  switch (why) {
    case 'idle':
      return `Your session ended after ${s.idleTimeoutMinutes} minute${s.idleTimeoutMinutes === 1 ? '' : 's'} without activity: sign in again.`;
    case 'absolute':
      return `Your session ended ${formatMinutes(s.absoluteTimeoutMinutes)} after you signed in (the study's limit): sign in again.`;
    case 'signout':
      return 'This session was signed out: sign in again.';
    case 'new sign-in':
      return 'Another sign-in on this window or page ended this session: sign in again.';
  }
}

function formatMinutes(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/**
 * Refuses an attempt the throttle does not let through, saying how long to wait. A locked
 * account says so (the reader must know to ask the coordinator), which tells whoever made the
 * ten failures that the name exists; names of study users are not secret among the team.
 */
function refuseWhenClosed(gate: SignInGate, scope: 'account' | 'source', now: number): void {
  if (gate.open) return;
  const seconds = Math.ceil((gate.untilMs - now) / 1000);
  const wait = seconds <= 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
  if (gate.reason === 'locked') {
    throw new AppException(
      'THROTTLED',
      scope === 'account'
        ? `This account is locked after 10 failed sign-ins. The study coordinator can unlock it; otherwise try again in ${wait}.`
        : `Sign-in from here is paused after 10 failed attempts; try again in ${wait}.`,
    );
  }
  throw new AppException('THROTTLED', `Too many failed sign-ins: wait ${wait} before trying again.`);
}
