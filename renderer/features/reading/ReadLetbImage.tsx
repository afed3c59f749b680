import { useEffect, useRef, useState } from 'react';
import type { CaseVolume, Placement, ReaderClient, ReadLetbView } from '../../../core/ipc/contract';
import type { Vec3 } from '../../../core/imaging/coordinates';
import type { Volume } from '../../../core/imaging/volume';
import type { RoiShape } from '../../../core/letb/roi';
import {
  letbPlacementCount,
  letbRoiItem,
  letbRoiVolumesMl,
  type LetbRoiInput,
  type LetbRoiValue,
} from '../../../core/studies/readForm';
import type { Result } from '../../../core/ipc/result';
import { errorMessage } from '../../api/messages';
import { toVtkImageData } from '../../viewers/vtk/toVtkImageData';
import {
  createSliceView,
  type CursorInfo,
  type LabelLayer,
  type SliceView,
} from '../../viewers/sliceView/createSliceView';
import { fillEnhancingMask } from '../letb/enhancingMask';
import { RoiCircles, roiRadiusMm } from '../letb/RoiCircles';
import { latestOnly } from '../letb/latestOnly';
import { answer, type Answers } from './readingModel';

interface Props {
  client: ReaderClient;
  readId: number;
  timepoint: number;
  timepointLabel: string;
  /** The ROI placement (1-3) the next click places. */
  roi: number;
  answers: Answers;
  locked: boolean;
  /** Loads a series of the case (cached by the reading screen). */
  loadSeries(seriesKey: string): Promise<Result<CaseVolume>>;
  onPlace(roi: number, value: LetbRoiInput): void;
}

type Load =
  | { state: 'loading' }
  | { state: 'ready'; view: ReadLetbView; arterial: CaseVolume }
  | { state: 'error'; message: string };

/**
 * The reader's LETB tool for one timepoint (SPEC §2): the axial arterial image or the
 * subtraction (arterial − precontrast) with the liver outlined and, in orange, the liver voxels
 * above the shown ROI's threshold T. Click in tumour-free liver to place the active ROI; dragging
 * shows its T and LETB live (computed by the main process); releasing saves it as the read's
 * answer `letb.roi<k>` (measured again and stored by the main process).
 */
