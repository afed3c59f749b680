import { useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { UnblindedResults } from './UnblindedResults';
import { count } from './studyFormat';

/** Unblinding (once every read is submitted, with a confirmation) and, after it, the results and exports. */
export function UnblindingPanel({
  client,
  overview,
  onChanged,
}: {
  client: ReaderClient;
  overview: StudyOverview;
  onChanged: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const { study } = overview;

  async function unblind() {
    setBusy(true);
    setError(undefined);
    const res = await client.unblindStudy({ studyId: study.id });
    setBusy(false);
    if (!res.ok) setError(errorMessage('Unblinding the study', res.error));
    setConfirming(false);
    await onChanged();
  }

  if (study.unblinded) {
    return (
      <section className="panel" aria-labelledby="results-heading" data-testid="unblinding-panel" data-unblinded="true">
        <h2 id="results-heading">Results (unblinded)</h2>
        <UnblindedResults client={client} overview={overview} />
      </section>
    );
  }

  const total = overview.readers.length * overview.cases;
  const open = total - overview.reads.filter((r) => r.state === 'submitted').length;
  let blocked: string | null = null;
  if (overview.readers.length === 0 || overview.cases === 0)
    blocked = 'Unblinding needs at least one reader and one case, and every read submitted.';
  else if (!overview.allSubmitted)
    blocked = `${count(open, 'read is', 'reads are')} still open (of ${total}): unblinding is possible once every reader has submitted every case.`;

  return (
    <section
      className="panel"
      aria-labelledby="unblinding-heading"
      data-testid="unblinding-panel"
      data-unblinded="false"
    >
      <h2 id="unblinding-heading">Unblinding</h2>
      <p className="hint">
        Unblinding shows every reader&apos;s answers and response categories side by side, and allows exporting them.
        Until then nobody, the coordinator included, sees any answer.
      </p>
      {blocked && (
        <p className="warning" data-testid="unblind-blocked">
          {blocked}
        </p>
      )}
      {!confirming ? (
        <button
          type="button"
          disabled={!overview.allSubmitted || busy}
          onClick={() => setConfirming(true)}
          data-testid="unblind-open"
        >
          Unblind the study…
        </button>
      ) : (
        <div className="st-confirm-box" data-testid="unblind-confirm-panel">
          <p>
            <strong>Unblinding is final.</strong> After it, no read can be reopened or changed, and the unblinding is
            recorded in the audit log with your name and the time. Readers keep seeing only their own reads.
          </p>
          <div className="actions">
            <button
              type="button"
              className="st-danger"
              disabled={busy}
              onClick={() => void unblind()}
              data-testid="unblind-confirm"
            >
              Yes, unblind the study
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setConfirming(false)}
              data-testid="unblind-cancel"
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="unblind-error">
          {error}
        </p>
      )}
    </section>
  );
}
