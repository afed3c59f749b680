import { describe, expect, it } from 'vitest';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { liverSegmentCodes, writeSeg } from '../../../core/dicom/writeSeg';
import type { Grid } from '../../../core/imaging/grid';
import { maskOnGrid } from '../../../core/masks/maskOnGrid';
import { MaskReadError } from '../../../core/masks/maskReadError';
import { readSeg } from '../../../core/masks/readSeg';
import { readSegContents } from '../../../core/masks/segContents';
import {
  expectedSummary,
  maskReference,
  maskReferences,
  readShared,
  summarizeMask,
} from '../../fixtures/masks/maskFixtures';

const parse = (rel: string) => parseDicom(readShared(rel));
const ct3 = maskReferences.grids['ct-3slice']!;
const ct2 = maskReferences.grids['dicomdirtests-CT2-contiguous']!;
const small = maskReferences.grids['24x38x3']!;

function expectGrid(actual: Grid, expected: Grid): void {
  expect(actual.dims).toEqual(expected.dims);
  actual.spacingMm.forEach((v, i) => expect(v).toBeCloseTo(expected.spacingMm[i]!, 5));
  actual.originMm.forEach((v, i) => expect(v).toBeCloseTo(expected.originMm[i]!, 4));
  actual.direction.forEach((v, i) => expect(v).toBeCloseTo(expected.direction[i]!, 9));
}

