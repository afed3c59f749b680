import type { Vec3 } from '../../../core/imaging/coordinates';
import { cubeEdgeMm, sphereRadiusMm, type RoiShape } from '../../../core/letb/roi';
import type { SliceView } from '../../viewers/sliceView/createSliceView';

/** The in-plane half size (mm) drawn for an ROI: a sphere's radius, half a cube's edge. */
export const roiRadiusMm = (volumeMl: number, shape: RoiShape) =>
  shape === 'sphere' ? sphereRadiusMm(volumeMl) : cubeEdgeMm(volumeMl) / 2;

/**
 * LETB ROIs over a slice view: each ROI's cross-section with the shown slice as a circle with its
 * number (the active one highlighted, the one being dragged dashed); ROIs off the slice are not drawn.
 */
export function RoiCircles({
  view,
  rois,
  radiusMm,
  active,
}: {
  view: SliceView | undefined;
  rois: { no: number; centre: Vec3; live: boolean }[];
  radiusMm: number;
  active: number;
}) {
  if (!view) return null;
  const mm = view.mmPerPixel();
  return (
    <svg className="roi-overlay" aria-hidden="true">
      {rois.map(({ no, centre, live }) => {
        const { x, y, distanceMm } = view.project(centre);
        if (distanceMm > radiusMm) return null;
        // The sphere's cross-section on this slice.
        const r = Math.sqrt(radiusMm * radiusMm - distanceMm * distanceMm) / mm;
        return (
          <g
            key={`${no}-${live}`}
            className={`roi ${no === active ? 'roi-active' : ''} ${live ? 'roi-live' : ''}`}
            data-testid="roi-circle"
          >
            <circle cx={x} cy={y} r={Math.max(r, 2)} />
            <text x={x + r + 3} y={y - r}>
              {no}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
