import { useCallback, useEffect, useState } from 'react';
import type { ReaderClient, SessionSettings, SignInSecurity } from '../../../core/ipc/contract';
import { sessionSettingLimits, sessionSettingsProblem } from '../../../core/auth/sessionSettings';
import { errorMessage } from '../../api/messages';
import { formatWhen } from './studyFormat';

type Draft = Record<keyof SessionSettings, string>;
const toDraft = (s: SessionSettings): Draft => ({
  idleTimeoutMinutes: String(s.idleTimeoutMinutes),
  absoluteTimeoutMinutes: String(s.absoluteTimeoutMinutes),
  lockoutMinutes: String(s.lockoutMinutes),
});
const fromDraft = (d: Draft): SessionSettings => ({
  idleTimeoutMinutes: Number(d.idleTimeoutMinutes.trim() || NaN),
  absoluteTimeoutMinutes: Number(d.absoluteTimeoutMinutes.trim() || NaN),
  lockoutMinutes: Number(d.lockoutMinutes.trim() || NaN),
});

const fields: { key: keyof SessionSettings; label: string; testId: string }[] = [
  { key: 'idleTimeoutMinutes', label: 'Idle timeout (minutes)', testId: 'session-idle' },
  { key: 'absoluteTimeoutMinutes', label: 'Absolute timeout (minutes)', testId: 'session-absolute' },
  { key: 'lockoutMinutes', label: 'Lockout (minutes)', testId: 'session-lockout' },
];

/**
 * The coordinator's view of sign-in security: the study's session timeouts and lockout period
 * (editable), and every user's failed sign-ins, with Unlock for a locked account.
 */
export function SignInSecurityPanel({
  client,
  studyId,
  usersVersion,
}: {
  client: ReaderClient;
  studyId: number;
  usersVersion: number;
}) {
  const [security, setSecurity] = useState<SignInSecurity | undefined>();
  const [draft, setDraft] = useState<Draft | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = useCallback((s: SignInSecurity, resetDraft: boolean) => {
    setSecurity(s);
    if (resetDraft) setDraft(toDraft(s.settings));
  }, []);
  const load = useCallback(
    async (resetDraft: boolean) => {
      const res = await client.getSignInSecurity({ studyId });
      if (res.ok) show(res.value, resetDraft);
      else setError(errorMessage('Loading the sign-in settings', res.error));
    },
    [client, studyId, show],
  );
  useEffect(() => {
    void load(true);
  }, [load, usersVersion]);

  if (!security || !draft) {
    return (
      <section className="panel" aria-labelledby="security-heading" data-testid="security-panel">
        <h2 id="security-heading">Sign-in and sessions</h2>
        {error ? (
          <p className="error" role="alert" data-testid="security-error">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  const wanted = fromDraft(draft);
  const problem = sessionSettingsProblem(wanted);
  const changed = fields.some((f) => wanted[f.key] !== security.settings[f.key]);

  async function save() {
    if (problem) return;
    setBusy(true);
    setError(undefined);
    setSaved(false);
    const res = await client.setSessionSettings({ studyId, ...wanted });
    setBusy(false);
    if (!res.ok) return setError(errorMessage('Saving the session settings', res.error));
    show(res.value, true);
    setSaved(true);
  }

  async function unlock(userId: number) {
    setError(undefined);
    const res = await client.unlockStudyUser({ studyId, userId });
    if (!res.ok) return setError(errorMessage('Unlocking the account', res.error));
    show(res.value, false);
  }

  const troubled = security.users.filter((u) => u.failedAttempts > 0);
  return (
    <section className="panel" aria-labelledby="security-heading" data-testid="security-panel">
      <div className="st-panel-head">
        <h2 id="security-heading">Sign-in and sessions</h2>
        <button
          type="button"
          className="secondary small-button"
          onClick={() => void load(false)}
          data-testid="security-refresh"
        >
          Refresh
        </button>
      </div>
      <p className="hint">
        Each sign-in starts a session. It ends on sign-out; after the idle timeout without any action (a running import
        of the session counts as activity); after the absolute timeout however active; or when Concord restarts. Jobs
        started in a session end with it. After 3 failed sign-ins each further try of that account, or from that
        computer, waits longer (1 s, doubling); after 10 the account is locked for the lockout period, or until you
        unlock it here.
      </p>
      <form
        className="st-inline-form st-session-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {fields.map((f) => (
          <label className="st-field" key={f.key}>
            <span>{f.label}</span>
            <input
              type="number"
              min={sessionSettingLimits[f.key][0]}
              max={sessionSettingLimits[f.key][1]}
              step={1}
              value={draft[f.key]}
              onChange={(e) => {
                setSaved(false);
                setDraft({ ...draft, [f.key]: e.target.value });
              }}
              data-testid={f.testId}
            />
            <span className="st-field-note muted small">default {security.defaults[f.key]}</span>
          </label>
        ))}
        <button type="submit" disabled={busy || !changed || problem !== undefined} data-testid="session-save">
          Save
        </button>
      </form>
      {problem && (
        <p className="warning" data-testid="session-problem">
          {problem}
        </p>
      )}
      {saved && (
        <p className="ok" data-testid="session-saved">
          Saved: sessions of this study follow the new times from their next action.
        </p>
      )}
      {troubled.length === 0 ? (
        <p className="muted st-after-table" data-testid="security-no-failures">
          No failed sign-ins since each user&apos;s last successful one.
        </p>
      ) : (
        <table className="table" data-testid="security-table">
          <thead>
            <tr>
              <th>User</th>
              <th className="st-num">Failed sign-ins</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {troubled.map((u) => (
              <tr key={u.userId} data-testid="security-row" data-user={u.displayName}>
                <td>
                  {u.displayName} <span className="muted">({u.role})</span>
                </td>
                <td className="st-num" data-testid="security-failures">
                  {u.failedAttempts}
                </td>
                <td data-testid="security-state">
                  {u.lockedUntil ? (
                    <span className="warning">Locked until {formatWhen(u.lockedUntil)}</span>
                  ) : u.waitUntil ? (
                    <span>Next try after {formatWhen(u.waitUntil)}</span>
                  ) : (
                    <span className="muted">May try again</span>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary small-button"
                    onClick={() => void unlock(u.userId)}
                    data-testid="security-unlock"
                  >
                    {u.lockedUntil ? 'Unlock' : 'Clear'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p className="error" role="alert" data-testid="security-error">
          {error}
        </p>
      )}
    </section>
  );
}
