import { useCallback, useEffect, useState } from 'react';
import type { CoordinatorCase, ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { count, formatExamDate, formatPersonName } from './studyFormat';

type Load = { state: 'loading' } | { state: 'ready'; cases: CoordinatorCase[] } | { state: 'error'; message: string };

/**
 * The study's cases with patient identity: the coordinator's key between case codes and
 * patients. Readers never see this list; their worklist has the case codes and relative dates only.
 */
export function CasesPanel({ client, overview, onChanged }: { client: ReaderClient; overview: StudyOverview; onChanged: () => Promise<void> }) {
  const studyId = overview.study.id;
  const [list, setList] = useState<Load>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(async () => {
    const res = await client.listStudyCases({ studyId });
    setList(res.ok ? { state: 'ready', cases: res.value } : { state: 'error', message: errorMessage('Listing the cases', res.error) });
  }, [client, studyId]);
  // The overview's case count changes when cases are added (here or elsewhere): reload then.
  useEffect(() => {
    void load();
  }, [load, overview.cases]);

  async function addCases() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const res = await client.addCasesFromIndex({ studyId });
    setBusy(false);
    if (!res.ok) {
      setError(errorMessage('Adding cases', res.error));
    } else {
      setList({ state: 'ready', cases: res.value.cases });
      setResult(
        res.value.created > 0
          ? `${count(res.value.created, 'new case')} created; the study now has ${count(res.value.cases.length, 'case')}.`
          : 'No new cases: every imported patient with two or more exams is already in the study.',
      );
    }
    await onChanged();
  }

  const cases = list.state === 'ready' ? list.cases : [];
  return (
    <section className="panel" aria-labelledby="cases-heading" data-testid="cases-panel">
      <div className="st-panel-head">
        <h2 id="cases-heading">Cases</h2>
        <span className="st-badge st-badge-identifying" data-testid="cases-identifying">
          Identifying: coordinator only
        </span>
      </div>
      <p className="hint">
        A case is made for every imported patient with at least two exams; the earliest exam is the baseline. Case codes are handed out in an order shuffled with the study&apos;s seed, so they say nothing
        about the patients. Readers see only the case code and how long after the baseline each exam was taken.
      </p>
      <div className="actions">
        {overview.study.unblinded ? (
          <span className="muted" data-testid="add-cases-closed">
            The study is unblinded, so no case can be added.
          </span>
        ) : (
          <button type="button" onClick={() => void addCases()} disabled={busy} data-testid="add-cases">
            Add cases from imported exams
          </button>
        )}
        {result && (
          <span className="ok" data-testid="add-cases-result">
            {result}
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="add-cases-error">
          {error}
        </p>
      )}
      {list.state === 'error' && (
        <p className="error" role="alert" data-testid="cases-error">
          {list.message}
        </p>
      )}
      {list.state === 'ready' && cases.length === 0 && (
        <p className="muted" data-testid="cases-empty">
          No cases yet. Import the exams first (Import, or the demo study on Home), then add them here.
        </p>
      )}
      {cases.length > 0 && (
        <div className="st-identifying-block">
          <table className="table cases-table" data-testid="cases-table">
            <thead>
              <tr>
                <th>Case code</th>
                <th>Patient name</th>
                <th>Patient ID</th>
                <th>Exams (date, and time after the baseline)</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.caseId} data-testid="case-row" data-case-code={c.caseCode}>
                  <td className="mono st-case-code" data-testid="case-code">
                    {c.caseCode}
                  </td>
                  <td data-testid="case-patient-name">{formatPersonName(c.patientName) || '(no name)'}</td>
                  <td className="mono" data-testid="case-patient-id">
                    {c.patientId || '(no ID)'}
                  </td>
                  <td>
                    <ol className="st-timepoint-list">
                      {c.timepoints.map((t) => (
                        <li key={t.ordinal} data-testid="case-timepoint">
                          <span className="mono">{formatExamDate(t.studyDate) || 'date unknown'}</span> <span className="muted">{t.label}</span>
                          {t.letb && (
                            <span className={t.letb.ready ? 'ok small st-letb-ready' : 'warning small st-letb-ready'} data-testid="case-letb" data-ready={String(t.letb.ready)} title={t.letb.ready ? undefined : t.letb.reason}>
                              {t.letb.ready ? ` · LETB: ${t.letb.maskSource}` : ` · LETB not possible: ${t.letb.reason}`}
                            </span>
                          )}
                        </li>
                      ))}
                    </ol>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
