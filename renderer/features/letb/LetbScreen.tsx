import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  LetbReproducibility,
  LetbTimeline,
  LetbSession,
  PatientNode,
  Placement,
  ReaderClient,
  SeriesSummary,
  StoredPlacement,
  VolumePayload,
} from '../../../core/ipc/contract';
import { timepointLetb } from '../../../core/letb/evaluatePlacement';
import type { RoiShape } from '../../../core/letb/roi';
import { windowPresets } from '../../../core/imaging/windowPresets';
import type { Vec3 } from '../../../core/imaging/coordinates';
import type { Volume } from '../../../core/imaging/volume';
import { errorMessage } from '../../api/messages';
import { toVtkImageData } from '../../viewers/vtk/toVtkImageData';
import {
  createSliceView,
  type LabelLayer,
  type SliceView,
  type ViewOrientation,
} from '../../viewers/sliceView/createSliceView';
import { fillEnhancingMask } from './enhancingMask';
import { RoiCircles, roiRadiusMm } from './RoiCircles';
import { latestOnly } from './latestOnly';
import { MaskChecksBadge } from './MaskChecksBadge';
import { createMeshView, type MeshView } from '../../viewers/surfaceView/createMeshView';
import { createSurfaceJobs, type SurfaceJobs } from '../../viewers/surfaceView/surfaceJobs';

const orientations: ViewOrientation[] = ['axial', 'coronal', 'sagittal'];
const placementNumbers = [1, 2, 3] as const;

/** LETB of one timepoint: choose the mask, place three ROIs, read LETB (SPEC §2). */
export function LetbScreen({
  client,
  arterialSeriesUid,
  onBack,
}: {
  client: ReaderClient;
  arterialSeriesUid: string;
  onBack: () => void;
}) {
  const [tree, setTree] = useState<PatientNode[] | undefined>();
  const [maskChoice, setMaskChoice] = useState<string>('');
  const [maskPath, setMaskPath] = useState('');
  const [session, setSession] = useState<LetbSession | undefined>();
  const [volume, setVolume] = useState<VolumePayload | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  /** A DICOM SEG of other images: what differs, until the coordinator confirms or cancels. */
  const [confirmation, setConfirmation] = useState<string | undefined>();

  useEffect(() => {
    void client
      .listDicomIndex(undefined)
      .then((r) => (r.ok ? setTree(r.value) : setError(errorMessage('Reading the series list', r.error))));
  }, [client]);

  const study = useMemo(
    () => tree?.flatMap((p) => p.studies).find((s) => s.series.some((x) => x.seriesInstanceUid === arterialSeriesUid)),
    [tree, arterialSeriesUid],
  );
  const arterial = study?.series.find((s) => s.seriesInstanceUid === arterialSeriesUid);
  const precontrast = study?.series.filter(
    (s) => s.phase === 'precontrast' && s.seriesInstanceUid !== arterialSeriesUid,
  );
  const segs = study?.series.filter((s) => s.modality === 'SEG') ?? [];
  useEffect(() => {
    if (!maskChoice && segs.length === 1) setMaskChoice(segs[0]!.seriesInstanceUid);
  }, [segs, maskChoice]);

  async function open(allowOtherReference = false) {
    setError(undefined);
    setConfirmation(undefined);
    setBusy(true);
    const mask = maskChoice === 'file' ? { path: maskPath.trim() } : { seriesInstanceUid: maskChoice };
    // The arterial volume loaded before a confirmation is kept for the confirmed retry.
    const [s, v] = await Promise.all([
      client.openLetbSession(
        allowOtherReference ? { arterialSeriesUid, mask, allowOtherReference: true } : { arterialSeriesUid, mask },
      ),
      volume
        ? Promise.resolve({ ok: true as const, value: volume })
        : client.loadVolume({ seriesInstanceUid: arterialSeriesUid }),
    ]);
    setBusy(false);
    if (v.ok) setVolume(v.value);
    // A SEG of other images: the coordinator decides (the service audits an override).
    if (!s.ok && s.error.code === 'NEEDS_CONFIRMATION') return setConfirmation(s.error.message);
    if (!s.ok) return setError(errorMessage('Preparing LETB', s.error));
    if (!v.ok) return setError(errorMessage('Loading the arterial phase', v.error));
    setSession(s.value);
  }

  return (
    <main className="viewer-screen">
      <div className="viewer-toolbar">
        <button type="button" className="secondary" onClick={onBack}>
          ← Series
        </button>
        <span className="viewer-title">LETB · {arterial ? arterial.description || 'arterial phase' : '…'}</span>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="letb-error">
          {error}
        </p>
      )}
      {!session && confirmation && (
        <section
          className="panel letb-confirm"
          role="alertdialog"
          aria-labelledby="letb-confirm-title"
          aria-describedby="letb-confirm-message"
          data-testid="letb-confirm-reference"
        >
          <h2 id="letb-confirm-title">This DICOM SEG was drawn on other images</h2>
          <p id="letb-confirm-message" className="warning" data-testid="letb-confirm-message">
            {confirmation}
          </p>
          <p className="hint">
            For instance a liver drawn on another phase of the same examination. What differs is kept with the mask and
            shown wherever it is used.
          </p>
          <div className="actions">
            <button type="button" onClick={() => void open(true)} disabled={busy} data-testid="letb-confirm-attach">
              {busy ? 'Preparing…' : 'Attach anyway'}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setConfirmation(undefined)}
              disabled={busy}
              data-testid="letb-confirm-cancel"
            >
              Cancel
            </button>
          </div>
        </section>
      )}
      {!session && (
        <LetbSetup
          arterial={arterial}
          precontrast={precontrast}
          segs={segs}
          maskChoice={maskChoice}
          setMaskChoice={setMaskChoice}
          maskPath={maskPath}
          setMaskPath={setMaskPath}
          busy={busy}
          waiting={confirmation !== undefined}
          onOpen={() => void open()}
        />
      )}
      {session && volume && (
        <LetbWorkspace
          client={client}
          session={session}
          volume={volume}
          askedPath={maskChoice === 'file' ? maskPath.trim() : undefined}
          onError={setError}
        />
      )}
    </main>
  );
}

