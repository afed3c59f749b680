import { useEffect, useState } from 'react';
import type { ReaderClient } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { useJob } from '../../api/useJob';

/** Offers the synthetic demo study; prominent while nothing has been imported. */
export function DemoCard({ client, onBrowse }: { client: ReaderClient; onBrowse: () => void }) {
  const [empty, setEmpty] = useState<boolean | undefined>();
  const { job, track } = useJob(client, 'openDemoStudy');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void client.listDicomIndex(undefined).then((r) => r.ok && setEmpty(r.value.length === 0));
  }, [client]);

  async function open() {
    setError(undefined);
    const res = await client.openDemoStudy(undefined);
    if (!res.ok) return setError(errorMessage('Opening the demo study', res.error));
    await track(res.value.jobId);
  }

  const running = job?.state === 'running';
  return (
    <section
      className={`panel ${empty ? 'panel-highlight' : ''}`}
      aria-labelledby="demo-heading"
      data-testid="demo-card"
    >
      <h2 id="demo-heading">Demo study</h2>
      <p className="hint">
        {empty ? 'Nothing has been imported yet. ' : ''}Synthetic liver CT of four patients, each before and after
        chemoembolisation (precontrast, late arterial and portal venous phases; the first at 512×512, the others
        128×128), with hyperenhancing metastases, necrosis and lipiodol, a partial responder, a progressor and an
        mRECIST-only responder: enough for a two-reader study. Written into the data folder and imported like any exam.
      </p>
      <div className="actions">
        <button type="button" onClick={() => void open()} disabled={running} data-testid="demo-open">
          Open demo study
        </button>
        {job && (
          <span data-testid="demo-status" data-state={job.state} className={`status status-${job.state}`}>
            {job.state === 'running' && job.message}
            {job.state === 'succeeded' &&
              job.result &&
              `Demo study ready: ${job.result.series} series, ${job.result.instances} images.`}
            {job.state === 'failed' && job.error && errorMessage('Demo study', job.error)}
            {job.state === 'cancelled' && 'Cancelled'}
          </span>
        )}
        {job?.state === 'succeeded' && (
          <button type="button" className="secondary" onClick={onBrowse} data-testid="demo-browse">
            Browse series
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
