import { useEffect, useState } from 'react';
import type { ReaderClient, ReadState, WorklistEntry } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import './reading.css';

const stateLabels: Record<ReadState, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
};

/** The signed-in reader's cases, in their own randomised order: codes and relative dates only. */
export function WorklistScreen({ client, onOpen }: { client: ReaderClient; onOpen: (caseId: number) => void }) {
  const [list, setList] = useState<WorklistEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    void client.getMyWorklist(undefined).then((r) => {
      if (!live) return;
      if (r.ok) setList(r.value);
      else setError(errorMessage('Loading your worklist', r.error));
    });
    return () => {
      live = false;
    };
  }, [client]);

  const done = list?.filter((e) => e.readState === 'submitted').length ?? 0;
  const next = list?.find((e) => e.readState !== 'submitted');
  return (
    <main className="screen" data-testid="worklist">
      <h1>Your worklist</h1>
      <p className="hint">
        Cases appear in an order drawn for you alone. You see case codes and dates relative to each case's baseline;
        other readers' work is never shown.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {list && (
        <section className="panel">
          <div className="worklist-head">
            <span data-testid="worklist-progress">
              {done} of {list.length} submitted
            </span>
            <progress max={Math.max(list.length, 1)} value={done} />
            {next && (
              <button type="button" onClick={() => onOpen(next.caseId)} data-testid="worklist-next">
                {next.readState === 'in_progress' ? 'Continue' : 'Start'} {next.caseCode}
              </button>
            )}
          </div>
          {list.length === 0 ? (
            <p className="hint">No cases yet: the coordinator adds them.</p>
          ) : (
            <table className="table" data-testid="worklist-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Case</th>
                  <th>Timepoints</th>
                  <th>Your read</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.caseId} data-testid={`worklist-row-${e.caseCode}`}>
                    <td>{e.position}</td>
                    <td className="mono">{e.caseCode}</td>
                    <td>{e.timepoints.map((t) => t.label).join(' → ')}</td>
                    <td>
                      <span className={`read-state read-state-${e.readState}`}>{stateLabels[e.readState]}</span>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary small-button"
                        onClick={() => onOpen(e.caseId)}
                        data-testid={`worklist-open-${e.caseCode}`}
                      >
                        {e.readState === 'submitted' ? 'View' : e.readState === 'in_progress' ? 'Continue' : 'Read'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </main>
  );
}
