import { useCallback, useEffect, useState } from 'react';
import type { PatientNode, ReaderClient, SeriesSummary } from '../../../core/ipc/contract';
import { phases, type Phase } from '../../../core/phases/recognizePhases';
import { errorMessage } from '../../api/messages';
import { phaseLabels } from './phaseLabels';

/** Patient → study → series with detected phases (coordinator view), each series openable. */
export function SeriesBrowser({
  client,
  onOpen,
  onLetb,
}: {
  client: ReaderClient;
  onOpen: (seriesInstanceUid: string) => void;
  onLetb: (arterialSeriesUid: string) => void;
}) {
  const [tree, setTree] = useState<PatientNode[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(async () => {
    const res = await client.listDicomIndex(undefined);
    if (res.ok) setTree(res.value);
    else setError(errorMessage('Reading the series list', res.error));
  }, [client]);
  useEffect(() => void load(), [load]);

  async function override(series: SeriesSummary, value: string) {
    const phase = value === 'auto' ? null : (value as Phase);
    const res = await client.setSeriesPhase({ seriesInstanceUid: series.seriesInstanceUid, phase });
    if (!res.ok) return setError(errorMessage('Saving the phase', res.error));
    await load();
  }

  return (
    <main className="screen wide">
      <h1>Imported series</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {tree?.length === 0 && <p className="hint">Nothing imported yet. Use Import to index a folder.</p>}
      {tree?.map((p) => (
        <section className="panel" key={p.patientKey} data-testid="patient">
          <h2>
            {p.patientName || '(no name)'}{' '}
            <span className="muted">
              · ID {p.patientId || '—'} · born {formatDate(p.birthDate)}
            </span>
          </h2>
          {p.studies.map((st) => (
            <div key={st.studyInstanceUid} className="study">
              <h3>
                {formatDate(st.studyDate)} <span className="muted">{st.description}</span>
              </h3>
              <table className="table series-table">
                <thead>
                  <tr>
                    <th>Phase</th>
                    <th>Series</th>
                    <th>Modality</th>
                    <th>Grid</th>
                    <th>Voxel (mm)</th>
                    <th>Images</th>
                    <th>Set phase</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {st.series.map((s) => (
                    <tr
                      key={s.seriesInstanceUid}
                      data-testid="series-row"
                      data-phase={s.phase}
                      data-modality={s.modality}
                      data-description={s.description}
                      data-loadable={s.loadable}
                    >
                      <td>
                        <span
                          className={`phase phase-${s.phase}`}
                          title={`${s.phaseRule} (confidence ${Math.round(s.phaseConfidence * 100)}%)`}
                        >
                          {phaseLabels[s.phase]}
                          {s.phaseOverridden ? ' ✎' : ''}
                        </span>
                      </td>
                      <td>
                        {s.description || <span className="muted">(no description)</span>}
                        {!s.loadable && (
                          <details className="series-problems" data-testid="series-problems">
                            <summary className="error">Not loadable ({s.problems.length})</summary>
                            <ul>
                              {s.problems.map((p) => (
                                <li key={p}>{p}</li>
                              ))}
                            </ul>
                          </details>
                        )}
                      </td>
                      <td>{s.modality}</td>
                      <td className="mono">{s.dims ? s.dims.join('×') : '—'}</td>
                      <td className="mono">{s.spacingMm ? s.spacingMm.map((v) => v.toFixed(2)).join(' × ') : '—'}</td>
                      <td className="mono">{s.instances}</td>
                      <td>
                        <select
                          aria-label="Phase"
                          value={s.phaseOverridden ? s.phase : 'auto'}
                          onChange={(e) => void override(s, e.target.value)}
                        >
                          <option value="auto">Detected ({phaseLabels[s.phaseDetected]})</option>
                          {phases.map((ph) => (
                            <option key={ph} value={ph}>
                              {phaseLabels[ph]}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          onClick={() => onOpen(s.seriesInstanceUid)}
                          disabled={!['CT', 'MR'].includes(s.modality) || !s.loadable}
                          title={s.loadable ? undefined : `Cannot be opened: ${s.problems.join(' ')}`}
                          data-testid="series-open"
                        >
                          Open
                        </button>
                        {s.phase === 'arterial' && (
                          <button
                            type="button"
                            className="secondary letb-button"
                            onClick={() => onLetb(s.seriesInstanceUid)}
                            disabled={!s.loadable}
                            title={s.loadable ? undefined : `Cannot be measured: ${s.problems.join(' ')}`}
                            data-testid="series-letb"
                          >
                            LETB
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      ))}
    </main>
  );
}

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD; other text unchanged. */
export function formatDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da || '—';
}
