import { useCallback, useEffect, useState } from 'react';
import type { CoordinatorCase, ReaderClient, StudyOverview } from '../../../core/ipc/contract';
import { errorMessage } from '../../api/messages';
import { MaskChecksBadge } from '../letb/MaskChecksBadge';
import { count, formatExamDate, formatPersonName } from './studyFormat';

type Load = { state: 'loading' } | { state: 'ready'; cases: CoordinatorCase[] } | { state: 'error'; message: string };

/**
 * The study's cases with patient identity: the coordinator's key between case codes and
 * patients. Readers never see this list; their worklist has the case codes and relative dates only.
 */
export function CasesPanel({
  client,
  overview,
  onChanged,
}: {
  client: ReaderClient;
  overview: StudyOverview;
  onChanged: () => Promise<void>;
}) {
  const studyId = overview.study.id;
  const [list, setList] = useState<Load>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(async () => {
    const res = await client.listStudyCases({ studyId });
    setList(
      res.ok
        ? { state: 'ready', cases: res.value }
        : { state: 'error', message: errorMessage('Listing the cases', res.error) },
    );
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

  /** Splits or joins treatments; the panel shows the cases as the main process returns them. */
  async function regroup(what: string, call: () => ReturnType<ReaderClient['splitStudyCase']>) {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const res = await call();
    setBusy(false);
    if (!res.ok) setError(errorMessage(what, res.error));
    else {
      setList({ state: 'ready', cases: res.value });
      setResult(`${what}: the study now has ${count(res.value.length, 'case')}.`);
    }
    await onChanged();
  }

  const cases = list.state === 'ready' ? list.cases : [];
  // Exams can be regrouped into treatments until a reader opens the case.
  const opened = new Set(overview.reads.filter((r) => r.readId !== null).map((r) => r.caseId));
  const canRegroup = (c: CoordinatorCase) => !overview.study.unblinded && !opened.has(c.caseId);
  /** "next treatment after C-003", with "Join back" while both cases can still be regrouped. */
  const continuesNote = (c: CoordinatorCase, previous: CoordinatorCase | undefined) =>
    previous ? (
      <div className="small muted" data-testid="case-continues">
        next treatment after {previous.caseCode}{' '}
        {canRegroup(c) && canRegroup(previous) && (
          <button
            type="button"
            className="secondary tiny"
            disabled={busy}
            onClick={() =>
              void regroup(`Join ${c.caseCode} into ${previous.caseCode}`, () =>
                client.joinStudyCase({ caseId: c.caseId }),
              )
            }
            data-testid="case-join"
          >
            Join back
          </button>
        )}
      </div>
    ) : null;
  /** The case of the same patient this one continues (its last exam is this one's baseline). */
  const continues = (c: CoordinatorCase) =>
    cases.find(
      (o) =>
        o.caseId !== c.caseId &&
        o.patientId === c.patientId &&
        o.timepoints.at(-1)?.studyInstanceUid === c.timepoints[0]?.studyInstanceUid,
    );
  return (
    <section className="panel" aria-labelledby="cases-heading" data-testid="cases-panel">
      <div className="st-panel-head">
        <h2 id="cases-heading">Cases</h2>
        <span className="st-badge st-badge-identifying" data-testid="cases-identifying">
          Identifying: coordinator only
        </span>
      </div>
      <p className="hint">
        A case is made for every imported patient with at least two exams; the earliest exam is the baseline. Case codes
        are handed out in an order shuffled with the study&apos;s seed, so they say nothing about the patients. Readers
        see only the case code and how long after the baseline each exam was taken. A patient treated more than once
        gets a case per treatment: &ldquo;New treatment here&rdquo; ends the case at that exam and starts the next
        treatment&apos;s case with it as baseline (until a reader opens the case).
      </p>
      {overview.study.protocol.letb && (
        <p className="hint" data-testid="cases-letb-hint">
          LETB: under each exam, the liver mask readers will measure on (its file and the start of its SHA-256) and what
          its checks found: ✓ ok, ⚠ warnings (a liver volume outside 300-6,000 mL, voxels outside the CT) or a DICOM SEG
          of other images attached as confirmed. Point at a status for the details.
        </p>
      )}
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
                  <td data-testid="case-patient-name">
                    {formatPersonName(c.patientName) || '(no name)'}
                    {continuesNote(c, continues(c))}
                  </td>
                  <td className="mono" data-testid="case-patient-id">
                    {c.patientId || '(no ID)'}
                  </td>
                  <td>
                    <ol className="st-timepoint-list">
                      {c.timepoints.map((t) => (
                        <li key={t.ordinal} data-testid="case-timepoint">
                          <span className="mono">{formatExamDate(t.studyDate) || 'date unknown'}</span>{' '}
                          <span className="muted">{t.label}</span>
                          {canRegroup(c) && t.ordinal >= 1 && t.ordinal <= c.timepoints.length - 2 && (
                            <button
                              type="button"
                              className="secondary tiny"
                              disabled={busy}
                              onClick={() =>
                                void regroup(`Split ${c.caseCode}`, () =>
                                  client.splitStudyCase({ caseId: c.caseId, atTimepoint: t.ordinal }),
                                )
                              }
                              title="This exam ends the treatment and is the baseline of the next treatment's case"
                              data-testid="case-split"
                            >
                              New treatment here
                            </button>
                          )}
                          {t.letb && (
                            <span
                              className={t.letb.ready ? 'ok small st-letb-ready' : 'warning small st-letb-ready'}
                              data-testid="case-letb"
                              data-ready={String(t.letb.ready)}
                              title={t.letb.ready ? undefined : t.letb.reason}
                            >
                              {t.letb.ready
                                ? ` · LETB: ${t.letb.maskSource}`
                                : ` · LETB not possible: ${t.letb.reason}`}
                            </span>
                          )}
                          {t.letb?.ready && (
                            <div className="small st-letb-mask" data-testid="case-letb-mask">
                              <span className="mono" data-testid="case-letb-mask-file">
                                {t.letb.mask.fileName}
                              </span>{' '}
                              <span className="muted mono" title={`SHA-256 of the file: ${t.letb.mask.fileSha256}`}>
                                {t.letb.mask.fileSha256.slice(0, 8)}
                              </span>{' '}
                              ·{' '}
                              <MaskChecksBadge
                                checks={t.letb.mask.checks}
                                scope={t.letb.mask.checked}
                                testId="case-letb-checks"
                              />
                            </div>
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
