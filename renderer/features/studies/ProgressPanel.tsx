import { Fragment, useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { formatWhen, readStateLabels } from './studyFormat';

type Read = StudyOverview['reads'][number];

/**
 * Reader × case grid of read states (never answers: the study is blinded), with the audited
 * "reopen" of a submitted read before unblinding.
 */
export function ProgressPanel({
  client,
  overview,
  onChanged,
}: {
  client: ReaderClient;
  overview: StudyOverview;
  onChanged: () => Promise<void>;
}) {
  const [reopening, setReopening] = useState<Read | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const byCell = new Map(overview.reads.map((r) => [`${r.caseId}:${r.readerId}`, r]));
  const cases = [...new Map(overview.reads.map((r) => [r.caseId, r.caseCode])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );
  const canReopen = !overview.study.unblinded;

  function startReopen(read: Read) {
    setReopening(read);
    setReason('');
    setError(undefined);
    setDone(undefined);
  }

  async function reopen() {
    if (!reopening?.readId) return;
    setBusy(true);
    setError(undefined);
    const res = await client.reopenRead({ readId: reopening.readId, reason: reason.trim() });
    setBusy(false);
    if (!res.ok) {
      setError(errorMessage('Reopening the read', res.error));
    } else {
      setDone(
        `The read of ${reopening.caseCode} by ${reopening.reader} is open again; ${reopening.reader} can now change and submit it again.`,
      );
      setReopening(null);
    }
    await onChanged();
  }

  return (
    <section className="panel" aria-labelledby="progress-heading" data-testid="progress-panel">
      <h2 id="progress-heading">Progress</h2>
      {overview.readers.length === 0 || overview.cases === 0 ? (
        <p className="muted" data-testid="progress-empty">
          The grid of reads appears once the study has at least one reader and one case.
        </p>
      ) : (
        <>
          <p className="hint">
            Each cell is one reader&apos;s read of one case. You see only whether it is started or submitted, never the
            answers, until the study is unblinded.
            {canReopen &&
              ' A submitted read is locked; reopen it (with a reason, kept in the audit log) if the reader needs to correct it.'}
          </p>
          <div className="st-grid-scroll">
            <table className="table st-progress-grid" data-testid="progress-grid">
              <thead>
                <tr>
                  <th>Case</th>
                  {overview.readers.map((r) => (
                    <th key={r.userId}>{r.displayName}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cases.map(([caseId, caseCode]) => (
                  <Fragment key={caseId}>
                    <tr data-testid="progress-row" data-case-code={caseCode}>
                      <td className="mono st-case-code">{caseCode}</td>
                      {overview.readers.map((reader) => {
                        const read = byCell.get(`${caseId}:${reader.userId}`);
                        const state = read?.state ?? 'not_started';
                        const selected =
                          reopening !== null && reopening.caseId === caseId && reopening.readerId === reader.userId;
                        return (
                          <td
                            key={reader.userId}
                            className={`st-progress-cell ${selected ? 'st-progress-cell-selected' : ''}`}
                            data-testid="progress-cell"
                            data-case-code={caseCode}
                            data-reader={reader.displayName}
                            data-state={state}
                          >
                            <span className={`st-badge st-badge-read-${state}`} data-testid="progress-state">
                              {readStateLabels[state]}
                            </span>
                            {read?.submittedAt && (
                              <span className="muted small st-progress-when">{formatWhen(read.submittedAt)}</span>
                            )}
                            {canReopen && state === 'submitted' && read?.readId != null && !selected && (
                              <button
                                type="button"
                                className="secondary small-button"
                                onClick={() => startReopen(read)}
                                data-testid="reopen-open"
                              >
                                Reopen
                              </button>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                    {reopening && reopening.caseId === caseId && (
                      <tr className="st-reopen-row">
                        <td colSpan={overview.readers.length + 1}>
                          <form
                            className="st-reopen-form"
                            data-testid="reopen-form"
                            onSubmit={(e) => {
                              e.preventDefault();
                              void reopen();
                            }}
                          >
                            <label className="st-field st-reopen-reason">
                              <span>
                                Why reopen the read of <strong>{reopening.caseCode}</strong> by{' '}
                                <strong>{reopening.reader}</strong>? (kept in the audit log)
                              </span>
                              <input
                                type="text"
                                value={reason}
                                maxLength={500}
                                onChange={(e) => setReason(e.target.value)}
                                placeholder="e.g. Reader asked to correct the follow-up diameter"
                                autoFocus
                                data-testid="reopen-reason"
                              />
                            </label>
                            <button type="submit" disabled={busy || reason.trim() === ''} data-testid="reopen-confirm">
                              Reopen the read
                            </button>
                            <button
                              type="button"
                              className="secondary"
                              disabled={busy}
                              onClick={() => setReopening(null)}
                              data-testid="reopen-cancel"
                            >
                              Cancel
                            </button>
                          </form>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {done && (
        <p className="ok" data-testid="reopen-done">
          {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="reopen-error">
          {error}
        </p>
      )}
    </section>
  );
}
