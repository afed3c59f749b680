import { DicomDataError } from './dicomDataError';
import { fragmentsToFrames } from './fragmentsToFrames';
import { checkImageSize } from './imageSizeLimits';
import type { DicomDataset, DicomElement, Fragment, ParsedDicom } from './parseDicom';
import type { PixelFormat } from './pixelArray';
import { T } from './tags';
import { getNumber, getString } from './values';

/** The Image Pixel module (PS3.3 §C.7.6.3) of one object, with defaults filled in. */
export interface PixelInfo extends PixelFormat {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  photometricInterpretation: string;
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
  floatingPoint: boolean;
}

/** The encoded bytes of one frame, as stored: native cells, or the frame's fragments joined. */
export interface EncodedFrame {
  bytes: Uint8Array;
  /** For native Bits Allocated 1: the bit of bytes[0] holding the frame's first pixel. */
  bitOffset: number;
  /** Byte order of native 16/32-bit cells (false only for Explicit VR Big Endian). */
  littleEndian: boolean;
}

/**
 * Reads the Image Pixel module. Defaults for absent optional attributes: Samples per Pixel 1,
 * Bits Stored = Bits Allocated, High Bit = Bits Stored − 1, Pixel Representation 0,
 * Photometric Interpretation MONOCHROME2, Planar Configuration 0, Number of Frames 1.
 * Float Pixel Data (7FE0,0008) gives `floatingPoint` and 32 bits.
 * Reference: PS3.3 §C.7.6.3, PS3.5 §8.1.1.
 * @throws DicomDataError('missing-attribute') without Rows, Columns, Bits Allocated or any pixel data
 * @throws DicomDataError('invalid-attribute') for values out of range (e.g. Bits Stored > Bits Allocated),
 *   and for sizes over the limits of `checkImageSize` (16,384 pixels a side, 2 GiB decoded)
 * @throws DicomDataError('unsupported') for Double Float Pixel Data or Bits Allocated not in {1, 8, 16, 32}
 */
export function getPixelInfo(parsed: ParsedDicom): PixelInfo {
  const ds = parsed.dataset;
  const floatingPoint = ds.elements.has(T.FloatPixelData);
  if (ds.elements.has(T.DoubleFloatPixelData))
    throw new DicomDataError('unsupported', 'Double Float Pixel Data is not supported.');
  if (!floatingPoint && !ds.elements.has(T.PixelData))
    throw new DicomDataError('missing-attribute', 'The object has no Pixel Data.');

  const rows = required(ds, T.Rows, 'Rows');
  const columns = required(ds, T.Columns, 'Columns');
  const bitsAllocated = floatingPoint ? 32 : required(ds, T.BitsAllocated, 'Bits Allocated');
  const bitsStored = floatingPoint ? 32 : (getNumber(ds, T.BitsStored) ?? bitsAllocated);
  const highBit = floatingPoint ? 31 : (getNumber(ds, T.HighBit) ?? bitsStored - 1);
  const samplesPerPixel = getNumber(ds, T.SamplesPerPixel) ?? 1;
  const pixelRepresentation = getNumber(ds, T.PixelRepresentation) ?? 0;
  const planarConfiguration = getNumber(ds, T.PlanarConfiguration) ?? 0;
  const numberOfFrames = getNumber(ds, T.NumberOfFrames) ?? 1;
  const photometricInterpretation = getString(ds, T.PhotometricInterpretation) || 'MONOCHROME2';

  if (![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new DicomDataError('unsupported', `Bits Allocated ${bitsAllocated} is not supported (only 1, 8, 16 and 32).`);
  }
  const invalid = (what: string) => new DicomDataError('invalid-attribute', what);
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated)
    throw invalid(`Bits Stored ${bitsStored} does not fit Bits Allocated ${bitsAllocated}.`);
  if (!Number.isInteger(highBit) || highBit < bitsStored - 1 || highBit >= bitsAllocated)
    throw invalid(`High Bit ${highBit} does not fit Bits Stored ${bitsStored} and Bits Allocated ${bitsAllocated}.`);
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1)
    throw invalid(`Pixel Representation ${pixelRepresentation} is not 0 or 1.`);
  if (planarConfiguration !== 0 && planarConfiguration !== 1)
    throw invalid(`Planar Configuration ${planarConfiguration} is not 0 or 1.`);
  if (!Number.isInteger(samplesPerPixel) || samplesPerPixel < 1 || samplesPerPixel > 4)
    throw invalid(`Samples per Pixel ${samplesPerPixel} is out of range.`);
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1)
    throw invalid(`Number of Frames ${numberOfFrames} is not a positive integer.`);
  if (bitsAllocated === 1 && samplesPerPixel !== 1) throw invalid('Bits Allocated 1 requires one sample per pixel.');
  checkImageSize({ rows, columns, samplesPerPixel, bitsAllocated, numberOfFrames });

  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    photometricInterpretation,
    planarConfiguration,
    numberOfFrames,
    floatingPoint,
  };
}

