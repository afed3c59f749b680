import type { ReadView } from '../../../core/ipc/contract';
import {
  letbPlacementCount,
  letbRoiItem,
  lesionMeasures,
  maxLiverTargets,
  nonTargetAnswers,
  type EntryInput,
  type NonTargetAnswer,
} from '../../../core/studies/readForm';
import type { ProtocolItem } from '../../../core/studies/protocol';
import {
  answer,
  letbRoiText,
  lesionText,
  measureLabels,
  nonTargetLabels,
  signedPercent,
  type Answers,
  type Measure,
} from './readingModel';
import type { Active } from './ReadingScreen';

interface Props {
  read: ReadView;
  answers: Answers;
  active: Active;
  /** The LETB ROI the image places, null while the caliper is on. */
  letbRoi: number | null;
  timepoint: number;
  locked: boolean;
  onSelect(lesion: number, measure: Measure, timepoint: number): void;
  onSelectLetb(roi: number, timepoint: number): void;
  onSave(timepoint: number, item: string, value: EntryInput | null, label: string): void;
}

/**
 * The reading form: target lesions (a cell per diameter and timepoint: pick it for the caliper,
 * or mark the lesion absent / not evaluable), non-target status, new lesions and the protocol's
 * items. Categories are never typed: they are computed from these answers.
 */
