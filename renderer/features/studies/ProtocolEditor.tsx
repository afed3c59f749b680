import type { ItemScope } from '../../../core/studies/protocol';
import type { ResponseCriteria } from '../../../core/recist/responseCategory';
import {
  checkDraft,
  idFromLabel,
  newItemDraft,
  type ItemDraft,
  type ItemKind,
  type ProtocolDraft,
} from './protocolDraft';
import './studies.css';

const kindLabels: Record<ItemKind, string> = {
  nominal: 'Categories, no order (nominal)',
  ordinal: 'Grades in order, lowest first (ordinal)',
  numeric: 'A number (numeric)',
};
const scopeLabels: Record<ItemScope, string> = { baseline: 'Baseline only', every: 'Every timepoint' };
const maxLevels = 12;

/**
 * Edits a study's reading protocol: response criteria, liver-target limits, LETB and the extra
 * questions of the reading form. Controlled: the parent holds the draft (see protocolDraft.ts)
 * and checks it with `checkDraft` before saving; the editor shows the first problem itself.
 */
export function ProtocolEditor({
  draft,
  onChange,
  disabled = false,
}: {
  draft: ProtocolDraft;
  onChange: (draft: ProtocolDraft) => void;
  disabled?: boolean;
}) {
  const check = checkDraft(draft);
  const setItem = (n: number, item: ItemDraft) =>
    onChange({ ...draft, items: draft.items.map((it, k) => (k === n ? item : it)) });
  const toggleCriteria = (c: ResponseCriteria, on: boolean) =>
    onChange({
      ...draft,
      criteria: on ? [...draft.criteria.filter((x) => x !== c), c] : draft.criteria.filter((x) => x !== c),
    });
  const liverTargets = Math.min(draft.maxTotal, draft.maxPerOrgan);

  return (
    <div className="st-protocol-editor" data-testid="protocol-editor">
      <fieldset className="pe-group" disabled={disabled}>
        <legend>Response criteria</legend>
        <label className="pe-check">
          <input
            type="checkbox"
            checked={draft.criteria.includes('recist')}
            onChange={(e) => toggleCriteria('recist', e.target.checked)}
            data-testid="protocol-criteria-recist"
          />
          RECIST 1.1 <span className="muted">(sum of the longest diameters)</span>
        </label>
        <label className="pe-check">
          <input
            type="checkbox"
            checked={draft.criteria.includes('mrecist')}
            onChange={(e) => toggleCriteria('mrecist', e.target.checked)}
            data-testid="protocol-criteria-mrecist"
          />
          mRECIST <span className="muted">(sum of the diameters of the viable, arterially enhancing part)</span>
        </label>
      </fieldset>

      <fieldset className="pe-group" disabled={disabled}>
        <legend>Target lesions</legend>
        <div className="pe-inline">
          <label className="st-field">
            <span>At most, in total</span>
            <select
              value={draft.maxTotal}
              onChange={(e) => onChange({ ...draft, maxTotal: Number(e.target.value) })}
              data-testid="protocol-max-total"
            >
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="st-field">
            <span>At most, per organ</span>
            <select
              value={draft.maxPerOrgan}
              onChange={(e) => onChange({ ...draft, maxPerOrgan: Number(e.target.value) })}
              data-testid="protocol-max-per-organ"
            >
              {[1, 2].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="hint pe-note" data-testid="protocol-target-note">
          All target lesions are in the liver, so each reader measures up to <strong>{liverTargets}</strong> per case.
          RECIST 1.1 allows at most 5 in total and 2 per organ.
        </p>
      </fieldset>

      <fieldset className="pe-group" disabled={disabled}>
        <legend>LETB</legend>
        <label className="pe-check">
          <input
            type="checkbox"
            checked={draft.letb}
            onChange={(e) => onChange({ ...draft, letb: e.target.checked })}
            data-testid="protocol-letb"
          />
          Each reader measures LETB{' '}
          <span className="muted">
            (liver enhancing tumour burden: three ROI placements on the subtraction image of every timepoint)
          </span>
        </label>
        <p className="hint pe-note">
          Every timepoint then needs a liver mask: the exam&apos;s DICOM SEG, or a mask you attach on the LETB screen of
          its arterial series. The report adds LETB agreement between readers and the reproducibility of the three
          placements.
        </p>
      </fieldset>

      <fieldset className="pe-group" disabled={disabled}>
        <legend>Extra questions on the reading form</legend>
        <p className="hint pe-note">
          Every read already asks for the target lesions, the non-target lesions and new lesions. Add here what else the
          readers answer.
        </p>
        {draft.items.length === 0 && <p className="muted">No extra questions.</p>}
        <ol className="pe-items">
          {draft.items.map((it, n) => (
            <ItemEditor
              key={it.key}
              n={n}
              item={it}
              invalid={!check.ok && check.itemIndex === n}
              onChange={(item) => setItem(n, item)}
              onRemove={() => onChange({ ...draft, items: draft.items.filter((_, k) => k !== n) })}
            />
          ))}
        </ol>
        <button
          type="button"
          className="secondary"
          onClick={() => onChange({ ...draft, items: [...draft.items, newItemDraft()] })}
          data-testid="protocol-add-item"
        >
          Add a question
        </button>
      </fieldset>

      {check.ok ? (
        <p className="ok small" data-testid="protocol-valid">
          The protocol is complete.
        </p>
      ) : (
        <p className="error" role="alert" data-testid="protocol-error">
          {check.message}
        </p>
      )}
    </div>
  );
}

function ItemEditor({
  n,
  item,
  invalid,
  onChange,
  onRemove,
}: {
  n: number;
  item: ItemDraft;
  invalid: boolean;
  onChange: (item: ItemDraft) => void;
  onRemove: () => void;
}) {
  const tid = (what: string) => `protocol-item-${n}-${what}`;
  const setLevel = (k: number, text: string) =>
    onChange({ ...item, levels: item.levels.map((l, j) => (j === k ? text : l)) });
  const moveLevel = (k: number, by: -1 | 1) => {
    const levels = [...item.levels];
    [levels[k], levels[k + by]] = [levels[k + by]!, levels[k]!];
    onChange({ ...item, levels });
  };
  const ordinal = item.kind === 'ordinal';
  return (
    <li
      className={`pe-item ${invalid ? 'pe-item-invalid' : ''}`}
      data-testid={`protocol-item-${n}`}
      aria-invalid={invalid}
    >
      <div className="pe-item-head">
        <span className="pe-item-title">Question {n + 1}</span>
        <button type="button" className="secondary small-button" onClick={onRemove} data-testid={tid('remove')}>
          Remove question
        </button>
      </div>
      <div className="pe-item-grid">
        <label className="st-field pe-wide">
          <span>Question as the reader sees it</span>
          <input
            type="text"
            value={item.label}
            maxLength={200}
            onChange={(e) =>
              onChange({ ...item, label: e.target.value, id: item.idEdited ? item.id : idFromLabel(e.target.value) })
            }
            placeholder="e.g. Lesion conspicuity"
            data-testid={tid('label')}
          />
        </label>
        <label className="st-field">
          <span>Name in exported files</span>
          <input
            type="text"
            className="mono"
            value={item.id}
            maxLength={40}
            onChange={(e) => onChange({ ...item, id: e.target.value, idEdited: true })}
            placeholder="e.g. conspicuity"
            data-testid={tid('id')}
          />
        </label>
        <label className="st-field">
          <span>Kind of answer</span>
          <select
            value={item.kind}
            onChange={(e) => onChange({ ...item, kind: e.target.value as ItemKind })}
            data-testid={tid('kind')}
          >
            {(Object.keys(kindLabels) as ItemKind[]).map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="st-field">
          <span>Asked at</span>
          <select
            value={item.scope}
            onChange={(e) => onChange({ ...item, scope: e.target.value as ItemScope })}
            data-testid={tid('scope')}
          >
            {(Object.keys(scopeLabels) as ItemScope[]).map((s) => (
              <option key={s} value={s}>
                {scopeLabels[s]}
              </option>
            ))}
          </select>
        </label>
      </div>

      {item.kind === 'numeric' ? (
        <div className="pe-inline pe-numeric">
          <label className="st-field">
            <span>Unit (may be empty)</span>
            <input
              type="text"
              value={item.unit}
              maxLength={20}
              onChange={(e) => onChange({ ...item, unit: e.target.value })}
              placeholder="e.g. HU, mm, %"
              data-testid={tid('unit')}
            />
          </label>
          <label className="st-field">
            <span>Lowest allowed value</span>
            <input
              type="number"
              value={item.min}
              onChange={(e) => onChange({ ...item, min: e.target.value })}
              data-testid={tid('min')}
            />
          </label>
          <label className="st-field">
            <span>Highest allowed value</span>
            <input
              type="number"
              value={item.max}
              onChange={(e) => onChange({ ...item, max: e.target.value })}
              data-testid={tid('max')}
            />
          </label>
        </div>
      ) : (
        <div className="pe-levels">
          <span className="pe-levels-title">
            {ordinal ? 'Answer options, from lowest to highest' : 'Answer options'}
          </span>
          <ol className="pe-level-list">
            {item.levels.map((level, k) => (
              <li key={k} className="pe-level">
                <span className="pe-level-no">{k + 1}</span>
                <input
                  type="text"
                  value={level}
                  maxLength={60}
                  onChange={(e) => setLevel(k, e.target.value)}
                  aria-label={`Answer option ${k + 1}`}
                  data-testid={tid(`level-${k}`)}
                />
                {ordinal && (
                  <>
                    <button
                      type="button"
                      className="secondary small-button"
                      disabled={k === 0}
                      onClick={() => moveLevel(k, -1)}
                      aria-label={`Move option ${k + 1} up`}
                      data-testid={tid(`level-${k}-up`)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="secondary small-button"
                      disabled={k === item.levels.length - 1}
                      onClick={() => moveLevel(k, 1)}
                      aria-label={`Move option ${k + 1} down`}
                      data-testid={tid(`level-${k}-down`)}
                    >
                      ↓
                    </button>
                  </>
                )}
                <button
                  type="button"
                  className="secondary small-button"
                  disabled={item.levels.length <= 2}
                  onClick={() => onChange({ ...item, levels: item.levels.filter((_, j) => j !== k) })}
                  aria-label={`Remove option ${k + 1}`}
                  data-testid={tid(`level-${k}-remove`)}
                >
                  Remove
                </button>
                {ordinal && k === 0 && <span className="muted small">lowest</span>}
                {ordinal && k === item.levels.length - 1 && k > 0 && <span className="muted small">highest</span>}
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="secondary small-button"
            disabled={item.levels.length >= maxLevels}
            onClick={() => onChange({ ...item, levels: [...item.levels, ''] })}
            data-testid={tid('add-level')}
          >
            Add an answer option
          </button>
        </div>
      )}
    </li>
  );
}
