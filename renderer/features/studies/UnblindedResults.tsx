import { Fragment, useEffect, useState } from 'react';
import type { ReaderClient, ReaderValue, StudyOverview, UnblindedCase } from '../../../core/ipc/contract';
import type { CriteriaAssessment } from '../../../core/studies/assessRead';
import type { ProtocolItem } from '../../../core/studies/protocol';
import type { EntryValue } from '../../../core/studies/readForm';
import { errorMessage } from '../../api/messages';
import { criteriaLabels } from './ProtocolSummary';
import { count } from './studyFormat';

type Load = { state: 'loading' } | { state: 'ready'; cases: UnblindedCase[] } | { state: 'error'; message: string };
type Format = 'csv' | 'json';
type Exported = ({ ok: true } & ReaderValue<'exportStudyReads'>) | { ok: false; message: string };

/** Every read side by side (rows = cases, column groups = readers), and the exports. */
export function UnblindedResults({ client, overview }: { client: ReaderClient; overview: StudyOverview }) {
  const studyId = overview.study.id;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [exported, setExported] = useState<Partial<Record<Format, Exported>>>({});
  const [busy, setBusy] = useState<Format | null>(null);

  useEffect(() => {
    let live = true;
    void client.getUnblindedReads({ studyId }).then((res) => {
      if (live)
        setLoad(
          res.ok
            ? { state: 'ready', cases: res.value }
            : { state: 'error', message: errorMessage('Loading the unblinded reads', res.error) },
        );
    });
    return () => {
      live = false;
    };
  }, [client, studyId, overview]);

  async function exportReads(format: Format) {
    setBusy(format);
    setExported(({ [format]: _previous, ...rest }) => rest);
    const res = await client.exportStudyReads({ studyId, format });
    setBusy(null);
    setExported((e) => ({
      ...e,
      [format]: res.ok
        ? { ok: true, ...res.value }
        : { ok: false, message: errorMessage(`Exporting the ${format.toUpperCase()} file`, res.error) },
    }));
  }

  return (
    <>
      <div className="st-export-box">
        <p className="hint">
          Sums are of the target-lesion diameters, with the change from the baseline sum (hover a cell for the baseline
          and nadir). Exports go into the data folder&apos;s <span className="mono">exports</span> folder and contain
          case codes and reader names only, no patient identity. CSV: one line per answer (case, reader, timepoint,
          item, value), including the computed categories; a cell that a spreadsheet could run as a formula (starting
          with =, +, -, @) gets a leading apostrophe, numbers stay as they are. JSON: the whole study with its protocol
          and seed, text as typed.
        </p>
        <div className="actions">
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void exportReads('csv')}
            data-testid="export-csv"
          >
            Export CSV
          </button>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void exportReads('json')}
            data-testid="export-json"
          >
            Export JSON
          </button>
        </div>
        {(['csv', 'json'] as const).map((format) => {
          const e = exported[format];
          if (!e) return null;
          return e.ok ? (
            <p key={format} className="ok st-export-result" data-testid={`export-result-${format}`}>
              {format === 'csv' ? `CSV written (${count(e.rows, 'line')} of answers)` : 'JSON written'}:{' '}
              <span className="mono st-path">{e.path}</span>
              <br />
              <span className="muted small mono">SHA-256 {e.sha256}</span>
              <br />
              <span className="muted small" data-testid={`export-audit-${format}`}>
                Audit trail when written: {count(e.auditTrail.rows, 'row')}, head HMAC{' '}
                <span className="st-mac">{e.auditTrail.lastMac}</span>
                {format === 'csv' ? ' (also in the .audit.json file beside the CSV)' : ' (also in the file)'}
              </span>
            </p>
          ) : (
            <p key={format} className="error" role="alert" data-testid={`export-error-${format}`}>
              {e.message}
            </p>
          );
        })}
      </div>
      {load.state === 'loading' && <p className="muted">Loading the reads…</p>}
      {load.state === 'error' && (
        <p className="error" role="alert" data-testid="unblinded-error">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && <ReadsTable overview={overview} cases={load.cases} />}
    </>
  );
}