export function ReadForm({ read, answers, active, letbRoi, timepoint, locked, onSelect, onSelectLetb, onSave }: Props) {
  const measures = lesionMeasures(read.protocol);
  const targets = Array.from({ length: maxLiverTargets(read.protocol) }, (_, n) => n + 1);
  const tps = read.timepoints;
  return (
    <div className="read-form">
      <h3>Target lesions (liver, up to {targets.length})</h3>
      <table className="table read-table" data-testid="read-targets">
        <TimepointHead timepoints={tps} current={timepoint} />
        <tbody>
          {targets.flatMap((n) =>
            measures.map((m) => (
              <tr key={`${n}-${m}`} className={m === measures[0] ? 'lesion-first' : ''}>
                <th scope="row">
                  T{n} <span className="muted">{measureLabels[m].short === 'L' ? 'longest' : 'viable'}</span>
                </th>
                {tps.map((t) => {
                  const item = `target${n}.${m}`;
                  const value = answer(answers, t.ordinal, item);
                  const isActive =
                    letbRoi === null && active.lesion === n && active.measure === m && t.ordinal === timepoint;
                  const canAbsent = !(t.ordinal === 0 && m === 'longest');
                  return (
                    <td
                      key={t.ordinal}
                      className={`lesion-cell ${isActive ? 'lesion-active' : ''}`}
                      data-testid={`cell-${n}-${m}-${t.ordinal}`}
                    >
                      <button
                        type="button"
                        className="cell-pick"
                        onClick={() => onSelect(n, m, t.ordinal)}
                        title="Measure this with the caliper"
                      >
                        {lesionText(value, m)}
                      </button>
                      {!locked && (
                        <span className="cell-actions">
                          {canAbsent && (
                            <button
                              type="button"
                              className="secondary tiny"
                              onClick={() =>
                                onSave(t.ordinal, item, { status: 'absent' }, `T${n} ${m} absent at ${t.label}`)
                              }
                              title={m === 'viable' ? 'No arterial enhancement: 0 mm' : 'Disappeared: 0 mm'}
                              data-testid={`absent-${n}-${m}-${t.ordinal}`}
                            >
                              0
                            </button>
                          )}
                          {t.ordinal > 0 && (
                            <button
                              type="button"
                              className="secondary tiny"
                              onClick={() =>
                                onSave(t.ordinal, item, { status: 'not_evaluable' }, `T${n} ${m} NE at ${t.label}`)
                              }
                              title="Not evaluable"
                              data-testid={`ne-${n}-${m}-${t.ordinal}`}
                            >
                              NE
                            </button>
                          )}
                          {value !== undefined && (
                            <button
                              type="button"
                              className="secondary tiny"
                              onClick={() => onSave(t.ordinal, item, null, `clear T${n} ${m} at ${t.label}`)}
                              title="Clear"
                              data-testid={`clear-${n}-${m}-${t.ordinal}`}
                            >
                              ×
                            </button>
                          )}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            )),
          )}
        </tbody>
      </table>

      <h3>Non-target lesions</h3>
      <div className="form-grid">
        {tps.map((t) => {
          const options = t.ordinal === 0 ? (['absent', 'present'] as NonTargetAnswer[]) : nonTargetAnswers;
          return (
            <label key={t.ordinal}>
              <span>{t.label}</span>
              <select
                value={(answer(answers, t.ordinal, 'nontarget') as string | undefined) ?? ''}
                disabled={locked}
                onChange={(e) =>
                  onSave(
                    t.ordinal,
                    'nontarget',
                    e.target.value === '' ? null : (e.target.value as NonTargetAnswer),
                    `non-target at ${t.label}`,
                  )
                }
                data-testid={`nontarget-${t.ordinal}`}
              >
                <option value="">—</option>
                {options.map((o) => (
                  <option key={o} value={o}>
                    {nonTargetLabels[o]}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>

      {tps.length > 1 && <h3>New lesions</h3>}
      <div className="form-grid">
        {tps.slice(1).map((t) => {
          const v = answer(answers, t.ordinal, 'new_lesion');
          return (
            <div key={t.ordinal} className="radio-row" role="radiogroup" aria-label={`New lesions at ${t.label}`}>
              <span>{t.label}</span>
              {[false, true].map((b) => (
                <label key={String(b)}>
                  <input
                    type="radio"
                    name={`new-${t.ordinal}`}
                    checked={v === b}
                    disabled={locked}
                    onChange={() => onSave(t.ordinal, 'new_lesion', b, `new lesions at ${t.label}`)}
                    data-testid={`new-lesion-${t.ordinal}-${b ? 'yes' : 'no'}`}
                  />
                  {b ? 'Yes' : 'No'}
                </label>
              ))}
            </div>
          );
        })}
      </div>

      {read.protocol.letb && (
        <LetbSection
          read={read}
          answers={answers}
          letbRoi={letbRoi}
          timepoint={timepoint}
          locked={locked}
          onSelectLetb={onSelectLetb}
          onSave={onSave}
        />
      )}

      {read.protocol.items.length > 0 && <h3>Study questions</h3>}
      {read.protocol.items.map((it) => (
        <ItemField key={it.id} item={it} read={read} answers={answers} locked={locked} onSave={onSave} />
      ))}
    </div>
  );
}

function ItemField({
  item,
  read,
  answers,
  locked,
  onSave,
}: {
  item: ProtocolItem;
  read: ReadView;
  answers: Answers;
  locked: boolean;
  onSave: Props['onSave'];
}) {
  const tps = item.scope === 'baseline' ? read.timepoints.filter((t) => t.ordinal === 0) : read.timepoints;
  return (
    <div className="item-field" data-testid={`item-${item.id}`}>
      <div className="item-label">
        {item.label}{' '}
        <span className="muted small">
          ({item.kind === 'ordinal' ? 'ordered, low → high' : item.kind}
          {item.scope === 'baseline' ? ', baseline' : ''})
        </span>
      </div>
      {tps.map((t) => {
        const v = answer(answers, t.ordinal, item.id);
        const label = `${item.label} at ${t.label}`;
        return (
          <div key={t.ordinal} className="radio-row">
            {item.scope === 'every' && <span>{t.label}</span>}
            {item.kind === 'numeric' ? (
              <input
                type="number"
                min={item.min}
                max={item.max}
                defaultValue={typeof v === 'number' ? v : ''}
                disabled={locked}
                onBlur={(e) => {
                  const raw = e.target.value.trim();
                  if (raw === '' && v !== undefined) onSave(t.ordinal, item.id, null, label);
                  else if (raw !== '' && Number(raw) !== v) onSave(t.ordinal, item.id, Number(raw), label);
                }}
                data-testid={`item-${item.id}-${t.ordinal}`}
              />
            ) : (
              item.levels.map((level) => (
                <label key={level}>
                  <input
                    type="radio"
                    name={`${item.id}-${t.ordinal}`}
                    checked={v === level}
                    disabled={locked}
                    onChange={() => onSave(t.ordinal, item.id, level, label)}
                    data-testid={`item-${item.id}-${t.ordinal}-${level}`}
                  />
                  {level}
                </label>
              ))
            )}
            {item.kind === 'numeric' && item.unit && <span className="muted">{item.unit}</span>}
          </div>
        );
      })}
    </div>
  );
}

/**
 * LETB (SPEC §2): three ROI placements per timepoint (pick a cell to place that ROI on the image,
 * or mark it not evaluable), the timepoint's LETB as the mean of the three, and the change from
 * the baseline; every number computed by the main process.
 */
function LetbSection({
  read,
  answers,
  letbRoi,
  timepoint,
  locked,
  onSelectLetb,
  onSave,
}: Pick<Props, 'read' | 'answers' | 'letbRoi' | 'timepoint' | 'locked' | 'onSelectLetb' | 'onSave'>) {
  const tps = read.timepoints;
  const rois = Array.from({ length: letbPlacementCount }, (_, k) => k + 1);
  const summary = read.letb;
  return (
    <>
      <h3>LETB (liver enhancing tumour burden)</h3>
      <table className="table read-table" data-testid="read-letb-table">
        <TimepointHead timepoints={tps} current={timepoint} />
        <tbody>
          {rois.map((k) => (
            <tr key={k} className={k === 1 ? 'lesion-first' : ''}>
              <th scope="row">ROI {k}</th>
              {tps.map((t) => {
                const item = letbRoiItem(k);
                const value = answer(answers, t.ordinal, item);
                const isActive = letbRoi === k && t.ordinal === timepoint;
                return (
                  <td
                    key={t.ordinal}
                    className={`lesion-cell ${isActive ? 'lesion-active' : ''}`}
                    data-testid={`letb-cell-${k}-${t.ordinal}`}
                  >
                    <button
                      type="button"
                      className="cell-pick"
                      onClick={() => onSelectLetb(k, t.ordinal)}
                      title="Place this ROI on the image"
                    >
                      {letbRoiText(value)}
                    </button>
                    {!locked && (
                      <span className="cell-actions">
                        <button
                          type="button"
                          className="secondary tiny"
                          onClick={() =>
                            onSave(t.ordinal, item, { status: 'not_evaluable' }, `LETB ROI ${k} NE at ${t.label}`)
                          }
                          title="Not evaluable (no tumour-free liver, no arterial phase)"
                          data-testid={`letb-ne-${k}-${t.ordinal}`}
                        >
                          NE
                        </button>
                        {value !== undefined && (
                          <button
                            type="button"
                            className="secondary tiny"
                            onClick={() => onSave(t.ordinal, item, null, `clear LETB ROI ${k} at ${t.label}`)}
                            title="Clear"
                            data-testid={`letb-clear-${k}-${t.ordinal}`}
                          >
                            ×
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr className="lesion-first">
            <th scope="row">LETB</th>
            {tps.map((t) => {
              const s = summary?.timepoints[t.ordinal];
              return (
                <td
                  key={t.ordinal}
                  className="mono"
                  data-testid={`letb-mean-${t.ordinal}`}
                  title="Mean of the three placements"
                >
                  {s?.letbPercent === null || s === undefined ? '—' : `${s.letbPercent.toFixed(2)} %`}
                </td>
              );
            })}
          </tr>
          {tps.length > 1 && (
            <tr>
              <th scope="row">Change</th>
              {tps.map((t) => {
                const c = summary?.timepoints[t.ordinal]?.change;
                return (
                  <td key={t.ordinal} className="mono" data-testid={`letb-change-${t.ordinal}`}>
                    {t.ordinal === 0 ? (
                      ''
                    ) : !c ? (
                      '—'
                    ) : c.estimable ? (
                      signedPercent(c.changePercent)
                    ) : (
                      <span title={c.reason}>n.e.</span>
                    )}
                  </td>
                );
              })}
            </tr>
          )}
        </tbody>
      </table>
      {summary?.change?.estimable && (
        <p className="small" data-testid="letb-responder">
          {summary.change.responders
            .map((r) => `${r.responder ? 'Responder' : 'Non-responder'} at ${r.thresholdPercent} %`)
            .join(' · ')}
        </p>
      )}
    </>
  );
}

/** The header row of a form table: a column per timepoint, the one shown on the image marked. */
function TimepointHead({ timepoints, current }: { timepoints: ReadView['timepoints']; current: number }) {
  return (
    <thead>
      <tr>
        <th />
        {timepoints.map((t) => (
          <th key={t.ordinal} className={t.ordinal === current ? 'current-tp' : ''}>
            {t.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
