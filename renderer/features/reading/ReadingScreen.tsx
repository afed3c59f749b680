import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseVolume, ReaderClient, ReadView } from '../../../core/ipc/contract';
import type { Vec3 } from '../../../core/imaging/coordinates';
import { windowPresets } from '../../../core/imaging/windowPresets';
import { caliperLengthMm } from '../../../core/recist/caliper';
import {
  entryKey,
  letbPlacementCount,
  letbRoiItem,
  maxLiverTargets,
  lesionMeasures,
  type EntryInput,
  type EntryValue,
  type LesionValue,
  type LetbRoiInput,
  type ReadEntry,
} from '../../../core/studies/readForm';
import { errorMessage } from '../../api/messages';
import { phaseLabels } from '../browse/phaseLabels';
import { CaseImageView, type DrawnCaliper } from './CaseImageView';
import { ReadLetbImage } from './ReadLetbImage';
import { ReadForm } from './ReadForm';
import { ResponsePanel } from './ResponsePanel';
import { answer, asInput, toAnswers, type Change, type Measure, measureLabels } from './readingModel';
import './reading.css';

type SaveState =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: string } | { state: 'error'; message: string };

/** What the caliper measures next: which target, which diameter. */
export interface Active {
  lesion: number;
  measure: Measure;
}

/**
 * A reader's read of one case: the images of each timepoint (series by phase) with the caliper,
 * the reading form, and the RECIST 1.1 / mRECIST categories computed by the main process from
 * the answers on every save. Every change is saved at once; undo reverts the last change.
 */
