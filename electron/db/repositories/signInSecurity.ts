import type { FailureCount } from '../../../core/auth/signInThrottle';
import type { SessionSettings } from '../../../core/auth/sessionSettings';
import type { Database } from '../database';

/** Whose failures: a study user's account (by id) or a source (by name). */
export type FailureScope = { scope: 'account'; userId: number } | { scope: 'source'; source: string };

interface FailureRow {
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

const toCount = (r: FailureRow): FailureCount => ({
  failures: r.failures,
  lastFailureMs: Date.parse(r.last_failure_at),
  lockedUntilMs: r.locked_until === null ? null : Date.parse(r.locked_until),
});

const table = (s: FailureScope) =>
  s.scope === 'account'
    ? { name: 'account_sign_in_failures', key: 'user_ref', value: s.userId }
    : { name: 'source_sign_in_failures', key: 'source', value: s.source };

/** The consecutive failed sign-ins of an account or source, or undefined when there are none. */
export async function getFailureCount(db: Database, s: FailureScope): Promise<FailureCount | undefined> {
  const t = table(s);
  const row = await db.get<FailureRow>(
    `SELECT failures, last_failure_at, locked_until FROM ${t.name} WHERE ${t.key} = ?`,
    [t.value],
  );
  return row && toCount(row);
}

export async function saveFailureCount(db: Database, s: FailureScope, c: FailureCount): Promise<void> {
  const t = table(s);
  await db.run(
    `INSERT INTO ${t.name} (${t.key}, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (${t.key}) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
    [
      t.value,
      c.failures,
      new Date(c.lastFailureMs).toISOString(),
      c.lockedUntilMs === null ? null : new Date(c.lockedUntilMs).toISOString(),
    ],
  );
}

/** Clears a count (a successful sign-in, an unlock); returns how many failures it held. */
export async function clearFailureCount(db: Database, s: FailureScope): Promise<number> {
  const before = await getFailureCount(db, s);
  if (!before) return 0;
  const t = table(s);
  await db.run(`DELETE FROM ${t.name} WHERE ${t.key} = ?`, [t.value]);
  return before.failures;
}

/** Every user of a study with their failure count (none: 0 failures). */
export async function studyUsersWithFailures(
  db: Database,
  studyId: number,
): Promise<{ userId: number; displayName: string; role: 'coordinator' | 'reader'; count: FailureCount | undefined }[]> {
  const rows = await db.all<
    { id: number; display_name: string; role: 'coordinator' | 'reader' } & {
      failures: number | null;
      last_failure_at: string | null;
      locked_until: string | null;
    }
  >(
    `SELECT u.id, u.display_name, u.role, f.failures, f.last_failure_at, f.locked_until
       FROM study_users u LEFT JOIN account_sign_in_failures f ON f.user_ref = u.id
      WHERE u.study_ref = ? ORDER BY u.role, u.id`,
    [studyId],
  );
  return rows.map((r) => ({
    userId: r.id,
    displayName: r.display_name,
    role: r.role,
    count:
      r.failures === null
        ? undefined
        : toCount({ failures: r.failures, last_failure_at: r.last_failure_at!, locked_until: r.locked_until }),
  }));
}

/** The session settings every study has set (studies without a row use the defaults). */
export async function allSessionSettings(db: Database): Promise<Map<number, SessionSettings>> {
  const rows = await db.all<{
    study_ref: number;
    idle_timeout_minutes: number;
    absolute_timeout_minutes: number;
    lockout_minutes: number;
  }>('SELECT study_ref, idle_timeout_minutes, absolute_timeout_minutes, lockout_minutes FROM study_session_settings');
  return new Map(
    rows.map((r) => [
      r.study_ref,
      {
        idleTimeoutMinutes: r.idle_timeout_minutes,
        absoluteTimeoutMinutes: r.absolute_timeout_minutes,
        lockoutMinutes: r.lockout_minutes,
      },
    ]),
  );
}

export async function saveSessionSettings(db: Database, studyId: number, s: SessionSettings): Promise<void> {
  await db.run(
    `INSERT INTO study_session_settings (study_ref, idle_timeout_minutes, absolute_timeout_minutes, lockout_minutes, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (study_ref) DO UPDATE SET idle_timeout_minutes = excluded.idle_timeout_minutes,
       absolute_timeout_minutes = excluded.absolute_timeout_minutes, lockout_minutes = excluded.lockout_minutes, updated_at = excluded.updated_at`,
    [studyId, s.idleTimeoutMinutes, s.absoluteTimeoutMinutes, s.lockoutMinutes, new Date().toISOString()],
  );
}

/** Replaces a user's passphrase hash (a rehash with today's scrypt parameters). */
export async function updatePassphraseHash(db: Database, userId: number, passphraseHash: string): Promise<void> {
  await db.run('UPDATE study_users SET passphrase_hash = ? WHERE id = ?', [passphraseHash, userId]);
}