function LetbSetup(props: {
  arterial: SeriesSummary | undefined;
  precontrast: SeriesSummary[] | undefined;
  segs: SeriesSummary[];
  maskChoice: string;
  setMaskChoice: (v: string) => void;
  maskPath: string;
  setMaskPath: (v: string) => void;
  busy: boolean;
  /** A confirmation is asked above: nothing to start meanwhile. */
  waiting: boolean;
  onOpen: () => void;
}) {
  const { precontrast, segs, maskChoice } = props;
  return (
    <section className="panel letb-setup" data-testid="letb-setup">
      <h2>Timepoint</h2>
      <dl className="facts">
        <dt>Arterial phase</dt>
        <dd>{props.arterial?.description ?? '…'}</dd>
        <dt>Precontrast</dt>
        <dd data-testid="letb-precontrast">
          {precontrast === undefined
            ? '…'
            : precontrast.length === 1
              ? precontrast[0]!.description || precontrast[0]!.seriesInstanceUid
              : precontrast.length === 0
                ? 'none detected: set a series to Precontrast in the series list'
                : `${precontrast.length} series detected: set one`}
        </dd>
      </dl>
      <h2>Liver mask</h2>
      <div className="mask-choice">
        {segs.map((s) => (
          <label key={s.seriesInstanceUid}>
            <input
              type="radio"
              name="mask"
              value={s.seriesInstanceUid}
              checked={maskChoice === s.seriesInstanceUid}
              onChange={() => props.setMaskChoice(s.seriesInstanceUid)}
            />{' '}
            DICOM SEG series “{s.description || s.seriesInstanceUid}”
          </label>
        ))}
        <label>
          <input
            type="radio"
            name="mask"
            value="file"
            checked={maskChoice === 'file'}
            onChange={() => props.setMaskChoice('file')}
          />{' '}
          A file (DICOM SEG, NIfTI .nii/.nii.gz, NRRD):
          <input
            type="text"
            value={props.maskPath}
            onChange={(e) => {
              props.setMaskChoice('file');
              props.setMaskPath(e.target.value);
            }}
            placeholder="/path/to/liver_mask.nii.gz"
            aria-label="Mask file path"
            data-testid="letb-mask-path"
          />
        </label>
      </div>
      <button
        type="button"
        onClick={props.onOpen}
        disabled={props.busy || props.waiting || !maskChoice || (maskChoice === 'file' && props.maskPath.trim() === '')}
        data-testid="letb-open"
      >
        {props.busy ? 'Preparing…' : 'Start LETB'}
      </button>
    </section>
  );
}

