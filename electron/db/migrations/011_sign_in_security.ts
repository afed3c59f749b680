import type { Migration } from './index';

/**
 * Sign-in security that must survive a restart (issue 13): consecutive failed sign-ins and
 * lockouts per account and per source (the host's peer address, a desktop window), and each
 * study's session settings (idle and absolute timeouts, lockout period; defaults apply while a
 * study has no row). Failures are kept here as counts: the audit trail gets a row when a count
 * reaches the wait (3) or the lockout (10), and the count before each successful sign-in, never
 * a row per guess. Sessions themselves live in memory only, so a restart signs everyone out.
 * Times are ISO 8601 UTC.
 */
export const signInSecurity011: Migration = {
  version: 11,
  name: 'sign_in_security',
  sql: `
CREATE TABLE account_sign_in_failures (
  user_ref         INTEGER PRIMARY KEY REFERENCES study_users(id),
  failures         INTEGER NOT NULL CHECK (failures > 0),
  last_failure_at  TEXT NOT NULL,
  locked_until     TEXT
) STRICT;

CREATE TABLE source_sign_in_failures (
  source           TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL CHECK (failures > 0),
  last_failure_at  TEXT NOT NULL,
  locked_until     TEXT
) STRICT;

CREATE TABLE study_session_settings (
  study_ref                 INTEGER PRIMARY KEY REFERENCES reading_studies(id),
  idle_timeout_minutes      INTEGER NOT NULL CHECK (idle_timeout_minutes BETWEEN 1 AND 480),
  absolute_timeout_minutes  INTEGER NOT NULL CHECK (absolute_timeout_minutes BETWEEN 5 AND 1440),
  lockout_minutes           INTEGER NOT NULL CHECK (lockout_minutes BETWEEN 1 AND 1440),
  updated_at                TEXT NOT NULL,
  CHECK (idle_timeout_minutes <= absolute_timeout_minutes)
) STRICT;
`,
};
