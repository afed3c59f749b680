import { describe, expect, it } from 'vitest';
import type { ParsedDicom } from '../../../core/dicom/parseDicom';
import { readSliceHeader } from '../../../core/dicom/sliceHeader';
import { T } from '../../../core/dicom/tags';
import { parseShared } from '../../fixtures/dicom/sharedData';

function without(parsed: ParsedDicom, t: number): ParsedDicom {
  const elements = new Map(parsed.dataset.elements);
  elements.delete(t);
  return { ...parsed, dataset: { ...parsed.dataset, elements } };
}

describe('readSliceHeader', () => {
  it('reads a classic CT slice (values from dcmdump of ct-3slice/01.dcm)', () => {
    expect(readSliceHeader(parseShared('dcmqi/segmentations/ct-3slice/01.dcm'))).toMatchObject({
      instanceNumber: 1,
      rows: 512,
      columns: 512,
      sliceThicknessMm: 1.25,
      spacingBetweenSlicesMm: undefined,
      frames: [
        {
          positionMm: [-235.199997, -226.800003, -126.690002],
          rowCosines: [1, 0, 0],
          columnCosines: [0, 1, 0],
          pixelSpacingMm: [0.810547, 0.810547],
          rescaleSlope: 1,
          rescaleIntercept: -1024,
        },
      ],
    });
  });

  it('reads per-frame positions and shared groups of an enhanced CT (dcmdump of eCT_Supplemental.dcm)', () => {
    // Per-frame Plane Position: frame 1 z = −159, frame 2 z = −149; shared Plane Orientation
    // −1\0\0\0\1\0, Pixel Measures 0.388672 mm and thickness 10 mm, Pixel Value Transformation 1 / −1024.
    const header = readSliceHeader(parseShared('pydicom-data/eCT_Supplemental.dcm'));
    expect(header.sliceThicknessMm).toBe(10);
    expect(header.frames).toEqual([
      {
        positionMm: [99.5, -301.5, -159],
        rowCosines: [-1, 0, 0],
        columnCosines: [0, 1, 0],
        pixelSpacingMm: [0.388672, 0.388672],
        rescaleSlope: 1,
        rescaleIntercept: -1024,
      },
      {
        positionMm: [99.5, -301.5, -149],
        rowCosines: [-1, 0, 0],
        columnCosines: [0, 1, 0],
        pixelSpacingMm: [0.388672, 0.388672],
        rescaleSlope: 1,
        rescaleIntercept: -1024,
      },
    ]);
  });

  it('defaults the rescale to 1 / 0 when absent (MR_small has none)', () => {
    expect(readSliceHeader(parseShared('pydicom-test-files/MR_small.dcm')).frames[0]).toMatchObject({
      rescaleSlope: 1,
      rescaleIntercept: 0,
    });
  });

  it('names a missing attribute', () => {
    const mr = parseShared('pydicom-test-files/MR_small.dcm');
    expect(() => readSliceHeader(without(mr, T.ImagePositionPatient))).toThrow(
      expect.objectContaining({ kind: 'missing-attribute', message: 'Image Position (Patient) is missing.' }),
    );
    expect(() => readSliceHeader(without(mr, T.PixelSpacing))).toThrow(/Pixel Spacing is missing/);
  });

  it('refuses a multi-frame object without per-frame positions', () => {
    // rtdose.dcm: 15 frames, no functional groups
    expect(() => readSliceHeader(parseShared('pydicom-test-files/rtdose.dcm'))).toThrow(
      expect.objectContaining({
        kind: 'missing-attribute',
        message: 'A 15-frame object without Per-Frame Functional Groups gives no position per frame.',
      }),
    );
  });
});
