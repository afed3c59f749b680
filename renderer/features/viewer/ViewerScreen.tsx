import { useEffect, useRef, useState } from 'react';
import type { ReaderClient, VolumePayload } from '../../../core/ipc/contract';
import { windowPresets } from '../../../core/imaging/windowPresets';
import type { Volume } from '../../../core/imaging/volume';
import { errorMessage } from '../../api/messages';
import { phaseLabels } from '../browse/phaseLabels';
import { toVtkImageData } from '../../viewers/vtk/toVtkImageData';
import {
  createSliceView,
  type CursorInfo,
  type SliceView,
  type ViewOrientation,
} from '../../viewers/sliceView/createSliceView';

const orientations: ViewOrientation[] = ['axial', 'coronal', 'sagittal'];

/** Axial, coronal and sagittal views of one series, with window presets and a HU readout. */
export function ViewerScreen({
  client,
  seriesInstanceUid,
  onBack,
}: {
  client: ReaderClient;
  seriesInstanceUid: string;
  onBack: () => void;
}) {
  const [payload, setPayload] = useState<VolumePayload | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setPayload(undefined);
    void client.loadVolume({ seriesInstanceUid }).then((res) => {
      if (!live) return;
      if (res.ok) setPayload(res.value);
      else setError(errorMessage('Loading the series', res.error));
    });
    return () => {
      live = false;
    };
  }, [client, seriesInstanceUid]);

  return (
    <main className="viewer-screen">
      <div className="viewer-toolbar">
        <button type="button" className="secondary" onClick={onBack}>
          ← Series
        </button>
        {payload && (
          <span className="viewer-title" data-testid="viewer-title">
            {payload.description || '(no description)'} ·{' '}
            <span className={`phase phase-${payload.phase}`}>{phaseLabels[payload.phase]}</span> ·{' '}
            <span className="mono">
              {payload.dims.join('×')} · {payload.spacingMm.map((v) => v.toFixed(2)).join(' × ')} mm
            </span>
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="viewer-error">
          {error}
        </p>
      )}
      {!payload && !error && (
        <p className="hint" data-testid="viewer-loading">
          Loading volume…
        </p>
      )}
      {payload && <ThreeViews payload={payload} />}
    </main>
  );
}

function ThreeViews({ payload }: { payload: VolumePayload }) {
  const refs = useRef<Record<ViewOrientation, HTMLDivElement | null>>({ axial: null, coronal: null, sagittal: null });
  const views = useRef<SliceView[]>([]);
  const [windowHu, setWindowHu] = useState({ width: 400, level: 50 });
  const [cursor, setCursor] = useState<CursorInfo | undefined>();
  const [slices, setSlices] = useState<Record<ViewOrientation, { index: number; count: number }>>({
    axial: { index: 0, count: 0 },
    coronal: { index: 0, count: 0 },
    sagittal: { index: 0, count: 0 },
  });

  useEffect(() => {
    const volume: Volume = {
      dims: payload.dims,
      spacingMm: payload.spacingMm,
      originMm: payload.originMm,
      direction: payload.direction,
      voxels: payload.voxels,
    };
    const image = toVtkImageData(volume);
    const created: SliceView[] = [];
    for (const o of orientations) {
      const el = refs.current[o];
      if (!el) continue;
      created.push(
        createSliceView(el, volume, image, o, {
          onCursor: setCursor,
          onSlice: (orientation, index, count) => setSlices((s) => ({ ...s, [orientation]: { index, count } })),
          onWindowDrag: (dw, dl) => setWindowHu((w) => ({ width: Math.max(1, w.width + dw), level: w.level + dl })),
        }),
      );
    }
    views.current = created;
    const observer = new ResizeObserver(() => created.forEach((v) => v.resize()));
    Object.values(refs.current).forEach((el) => el && observer.observe(el));
    return () => {
      observer.disconnect();
      created.forEach((v) => v.dispose());
      image.delete();
      views.current = [];
    };
  }, [payload]);

  useEffect(() => {
    views.current.forEach((v) => v.setWindow(windowHu.width, windowHu.level));
  }, [windowHu, payload]);

  return (
    <>
      <div className="viewer-controls">
        <span className="muted">Window</span>
        {windowPresets.map((p) => (
          <button
            key={p.id}
            type="button"
            className={windowHu.width === p.widthHu && windowHu.level === p.levelHu ? '' : 'secondary'}
            onClick={() => setWindowHu({ width: p.widthHu, level: p.levelHu })}
            data-testid={`preset-${p.id}`}
          >
            {p.label}
          </button>
        ))}
        <span className="mono" data-testid="window-readout">
          W {Math.round(windowHu.width)} / L {Math.round(windowHu.level)}
        </span>
        <span className="mono readout" data-testid="cursor-readout">
          {cursor
            ? `${cursor.value === undefined ? 'outside' : `${cursor.value} HU`} · LPS ${cursor.lps.map((v) => v.toFixed(1)).join(', ')} mm · voxel ${cursor.ijk.join(', ')}`
            : 'Move over an image for HU and position'}
        </span>
      </div>
      {payload.warnings.length > 0 && (
        <ul className="warnings" data-testid="viewer-warnings">
          {payload.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="views">
        {orientations.map((o) => (
          <figure key={o} className="view">
            <div
              className="view-canvas"
              ref={(el) => {
                refs.current[o] = el;
              }}
              data-testid={`view-${o}`}
            />
            <figcaption>
              <span>{o}</span>
              <span className="mono" data-testid={`slice-${o}`}>
                {slices[o].index + 1} / {slices[o].count}
              </span>
            </figcaption>
          </figure>
        ))}
      </div>
      <p className="hint small">
        Wheel: scroll slices · drag: window/level · shift+drag or middle drag: pan · right drag or ctrl+wheel: zoom
      </p>
    </>
  );
}
