import { describe, expect, it } from 'vitest';
import { buildVolume } from '../../../core/dicom/buildVolume';
import { seriesGrid } from '../../../core/dicom/seriesGrid';
import type { IndexedImage } from '../../../core/dicom/seriesProblems';

const axial = [1, 0, 0, 0, 1, 0];
const image = (positionsMm: number[][]): IndexedImage => ({
  filePath: `/x/z${positionsMm[0]![2]}.dcm`,
  rows: 2,
  columns: 3,
  bitsAllocated: 16,
  orientation: axial,
  pixelSpacingMm: [0.5, 0.7],
  positionsMm,
  frames: positionsMm.length,
  problems: [],
});
const at = (z: number) => [-10, 20, z];

/** The volume buildVolume makes of the same positions (2 × 3 pixels of 0). */
function volumeSpacing(zs: number[]): number[] {
  const instances = zs.map((z) => ({
    header: {
      sopInstanceUid: undefined,
      instanceNumber: undefined,
      rows: 2,
      columns: 3,
      sliceThicknessMm: 5,
      spacingBetweenSlicesMm: undefined,
      frames: [
        {
          positionMm: at(z) as [number, number, number],
          rowCosines: [1, 0, 0] as [number, number, number],
          columnCosines: [0, 1, 0] as [number, number, number],
          pixelSpacingMm: [0.5, 0.7] as [number, number],
          rescaleSlope: 1,
          rescaleIntercept: 0,
        },
      ],
    },
    frames: [new Int16Array(6)],
    source: `z${z}.dcm`,
  }));
  return buildVolume(instances, 'x').volume.spacingMm;
}

describe('seriesGrid', () => {
  it('shows the spacing the loaded volume takes, also for non-uniform gaps (the mean, not the median)', () => {
    // gaps 1, 1, 1.3: the median gap is 1 mm, the mean (and the volume's) 1.1 mm
    const zs = [3.3, 0, 2, 1];
    const grid = seriesGrid(zs.map((z) => image([at(z)])));
    expect(grid).toEqual({ dims: [3, 2, 4], spacingMm: volumeSpacing(zs) });
    expect(grid!.spacingMm![2]).toBeCloseTo(1.1, 12);
  });

  it('stacks the frames of a multi-frame image by their own positions', () => {
    expect(seriesGrid([image([at(5), at(0), at(2.5)])])).toEqual({ dims: [3, 2, 3], spacingMm: [0.7, 0.5, 2.5] });
  });

  it('gives no spacing for one slice, slices that are no regular stack, or a SEG', () => {
    expect(seriesGrid([image([at(0)])])!.spacingMm).toBeNull();
    expect(seriesGrid([0, 1, 1, 2].map((z) => image([at(z)])))!.spacingMm).toBeNull(); // duplicate
    expect(seriesGrid([0, 1, 2, 4, 5].map((z) => image([at(z)])))!.spacingMm).toBeNull(); // missing slices
    expect(
      seriesGrid(
        [0, 1, 2].map((z) => image([at(z)])),
        { stack: false },
      )!.spacingMm,
    ).toBeNull();
    expect(seriesGrid([{ ...image([at(0)]), rows: null }])).toBeNull();
  });
});