export function ReadingScreen({
  client,
  caseId,
  onBack,
}: {
  client: ReaderClient;
  caseId: number;
  onBack: () => void;
}) {
  const [read, setRead] = useState<ReadView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [undo, setUndo] = useState<Change[]>([]);
  const [timepoint, setTimepoint] = useState(0);
  const [seriesKey, setSeriesKey] = useState<string | undefined>();
  const [active, setActive] = useState<Active>({ lesion: 1, measure: 'longest' });
  /** The LETB ROI (1-3) the image places, or null while the caliper measures lesions. */
  const [letbRoi, setLetbRoi] = useState<number | null>(null);
  const [volume, setVolume] = useState<CaseVolume | undefined>();
  const [volumeError, setVolumeError] = useState<string | undefined>();
  const [windowHu, setWindowHu] = useState({ width: windowPresets[1]!.widthHu, level: windowPresets[1]!.levelHu });
  const [focus, setFocus] = useState<{ lps: Vec3 } | undefined>();
  const [submitProblems, setSubmitProblems] = useState<string | undefined>();
  const volumes = useRef(new Map<string, CaseVolume>());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  /** Saves sent and not yet answered: "saved" only when none is left. */
  const pending = useRef(0);
  /** The answers as the main process last confirmed them, updated in save order (for undo). */
  const confirmed = useRef(new Map<string, EntryValue>());

  useEffect(() => {
    let live = true;
    void client.openRead({ caseId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(errorMessage('Opening the case', r.error));
      setRead(r.value);
      confirmed.current = toAnswers(r.value.entries);
      const measures = lesionMeasures(r.value.protocol);
      setActive({ lesion: 1, measure: measures[0] ?? 'longest' });
    });
    return () => {
      live = false;
    };
  }, [client, caseId]);

  // The series for the measure: arterial for viable diameters (mRECIST), portal venous for
  // longest diameters, else the first series of the timepoint.
  const series = read?.timepoints.find((t) => t.ordinal === timepoint)?.series ?? [];
  useEffect(() => {
    if (!read) return;
    const preferred = active.measure === 'viable' ? 'arterial' : 'portal_venous';
    const pick = series.find((s) => s.phase === preferred) ?? series[0];
    setSeriesKey((cur) =>
      cur && series.some((s) => s.seriesKey === cur) && cur.startsWith(`t${timepoint}-`) ? cur : pick?.seriesKey,
    );
    // Only when the timepoint changes; the measure switch picks explicitly below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [read?.readId, timepoint]);

  /** A series of the case as an HU volume, loaded once per screen. */
  const loadSeries = useCallback(
    async (key: string) => {
      const cached = volumes.current.get(key);
      if (cached) return { ok: true as const, value: cached };
      const r = await client.loadCaseSeries({ caseId, seriesKey: key });
      if (r.ok) volumes.current.set(key, r.value);
      return r;
    },
    [client, caseId],
  );

  useEffect(() => {
    if (!seriesKey) return;
    const cached = volumes.current.get(seriesKey);
    if (cached) {
      setVolume(cached);
      return;
    }
    let live = true;
    setVolume(undefined);
    setVolumeError(undefined);
    void loadSeries(seriesKey).then((r) => {
      if (!live) return;
      if (!r.ok) return setVolumeError(errorMessage('Loading the images', r.error));
      setVolume(r.value);
    });
    return () => {
      live = false;
    };
  }, [loadSeries, seriesKey]);

  const answers = useMemo(() => toAnswers(read?.entries ?? []), [read]);
  const locked = read?.state === 'submitted';

  /**
   * Saves one answer now, in order with earlier saves. The screen shows it at once (a caliper's
   * length computed here for display); the stored value and the categories then come from the
   * main process. A refused save shows why and reloads the read as stored.
   */
  const saveEntry = useCallback(
    (tp: number, item: string, value: EntryInput | null, label: string, recordUndo = true) => {
      if (!read || read.state === 'submitted') return;
      pending.current++;
      setSave({ state: 'saving' });
      // A caliper's length is shown at once; an LETB ROI is measured by the main process first.
      if (!(value !== null && typeof value === 'object' && value.status === 'placed')) {
        const shown: EntryValue | null =
          value !== null && typeof value === 'object' && value.status === 'measured'
            ? { ...value, lengthMm: caliperLengthMm(value.aLps, value.bLps) }
            : value;
        setRead((cur) => cur && { ...cur, entries: withEntry(cur.entries, tp, item, shown) });
      }
      const run = queue.current.then(async () => {
        const before = answer(confirmed.current, tp, item);
        const r = await client.saveReadEntry({ readId: read.readId, timepoint: tp, item, value });
        pending.current--;
        if (!r.ok) {
          setSave({ state: 'error', message: errorMessage('Saving', r.error) });
          const again = await client.openRead({ caseId: read.caseId });
          if (again.ok) {
            confirmed.current = toAnswers(again.value.entries);
            setRead(again.value);
          }
          return;
        }
        if (r.value.entry) confirmed.current.set(entryKey(tp, item), r.value.entry.value);
        else confirmed.current.delete(entryKey(tp, item));
        setRead(
          (cur) =>
            cur && {
              ...cur,
              entries: withEntry(cur.entries, tp, item, r.value.entry?.value ?? null),
              assessment: r.value.assessment,
              letb: r.value.letb,
              problems: r.value.problems,
            },
        );
        if (recordUndo) setUndo((u) => [...u.slice(-49), { timepoint: tp, item, before, label }]);
        setSave((cur) =>
          cur.state === 'error'
            ? cur
            : pending.current > 0
              ? { state: 'saving' }
              : { state: 'saved', at: r.value.savedAt },
        );
      });
      queue.current = run;
    },
    [client, read],
  );

  const undoLast = useCallback(() => {
    const last = undo[undo.length - 1];
    if (!last) return;
    setUndo((u) => u.slice(0, -1));
    saveEntry(
      last.timepoint,
      last.item,
      last.before === undefined ? null : asInput(last.before),
      `undo ${last.label}`,
      false,
    );
  }, [undo, saveEntry]);

  const chooseMeasure = useCallback(
    (measure: Measure, lesion = active.lesion) => {
      setLetbRoi(null);
      setActive({ lesion, measure });
      const preferred = measure === 'viable' ? 'arterial' : 'portal_venous';
      const pick = series.find((s) => s.phase === preferred);
      if (pick) setSeriesKey(pick.seriesKey);
    },
    [active.lesion, series],
  );

  const selectLetb = useCallback((roi: number, tp: number) => {
    setTimepoint(tp);
    setLetbRoi(roi);
  }, []);

  /** Saves an LETB ROI placement and moves on to the next ROI of the timepoint without one. */
  const placeLetbRoi = useCallback(
    (roi: number, value: LetbRoiInput) => {
      saveEntry(
        timepoint,
        letbRoiItem(roi),
        value,
        `LETB ROI ${roi} at ${read?.timepoints.find((t) => t.ordinal === timepoint)?.label ?? ''}`,
      );
      const free = [...Array(letbPlacementCount).keys()]
        .map((k) => k + 1)
        .filter((k) => k !== roi && answer(answers, timepoint, letbRoiItem(k)) === undefined);
      if (free.length > 0) setLetbRoi(free.find((k) => k > roi) ?? free[0]!);
    },
    [saveEntry, timepoint, read, answers],
  );

  const selectCell = useCallback(
    (lesion: number, measure: Measure, tp: number) => {
      setLetbRoi(null);
      setTimepoint(tp);
      chooseMeasure(measure, lesion);
      const v = answer(answers, tp, `target${lesion}.${measure}`) as LesionValue | undefined;
      if (v?.status === 'measured') {
        setSeriesKey(v.seriesKey);
        setFocus({ lps: v.aLps });
      }
    },
    [answers, chooseMeasure],
  );

  async function submit() {
    if (!read) return;
    await queue.current;
    setSubmitProblems(undefined);
    const r = await client.submitRead({ readId: read.readId });
    if (!r.ok) return setSubmitProblems(errorMessage('Submitting', r.error));
    setRead(r.value);
    confirmed.current = toAnswers(r.value.entries);
    setUndo([]);
  }

  // Keyboard shortcuts (not while typing in a field).
  const keys = useRef({ undoLast, submit, chooseMeasure, setActive, read, timepoint, series, seriesKey });
  keys.current = { undoLast, submit, chooseMeasure, setActive, read, timepoint, series, seriesKey };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keys.current;
      if (!k.read) return;
      const typing =
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement ||
        e.target instanceof HTMLTextAreaElement;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        k.undoLast();
      } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void k.submit();
      } else if (typing || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      } else if (/^[1-5]$/.test(e.key) && Number(e.key) <= maxLiverTargets(k.read.protocol)) {
        setLetbRoi(null);
        k.setActive((a) => ({ ...a, lesion: Number(e.key) }));
      } else if (e.key.toLowerCase() === 'r' && k.read.protocol.letb) {
        setLetbRoi((r) => (r === null ? 1 : (r % letbPlacementCount) + 1));
      } else if (e.key.toLowerCase() === 'l' && lesionMeasures(k.read.protocol).includes('longest')) {
        k.chooseMeasure('longest');
      } else if (e.key.toLowerCase() === 'v' && lesionMeasures(k.read.protocol).includes('viable')) {
        k.chooseMeasure('viable');
      } else if (e.key.toLowerCase() === 't') {
        const n = k.read.timepoints.length;
        setTimepoint((t) => (t + (e.shiftKey ? n - 1 : 1)) % n);
      } else if (e.key.toLowerCase() === 'p' && k.series.length > 1) {
        const i = k.series.findIndex((s) => s.seriesKey === k.seriesKey);
        setSeriesKey(k.series[(i + 1) % k.series.length]!.seriesKey);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (error) {
    return (
      <main className="screen">
        <button type="button" className="secondary" onClick={onBack}>
          ← Worklist
        </button>
        <p className="error" role="alert" data-testid="read-error">
          {error}
        </p>
      </main>
    );
  }
  if (!read) return <p className="hint screen">Opening the case…</p>;

  const calipers: DrawnCaliper[] = [];
  for (const e of read.entries) {
    const v = e.value as EntryValue;
    if (e.timepoint !== timepoint || typeof v !== 'object' || v.status !== 'measured') continue;
    const m = /^target(\d+)\.(longest|viable)$/.exec(e.item);
    if (!m) continue;
    const measure = m[2] as Measure;
    calipers.push({
      key: e.item,
      label: `T${m[1]} ${measureLabels[measure].short} ${v.lengthMm.toFixed(1)} mm`,
      aLps: v.aLps,
      bLps: v.bLps,
      active: Number(m[1]) === active.lesion && measure === active.measure,
    });
  }
  const tp = read.timepoints.find((t) => t.ordinal === timepoint);

  return (
    <main className="reading-screen" data-testid="reading-screen">
      <div className="viewer-toolbar">
        <button type="button" className="secondary" onClick={onBack} data-testid="read-back">
          ← Worklist
        </button>
        <strong className="case-code" data-testid="read-case-code">
          {read.caseCode}
        </strong>
        <span className={`read-state read-state-${read.state}`} data-testid="read-state">
          {read.state === 'submitted' ? `Submitted · locked` : 'In progress'}
        </span>
        <SaveIndicator save={save} />
        <button
          type="button"
          className="secondary"
          onClick={undoLast}
          disabled={locked || undo.length === 0}
          title={undo.length ? `Undo: ${undo[undo.length - 1]!.label} (Ctrl+Z)` : 'Nothing to undo'}
          data-testid="read-undo"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => void submit()}
          disabled={locked}
          data-testid="read-submit"
          title="Checks the read is complete and locks it (Ctrl+Enter)"
        >
          Submit read
        </button>
      </div>
      {submitProblems && (
        <p className="error" role="alert" data-testid="read-submit-error">
          {submitProblems}
        </p>
      )}
      {locked && (
        <p className="locked-banner" data-testid="read-locked">
          This read was submitted{read.submittedAt ? ` on ${new Date(read.submittedAt).toLocaleString()}` : ''} and is
          locked. Only the study coordinator can reopen it.
        </p>
      )}
      <div className="reading-layout">
        <section className="reading-images">
          <div className="viewer-controls">
            {read.timepoints.map((t) => (
              <button
                key={t.ordinal}
                type="button"
                className={t.ordinal === timepoint ? '' : 'secondary'}
                onClick={() => setTimepoint(t.ordinal)}
                data-testid={`read-tp-${t.ordinal}`}
              >
                {t.label}
              </button>
            ))}
            <span className="divider" />
            {(tp?.series ?? []).map((s) => (
              <button
                key={s.seriesKey}
                type="button"
                className={`small-button ${s.seriesKey === seriesKey ? '' : 'secondary'}`}
                onClick={() => setSeriesKey(s.seriesKey)}
                data-testid={`read-series-${s.seriesKey}`}
              >
                {phaseLabels[s.phase]}
              </button>
            ))}
            <span className="divider" />
            {windowPresets.map((p) => (
              <button
                key={p.id}
                type="button"
                className={`small-button ${windowHu.width === p.widthHu && windowHu.level === p.levelHu ? '' : 'secondary'}`}
                onClick={() => setWindowHu({ width: p.widthHu, level: p.levelHu })}
              >
                {p.label}
              </button>
            ))}
          </div>
          <p className="caliper-hint" data-testid="caliper-target">
            {locked ? (
              'Locked: the images can be viewed, not measured.'
            ) : letbRoi !== null ? (
              <>
                LETB: <strong>ROI {letbRoi}</strong> at <strong>{tp?.label}</strong>. Click in tumour-free liver on the
                subtraction image; drag to move it (threshold and LETB update live); release to save.
              </>
            ) : (
              <>
                Caliper: <strong>target {active.lesion}</strong>,{' '}
                <strong>{measureLabels[active.measure].long.toLowerCase()}</strong> (
                {measureLabels[active.measure].criteria}) at <strong>{tp?.label}</strong>. Drag across the lesion on the
                axial image.
              </>
            )}
          </p>
          {letbRoi !== null && read.protocol.letb && tp && (
            <ReadLetbImage
              client={client}
              readId={read.readId}
              timepoint={timepoint}
              timepointLabel={tp.label}
              roi={letbRoi}
              answers={answers}
              locked={locked}
              loadSeries={loadSeries}
              onPlace={placeLetbRoi}
            />
          )}
          {letbRoi === null && volumeError && (
            <p className="error" role="alert">
              {volumeError}
            </p>
          )}
          {letbRoi === null && !volume && !volumeError && <p className="hint">Loading images…</p>}
          {letbRoi === null && volume && (
            <CaseImageView
              volume={volume}
              calipers={calipers}
              windowHu={windowHu}
              focus={focus}
              enabled={!locked}
              onCaliper={(a, b) => {
                if (!seriesKey) return;
                saveEntry(
                  timepoint,
                  `target${active.lesion}.${active.measure}`,
                  { status: 'measured', aLps: a, bLps: b, seriesKey },
                  `target ${active.lesion} ${measureLabels[active.measure].long.toLowerCase()} at ${tp?.label}`,
                );
              }}
            />
          )}
          <p className="shortcuts small muted" data-testid="read-shortcuts">
            Keys: 1-{maxLiverTargets(read.protocol)} target ·{' '}
            {lesionMeasures(read.protocol)
              .map((m) => `${measureLabels[m].short} ${m}`)
              .join(' · ')}
            {read.protocol.letb ? ' · R LETB ROI' : ''} · T / Shift+T timepoint · P phase · Esc cancel caliper · Ctrl+Z
            undo · Ctrl+Enter submit · wheel slices · right-drag zoom · Shift-drag pan
          </p>
        </section>
        <aside className="panel reading-panel">
          <ReadForm
            read={read}
            answers={answers}
            active={active}
            letbRoi={letbRoi}
            timepoint={timepoint}
            locked={locked}
            onSelect={selectCell}
            onSelectLetb={selectLetb}
            onSave={saveEntry}
          />
          <ResponsePanel read={read} />
          {!locked && read.problems.length > 0 && (
            <div className="problems" data-testid="read-problems">
              <h3>Still missing before submit</h3>
              <ul>
                {read.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          {!locked && read.problems.length === 0 && (
            <p className="ok" data-testid="read-complete">
              Complete: ready to submit.
            </p>
          )}
        </aside>
      </div>
    </main>
  );
}

/** The entries with one answer replaced (or removed for null). */
function withEntry(
  entries: readonly ReadEntry[],
  timepoint: number,
  item: string,
  value: EntryValue | null,
): ReadEntry[] {
  const rest = entries.filter((e) => !(e.timepoint === timepoint && e.item === item));
  return value === null ? rest : [...rest, { timepoint, item, value }];
}

function SaveIndicator({ save }: { save: SaveState }) {
  const text =
    save.state === 'idle'
      ? 'No changes yet'
      : save.state === 'saving'
        ? 'Saving…'
        : save.state === 'saved'
          ? `All changes saved ${new Date(save.at).toLocaleTimeString()}`
          : save.message;
  return (
    <span
      className={`autosave autosave-${save.state}`}
      data-testid="autosave"
      role={save.state === 'error' ? 'alert' : 'status'}
    >
      {text}
    </span>
  );
}
