import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom, readU16, readU32 } from '../../../core/dicom/parseDicom';
import { tag, T } from '../../../core/dicom/tags';
import { TS } from '../../../core/dicom/transferSyntax';
import { getBytes, getItems, getNumber, getNumbers, getString, getStrings } from '../../../core/dicom/values';
import {
  concordImplementationClassUid,
  encodeDataset,
  formatDecimalString,
  writeDicomFile,
  type DicomElementInput,
} from '../../../core/dicom/writeDicom';
import { writerCtFixture } from '../../fixtures/demo/writerFixtureInputs';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'demo');
const sop: DicomElementInput[] = [
  { tag: T.SOPClassUID, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
  { tag: T.SOPInstanceUID, vr: 'UI', value: '2.25.42' },
];

describe('writeDicomFile: Part 10 structure', () => {
  const bytes = writeDicomFile([...sop, { tag: T.Modality, vr: 'CS', value: 'OT' }]);

  it('starts with a zero preamble and DICM', () => {
    expect([...bytes.subarray(0, 128)].every((b) => b === 0)).toBe(true);
    expect(String.fromCharCode(...bytes.subarray(128, 132))).toBe('DICM');
  });

  it('writes (0002,0000) as the byte count of the rest of the meta group', () => {
    const parsed = parseDicom(bytes);
    const groupLength = getNumber(parsed.meta, T.FileMetaInformationGroupLength)!;
    // The data set begins right after the group: 132 + 12 (the group length element) + groupLength.
    expect(readU16(bytes, 132 + 12 + groupLength, true)).toBe(0x0008);
    expect(parsed.meta.elements.size).toBe(7);
  });

  it('fills the meta group from the data set and the writer defaults', () => {
    const { meta, transferSyntax, hasPreamble } = parseDicom(bytes);
    expect(hasPreamble).toBe(true);
    expect(transferSyntax.uid).toBe(TS.ExplicitVRLittleEndian);
    expect(getString(meta, T.MediaStorageSOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.7');
    expect(getString(meta, T.MediaStorageSOPInstanceUID)).toBe('2.25.42');
    expect(getString(meta, T.ImplementationClassUID)).toBe(concordImplementationClassUid);
    expect(getString(meta, T.ImplementationVersionName)).toBe('CONCORD_1');
    expect([...getBytes(meta, T.FileMetaInformationVersion)!]).toEqual([0, 1]);
  });
});

describe('writeDicomFile: values round-trip through parseDicom', () => {
  const elements: DicomElementInput[] = [
    ...sop,
    { tag: T.PatientName, vr: 'PN', value: 'DOE^JOHN' },
    { tag: T.ImageType, vr: 'CS', value: ['DERIVED', 'SECONDARY'] },
    { tag: T.StudyInstanceUID, vr: 'UI', value: '1.2.3' },
    { tag: T.PatientID, vr: 'LO', value: '' },
    { tag: T.ImagePositionPatient, vr: 'DS', value: [-191.625, 0.1 + 0.2, 1e-7] },
    { tag: T.InstanceNumber, vr: 'IS', value: -12 },
    { tag: T.Rows, vr: 'US', value: 512 },
    { tag: T.RecommendedDisplayCIELabValue, vr: 'US', value: [0, 65535, 7] },
    { tag: tag(0x0018, 0x9219), vr: 'SS', value: -32768 },
    { tag: T.DimensionIndexValues, vr: 'UL', value: [4294967295, 0] },
    { tag: tag(0x0018, 0x6020), vr: 'SL', value: -2147483648 },
    { tag: tag(0x0018, 0x0013), vr: 'FL', value: 0.5 },
    { tag: tag(0x0018, 0x11b7), vr: 'FD', value: Math.PI },
    { tag: T.DimensionIndexPointer, vr: 'AT', value: T.ImagePositionPatient },
    { tag: tag(0x0028, 0x2000), vr: 'OB', value: new Uint8Array([9, 8, 7]) },
    { tag: T.PixelData, vr: 'OW', value: new Int16Array([-1, 0, 1, 32767, -32768]) },
    {
      tag: T.SegmentSequence,
      vr: 'SQ',
      value: [
        [
          { tag: T.SegmentNumber, vr: 'US', value: 2 },
          {
            tag: T.SegmentedPropertyTypeCodeSequence,
            vr: 'SQ',
            value: [[{ tag: T.CodeValue, vr: 'SH', value: '10200004' }]],
          },
        ],
        [],
      ],
    },
    { tag: T.ReferencedSeriesSequence, vr: 'SQ', value: [] },
  ];
  const ds = parseDicom(writeDicomFile(elements)).dataset;

  it.each([
    [T.PatientName, 'DOE^JOHN'],
    [T.StudyInstanceUID, '1.2.3'],
    [T.PatientID, ''],
  ])('text %s', (t, expected) => {
    expect(getString(ds, t)).toBe(expected);
  });

  it('multi-valued text and decimal strings (0.1 + 0.2 is written "0.3")', () => {
    expect(getStrings(ds, T.ImageType)).toEqual(['DERIVED', 'SECONDARY']);
    expect(getStrings(ds, T.ImagePositionPatient)).toEqual(['-191.625', '0.3', '1e-7']);
    expect(getNumber(ds, T.InstanceNumber)).toBe(-12);
  });

  it('binary numbers at their extremes', () => {
    expect(getNumber(ds, T.Rows)).toBe(512);
    expect(getNumbers(ds, T.RecommendedDisplayCIELabValue)).toEqual([0, 65535, 7]);
    expect(getNumbers(ds, tag(0x0018, 0x9219))).toEqual([-32768]);
    expect(getNumbers(ds, T.DimensionIndexValues)).toEqual([4294967295, 0]);
    expect(getNumbers(ds, tag(0x0018, 0x6020))).toEqual([-2147483648]);
    expect(getNumbers(ds, tag(0x0018, 0x0013))).toEqual([0.5]);
    expect(getNumbers(ds, tag(0x0018, 0x11b7))).toEqual([Math.PI]);
  });

  it('AT as group, element words', () => {
    const b = getBytes(ds, T.DimensionIndexPointer)!;
    expect([readU16(b, 0, true), readU16(b, 2, true)]).toEqual([0x0020, 0x0032]);
  });

  it('OB padded with one NUL to even length, OW as little-endian words', () => {
    expect([...getBytes(ds, tag(0x0028, 0x2000))!]).toEqual([9, 8, 7, 0]);
    const ow = getBytes(ds, T.PixelData)!;
    expect(Array.from({ length: 5 }, (_, n) => (readU16(ow, 2 * n, true) << 16) >> 16)).toEqual([
      -1, 0, 1, 32767, -32768,
    ]);
  });

  it('sequences with nested sequences, empty items and no items', () => {
    const items = getItems(ds, T.SegmentSequence);
    expect(items).toHaveLength(2);
    expect(getNumber(items[0]!, T.SegmentNumber)).toBe(2);
    expect(getString(getItems(items[0]!, T.SegmentedPropertyTypeCodeSequence)[0]!, T.CodeValue)).toBe('10200004');
    expect(items[1]!.elements.size).toBe(0);
    expect(getItems(ds, T.ReferencedSeriesSequence)).toEqual([]);
    expect(ds.elements.get(T.ReferencedSeriesSequence)!.length).toBe(0);
  });

  it('sorts elements by tag whatever the input order', () => {
    const tags = [...ds.elements.keys()];
    expect(tags).toEqual([...tags].sort((a, b) => a - b));
  });
});

describe('encodeDataset: padding (PS3.5 §6.2)', () => {
  it.each([
    [
      'UI pads with NUL',
      { tag: T.SOPInstanceUID, vr: 'UI', value: '1.23' } as DicomElementInput,
      [0x31, 0x2e, 0x32, 0x33],
    ],
    [
      'UI odd length gets a NUL',
      { tag: T.SOPInstanceUID, vr: 'UI', value: '1.2' } as DicomElementInput,
      [0x31, 0x2e, 0x32, 0x00],
    ],
    [
      'text odd length gets a space',
      { tag: T.Modality, vr: 'CS', value: 'SEG' } as DicomElementInput,
      [0x53, 0x45, 0x47, 0x20],
    ],
    ['UTF-8 text', { tag: T.PatientName, vr: 'PN', value: 'Ø' } as DicomElementInput, [0xc3, 0x98]],
  ])('%s', (_name, element, value) => {
    const bytes = encodeDataset([element]);
    // Short-form explicit VR header: tag (4), VR (2), 16-bit length (2).
    expect(readU16(bytes, 6, true)).toBe(value.length);
    expect([...bytes.subarray(8)]).toEqual(value);
  });

  it('uses the 32-bit length form for OB, OW, SQ, UT', () => {
    const bytes = encodeDataset([{ tag: tag(0x0028, 0x2000), vr: 'OB', value: new Uint8Array(4) }]);
    expect(String.fromCharCode(bytes[4]!, bytes[5]!)).toBe('OB');
    expect(readU16(bytes, 6, true)).toBe(0);
    expect(readU32(bytes, 8, true)).toBe(4);
    expect(bytes.length).toBe(16);
  });
});

describe('formatDecimalString (DS ≤ 16 characters)', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [2.5, '2.5'],
    [-191.625, '-191.625'],
    [0.1 + 0.2, '0.3'],
    [1 / 3, '0.33333333333333'],
    [-1 / 3, '-0.3333333333333'],
    [123456789.12345679, '123456789.123457'],
    [1e-7, '1e-7'],
    [6.02214076e23, '6.02214076e+23'],
  ])('%s → %s', (x, expected) => {
    const s = formatDecimalString(x);
    expect(s).toBe(expected);
    expect(s.length).toBeLessThanOrEqual(16);
  });

  it('rejects NaN and infinities', () => {
    expect(() => formatDecimalString(Number.NaN)).toThrow(RangeError);
    expect(() => formatDecimalString(Infinity)).toThrow(RangeError);
  });
});

