import { useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { ProtocolEditor } from './ProtocolEditor';
import { ProtocolSummary } from './ProtocolSummary';
import { checkDraft, toDraft, type ProtocolDraft } from './protocolDraft';

/** The study's protocol: shown, and editable until the first reader opens a case. */
export function ProtocolPanel({
  client,
  overview,
  onChanged,
}: {
  client: ReaderClient;
  overview: StudyOverview;
  onChanged: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<ProtocolDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const { study } = overview;
  const editable = !study.frozen && !study.unblinded;
  const check = draft ? checkDraft(draft) : null;

  async function save() {
    if (!check?.ok) return;
    setBusy(true);
    setError(undefined);
    const res = await client.updateStudyProtocol({ studyId: study.id, protocol: check.protocol });
    setBusy(false);
    if (!res.ok) {
      setError(errorMessage('Saving the protocol', res.error));
    } else {
      setDraft(null);
      setSaved(true);
    }
    await onChanged();
  }

  return (
    <section className="panel" aria-labelledby="protocol-heading" data-testid="protocol-panel" data-editable={editable}>
      <div className="st-panel-head">
        <h2 id="protocol-heading">Protocol</h2>
        {editable && !draft && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(toDraft(study.protocol));
              setSaved(false);
              setError(undefined);
            }}
            data-testid="protocol-edit"
          >
            Change the protocol
          </button>
        )}
      </div>
      <p className="hint" data-testid="protocol-status">
        {editable
          ? 'The protocol can be changed until the first reader opens a case; from then on it is frozen so every read answers the same questions.'
          : 'Frozen: reading has started, so the protocol can no longer change.'}
      </p>
      {saved && !draft && (
        <p className="ok" data-testid="protocol-saved">
          Protocol saved.
        </p>
      )}
      {draft ? (
        <>
          <ProtocolEditor draft={draft} onChange={setDraft} disabled={busy} />
          <div className="st-form-actions">
            <button type="button" disabled={busy || !check?.ok} onClick={() => void save()} data-testid="protocol-save">
              Save the protocol
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setDraft(null)}
              data-testid="protocol-cancel"
            >
              Cancel
            </button>
          </div>
        </>
      ) : (
        <ProtocolSummary protocol={study.protocol} />
      )}
      {error && (
        <p className="error" role="alert" data-testid="protocol-save-error">
          {error}
        </p>
      )}
    </section>
  );
}
