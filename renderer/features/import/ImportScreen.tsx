import { useCallback, useEffect, useState } from 'react';
import type { ImportRun, ImportSummary, ReaderClient } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { useJob, type JobOf } from '../../api/useJob';
import type { Route } from '../../app/App';

type ImportJob = JobOf<'importFolder'>;

/** Import a local folder: native dialog in the desktop app, a path field in the browser. */
export function ImportScreen({
  client,
  shell,
  onNavigate,
}: {
  client: ReaderClient;
  shell: 'electron' | 'host' | undefined;
  onNavigate: (r: Route) => void;
}) {
  const [folderPath, setFolderPath] = useState('');
  const { job, track } = useJob(client, 'importFolder');
  const [error, setError] = useState<string | undefined>();
  const [runs, setRuns] = useState<ImportRun[] | undefined>();

  const loadRuns = useCallback(async () => {
    const res = await client.listImportRuns(undefined);
    if (res.ok) setRuns(res.value);
    else setError(errorMessage('Reading the import history', res.error));
  }, [client]);
  const jobState = job?.state;
  useEffect(() => {
    if (jobState !== 'running') void loadRuns();
  }, [loadRuns, jobState]);

  async function choose() {
    const res = await client.chooseFolder(undefined);
    if (!res.ok) return setError(errorMessage('Opening the folder dialog', res.error));
    if (res.value.folderPath) setFolderPath(res.value.folderPath);
  }

  async function start() {
    setError(undefined);
    const res = await client.startImport({ folderPath: folderPath.trim() });
    if (!res.ok) return setError(errorMessage('Starting the import', res.error));
    await track(res.value.jobId);
  }

  async function cancel() {
    if (!job) return;
    const res = await client.cancelJob({ jobId: job.jobId });
    if (!res.ok) setError(errorMessage('Cancelling the import', res.error));
  }

  const running = job?.state === 'running';
  return (
    <main className="screen">
      <h1>Import a DICOM folder</h1>
      <section className="panel">
        <p className="hint">
          Every file under the folder is examined; images are indexed (nothing is copied), anything else is listed with
          the reason it was skipped. Importing the same folder again adds nothing twice.
        </p>
        <form
          className="import-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {shell === 'electron' && (
            <button type="button" className="secondary" onClick={() => void choose()} disabled={running}>
              Choose folder…
            </button>
          )}
          <input
            type="text"
            value={folderPath}
            onChange={(e) => setFolderPath(e.target.value)}
            placeholder={shell === 'electron' ? 'or type a folder path' : 'Folder path, e.g. /data/exams/2024-liver'}
            aria-label="Folder path"
            data-testid="import-path"
            disabled={running}
          />
          <button type="submit" disabled={running || folderPath.trim() === ''} data-testid="import-start">
            Import
          </button>
        </form>
        {error && (
          <p className="error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
      </section>
      {job && (
        <ImportProgressPanel job={job} onCancel={() => void cancel()} onBrowse={() => onNavigate({ name: 'series' })} />
      )}
      {runs && runs.length > 0 && <ImportHistory runs={runs} />}
    </main>
  );
}

const stateLabels: Record<ImportRun['state'], string> = {
  running: 'running',
  succeeded: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
  interrupted: 'interrupted (the program ended during the import)',
};

/** Past runs, newest first: a run whose process died shows as interrupted, with what it had done. */
function ImportHistory({ runs }: { runs: ImportRun[] }) {
  return (
    <section className="panel">
      <h2>Import history</h2>
      <table className="table" data-testid="import-history">
        <thead>
          <tr>
            <th>Started</th>
            <th>Folder</th>
            <th>State</th>
            <th>Files</th>
            <th>New</th>
            <th>Already indexed</th>
            <th>Skipped</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} data-testid="import-run" data-state={r.state}>
              <td className="mono">{r.startedAt.replace('T', ' ').slice(0, 19)}</td>
              <td className="mono">{r.folder}</td>
              <td className={r.state === 'succeeded' ? 'ok' : r.state === 'running' ? '' : 'warning'}>
                {stateLabels[r.state]}
              </td>
              <td className="mono">{r.filesSeen}</td>
              <td className="mono">{r.added}</td>
              <td className="mono">{r.alreadyIndexed}</td>
              <td className="mono">{r.skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ImportProgressPanel({
  job,
  onCancel,
  onBrowse,
}: {
  job: ImportJob;
  onCancel: () => void;
  onBrowse: () => void;
}) {
  const summary: ImportSummary | undefined = job.result;
  return (
    <section className="panel" data-testid="import-status" data-state={job.state}>
      {job.state === 'running' && (
        <div className="progress-row">
          <progress aria-label="Import progress" />
          <span data-testid="import-progress">{job.message}</span>
          <button type="button" className="secondary" onClick={onCancel} data-testid="import-cancel">
            Cancel
          </button>
        </div>
      )}
      {job.state === 'failed' && job.error && (
        <p className="error" role="alert">
          {errorMessage('Import', job.error)}
        </p>
      )}
      {summary && (
        <>
          <p data-testid="import-summary" className={job.state === 'cancelled' ? 'warning' : 'ok'}>
            {job.state === 'cancelled' ? 'Cancelled. ' : 'Done. '}
            {summary.filesSeen} files: {summary.instances} images in {summary.series} series ({summary.studies} studies,{' '}
            {summary.patients} patients); {summary.added} new, {summary.alreadyIndexed} already indexed,{' '}
            {summary.skipped.length} skipped.
          </p>
          <button type="button" onClick={onBrowse} data-testid="import-browse">
            Browse series
          </button>
          {summary.skipped.length > 0 && (
            <details open={summary.skipped.length <= 20}>
              <summary>Skipped files ({summary.skipped.length})</summary>
              <table className="table" data-testid="import-skipped">
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.skipped.map((k) => (
                    <tr key={k.path}>
                      <td className="mono">{k.path}</td>
                      <td>{k.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
    </section>
  );
}