interface LiveRoi {
  placementNo: number;
  centerLps: Vec3;
  result?: Placement;
}

function LetbWorkspace({
  client,
  session,
  volume,
  askedPath,
  onError,
}: {
  client: ReaderClient;
  session: LetbSession;
  volume: VolumePayload;
  askedPath: string | undefined;
  onError: (m: string | undefined) => void;
}) {
  const refs = useRef<Record<ViewOrientation, HTMLDivElement | null>>({ axial: null, coronal: null, sagittal: null });
  const views = useRef<SliceView[]>([]);
  const enhancingLayers = useRef<{ layers: LabelLayer[]; voxels: Uint8Array; image: { modified(): void } } | undefined>(
    undefined,
  );
  const baseImages = useRef<
    { arterial: ReturnType<typeof toVtkImageData>; subtraction: ReturnType<typeof toVtkImageData> } | undefined
  >(undefined);
  const [placements, setPlacements] = useState<StoredPlacement[]>(session.placements);
  const [active, setActive] = useState<number>(nextFree(session.placements));
  const [roiMl, setRoiMl] = useState(1);
  const [roiShape, setRoiShape] = useState<RoiShape>('sphere');
  const [live, setLive] = useState<LiveRoi | undefined>();
  const [base, setBase] = useState<'arterial' | 'subtraction'>('arterial');
  const [windowHu, setWindowHu] = useState({ width: 400, level: 50 });
  const [, setTick] = useState(0);
  const [slices, setSlices] = useState<Record<ViewOrientation, { index: number; count: number }>>({
    axial: { index: 0, count: 0 },
    coronal: { index: 0, count: 0 },
    sagittal: { index: 0, count: 0 },
  });

  const roiRef = useRef({ active, roiMl, roiShape });
  roiRef.current = { active, roiMl, roiShape };
  // Live evaluation: one request in flight, the latest position wins.
  const evaluate = useRef(
    latestOnly(
      (roi: LiveRoi) =>
        client.evaluateLetbRoi({
          sessionId: session.sessionId,
          centerLps: roi.centerLps,
          volumeMl: roiRef.current.roiMl,
          shape: roiRef.current.roiShape,
        }),
      (r, roi) => {
        if (r.ok) setLive((cur) => (cur && cur.placementNo === roi.placementNo ? { ...cur, result: r.value } : cur));
        else onError(errorMessage('Evaluating the ROI', r.error));
      },
    ),
  ).current;

  const save = async (roi: LiveRoi) => {
    const r = await client.saveLetbPlacement({
      sessionId: session.sessionId,
      centerLps: roi.centerLps,
      volumeMl: roiRef.current.roiMl,
      shape: roiRef.current.roiShape,
      placementNo: roi.placementNo,
    });
    if (!r.ok) return onError(errorMessage('Saving the placement', r.error));
    onError(undefined);
    setLive(undefined);
    setPlacements((ps) => {
      const next = [...ps.filter((x) => x.placementNo !== roi.placementNo), r.value].sort(
        (a, b) => a.placementNo - b.placementNo,
      );
      // Move on to the next free number once this one is placed.
      setActive((n) => (n === roi.placementNo ? nextFree(next, n) : n));
      return next;
    });
  };
  // The views are built once; their callbacks reach the current functions through this ref.
  const actions = useRef({ evaluate, save });
  actions.current = { evaluate, save };

  useEffect(() => {
    const grid: Omit<Volume, 'voxels'> = {
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      originMm: volume.originMm,
      direction: volume.direction,
    };
    const arterialImage = toVtkImageData({ ...grid, voxels: volume.voxels });
    const subtractionImage = toVtkImageData({ ...grid, voxels: session.subtraction });
    const liverImage = toVtkImageData({ ...grid, voxels: session.liverMask });
    const enhancing = new Uint8Array(session.liverMask.length);
    const enhancingImage = toVtkImageData({ ...grid, voxels: enhancing });
    baseImages.current = { arterial: arterialImage, subtraction: subtractionImage };
    const created: SliceView[] = [];
    const layers: LabelLayer[] = [];
    for (const o of orientations) {
      const el = refs.current[o];
      if (!el) continue;
      const view = createSliceView(el, { ...grid, voxels: volume.voxels }, arterialImage, o, {
        onCursor: () => undefined,
        onSlice: (orientation, index, count) => setSlices((s) => ({ ...s, [orientation]: { index, count } })),
        onWindowDrag: (dw, dl) => setWindowHu((w) => ({ width: Math.max(1, w.width + dw), level: w.level + dl })),
        onToolDown: (lps) => {
          const roi = { placementNo: roiRef.current.active, centerLps: lps };
          setLive(roi);
          actions.current.evaluate(roi);
          return true;
        },
        onToolDrag: (lps) => {
          const roi = { placementNo: roiRef.current.active, centerLps: lps };
          setLive((cur) => ({ ...roi, result: cur?.result }));
          actions.current.evaluate(roi);
        },
        onToolUp: (lps) => void actions.current.save({ placementNo: roiRef.current.active, centerLps: lps }),
        onViewChange: () => setTick((t) => t + 1),
      });
      // Added in drawing order: the enhancing fill, then the liver outline on top of it.
      const enhancingLayer = view.addLabelLayer(enhancingImage, { color: [1, 0.55, 0.1], opacity: 0.55 });
      view.addLabelLayer(liverImage, { color: [0.25, 0.85, 0.45], opacity: 1, outline: true });
      layers.push(enhancingLayer);
      created.push(view);
    }
    views.current = created;
    enhancingLayers.current = { layers, voxels: enhancing, image: enhancingImage };
    const observer = new ResizeObserver(() => created.forEach((v) => v.resize()));
    Object.values(refs.current).forEach((el) => el && observer.observe(el));
    return () => {
      observer.disconnect();
      created.forEach((v) => v.dispose());
      [arterialImage, subtractionImage, liverImage, enhancingImage].forEach((i) => i.delete());
      views.current = [];
      enhancingLayers.current = undefined;
      baseImages.current = undefined;
    };
    // Views are built once per session; the callbacks read current state through refs.
  }, [session, volume]);

  useEffect(() => {
    views.current.forEach((v) => v.setWindow(windowHu.width, windowHu.level));
  }, [windowHu]);

  useEffect(() => {
    const images = baseImages.current;
    if (!images) return;
    views.current.forEach((v) => v.setBaseImage(base === 'arterial' ? images.arterial : images.subtraction));
    setWindowHu(base === 'arterial' ? { width: 400, level: 50 } : { width: 300, level: 50 });
  }, [base]);

  // Enhancing overlay: the live ROI's threshold while dragging, else the active placement's.
  const shown = live?.result ?? placements.find((p) => p.placementNo === active) ?? placements[0];
  const shownThreshold = shown?.thresholdHu;
  useEffect(() => {
    const e = enhancingLayers.current;
    if (!e) return;
    if (shownThreshold === undefined) e.voxels.fill(0);
    else fillEnhancingMask(e.voxels, session.liverMask, session.subtraction, shownThreshold);
    e.image.modified();
    e.layers.forEach((l) => l.modified());
  }, [shownThreshold, session]);

  // 3D: the liver surface once per session, the enhancing tumour whenever the shown threshold
  // settles (surface extraction runs in a worker).
  const meshEl = useRef<HTMLDivElement | null>(null);
  const mesh = useRef<{ view: MeshView; jobs: SurfaceJobs } | undefined>(undefined);
  const [meshStatus, setMeshStatus] = useState<'building' | 'ready' | 'failed'>('building');
  useEffect(() => {
    const el = meshEl.current;
    if (!el) return;
    const view = createMeshView(el);
    const jobs = createSurfaceJobs();
    mesh.current = { view, jobs };
    let live = true;
    const grid = {
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      originMm: volume.originMm,
      direction: volume.direction,
    };
    jobs
      .extract({ ...grid, voxels: session.liverMask })
      .then((surface) => {
        if (!live) return;
        view.setSurface('liver', surface, { color: [0.85, 0.62, 0.45], opacity: 0.25 });
        setMeshStatus('ready');
      })
      .catch(() => live && setMeshStatus('failed'));
    const observer = new ResizeObserver(() => view.resize());
    observer.observe(el);
    return () => {
      live = false;
      observer.disconnect();
      jobs.dispose();
      view.dispose();
      mesh.current = undefined;
    };
  }, [session, volume]);
  useEffect(() => {
    const m = mesh.current;
    const e = enhancingLayers.current;
    if (!m || !e || shownThreshold === undefined) return;
    const grid = {
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      originMm: volume.originMm,
      direction: volume.direction,
    };
    const timer = setTimeout(() => {
      void m.jobs
        .extract({ ...grid, voxels: e.voxels }, { smoothIterations: 10 })
        .then(
          (surface) =>
            mesh.current === m && m.view.setSurface('enhancing', surface, { color: [1, 0.5, 0.1], opacity: 1 }),
        )
        .catch(() => setMeshStatus('failed'));
    }, 250);
    return () => clearTimeout(timer);
  }, [shownThreshold, volume]);

  const [exported, setExported] = useState<string | undefined>();
  // Reproducibility over all timepoints with three placements, refreshed whenever ours change.
  const [reproducibility, setReproducibility] = useState<LetbReproducibility | undefined>();
  const [timeline, setTimeline] = useState<LetbTimeline | undefined>();
  useEffect(() => {
    void client.getLetbReproducibility(undefined).then((r) => r.ok && setReproducibility(r.value));
    void client
      .getLetbTimeline({ seriesInstanceUid: session.arterialSeriesUid })
      .then((r) => r.ok && setTimeline(r.value));
  }, [client, placements, session.arterialSeriesUid]);
  async function exportMask(format: 'seg' | 'nifti') {
    const r = await client.exportLetbMask({ sessionId: session.sessionId, format });
    if (!r.ok) return onError(errorMessage('Exporting the mask', r.error));
    setExported(r.value.path);
  }

  async function remove(p: StoredPlacement) {
    const r = await client.deleteLetbPlacement({ sessionId: session.sessionId, placementId: p.id });
    if (!r.ok) return onError(errorMessage('Deleting the placement', r.error));
    setPlacements((ps) => ps.filter((x) => x.id !== p.id));
    setActive(p.placementNo);
  }

  const meanLetb = placements.length > 0 ? timepointLetb(placements) : undefined;
  const radiusMm = roiRadiusMm(roiMl, roiShape);
  const rois: { no: number; centre: Vec3; live: boolean }[] = [
    ...placements
      .filter((p) => p.placementNo !== live?.placementNo)
      .map((p) => ({ no: p.placementNo, centre: p.centerLps, live: false })),
    ...(live ? [{ no: live.placementNo, centre: live.centerLps, live: true }] : []),
  ];

  return (
    <div className="letb-layout">
      <div className="letb-views-column">
        <div className="viewer-controls">
          <span className="muted">Show</span>
          <button
            type="button"
            className={base === 'arterial' ? '' : 'secondary'}
            onClick={() => setBase('arterial')}
            data-testid="letb-show-arterial"
          >
            Arterial
          </button>
          <button
            type="button"
            className={base === 'subtraction' ? '' : 'secondary'}
            onClick={() => setBase('subtraction')}
            data-testid="letb-show-subtraction"
          >
            Subtraction
          </button>
          <span className="muted">Window</span>
          {windowPresets.map((p) => (
            <button
              key={p.id}
              type="button"
              className="secondary"
              onClick={() => setWindowHu({ width: p.widthHu, level: p.levelHu })}
            >
              {p.label}
            </button>
          ))}
          <span className="mono">
            W {Math.round(windowHu.width)} / L {Math.round(windowHu.level)}
          </span>
        </div>
        <div className="views">
          {orientations.map((o) => (
            <figure key={o} className="view">
              <div
                className="view-canvas"
                ref={(el) => {
                  refs.current[o] = el;
                }}
                data-testid={`letb-view-${o}`}
              >
                <RoiCircles
                  view={views.current.find((v) => v.orientation === o)}
                  rois={rois}
                  radiusMm={radiusMm}
                  active={active}
                />
              </div>
              <figcaption>
                <span>{o}</span>
                <span className="mono">
                  {slices[o].index + 1} / {slices[o].count}
                </span>
              </figcaption>
            </figure>
          ))}
        </div>
        <p className="hint small">
          Click on an image to place ROI {active}; drag to move it (LETB updates live); release to save. Wheel: slices ·
          shift-drag: pan · right-drag: zoom.
        </p>
      </div>
      <aside className="panel letb-panel" data-testid="letb-panel">
        <h2>ROI</h2>
        <div className="roi-controls">
          {placementNumbers.map((n) => (
            <button
              key={n}
              type="button"
              className={n === active ? '' : 'secondary'}
              onClick={() => setActive(n)}
              data-testid={`letb-roi-${n}`}
            >
              ROI {n}
              {placements.some((p) => p.placementNo === n) ? ' ✓' : ''}
            </button>
          ))}
        </div>
        <div className="roi-controls">
          <label>
            Size{' '}
            <select value={roiMl} onChange={(e) => setRoiMl(Number(e.target.value))} data-testid="letb-roi-ml">
              <option value={1}>1.0 cm³</option>
              <option value={0.5}>0.5 cm³</option>
            </select>
          </label>
          <label>
            Shape{' '}
            <select value={roiShape} onChange={(e) => setRoiShape(e.target.value as RoiShape)}>
              <option value="sphere">sphere</option>
              <option value="cube">cube</option>
            </select>
          </label>
        </div>
        {live?.result && (
          <p className="mono small" data-testid="letb-live">
            live ROI {live.placementNo}: T {live.result.thresholdHu.toFixed(1)} HU · LETB{' '}
            {live.result.letbPercent.toFixed(2)} %
          </p>
        )}
        <table className="table letb-table" data-testid="letb-placements">
          <thead>
            <tr>
              <th>#</th>
              <th>Mean ± SD (HU)</th>
              <th>T (HU)</th>
              <th>Enh. (cm³)</th>
              <th>LETB</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {placements.map((p) => (
              <tr key={p.id} data-testid="letb-placement" data-placement={p.placementNo}>
                <td>{p.placementNo}</td>
                <td className="mono">
                  <span data-testid="letb-row-mean">{p.meanHu.toFixed(1)}</span> ± {p.sdHu.toFixed(1)}
                  <span className="muted"> ({p.roiVoxels} vx)</span>
                  {(p.flags.leavesLiver || p.flags.leavesImage) && (
                    <span className="warning" title="The ROI should lie in tumour-free liver">
                      {' '}
                      ⚠ {p.flags.leavesImage ? 'outside image' : `${Math.round(p.flags.liverFraction * 100)}% in liver`}
                    </span>
                  )}
                </td>
                <td className="mono">{p.thresholdHu.toFixed(1)}</td>
                <td className="mono">{p.enhancingMl.toFixed(1)}</td>
                <td className="mono" data-testid="letb-row-letb">
                  {p.letbPercent.toFixed(2)} %
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary small-button"
                    onClick={() => void remove(p)}
                    aria-label={`Delete ROI ${p.placementNo}`}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="letb-mask small" data-testid="letb-mask">
          <h3>Liver mask</h3>
          <div>
            <span className="mono" data-testid="letb-mask-file">
              {session.mask.fileName}
            </span>{' '}
            <span className="muted">
              ({formatName[session.mask.sourceFormat]}
              {session.mask.segmentLabel ? ` “${session.mask.segmentLabel}”` : ''}, {session.mask.voxels} voxels)
            </span>
          </div>
          <div>
            file SHA-256{' '}
            <span className="mono" data-testid="letb-mask-hash" title={session.mask.fileSha256}>
              {session.mask.fileSha256.slice(0, 12)}
            </span>
            …
          </div>
          <MaskChecksBadge checks={session.mask.checks} testId="letb-mask-checks" details />
          {askedPath !== undefined && askedPath !== session.mask.sourcePath && (
            <div className="muted" data-testid="letb-mask-same-voxels">
              The file you chose has the same voxels as this mask, attached before: it stays attached, with its
              placements.
            </div>
          )}
        </div>
        <dl className="facts letb-summary">
          <dt>LETB (mean of {placements.length})</dt>
          <dd data-testid="letb-mean">{meanLetb === undefined ? '—' : `${meanLetb.toFixed(2)} %`}</dd>
          <dt>Liver</dt>
          <dd data-testid="letb-liver-ml">{session.liverMl.toFixed(1)} cm³</dd>
          <dt>Enhancing</dt>
          <dd>
            {placements.length > 0
              ? `${(placements.reduce((s, p) => s + p.enhancingMl, 0) / placements.length).toFixed(1)} cm³ (mean)`
              : '—'}
          </dd>
          <dt>Change from baseline</dt>
          <dd className="small" data-testid="letb-change">
            <ChangeSummary timeline={timeline} current={session.arterialSeriesUid} />
          </dd>
          <dt>Reproducibility</dt>
          <dd className="small" data-testid="letb-icc">
            <IccSummary value={reproducibility} />
          </dd>
          <dt>Export mask</dt>
          <dd>
            <button
              type="button"
              className="secondary small-button"
              onClick={() => void exportMask('seg')}
              data-testid="letb-export-seg"
            >
              DICOM SEG
            </button>{' '}
            <button
              type="button"
              className="secondary small-button"
              onClick={() => void exportMask('nifti')}
              data-testid="letb-export-nifti"
            >
              NIfTI
            </button>
            {exported && (
              <div className="small mono" data-testid="letb-exported">
                {exported}
              </div>
            )}
          </dd>
          <dt>3D</dt>
          <dd className="small muted" data-testid="mesh-status" data-state={meshStatus}>
            {meshStatus === 'building'
              ? 'building the liver surface…'
              : meshStatus === 'ready'
                ? 'liver (translucent) and enhancing tumour; drag to rotate'
                : '3D view unavailable'}
          </dd>
          {session.resampledPrecontrast && (
            <>
              <dt>Note</dt>
              <dd className="warning small">Precontrast resampled onto the arterial grid (trilinear).</dd>
            </>
          )}
        </dl>
        <div className="mesh-view" ref={meshEl} data-testid="letb-3d" />
      </aside>
    </div>
  );
}

const formatName: Record<LetbSession['mask']['sourceFormat'], string> = {
  seg: 'DICOM SEG',
  nifti: 'NIfTI',
  nrrd: 'NRRD',
};

/** The first placement number without a stored placement (after `after` when given), else `after` itself. */
function nextFree(placements: readonly { placementNo: number }[], after = 0): number {
  const free = placementNumbers.filter((n) => !placements.some((p) => p.placementNo === n));
  return free.find((n) => n > after) ?? free[0] ?? (after || 1);
}

/** ICC(1,1) of the three placements across timepoints: one-way random, single placement (placements are interchangeable). */
function IccSummary({ value }: { value: LetbReproducibility | undefined }) {
  if (!value) return <>…</>;
  if (!value.icc.estimable)
    return (
      <span className="muted">ICC needs three placements on at least two timepoints ({value.timepoints} so far)</span>
    );
  const one = value.icc.forms.ICC1;
  if (!one.estimable) return <span className="muted">ICC not estimable: {one.reason}</span>;
  return (
    <span title="Shrout & Fleiss ICC(1,1): one-way random effects, single placement; 95 % CI as R psych::ICC">
      ICC(1,1) {one.value.toFixed(2)} (95 % CI {one.ci[0].toFixed(2)}–{one.ci[1].toFixed(2)}), {value.timepoints}{' '}
      timepoints
    </span>
  );
}

/** LETB change of this timepoint from the patient's first timepoint with LETB, with responder flags. */
function ChangeSummary({ timeline, current }: { timeline: LetbTimeline | undefined; current: string }) {
  if (!timeline) return <>…</>;
  const baseline = timeline.timepoints.find((t) => t.letbPercent !== null);
  if (!baseline) return <span className="muted">no timepoint of this patient has LETB yet</span>;
  if (baseline.arterialSeriesUid === current)
    return (
      <span className="muted">this is the baseline ({timeline.timepoints.length} timepoints of this patient)</span>
    );
  const c = timeline.change;
  if (!c)
    return (
      <span className="muted">
        baseline {formatDa(baseline.studyDate)}: {baseline.letbPercent!.toFixed(2)} %; place ROIs here to compare
      </span>
    );
  if (!c.estimable) return <span className="warning">{c.reason}</span>;
  const at = (t: number) => c.responders.find((r) => r.thresholdPercent === t);
  return (
    <span
      title={c.responders
        .map((r) => `${r.thresholdPercent} %: ${r.responder ? 'responder' : 'non-responder'}`)
        .join('\n')}
    >
      <span className="mono" data-testid="letb-change-percent">
        {c.changePercent >= 0 ? '+' : ''}
        {c.changePercent.toFixed(1)} %
      </span>{' '}
      from {c.preLetbPercent.toFixed(2)} % ({formatDa(baseline.studyDate)}); responder at −25.8 %:{' '}
      {at(-25.8)?.responder ? 'yes' : 'no'}, at −10 %: {at(-10)?.responder ? 'yes' : 'no'}
    </span>
  );
}

function formatDa(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}` : da;
}
