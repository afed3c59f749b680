import { useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { minPassphraseChars as minPassphrase, passphraseChars } from '../../../core/auth/passphraseRule';

/** The study's readers with their progress, and the form that adds one. */
export function ReadersPanel({
  client,
  overview,
  onChanged,
}: {
  client: ReaderClient;
  overview: StudyOverview;
  onChanged: () => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const chars = passphraseChars(passphrase);
  const short = chars > 0 && chars < minPassphrase;

  async function add() {
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    const res = await client.addStudyReader({ studyId: overview.study.id, displayName: name.trim(), passphrase });
    setBusy(false);
    if (!res.ok) {
      setError(errorMessage('Adding the reader', res.error));
    } else {
      setAdded(res.value.displayName);
      setName('');
      setPassphrase('');
    }
    await onChanged();
  }

  return (
    <section className="panel" aria-labelledby="readers-heading" data-testid="readers-panel">
      <h2 id="readers-heading">Readers</h2>
      {overview.readers.length === 0 ? (
        <p className="muted" data-testid="readers-empty">
          No readers yet. Add each reader with a name and a passphrase, and give both to the reader in person.
        </p>
      ) : (
        <table className="table st-readers-table" data-testid="readers-table">
          <thead>
            <tr>
              <th>Reader</th>
              <th className="st-num">Submitted</th>
              <th className="st-num">In progress</th>
              <th className="st-num">Cases to read</th>
            </tr>
          </thead>
          <tbody>
            {overview.readers.map((r) => (
              <tr key={r.userId} data-testid="reader-row" data-reader={r.displayName}>
                <td>{r.displayName}</td>
                <td className="st-num" data-testid="reader-submitted">
                  {r.submitted}
                </td>
                <td className="st-num" data-testid="reader-in-progress">
                  {r.inProgress}
                </td>
                <td className="st-num" data-testid="reader-cases">
                  {r.cases}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overview.study.unblinded ? (
        <p className="hint st-after-table" data-testid="add-reader-closed">
          The study is unblinded, so no reader can be added.
        </p>
      ) : (
        <>
          <h3>Add a reader</h3>
          <form
            className="st-inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void add();
            }}
          >
            <label className="st-field">
              <span>Reader&apos;s name</span>
              <input
                type="text"
                value={name}
                maxLength={60}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
                data-testid="add-reader-name"
              />
            </label>
            <label className="st-field">
              <span>Passphrase for the reader (at least {minPassphrase} characters)</span>
              <input
                type="password"
                value={passphrase}
                maxLength={200}
                onChange={(e) => setPassphrase(e.target.value)}
                autoComplete="new-password"
                data-testid="add-reader-passphrase"
              />
              {short && (
                <span className="st-field-note warning">{minPassphrase - chars} more character(s) needed.</span>
              )}
            </label>
            <button
              type="submit"
              disabled={busy || name.trim() === '' || chars < minPassphrase}
              data-testid="add-reader-submit"
            >
              Add reader
            </button>
          </form>
          <p className="hint small">
            The passphrase is stored only as a hash: note it down for the reader now, it cannot be shown again.
          </p>
        </>
      )}
      {added && (
        <p className="ok" data-testid="add-reader-done">
          {added} was added. They sign in on the Studies page with this name and passphrase.
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="add-reader-error">
          {error}
        </p>
      )}
    </section>
  );
}