export function ReadLetbImage({
  client,
  readId,
  timepoint,
  timepointLabel,
  roi,
  answers,
  locked,
  loadSeries,
  onPlace,
}: Props) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [base, setBase] = useState<'subtraction' | 'arterial'>('subtraction');
  const [roiMl, setRoiMl] = useState(letbRoiVolumesMl[0]!);
  const [shape, setShape] = useState<RoiShape>('sphere');
  const [live, setLive] = useState<{ centre: Vec3; result?: Placement } | undefined>();
  const [liveError, setLiveError] = useState<string | undefined>();
  const [slice, setSlice] = useState({ index: 0, count: 0 });
  const [cursor, setCursor] = useState<CursorInfo | undefined>();
  const [, setTick] = useState(0);
  const el = useRef<HTMLDivElement | null>(null);
  const view = useRef<SliceView | undefined>(undefined);
  const images = useRef<
    { arterial: ReturnType<typeof toVtkImageData>; subtraction: ReturnType<typeof toVtkImageData> } | undefined
  >(undefined);
  const enhancing = useRef<
    { layer: LabelLayer; voxels: Uint8Array; image: ReturnType<typeof toVtkImageData> } | undefined
  >(undefined);

  useEffect(() => {
    let alive = true;
    setLoad({ state: 'loading' });
    setLive(undefined);
    void client.openReadLetb({ readId, timepoint }).then(async (r) => {
      if (!alive) return;
      if (!r.ok)
        return setLoad({ state: 'error', message: errorMessage(`Preparing LETB at ${timepointLabel}`, r.error) });
      const v = await loadSeries(r.value.seriesKey);
      if (!alive) return;
      if (!v.ok) return setLoad({ state: 'error', message: errorMessage('Loading the arterial phase', v.error) });
      setLoad({ state: 'ready', view: r.value, arterial: v.value });
    });
    return () => {
      alive = false;
    };
  }, [client, readId, timepoint, timepointLabel, loadSeries]);

  const current = useRef({ readId, timepoint, roi, roiMl, shape, locked, onPlace });
  current.current = { readId, timepoint, roi, roiMl, shape, locked, onPlace };
  // Live evaluation: one request in flight, the latest position wins.
  const evaluate = useRef(
    latestOnly(
      (centre: Vec3) => {
        const c = current.current;
        return client.evaluateReadLetbRoi({
          readId: c.readId,
          timepoint: c.timepoint,
          centerLps: centre,
          volumeMl: c.roiMl,
          shape: c.shape,
        });
      },
      (r) => {
        if (r.ok) {
          setLiveError(undefined);
          setLive((cur) => (cur ? { ...cur, result: r.value } : cur));
        } else setLiveError(errorMessage('Evaluating the ROI', r.error));
      },
    ),
  );
  const ready = load.state === 'ready' ? load : undefined;
  useEffect(() => {
    if (!ready || !el.current) return;
    const { view: lv, arterial } = ready;
    const grid: Omit<Volume, 'voxels'> = {
      dims: lv.dims,
      spacingMm: lv.spacingMm,
      originMm: lv.originMm,
      direction: lv.direction,
    };
    const arterialImage = toVtkImageData({ ...grid, voxels: arterial.voxels });
    const subtractionImage = toVtkImageData({ ...grid, voxels: lv.subtraction });
    const liverImage = toVtkImageData({ ...grid, voxels: lv.liverMask });
    const enhancingVoxels = new Uint8Array(lv.liverMask.length);
    const enhancingImage = toVtkImageData({ ...grid, voxels: enhancingVoxels });
    images.current = { arterial: arterialImage, subtraction: subtractionImage };
    const v = createSliceView(el.current, { ...grid, voxels: lv.subtraction }, subtractionImage, 'axial', {
      onCursor: setCursor,
      onSlice: (_o, index, count) => setSlice({ index, count }),
      onWindowDrag: () => undefined,
      onToolDown: (lps) => {
        if (current.current.locked) return false;
        setLive({ centre: lps });
        evaluate.current(lps);
        return true;
      },
      onToolDrag: (lps) => {
        setLive((cur) => ({ centre: lps, result: cur?.result }));
        evaluate.current(lps);
      },
      onToolUp: (lps) => {
        const c = current.current;
        setLive(undefined);
        c.onPlace(c.roi, { status: 'placed', centerLps: [lps[0], lps[1], lps[2]], volumeMl: c.roiMl, shape: c.shape });
      },
      onViewChange: () => setTick((t) => t + 1),
    });
    const layer = v.addLabelLayer(enhancingImage, { color: [1, 0.55, 0.1], opacity: 0.55 });
    v.addLabelLayer(liverImage, { color: [0.25, 0.85, 0.45], opacity: 1, outline: true });
    enhancing.current = { layer, voxels: enhancingVoxels, image: enhancingImage };
    view.current = v;
    setSlice({ index: v.getSlice(), count: v.sliceCount });
    const observer = new ResizeObserver(() => v.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      v.dispose();
      [arterialImage, subtractionImage, liverImage, enhancingImage].forEach((i) => i.delete());
      view.current = undefined;
      images.current = undefined;
      enhancing.current = undefined;
    };
  }, [ready]);

  useEffect(() => {
    const v = view.current;
    const i = images.current;
    if (!v || !i) return;
    v.setBaseImage(base === 'arterial' ? i.arterial : i.subtraction);
    // Subtraction: enhancement is bright, background parenchyma and lipiodol near 0.
    if (base === 'arterial') v.setWindow(400, 50);
    else v.setWindow(300, 50);
  }, [base, ready]);

  const stored = [...Array(letbPlacementCount).keys()].map((k) => ({
    no: k + 1,
    value: answer(answers, timepoint, letbRoiItem(k + 1)) as LetbRoiValue | undefined,
  }));
  const activeStored = stored.find((s) => s.no === roi)?.value;
  const shownThreshold =
    live?.result?.thresholdHu ?? (activeStored?.status === 'placed' ? activeStored.measurement.thresholdHu : undefined);
  useEffect(() => {
    const e = enhancing.current;
    if (!e || !ready) return;
    if (shownThreshold === undefined) e.voxels.fill(0);
    else fillEnhancingMask(e.voxels, ready.view.liverMask, ready.view.subtraction, shownThreshold);
    e.image.modified();
    e.layer.modified();
  }, [shownThreshold, ready]);

  if (load.state === 'loading')
    return <p className="hint">Preparing LETB at {timepointLabel}: arterial and precontrast phases, liver mask…</p>;
  if (load.state === 'error') {
    return (
      <p className="error" role="alert" data-testid="read-letb-error">
        {load.message}
      </p>
    );
  }
  const { view: lv } = load;
  const rois = [
    ...stored.flatMap((s) =>
      s.value?.status === 'placed' && !(live && s.no === roi)
        ? [{ no: s.no, centre: s.value.centerLps as Vec3, live: false }]
        : [],
    ),
    ...(live ? [{ no: roi, centre: live.centre, live: true }] : []),
  ];
  const shown = live?.result ?? (activeStored?.status === 'placed' ? activeStored.measurement : undefined);
  return (
    <div className="read-letb" data-testid="read-letb" data-timepoint={timepoint}>
      <div className="viewer-controls">
        <span className="muted">Show</span>
        <button
          type="button"
          className={`small-button ${base === 'subtraction' ? '' : 'secondary'}`}
          onClick={() => setBase('subtraction')}
          data-testid="read-letb-show-subtraction"
        >
          Subtraction
        </button>
        <button
          type="button"
          className={`small-button ${base === 'arterial' ? '' : 'secondary'}`}
          onClick={() => setBase('arterial')}
          data-testid="read-letb-show-arterial"
        >
          Arterial
        </button>
        <span className="divider" />
        <label className="small">
          ROI{' '}
          <select
            value={roiMl}
            onChange={(e) => setRoiMl(Number(e.target.value))}
            disabled={locked}
            data-testid="read-letb-roi-ml"
          >
            {letbRoiVolumesMl.map((ml) => (
              <option key={ml} value={ml}>
                {ml.toFixed(1)} cm³
              </option>
            ))}
          </select>
        </label>
        <label className="small">
          <select
            value={shape}
            onChange={(e) => setShape(e.target.value as RoiShape)}
            disabled={locked}
            data-testid="read-letb-roi-shape"
          >
            <option value="sphere">sphere</option>
            <option value="cube">cube</option>
          </select>
        </label>
      </div>
      <figure className="view read-view">
        <div className="view-canvas" ref={el} data-testid="read-letb-view">
          <RoiCircles view={view.current} rois={rois} radiusMm={roiRadiusMm(roiMl, shape)} active={roi} />
        </div>
        <figcaption>
          <span className="mono" data-testid="read-letb-readout">
            {shown
              ? `ROI ${roi}: mean ${shown.meanHu.toFixed(1)} ± ${shown.sdHu.toFixed(1)} HU · T ${shown.thresholdHu.toFixed(1)} HU · LETB ${shown.letbPercent.toFixed(2)} %`
              : `ROI ${roi} not placed`}
            {shown && (shown.flags.leavesLiver || shown.flags.leavesImage)
              ? ` · ⚠ ${shown.flags.leavesImage ? 'outside the image' : `${Math.round(shown.flags.liverFraction * 100)} % in the liver`}`
              : ''}
          </span>
          <span className="mono" data-testid="read-letb-cursor">
            {cursor
              ? `${cursor.value === undefined ? 'outside' : `S ${cursor.value} HU`} · LPS ${cursor.lps.map((x) => x.toFixed(1)).join(', ')}`
              : ''}
          </span>
          <span className="mono" data-testid="read-letb-slice">
            slice {slice.index + 1} / {slice.count}
          </span>
        </figcaption>
      </figure>
      {liveError && <p className="error small">{liveError}</p>}
      <p className="hint small" data-testid="read-letb-facts">
        Liver {lv.liverMl.toFixed(1)} cm³ ({lv.maskSource})
        {lv.resampledPrecontrast ? '; precontrast resampled onto the arterial grid' : ''}. Green: liver outline; orange:
        liver above the threshold of ROI {roi}.
      </p>
    </div>
  );
}