describe('readSeg', () => {
  it('reads the dcmqi liver SEG onto the grid of ct-3slice (README: 36,233 / 35,645 / 35,220 voxels)', () => {
    const seg = readSeg(parse('dcmqi/segmentations/liver.dcm'));
    expect(seg.segmentationType).toBe('BINARY');
    expect(seg.referencedSeriesInstanceUid).toBe('1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1');
    expect(seg.masks).toHaveLength(1);
    const liver = seg.masks[0]!;
    expect(liver).toMatchObject({
      segmentNumber: 1,
      label: 'Liver',
      propertyType: 'Liver',
      propertyCategory: 'Tissue',
      algorithmType: 'SEMIAUTOMATIC',
      voxels: 107_098,
    });
    // The frames sit exactly on the three CT slices, so the SEG's own grid is the CT's (numpy, from the
    // pydicom headers).
    expectGrid(liver.mask, ct3);
    expect(summarizeMask(liver.mask.voxels, liver.mask.dims)).toEqual(
      expectedSummary(maskReference('dcmqi/segmentations/liver.dcm#1')),
    );
    expect(summarizeMask(liver.mask.voxels, liver.mask.dims).perSlice).toEqual([36_233, 35_645, 35_220]);
  });

  // pydicom-data: the same SEG in other encodings; core decoders only (JPEG 2000 needs the Node codecs).
  it.each([
    'pydicom-data/liver.dcm',
    'pydicom-data/liver_expb.dcm',
    'pydicom-data/liver_deflate.dcm',
    'pydicom-data/liver_rle.dcm',
    'pydicom-data/liver_nonbyte_aligned.dcm',
    'pydicom-data/liver_nonbyte_aligned_rle.dcm',
  ])('gives the same liver from %s', (rel) => {
    const { masks, grid } = readSeg(parse(rel));
    expect(summarizeMask(masks[0]!.mask.voxels, grid.dims).perSlice).toEqual([36_233, 35_645, 35_220]);
    if (grid.dims[0] === 512)
      expect(summarizeMask(masks[0]!.mask.voxels, grid.dims).sha256).toBe(
        maskReference('dcmqi/segmentations/liver.dcm#1').sha256,
      );
    else expect(grid.dims).toEqual([510, 510, 3]); // the non-byte-aligned files are cropped to 510 x 510
  });

  it('refuses JPEG 2000 frames without a codec, naming the transfer syntax', () => {
    const err = (() => {
      try {
        return readSeg(parse('pydicom-data/liver_j2k.dcm'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DicomDataError);
    expect(err).toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/JPEG 2000/) });
  });

  it('reads five overlapping segments whose frames interleave, each as pydicom places it', () => {
    const seg = readSeg(parse('dcmqi/segmentations/partial_overlaps.dcm'));
    expectGrid(seg.grid, ct3);
    expect(seg.masks.map((m) => [m.segmentNumber, m.label])).toEqual(
      Object.entries(maskReferences.partialOverlapsLabels).map(([n, label]) => [Number(n), label]),
    );
    for (const m of seg.masks) {
      expect(summarizeMask(m.mask.voxels, m.mask.dims)).toEqual(
        expectedSummary(maskReference(`dcmqi/segmentations/partial_overlaps.dcm#${m.segmentNumber}`)),
      );
    }
  });

  it('reads only the segments asked for, and names the ones there are when one is missing', () => {
    const seg = readSeg(parse('dcmqi/segmentations/partial_overlaps.dcm'), { segmentNumbers: [3] });
    expect(seg.masks.map((m) => m.segmentNumber)).toEqual([3]);
    expect(seg.segments).toHaveLength(5);
    expect(() => readSeg(parse('dcmqi/segmentations/partial_overlaps.dcm'), { segmentNumbers: [9] })).toThrow(
      expect.objectContaining({
        kind: 'no-such-segment',
        message: expect.stringContaining('1 "GREEN", 2 "ORANGE", 3 "PURPLE", 4 "LIGHT_BLUE", 5 "DARK_BLUE"'),
      }),
    );
  });

  it.each([
    ['highdicom/seg_image_ct_binary.dcm', 'BINARY'],
    ['highdicom/seg_image_ct_binary_fractional.dcm', 'FRACTIONAL'],
    ['highdicom/seg_image_ct_true_fractional.dcm', 'FRACTIONAL'],
  ])('reads %s (%s) onto the 3 contiguous slices of dicomdirtests CT2, as pydicom thresholds at 50 %%', (rel, type) => {
    const seg = readSeg(parse(rel));
    expect(seg.segmentationType).toBe(type);
    if (type === 'FRACTIONAL')
      expect(seg).toMatchObject({ fractionalType: 'PROBABILITY', maximumFractionalValue: 255 });
    // No Spacing Between Slices in these files: the 1.25 mm slice spacing comes from the positions.
    expectGrid(seg.grid, ct2);
    expect(summarizeMask(seg.masks[0]!.mask.voxels, seg.grid.dims)).toEqual(expectedSummary(maskReference(`${rel}#1`)));
  });

  it('applies another fractional threshold (pixels 0, 64, 128 of 255: 64 is in at 25 %)', () => {
    expect(maskReferences.trueFractionalValues).toEqual([0, 64, 128]);
    const seg = readSeg(parse('highdicom/seg_image_ct_true_fractional.dcm'), { fractionalThreshold: 0.25 });
    expect(summarizeMask(seg.masks[0]!.mask.voxels, seg.grid.dims)).toEqual(
      expectedSummary(maskReference('highdicom/seg_image_ct_true_fractional.dcm#1@0.25')),
    );
    expect(() => readSeg(parse('highdicom/seg_image_ct_true_fractional.dcm'), { fractionalThreshold: 0 })).toThrow(
      RangeError,
    );
  });

  it('stacks sparse frames by position: highdicom overlap SEG frames at z −99.48 and 103.02…105.52 mm', () => {
    const seg = readSeg(parse('highdicom/seg_image_ct_binary_overlap.dcm'));
    // (105.52 − (−99.48)) / 1.25 = 164 gaps: one grid of 165 slices, most of them empty.
    expect(seg.grid.dims).toEqual([16, 16, 165]);
    expect(seg.masks.map((m) => m.voxels)).toEqual([64, 16]); // pydicom: frames of 16 and 4 voxels, four each
    for (const m of seg.masks) {
      const placed = maskOnGrid(m.mask, ct2);
      expect(summarizeMask(placed.mask.voxels, ct2.dims)).toEqual(
        expectedSummary(maskReference(`highdicom/seg_image_ct_binary_overlap.dcm#${m.segmentNumber}`)),
      );
      expect(placed.voxelsOutside).toBe(m.segmentNumber === 1 ? 16 : 4); // the frame at −99.48 mm
    }
  });

  it.each(['dcmqi/segmentations/sparse-labelmap-noppv.dcm', 'dcmqi/segmentations/sparse-labelmap-ppv5.dcm'])(
    'reads the LABELMAP SEG %s (frames at k = 0 and 2, background left out)',
    (rel) => {
      const seg = readSeg(parse(rel));
      expect(seg.segmentationType).toBe('LABELMAP');
      expect(seg.segments.map((s) => [s.segmentNumber, s.label])).toEqual([[1, 'Liver']]);
      expectGrid(seg.grid, small);
      expect(summarizeMask(seg.masks[0]!.mask.voxels, seg.grid.dims)).toEqual(
        expectedSummary(maskReference(`${rel}#1`)),
      );
    },
  );

  it('puts sparse frames of a Concord-written SEG on their own slices, using the target spacing when given', () => {
    // Hand-made: an 8-slice grid, voxels on k = 2 and k = 5 only, so the SEG holds two frames 3 mm apart.
    const grid: Grid = {
      dims: [4, 3, 8],
      spacingMm: [0.5, 0.5, 1],
      originMm: [10, 20, -30],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    const voxels = new Uint8Array(4 * 3 * 8);
    voxels[2 * 12 + 1] = 1;
    voxels[5 * 12 + 11] = 1;
    const bytes = writeSeg({
      mask: { ...grid, voxels },
      segment: {
        label: 'Liver',
        algorithmType: 'MANUAL',
        category: liverSegmentCodes.category,
        type: liverSegmentCodes.type,
      },
      source: {
        seriesInstanceUid: '1.2.3',
        frameOfReferenceUid: '1.2.4',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
        sopInstanceUidsByK: Array.from({ length: 8 }, (_, k) => `1.2.5.${k}`),
      },
      patientStudy: {
        patientName: 'A',
        patientId: '1',
        patientBirthDate: '',
        patientSex: '',
        studyInstanceUid: '1.2.6',
        studyDate: '',
        studyTime: '',
        studyId: '',
        accessionNumber: '',
        referringPhysicianName: '',
      },
      seriesInstanceUid: '1.2.7',
      sopInstanceUid: '1.2.8',
      dimensionOrganizationUid: '1.2.9',
      seriesNumber: 1,
      seriesDescription: 'x',
      contentDate: '20240101',
      contentTime: '120000',
      contentLabel: 'LIVER',
      manufacturer: 'm',
      manufacturerModelName: 'm',
      deviceSerialNumber: '0',
      softwareVersions: '1',
    });
    const seg = readSeg(parseDicom(bytes), { targetGrid: grid });
    // Origin at the first frame (k = 2 of the source grid), one slice per millimetre.
    expect(seg.grid).toEqual({
      dims: [4, 3, 4],
      spacingMm: [0.5, 0.5, 1],
      originMm: [10, 20, -28],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    });
    const placed = maskOnGrid(seg.masks[0]!.mask, grid);
    expect(Array.from(placed.mask.voxels)).toEqual(Array.from(voxels));
  });

  describe('a SEG that disagrees with itself', () => {
    /** liver.dcm (native, 1 bit, 3 frames of 512 x 512) with one header value overwritten in place. */
    const patched = (tag: number, write: (view: DataView, offset: number) => void) => {
      const bytes = readShared('dcmqi/segmentations/liver.dcm').slice();
      const el = parseDicom(bytes).dataset.elements.get(tag)!;
      write(new DataView(bytes.buffer, bytes.byteOffset), el.offset);
      return parseDicom(bytes);
    };
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };

    it('refuses Rows that disagree with the Pixel Data length (the issue: it was accepted)', () => {
      // 511 x 512 x 3 one-bit pixels need 98,112 bytes; the file holds 98,304 (512 x 512 x 3 / 8).
      const seg = patched(T.Rows, (v, at) => v.setUint16(at, 511, true));
      expect(caught(() => readSeg(seg))).toMatchObject({
        name: 'MaskReadError',
        kind: 'malformed',
        message:
          "The SEG's Pixel Data holds 98304 bytes, but Rows × Columns × Number of Frames = 511 × 512 × 3 at 1 bit need 98112: its dimensions disagree with its data.",
      });
      expect(caught(() => readSeg(patched(T.Columns, (v, at) => v.setUint16(at, 1024, true))))).toMatchObject({
        kind: 'malformed',
        message: expect.stringMatching(/holds 98304 bytes, but .* 512 × 1024 × 3 at 1 bit need 196608/),
      });
    });

    it('refuses a Number of Frames that disagrees with the frame headers', () => {
      const seg = patched(T.NumberOfFrames, (v, at) => v.setUint8(at, '2'.charCodeAt(0)));
      expect(caught(() => readSeg(seg))).toMatchObject({
        name: 'DicomDataError',
        message: 'Per-Frame Functional Groups Sequence has 3 items for 2 frames.',
      });
    });

    it('refuses decoded frames of another count or size than the header says', () => {
      const seg = parse('dcmqi/segmentations/liver.dcm');
      const frame = new Uint8Array(512 * 512);
      expect(caught(() => readSeg(seg, { frames: [frame, frame] }))).toMatchObject({
        kind: 'malformed',
        message: "The SEG's pixel data decodes to 2 frames, but Number of Frames and the frame headers say 3.",
      });
      expect(caught(() => readSeg(seg, { frames: [frame, frame, frame.subarray(1)] }))).toMatchObject({
        kind: 'malformed',
        message: 'Frame 3 of the SEG decodes to 262143 pixels, but Rows × Columns = 512 × 512 = 262144.',
      });
    });

    it('refuses frames whose orientation is not orthonormal within 1e-3 (the DICOM reader allows 1e-2)', () => {
      const c = 0.005 / Math.hypot(0.005, 1);
      const grid: Grid = {
        dims: [4, 3, 2],
        spacingMm: [0.5, 0.5, 1],
        originMm: [10, 20, -30],
        direction: [1, 0, 0, c, Math.sqrt(1 - c * c), 0, 0, 0, 1],
      };
      const bytes = writeSeg({
        mask: { ...grid, voxels: new Uint8Array(24).fill(1) },
        segment: {
          label: 'Liver',
          algorithmType: 'MANUAL',
          category: liverSegmentCodes.category,
          type: liverSegmentCodes.type,
        },
        source: {
          seriesInstanceUid: '1.2.3',
          frameOfReferenceUid: '1.2.4',
          sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
          sopInstanceUidsByK: ['1.2.5.0', '1.2.5.1'],
        },
        patientStudy: {
          patientName: 'A',
          patientId: '1',
          patientBirthDate: '',
          patientSex: '',
          studyInstanceUid: '1.2.6',
          studyDate: '',
          studyTime: '',
          studyId: '',
          accessionNumber: '',
          referringPhysicianName: '',
        },
        seriesInstanceUid: '1.2.7',
        sopInstanceUid: '1.2.8',
        dimensionOrganizationUid: '1.2.9',
        seriesNumber: 1,
        seriesDescription: 'x',
        contentDate: '20240101',
        contentTime: '120000',
        contentLabel: 'LIVER',
        manufacturer: 'm',
        manufacturerModelName: 'm',
        deviceSerialNumber: '0',
        softwareVersions: '1',
      });
      expect(caught(() => readSeg(parseDicom(bytes)))).toMatchObject({
        kind: 'malformed',
        message: expect.stringMatching(
          /^The SEG's frame geometry \(Image Orientation, Pixel Spacing, positions\) cannot place the mask: its axes 1 and 2 are 89\.71° apart, not 90°/,
        ),
      });
    });

    it('refuses a SEG stacking to more voxels than allowed, before allocating them', () => {
      expect(
        caught(() => readSeg(parse('dcmqi/segmentations/liver.dcm'), { maxVoxels: 512 * 512 * 3 - 1 })),
      ).toMatchObject({
        kind: 'too-large',
        message: "The SEG's frames stack to 512x512x3 = 786432 voxels; masks of at most 786431 voxels are read.",
      });
    });
  });

  it('refuses an image that is not a segmentation', () => {
    expect(() => readSegContents(parse('dcmqi/segmentations/ct-3slice/01.dcm'))).toThrow(MaskReadError);
    expect(() => readSeg(parse('dcmqi/segmentations/ct-3slice/01.dcm'))).toThrow(
      expect.objectContaining({
        kind: 'not-a-mask',
        message: expect.stringMatching(/a CT object .* not a segmentation/),
      }),
    );
  });
});