describe('writeDicomFile: programmer errors', () => {
  it.each([
    ['no SOP UIDs', [{ tag: T.Modality, vr: 'CS', value: 'CT' }] as DicomElementInput[]],
    [
      'a duplicate tag',
      [
        ...sop,
        { tag: T.Modality, vr: 'CS', value: 'CT' },
        { tag: T.Modality, vr: 'CS', value: 'MR' },
      ] as DicomElementInput[],
    ],
    [
      'a file meta element in the data set',
      [...sop, { tag: T.TransferSyntaxUID, vr: 'UI', value: '1.2' }] as DicomElementInput[],
    ],
    [
      'an over-long SH',
      [...sop, { tag: T.AccessionNumber, vr: 'SH', value: '12345678901234567' }] as DicomElementInput[],
    ],
    ['an invalid UID', [...sop, { tag: T.StudyInstanceUID, vr: 'UI', value: '1.02.3' }] as DicomElementInput[]],
    [
      'a backslash inside one value',
      [...sop, { tag: T.StudyDescription, vr: 'LO', value: 'A\\B' }] as DicomElementInput[],
    ],
    ['US out of range', [...sop, { tag: T.Rows, vr: 'US', value: 65536 }] as DicomElementInput[]],
    ['a non-integer IS', [...sop, { tag: T.InstanceNumber, vr: 'IS', value: 1.5 }] as DicomElementInput[]],
  ])('rejects %s with RangeError', (_name, elements) => {
    expect(() => writeDicomFile(elements)).toThrow(RangeError);
  });

  it('writes Explicit VR Little Endian only', () => {
    expect(() => writeDicomFile(sop, { transferSyntaxUid: TS.ImplicitVRLittleEndian })).toThrow(RangeError);
  });
});