function ReadsTable({ overview, cases }: { overview: StudyOverview; cases: UnblindedCase[] }) {
  const { protocol } = overview.study;
  const criteria = protocol.criteria;
  const followUps = Math.max(0, ...cases.map((c) => c.timepoints.length - 1));
  const fuNumbers = Array.from({ length: followUps }, (_, n) => n + 1);
  const readers = overview.readers;
  const perReader = followUps * criteria.length + criteria.length + protocol.items.length;
  if (cases.length === 0) return <p className="muted">No cases.</p>;

  return (
    <div className="st-grid-scroll">
      <table className="table st-unblinded-table" data-testid="unblinded-table">
        <thead>
          <tr>
            <th rowSpan={2} className="st-sticky">
              Case
            </th>
            <th rowSpan={2} className="st-sticky-2">
              Exams
            </th>
            {readers.map((r) => (
              <th key={r.userId} colSpan={perReader} className="st-reader-group">
                {r.displayName}
              </th>
            ))}
          </tr>
          <tr>
            {readers.map((r) => (
              <Fragment key={r.userId}>
                {fuNumbers.map((k) =>
                  criteria.map((c, j) => (
                    <th key={`${k}-${c}`} className={k === 1 && j === 0 ? 'st-reader-group' : undefined}>
                      Follow-up {k}
                      <br />
                      {criteriaLabels[c]}
                    </th>
                  )),
                )}
                {criteria.map((c, j) => (
                  <th key={`best-${c}`} className={followUps === 0 && j === 0 ? 'st-reader-group' : undefined}>
                    Best response
                    <br />
                    {criteriaLabels[c]}
                  </th>
                ))}
                {protocol.items.map((it) => (
                  <th key={it.id} className="st-item-head" title={it.label}>
                    {it.label}
                  </th>
                ))}
              </Fragment>
            ))}
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.caseId} data-testid="unblinded-row" data-case-code={c.caseCode}>
              <td className="mono st-case-code st-sticky">{c.caseCode}</td>
              <td className="muted small st-sticky-2">
                {c.timepoints.map((t) => (
                  <div key={t.ordinal}>{t.label}</div>
                ))}
              </td>
              {readers.map((r) => {
                const read = c.reads.find((x) => x.readerId === r.userId);
                return (
                  <Fragment key={r.userId}>
                    {fuNumbers.map((k) =>
                      criteria.map((crit, j) => (
                        <td
                          key={`${k}-${crit}`}
                          className={k === 1 && j === 0 ? 'st-reader-group' : undefined}
                          data-testid="unblinded-response"
                          data-reader={r.displayName}
                          data-follow-up={k}
                          data-criteria={crit}
                        >
                          {read && k < c.timepoints.length ? (
                            <FollowUpCell assessment={read.assessment[crit]} followUp={k} />
                          ) : (
                            <span className="muted">–</span>
                          )}
                        </td>
                      )),
                    )}
                    {criteria.map((crit, j) => {
                      const a = read?.assessment[crit];
                      return (
                        <td
                          key={`best-${crit}`}
                          className={followUps === 0 && j === 0 ? 'st-reader-group' : undefined}
                          data-testid="unblinded-best"
                          data-reader={r.displayName}
                          data-criteria={crit}
                        >
                          {a?.estimable ? (
                            <Category value={a.assessment.bestResponse} />
                          ) : (
                            <span className="muted" title={a && !a.estimable ? a.reason : undefined}>
                              –
                            </span>
                          )}
                        </td>
                      );
                    })}
                    {protocol.items.map((it) => (
                      <td key={it.id} data-testid="unblinded-item" data-reader={r.displayName} data-item={it.id}>
                        {read ? (
                          <ItemAnswer item={it} timepoints={c.timepoints} entries={read.entries} />
                        ) : (
                          <span className="muted">–</span>
                        )}
                      </td>
                    ))}
                  </Fragment>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Category({ value }: { value: string }) {
  return (
    <span className={`st-badge st-resp st-resp-${value}`} data-category={value}>
      {value}
    </span>
  );
}

const mm = (v: number) => `${v.toFixed(1)} mm`;
const percent = (v: number) => `${v > 0 ? '+' : v < 0 ? '\u2212' : ''}${Math.abs(v).toFixed(1)} %`;

function FollowUpCell({ assessment, followUp }: { assessment: CriteriaAssessment | undefined; followUp: number }) {
  if (!assessment) return <span className="muted">–</span>;
  if (!assessment.estimable) {
    return (
      <span className="muted" title={assessment.reason}>
        not computable
      </span>
    );
  }
  const f = assessment.assessment.followUps[followUp - 1];
  if (!f) return <span className="muted">–</span>;
  const detail = [
    f.sumMm === null ? 'sum not evaluable' : `sum ${mm(f.sumMm)}`,
    `baseline ${mm(f.baselineSumMm)}`,
    f.changeFromBaselinePercent === null
      ? f.changeFromBaselineReason
      : `${percent(f.changeFromBaselinePercent)} from baseline`,
    `nadir ${mm(f.nadirMm)}`,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <span className="st-response-cell" data-category={f.overallResponse} title={detail}>
      <Category value={f.overallResponse} />
      <span className="small">
        {f.sumMm === null ? 'sum not evaluable' : mm(f.sumMm)}
        {f.changeFromBaselinePercent !== null && <>, {percent(f.changeFromBaselinePercent)}</>}
      </span>
    </span>
  );
}

function formatValue(item: ProtocolItem, value: EntryValue | undefined): string {
  if (value === undefined) return '–';
  if (item.kind === 'numeric' && typeof value === 'number') return `${value}${item.unit ? ` ${item.unit}` : ''}`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function ItemAnswer({
  item,
  timepoints,
  entries,
}: {
  item: ProtocolItem;
  timepoints: UnblindedCase['timepoints'];
  entries: UnblindedCase['reads'][number]['entries'];
}) {
  const at = (t: number) => entries.find((e) => e.timepoint === t && e.item === item.id)?.value;
  if (item.scope === 'baseline') return <>{formatValue(item, at(0))}</>;
  return (
    <ul className="st-answer-list">
      {timepoints.map((t) => (
        <li key={t.ordinal}>
          <span className="muted">{t.label}:</span> {formatValue(item, at(t.ordinal))}
        </li>
      ))}
    </ul>
  );
}
