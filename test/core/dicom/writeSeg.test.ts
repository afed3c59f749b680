import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom, readU16, type DicomDataset } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getBytes, getItems, getNumber, getNumbers, getString } from '../../../core/dicom/values';
import { segmentationStorageSopClassUid, writeSeg, type WriteSegInput } from '../../../core/dicom/writeSeg';
import { writerSegFixture } from '../../fixtures/demo/writerFixtureInputs';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'demo');

/** Unpacks BitsAllocated = 1 frames: bit b of the stream = byte b >> 3, bit b & 7 (PS3.5 §8.1.1). */
function unpackFrames(ds: DicomDataset): number[][][] {
  const rows = getNumber(ds, T.Rows)!;
  const cols = getNumber(ds, T.Columns)!;
  const frames = getNumber(ds, T.NumberOfFrames)!;
  const bits = getBytes(ds, T.PixelData)!;
  return Array.from({ length: frames }, (_, f) =>
    Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => {
        const b = f * rows * cols + r * cols + c;
        return (bits[b >> 3]! >> (b & 7)) & 1;
      }),
    ),
  );
}

const item = (ds: DicomDataset, ...path: number[]): DicomDataset => path.reduce((d, t) => getItems(d, t)[0]!, ds);

describe('writeSeg: Segmentation IOD essentials', () => {
  const input = writerSegFixture();
  const parsed = parseDicom(writeSeg(input));
  const ds = parsed.dataset;

  it('is a BINARY Segmentation of the source frame of reference and study', () => {
    expect(getString(parsed.meta, T.MediaStorageSOPClassUID)).toBe(segmentationStorageSopClassUid);
    expect(getString(ds, T.SOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(getString(ds, T.Modality)).toBe('SEG');
    expect(getString(ds, T.SegmentationType)).toBe('BINARY');
    expect(getString(ds, T.FrameOfReferenceUID)).toBe(input.source.frameOfReferenceUid);
    expect(getString(ds, T.StudyInstanceUID)).toBe(input.patientStudy.studyInstanceUid);
    expect(getString(ds, T.PatientName)).toBe('Müller^Jürgen');
    expect(getString(ds, T.SpecificCharacterSet)).toBe('ISO_IR 192');
    expect([T.BitsAllocated, T.BitsStored, T.HighBit, T.PixelRepresentation].map((t) => getNumber(ds, t))).toEqual([
      1, 1, 0, 0,
    ]);
    expect(ds.elements.get(T.PixelData)!.vr).toBe('OB');
  });

  it('describes segment 1 with the SNOMED liver codes', () => {
    const segment = item(ds, T.SegmentSequence);
    expect(getNumber(segment, T.SegmentNumber)).toBe(1);
    expect(getString(segment, T.SegmentLabel)).toBe('Liver');
    expect(getString(segment, T.SegmentAlgorithmType)).toBe('SEMIAUTOMATIC');
    const category = item(segment, T.SegmentedPropertyCategoryCodeSequence);
    const type = item(segment, T.SegmentedPropertyTypeCodeSequence);
    expect([T.CodeValue, T.CodingSchemeDesignator, T.CodeMeaning].map((t) => getString(category, t))).toEqual([
      '123037004',
      'SCT',
      'Anatomical Structure',
    ]);
    expect([T.CodeValue, T.CodingSchemeDesignator, T.CodeMeaning].map((t) => getString(type, t))).toEqual([
      '10200004',
      'SCT',
      'Liver',
    ]);
  });

  it('shares pixel measures and orientation', () => {
    const shared = item(ds, T.SharedFunctionalGroupsSequence);
    const measures = item(shared, T.PixelMeasuresSequence);
    // PixelSpacing = row spacing (along j, 0.9) \ column spacing (along i, 0.8).
    expect(getNumbers(measures, T.PixelSpacing)).toEqual([0.9, 0.8]);
    expect(getNumber(measures, T.SliceThickness)).toBe(2.5);
    expect(getNumbers(item(shared, T.PlaneOrientationSequence), T.ImageOrientationPatient)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('has one frame per non-empty slice, each with position, segment, dimension index and source image', () => {
    // The fixture's slice k = 1 is empty: frames are k = 0 and k = 2.
    expect(getNumber(ds, T.NumberOfFrames)).toBe(2);
    const frames = getItems(ds, T.PerFrameFunctionalGroupsSequence);
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => getNumbers(item(f, T.PlanePositionSequence), T.ImagePositionPatient))).toEqual([
      [-100.4, -50.25, -300],
      [-100.4, -50.25, -295],
    ]);
    expect(frames.map((f) => getNumbers(item(f, T.FrameContentSequence), T.DimensionIndexValues))).toEqual([
      [1, 1],
      [1, 3],
    ]);
    expect(frames.map((f) => getNumber(item(f, T.SegmentIdentificationSequence), T.ReferencedSegmentNumber))).toEqual([
      1, 1,
    ]);
    expect(
      frames.map((f) =>
        getString(item(f, T.DerivationImageSequence, T.SourceImageSequence), T.ReferencedSOPInstanceUID),
      ),
    ).toEqual(['2.25.2010', '2.25.2012']);
  });

  it('points its dimensions at the segment number and ImagePositionPatient', () => {
    const pointers = getItems(ds, T.DimensionIndexSequence).map((d) => {
      const b = getBytes(d, T.DimensionIndexPointer)!;
      return ((readU16(b, 0, true) << 16) | readU16(b, 2, true)) >>> 0;
    });
    expect(pointers).toEqual([T.ReferencedSegmentNumber, T.ImagePositionPatient]);
  });

  it('references every source image of the source series', () => {
    const series = item(ds, T.ReferencedSeriesSequence);
    expect(getString(series, T.SeriesInstanceUID)).toBe('2.25.2002');
    expect(getItems(series, T.ReferencedInstanceSequence).map((i) => getString(i, T.ReferencedSOPInstanceUID))).toEqual(
      ['2.25.2010', '2.25.2011', '2.25.2012'],
    );
  });

  it('packs the frames bit by bit, the second frame starting mid-byte (20 bits per frame)', () => {
    const [nx, ny] = input.mask.dims;
    const expected = [0, 2].map((k) =>
      Array.from({ length: ny }, (_, j) =>
        Array.from({ length: nx }, (_, i) => input.mask.voxels[i + nx * j + nx * ny * k]!),
      ),
    );
    expect(unpackFrames(ds)).toEqual(expected);
    expect(getBytes(ds, T.PixelData)!.length).toBe(6); // 40 bits → 5 bytes, padded to even length
  });

  it.each([
    [
      'an empty mask',
      (i: WriteSegInput) => ({ ...i, mask: { ...i.mask, voxels: new Uint8Array(i.mask.voxels.length) } }),
    ],
    [
      'a source UID count that differs from the slices',
      (i: WriteSegInput) => ({ ...i, source: { ...i.source, sopInstanceUidsByK: ['2.25.1'] } }),
    ],
    ['voxels that do not match dims', (i: WriteSegInput) => ({ ...i, mask: { ...i.mask, voxels: new Uint8Array(3) } })],
  ])('rejects %s', (_name, change) => {
    expect(() => writeSeg(change(writerSegFixture()))).toThrow(RangeError);
  });
});

/**
 * Independent readers: test/fixtures/demo/writer-seg.dcm was written from writerSegFixture() by
 * makeWriterFixtures.ts and read by dcmtk's dcmdump 3.6.7 (writer-seg.dcmdump.txt: exit 0, no
 * stderr) and pydicom 2.3.1 with numpy (written-dicom.pydicom.json), whose pixel_array unpacks
 * the 1-bit frames independently of us. The demo study's SEGs were checked the same way once
 * (dcmdump exit 0; pydicom pixel_array of the 'small' pre SEG: 64 frames, 128 × 128, summing to
 * the NIfTI mask's voxel count), see test/core/demo/demoStudy.test.ts.
 */
describe('writeSeg vs dcmdump and pydicom (committed fixture)', () => {
  const committed = new Uint8Array(readFileSync(join(fixtures, 'writer-seg.dcm')));
  const py = JSON.parse(readFileSync(join(fixtures, 'written-dicom.pydicom.json'), 'utf8')).seg;
  const dump = readFileSync(join(fixtures, 'writer-seg.dcmdump.txt'), 'utf8');

  it('still writes the committed bytes (else re-run the fixture scripts)', () => {
    expect(Buffer.from(writeSeg(writerSegFixture())).equals(Buffer.from(committed))).toBe(true);
  });

  it('dcmdump read it without errors', () => {
    expect(py.dcmdump).toMatchObject({ exitCode: 0, stderr: '' });
    expect(dump).toContain('(0002,0002) UI =SegmentationStorage');
    expect(dump).toContain('(0062,0001) CS [BINARY]');
    expect(dump).toContain('(0028,0008) IS [2]');
    expect(dump).not.toMatch(/error|warning/i);
  });

  it('pydicom unpacks the same frames and reads the same structure', () => {
    const ds = parseDicom(committed).dataset;
    expect(unpackFrames(ds)).toEqual(py.pixelArray);
    expect(py).toMatchObject({
      sopClassUid: segmentationStorageSopClassUid,
      modality: 'SEG',
      patientName: 'Müller^Jürgen',
      segmentationType: 'BINARY',
      numberOfFrames: 2,
      bitsAllocated: 1,
      segment: {
        number: 1,
        label: 'Liver',
        category: ['123037004', 'SCT', 'Anatomical Structure'],
        type: ['10200004', 'SCT', 'Liver'],
      },
      pixelSpacing: [0.9, 0.8],
      sliceThickness: 2.5,
      referencedInstanceUids: ['2.25.2010', '2.25.2011', '2.25.2012'],
      dimensionIndexPointers: [T.ReferencedSegmentNumber, T.ImagePositionPatient],
    });
    const frames = getItems(ds, T.PerFrameFunctionalGroupsSequence);
    expect(frames.map((f) => getNumbers(item(f, T.PlanePositionSequence), T.ImagePositionPatient))).toEqual(
      py.frames.map((f: { imagePositionPatient: number[] }) => f.imagePositionPatient),
    );
  });
});