/**
 * Independent readers: test/fixtures/demo/writer-ct.dcm was written from writerCtFixture() by
 * makeWriterFixtures.ts, then read by dcmtk's dcmdump 3.6.7 (writer-ct.dcmdump.txt, exit 0, no
 * stderr) and pydicom 2.3.1 (written-dicom.pydicom.json) through check_written_dicom.py.
 */
describe('writeDicomFile vs dcmdump and pydicom (committed fixture)', () => {
  const committed = new Uint8Array(readFileSync(join(fixtures, 'writer-ct.dcm')));
  const py = JSON.parse(readFileSync(join(fixtures, 'written-dicom.pydicom.json'), 'utf8')).ct;
  const dump = readFileSync(join(fixtures, 'writer-ct.dcmdump.txt'), 'utf8');

  it('still writes the committed bytes (else re-run the fixture scripts)', () => {
    expect(Buffer.from(writeDicomFile(writerCtFixture())).equals(Buffer.from(committed))).toBe(true);
  });

  it('dcmdump read it without errors', () => {
    expect(py.dcmdump).toMatchObject({ exitCode: 0, stderr: '' });
    expect(dump).toContain('(0002,0000) UL 164');
    expect(dump).toContain('(0018,0088) DS [0.33333333333333]');
    expect(dump).toContain('(0028,0009) AT (0018,1063)\\(0020,1041)');
    expect(dump).toContain('(0018,0010) LO [IOMEPROL 350]');
    expect(dump).not.toMatch(/error|warning/i);
  });

  it('agrees with what pydicom read', () => {
    const parsed = parseDicom(committed);
    const ds = parsed.dataset;
    expect(getNumber(parsed.meta, T.FileMetaInformationGroupLength)).toBe(py.meta.groupLength);
    expect(getString(parsed.meta, T.ImplementationClassUID)).toBe(py.meta.implementationClassUid);
    expect([...ds.elements.keys()].map((t) => t.toString(16).padStart(8, '0'))).toEqual(py.tagsInOrder);
    expect(getString(ds, T.PatientName)).toBe(py.patientName);
    expect(getString(ds, T.ContrastBolusAgent)).toBe(py.contrastBolusAgent);
    expect(getString(ds, T.AcquisitionTime)).toBe(py.acquisitionTime);
    expect(getNumbers(ds, T.ImagePositionPatient)).toEqual(py.imagePositionPatient);
    expect(getNumbers(ds, T.PixelSpacing)).toEqual(py.pixelSpacing);
    expect(getNumbers(ds, tag(0x0018, 0x9219))).toEqual([py.ss]);
    expect(getNumbers(ds, tag(0x0018, 0x6020))).toEqual([py.sl]);
    expect(getNumbers(ds, tag(0x0018, 0x0013))).toEqual([py.fl]);
    expect(getNumbers(ds, tag(0x0018, 0x11b7))).toEqual([py.fd]);
    expect(getNumbers(ds, tag(0x0008, 0x1161))).toEqual(py.ul);
    expect(Buffer.from(getBytes(ds, tag(0x0028, 0x2000))!).toString('hex')).toBe(py.ob);
    const at = getBytes(ds, tag(0x0028, 0x0009))!;
    expect([0, 4].map((o) => ((readU16(at, o, true) << 16) | readU16(at, o + 2, true)) >>> 0)).toEqual(py.at);
    const items = getItems(ds, T.SourceImageSequence);
    expect(items).toHaveLength(py.sourceImageItems);
    expect(getString(getItems(items[0]!, T.PurposeOfReferenceCodeSequence)[0]!, T.CodeMeaning)).toBe(
      py.nestedCodeMeaning,
    );
    const pixels = getBytes(ds, T.PixelData)!;
    const rows = getNumber(ds, T.Rows)!;
    const cols = getNumber(ds, T.Columns)!;
    const hu = Array.from({ length: rows }, (_, r) =>
      Array.from(
        { length: cols },
        (_, c) => ((readU16(pixels, 2 * (r * cols + c), true) << 16) >> 16) + getNumber(ds, T.RescaleIntercept)!,
      ),
    );
    expect(hu).toEqual(py.huArray);
  });
});
