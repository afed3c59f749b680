import { useEffect, useRef, useState } from 'react';
import type { CaseVolume } from '../../../core/ipc/contract';
import { axisAlongDirection, lpsToIjk, type Vec3 } from '../../../core/imaging/coordinates';
import type { Volume } from '../../../core/imaging/volume';
import { caliperLengthMm } from '../../../core/recist/caliper';
import { toVtkImageData } from '../../viewers/vtk/toVtkImageData';
import { createSliceView, type CursorInfo, type SliceView } from '../../viewers/sliceView/createSliceView';

export interface DrawnCaliper {
  key: string;
  label: string;
  aLps: Vec3;
  bLps: Vec3;
  active: boolean;
}

interface Props {
  volume: CaseVolume;
  calipers: DrawnCaliper[];
  windowHu: { width: number; level: number };
  /** Slice to show a point on (e.g. a stored caliper); changes of the object move the view. */
  focus: { lps: Vec3 } | undefined;
  /** The caliper is off when the read is locked. */
  enabled: boolean;
  onCaliper(aLps: Vec3, bLps: Vec3): void;
}

/**
 * The axial view of one series of a case with the caliper tool: press, drag across the lesion,
 * release; the end points are LPS millimetres on the current slice (RECIST measures axially).
 * Stored calipers of this timepoint are drawn when they lie on the shown slice.
 */
export function CaseImageView({ volume, calipers, windowHu, focus, enabled, onCaliper }: Props) {
  const el = useRef<HTMLDivElement | null>(null);
  const view = useRef<SliceView | undefined>(undefined);
  const [draft, setDraft] = useState<{ a: Vec3; b: Vec3 } | undefined>();
  const [slice, setSlice] = useState({ index: 0, count: 0 });
  const [cursor, setCursor] = useState<CursorInfo | undefined>();
  const [, setTick] = useState(0);
  const live = useRef({ enabled, onCaliper });
  live.current = { enabled, onCaliper };
  const draftRef = useRef<{ a: Vec3; b: Vec3 } | undefined>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const grid: Volume = {
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      originMm: volume.originMm,
      direction: volume.direction,
      voxels: volume.voxels,
    };
    const image = toVtkImageData(grid);
    const v = createSliceView(el.current, grid, image, 'axial', {
      onCursor: setCursor,
      onSlice: (_o, index, count) => setSlice({ index, count }),
      onWindowDrag: () => undefined,
      onToolDown: (lps) => {
        if (!live.current.enabled) return false;
        draftRef.current = { a: lps, b: lps };
        setDraft(draftRef.current);
        return true;
      },
      onToolDrag: (lps) => {
        if (!draftRef.current) return;
        draftRef.current = { a: draftRef.current.a, b: lps };
        setDraft(draftRef.current);
      },
      onToolUp: (lps) => {
        const d = draftRef.current;
        draftRef.current = undefined;
        setDraft(undefined);
        if (d && caliperLengthMm(d.a, lps) >= 1) live.current.onCaliper(d.a, lps);
      },
      onViewChange: () => setTick((t) => t + 1),
    });
    view.current = v;
    setSlice({ index: v.getSlice(), count: v.sliceCount });
    const observer = new ResizeObserver(() => v.resize());
    observer.observe(el.current);
    const cancel = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && draftRef.current) {
        draftRef.current = undefined;
        setDraft(undefined);
      }
    };
    window.addEventListener('keydown', cancel);
    return () => {
      window.removeEventListener('keydown', cancel);
      observer.disconnect();
      v.dispose();
      image.delete();
      view.current = undefined;
    };
  }, [volume]);

  useEffect(() => view.current?.setWindow(windowHu.width, windowHu.level), [windowHu, volume]);

  useEffect(() => {
    const v = view.current;
    if (!v || !focus) return;
    const axis = axisAlongDirection(volume.direction, [0, 0, 1]);
    const index = Math.round(lpsToIjk(volume, focus.lps)[axis]);
    if (index >= 0 && index < v.sliceCount) {
      v.setSlice(index);
      setSlice({ index, count: v.sliceCount });
    }
  }, [focus, volume]);

  const v = view.current;
  const halfSlice = volume.spacingMm[axisAlongDirection(volume.direction, [0, 0, 1])] / 2 + 0.01;
  const lines = [
    ...calipers.map((c) => ({ ...c, draft: false })),
    ...(draft
      ? [
          {
            key: 'draft',
            label: `${caliperLengthMm(draft.a, draft.b).toFixed(1)} mm`,
            aLps: draft.a,
            bLps: draft.b,
            active: true,
            draft: true,
          },
        ]
      : []),
  ];
  return (
    <figure className="view read-view">
      <div className="view-canvas" ref={el} data-testid="read-view" data-series={volume.seriesKey}>
        {v && (
          <svg className="roi-overlay" aria-hidden="true">
            {lines.map((c) => {
              const a = v.project(c.aLps);
              const b = v.project(c.bLps);
              if (!c.draft && (Math.abs(a.distanceMm) > halfSlice || Math.abs(b.distanceMm) > halfSlice)) return null;
              return (
                <g
                  key={c.key}
                  className={`caliper ${c.active ? 'caliper-active' : ''} ${c.draft ? 'caliper-draft' : ''}`}
                  data-testid={c.draft ? 'caliper-draft' : 'caliper'}
                >
                  <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                  <circle cx={a.x} cy={a.y} r={3} />
                  <circle cx={b.x} cy={b.y} r={3} />
                  <text x={Math.max(a.x, b.x) + 6} y={(a.y + b.y) / 2}>
                    {c.label}
                  </text>
                </g>
              );
            })}
          </svg>
        )}
      </div>
      <figcaption>
        <span className="mono" data-testid="read-cursor">
          {cursor
            ? `${cursor.value === undefined ? 'outside' : `${cursor.value} HU`} · LPS ${cursor.lps.map((x) => x.toFixed(1)).join(', ')}`
            : 'axial'}
        </span>
        <span className="mono" data-testid="read-slice">
          slice {slice.index + 1} / {slice.count}
        </span>
      </figcaption>
    </figure>
  );
}