/**
 * The encoded bytes of every frame. Native data: frame f occupies bits
 * f·F … (f+1)·F − 1 of the value, F = rows·columns·samples·bitsAllocated (PS3.5 §8.1.1), so
 * 1-bit frames may start mid-byte (`bitOffset`). In Explicit VR Big Endian, 8- and 1-bit cells in
 * an OW value are stored as byte-swapped 16-bit words (PS3.5 §7.3 / Annex A.3) and are swapped
 * back here. Chroma-subsampled native data (YBR_FULL_422, YBR_PARTIAL_420…) is refused.
 * Encapsulated data: fragments grouped by `fragmentsToFrames` and joined.
 * The returned bytes are views into the data set where possible, copies otherwise.
 * @throws RangeError when `parsed` came from a header-only parse (untilPixelData)
 * @throws DicomDataError('malformed-pixel-data') when native data is shorter than its frames
 *   or fragments cannot be matched to frames
 * @throws DicomDataError('unsupported') for chroma-subsampled native data
 */
export function getEncodedFrames(parsed: ParsedDicom, info: PixelInfo): EncodedFrame[] {
  if (parsed.stoppedAtPixelData)
    throw new RangeError('Pixel data was not read: parse the file without untilPixelData.');
  const ds = parsed.dataset;
  const element = ds.elements.get(info.floatingPoint ? T.FloatPixelData : T.PixelData)!;

  if (element.fragments) {
    const frames = fragmentsToFrames(ds.bytes, element.fragments, info.numberOfFrames, readExtendedOffsetTable(ds));
    return frames.map((list) => ({ bytes: joinFragments(ds.bytes, list), bitOffset: 0, littleEndian: true }));
  }

  if (/_42[02]$/.test(info.photometricInterpretation)) {
    throw new DicomDataError(
      'unsupported',
      `Uncompressed ${info.photometricInterpretation} (chroma-subsampled) pixel data is not supported.`,
    );
  }
  let value = ds.bytes.subarray(element.offset, element.offset + element.length);
  const littleEndian = ds.littleEndian;
  if (!littleEndian && info.bitsAllocated <= 8 && element.vr === 'OW') value = swapWords(value);
  const frameBits = info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated;
  const totalBits = frameBits * info.numberOfFrames;
  if (totalBits > value.length * 8) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `Pixel Data holds ${value.length} bytes but ${info.numberOfFrames} frame(s) of ${info.rows}x${info.columns}x${info.samplesPerPixel} at ${info.bitsAllocated} bits need ${Math.ceil(totalBits / 8)}.`,
    );
  }
  const frames: EncodedFrame[] = [];
  for (let f = 0; f < info.numberOfFrames; f++) {
    const startBit = f * frameBits;
    const start = Math.floor(startBit / 8);
    const end = Math.ceil((startBit + frameBits) / 8);
    frames.push({ bytes: value.subarray(start, end), bitOffset: startBit % 8, littleEndian });
  }
  return frames;
}

function required(ds: DicomDataset, t: number, name: string): number {
  const v = getNumber(ds, t);
  if (v === undefined) throw new DicomDataError('missing-attribute', `${name} is missing.`);
  if (!Number.isInteger(v) || v < 1)
    throw new DicomDataError('invalid-attribute', `${name} ${v} is not a positive integer.`);
  return v;
}

function readExtendedOffsetTable(ds: DicomDataset): number[] | undefined {
  const el: DicomElement | undefined = ds.elements.get(T.ExtendedOffsetTable);
  if (!el || el.length === 0) return undefined;
  const view = new DataView(ds.bytes.buffer, ds.bytes.byteOffset + el.offset, el.length);
  const offsets: number[] = [];
  for (let i = 0; i + 8 <= el.length; i += 8) offsets.push(Number(view.getBigUint64(i, true)));
  return offsets;
}

function joinFragments(bytes: Uint8Array, list: readonly Fragment[]): Uint8Array {
  if (list.length === 1) return bytes.subarray(list[0]!.offset, list[0]!.offset + list[0]!.length);
  const out = new Uint8Array(list.reduce((n, f) => n + f.length, 0));
  let pos = 0;
  for (const f of list) {
    out.set(bytes.subarray(f.offset, f.offset + f.length), pos);
    pos += f.length;
  }
  return out;
}

function swapWords(value: Uint8Array): Uint8Array {
  const out = new Uint8Array(value.length);
  for (let i = 0; i + 1 < value.length; i += 2) {
    out[i] = value[i + 1]!;
    out[i + 1] = value[i]!;
  }
  if (value.length % 2 === 1) out[value.length - 1] = value[value.length - 1]!;
  return out;
}
