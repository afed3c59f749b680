import { useCallback, useEffect, useState } from 'react';
import type { ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import type { Route, Session } from '../../app/App';
import { CasesPanel } from './CasesPanel';
import { ProgressPanel } from './ProgressPanel';
import { ProtocolPanel } from './ProtocolPanel';
import { ReadersPanel } from './ReadersPanel';
import { SignInSecurityPanel } from './SignInSecurityPanel';
import { UnblindingPanel } from './UnblindingPanel';
import { formatWhen } from './studyFormat';
import './studies.css';
import { AgreementPanel } from './AgreementPanel';
import { OutcomesPanel } from './OutcomesPanel';

type Load = { state: 'loading' } | { state: 'ready'; overview: StudyOverview } | { state: 'error'; message: string };

/** What the study's state means for the coordinator, in the words the dashboard uses. */
export type StudyState = 'editable' | 'frozen' | 'unblinded';
export const studyState = (o: StudyOverview): StudyState =>
  o.study.unblinded ? 'unblinded' : o.study.frozen ? 'frozen' : 'editable';
const stateLabels: Record<StudyState, string> = {
  editable: 'Protocol editable: no reader has opened a case yet',
  frozen: 'Protocol frozen since reading started',
  unblinded: 'Unblinded: reading is closed',
};

/** The coordinator's study: protocol, readers, cases, progress, reopen, unblinding, export. */
export function StudyDashboard({
  client,
  session,
  studyId,
  onNavigate,
}: {
  client: ReaderClient;
  session: Session;
  studyId: number;
  onNavigate: (route: Route) => void;
}) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  /** Every action ends here, so what the dashboard shows is always what the main process holds. */
  const refresh = useCallback(async () => {
    const res = await client.getStudyOverview({ studyId });
    setLoad(
      res.ok
        ? { state: 'ready', overview: res.value }
        : { state: 'error', message: errorMessage('Loading the study', res.error) },
    );
  }, [client, studyId]);
  useEffect(() => {
    setLoad({ state: 'loading' });
    void refresh();
  }, [refresh]);

  if (load.state !== 'ready') {
    return (
      <main className="screen st-study-dashboard" data-testid="study-dashboard" data-state={load.state}>
        <h1>Study</h1>
        {load.state === 'loading' && <p className="muted">Loading the study…</p>}
        {load.state === 'error' && (
          <section className="panel">
            <p className="error" role="alert" data-testid="study-error">
              {load.message}
            </p>
            {session.user?.role !== 'coordinator' && (
              <p className="hint">
                This page is for the study coordinator. Sign in as the coordinator on the Studies page.
              </p>
            )}
            <button type="button" onClick={() => onNavigate({ name: 'studies' })} data-testid="study-to-studies">
              Go to Studies
            </button>
          </section>
        )}
      </main>
    );
  }

  const o = load.overview;
  const state = studyState(o);
  const submitted = o.reads.filter((r) => r.state === 'submitted').length;
  return (
    <main className="screen wide st-study-dashboard" data-testid="study-dashboard" data-state="ready">
      <header className="st-study-header">
        <div>
          <h1 data-testid="study-name">{o.study.name}</h1>
          <p className="tagline">Study coordination: only you, as coordinator, see this page.</p>
        </div>
        <span className={`st-badge st-badge-${state} st-study-state`} data-testid="study-state" data-state={state}>
          {stateLabels[state]}
        </span>
      </header>
      <section className="panel">
        <dl className="st-stats">
          <div>
            <dt>Set up</dt>
            <dd>{formatWhen(o.study.createdAt)}</dd>
          </div>
          <div>
            <dt>Randomisation seed</dt>
            <dd className="mono" data-testid="study-seed">
              {o.study.seed}
            </dd>
          </div>
          <div>
            <dt>Readers</dt>
            <dd data-testid="study-reader-count">{o.readers.length}</dd>
          </div>
          <div>
            <dt>Cases</dt>
            <dd data-testid="study-case-count">{o.cases}</dd>
          </div>
          <div>
            <dt>Reads submitted</dt>
            <dd data-testid="study-submitted-count">
              {submitted} of {o.readers.length * o.cases}
            </dd>
          </div>
        </dl>
      </section>
      <ProtocolPanel client={client} overview={o} onChanged={refresh} />
      <ReadersPanel client={client} overview={o} onChanged={refresh} />
      <SignInSecurityPanel client={client} studyId={o.study.id} usersVersion={o.readers.length} />
      <CasesPanel client={client} overview={o} onChanged={refresh} />
      <ProgressPanel client={client} overview={o} onChanged={refresh} />
      <UnblindingPanel client={client} overview={o} onChanged={refresh} />
      {o.study.unblinded && <AgreementPanel client={client} overview={o} />}
      {o.study.unblinded && <OutcomesPanel client={client} overview={o} />}
    </main>
  );
}
