import { useEffect, useState } from 'react';
import type { AppInfo, ReaderClient } from '../../../core/ipc/contract';
import { useJob } from '../../api/useJob';
import { errorMessage } from '../../api/messages';
import { SurfaceSmokeView } from './SurfaceSmokeView';
import { DemoCard } from './DemoCard';
import type { Route } from '../../app/App';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** Home: who we are, where the data lives, and proof that the database and 3D view work. */
export function HomeScreen({ client, onNavigate }: { client: ReaderClient; onNavigate: (route: Route) => void }) {
  const [info, setInfo] = useState<Load<AppInfo>>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    void client.getAppInfo(undefined).then((res) => {
      if (!live) return;
      setInfo(
        res.ok
          ? { state: 'ready', value: res.value }
          : { state: 'error', message: errorMessage('Reading app information', res.error) },
      );
    });
    return () => {
      live = false;
    };
  }, [client]);

  return (
    <main className="screen">
      <header className="app-header">
        <h1 data-testid="app-name">Concord</h1>
        <p className="tagline">Blinded reader studies on liver CT</p>
      </header>
      <section className="panel" aria-labelledby="start-heading">
        <h2 id="start-heading">Start</h2>
        <div className="actions">
          <button type="button" onClick={() => onNavigate({ name: 'import' })} data-testid="home-import">
            Import a DICOM folder
          </button>
          <button type="button" className="secondary" onClick={() => onNavigate({ name: 'series' })}>
            Browse imported series
          </button>
        </div>
      </section>
      <DemoCard client={client} onBrowse={() => onNavigate({ name: 'series' })} />
      <section className="panel" aria-labelledby="about-heading">
        <h2 id="about-heading">This installation</h2>
        {info.state === 'loading' && <p>Connecting…</p>}
        {info.state === 'error' && (
          <p className="error" role="alert" data-testid="info-error">
            {info.message}
          </p>
        )}
        {info.state === 'ready' && (
          <dl className="facts">
            <dt>Version</dt>
            <dd data-testid="app-version">{info.value.version}</dd>
            <dt>Data folder</dt>
            <dd data-testid="data-dir">
              {info.value.dataDir}
              {info.value.dataFolderNotice && (
                <span className="warning data-dir-notice" role="status" data-testid="data-dir-notice">
                  {info.value.dataFolderNotice}
                </span>
              )}
            </dd>
            <dt>Database schema</dt>
            <dd data-testid="schema-version">{info.value.schemaVersion}</dd>
            <dt>Running as</dt>
            <dd data-testid="shell">{info.value.shell === 'electron' ? 'Desktop app' : 'Browser (local host)'}</dd>
          </dl>
        )}
        <DatabaseCheck client={client} />
      </section>
      <section className="panel" aria-labelledby="render-heading">
        <h2 id="render-heading">3D rendering check</h2>
        <p className="hint">
          A synthetic labelmap (organ with one lesion) drawn with vtk.js. If it is blank, WebGL is unavailable.
        </p>
        <SurfaceSmokeView />
      </section>
    </main>
  );
}

function DatabaseCheck({ client }: { client: ReaderClient }) {
  const { job, track } = useJob(client, 'databaseCheck');
  const [error, setError] = useState<string | undefined>();

  async function start() {
    setError(undefined);
    const res = await client.startDatabaseCheck(undefined);
    if (!res.ok) return setError(errorMessage('Starting the database check', res.error));
    await track(res.value.jobId);
  }

  const running = job?.state === 'running';
  return (
    <div className="db-check">
      <button type="button" onClick={() => void start()} disabled={running} data-testid="db-check-start">
        Check database
      </button>
      {job && (
        <span data-testid="db-check-status" data-state={job.state} className={`status status-${job.state}`}>
          {job.state === 'running' && `${job.message} (${job.done}/${job.total})`}
          {job.state === 'succeeded' &&
            job.result &&
            (job.result.ok
              ? `Database OK (schema ${job.result.schemaVersion})`
              : `Problems: ${job.result.problems.join('; ')}`)}
          {job.state === 'failed' && job.error && errorMessage('Database check', job.error)}
          {job.state === 'cancelled' && 'Cancelled'}
        </span>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
