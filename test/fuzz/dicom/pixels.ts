import { j2kEncode } from '../codecs/j2kEncode';
import { jpegLosslessEncode } from '../codecs/jpegLosslessEncode';
import { rleEncodeFrame } from '../codecs/rleEncode';
import { concat, encodeElement, Tags, TransferSyntaxes, valueOf, type DicomDoc } from './dicomDoc';

/** What a mutation needs to know of an image's pixels. */
export interface ImagePixels {
  rows: number;
  columns: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  frames: number;
  signed: boolean;
  /** Native pixel data as stored (undefined when encapsulated or absent). */
  native: Uint8Array | undefined;
}

export function imagePixels(doc: DicomDoc): ImagePixels | undefined {
  const pixel = doc.find(Tags.PixelData);
  const rows = doc.us(Tags.Rows);
  const columns = doc.us(Tags.Columns);
  const bitsAllocated = doc.us(Tags.BitsAllocated);
  if (!pixel || !rows || !columns || !bitsAllocated) return undefined;
  const frames = Number(doc.string(Tags.NumberOfFrames) ?? '1');
  return {
    rows,
    columns,
    bitsAllocated,
    samplesPerPixel: doc.us(Tags.SamplesPerPixel) ?? 1,
    frames: Number.isInteger(frames) && frames > 0 ? frames : 1,
    signed: doc.us(Tags.PixelRepresentation) === 1,
    native: doc.encapsulated ? undefined : valueOf(pixel),
  };
}

/** A single-frame, one-sample, 16-bit native explicit VR little-endian image: what the codecs here re-encode. */
export function isPlain16BitSlice(doc: DicomDoc): boolean {
  const p = imagePixels(doc);
  return (
    !!p &&
    !!p.native &&
    p.bitsAllocated === 16 &&
    p.samplesPerPixel === 1 &&
    p.frames === 1 &&
    doc.encoding.explicit &&
    doc.encoding.littleEndian &&
    !doc.deflated &&
    p.native.length >= p.rows * p.columns * 2
  );
}

/** Encapsulated Pixel Data (PS3.5 §A.4): the Basic Offset Table item, the fragments, the delimiter. */
export function encapsulatedPixelData(
  fragments: readonly Uint8Array[],
  offsetTable: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const item = (value: Uint8Array) => {
    const even = value.length % 2 === 0 ? value : concat([value, new Uint8Array(1)]);
    const header = new Uint8Array(8);
    const view = new DataView(header.buffer);
    view.setUint16(0, 0xfffe, true);
    view.setUint16(2, 0xe000, true);
    view.setUint32(4, even.length, true);
    return concat([header, even]);
  };
  const delimiter = new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const items = concat([item(offsetTable), ...fragments.map(item), delimiter]);
  return concat([
    encodeElement(Tags.PixelData, 'OB', new Uint8Array(0), { explicit: true, littleEndian: true }, 0xffffffff),
    items,
  ]);
}

export type SliceCodec = 'rle' | 'jpegLossless' | 'j2k';

/** The codestream of a plain 16-bit slice in `codec`. */
export async function encodeSlice(doc: DicomDoc, codec: SliceCodec): Promise<Uint8Array> {
  const p = imagePixels(doc)!;
  const samples = p.native!.slice(0, p.rows * p.columns * 2);
  if (codec === 'rle') return rleEncodeFrame(samples, p.rows * p.columns, 2);
  if (codec === 'jpegLossless')
    return jpegLosslessEncode(
      new Uint16Array(samples.buffer, samples.byteOffset, p.rows * p.columns),
      p.rows,
      p.columns,
    );
  return j2kEncode(samples, p.rows, p.columns, p.signed);
}

const codecSyntax: Record<SliceCodec, string> = {
  rle: TransferSyntaxes.rle,
  jpegLossless: TransferSyntaxes.jpegLosslessSV1,
  j2k: TransferSyntaxes.j2kLossless,
};

/** A copy of a plain 16-bit slice with its pixels compressed losslessly (one fragment). */
export async function compressSlice(
  doc: DicomDoc,
  codec: SliceCodec,
): Promise<{ doc: DicomDoc; codestream: Uint8Array }> {
  const codestream = await encodeSlice(doc, codec);
  const out = doc.clone();
  out.setString(Tags.TransferSyntaxUID, 'UI', codecSyntax[codec]);
  out.setRaw(Tags.PixelData, encapsulatedPixelData([codestream]));
  return { doc: out, codestream };
}

/**
 * The same data set in another uncompressed encoding. Values are converted by VR (binary
 * numbers byte-swapped for big endian); sequences are not, so only flat data sets qualify.
 * @returns undefined when the data set holds a sequence
 */
export function reencodeNative(doc: DicomDoc, target: 'implicitLE' | 'explicitBE'): DicomDoc | undefined {
  if (doc.deflated || !doc.encoding.explicit || !doc.encoding.littleEndian || doc.encapsulated) return undefined;
  if (doc.dataset.some((e) => e.vr === 'SQ' || e.length === 0xffffffff)) return undefined;
  const enc =
    target === 'implicitLE' ? { explicit: false, littleEndian: true } : { explicit: true, littleEndian: false };
  const out = doc.clone();
  out.encoding = enc;
  out.dataset = doc.dataset.map((e) => {
    const vr = e.vr!;
    const value = valueOf(e).slice();
    if (!enc.littleEndian)
      swapInPlace(
        value,
        vr === 'OB' || vr === 'UN'
          ? 1
          : ((
              {
                US: 2,
                SS: 2,
                OW: 2,
                AT: 2,
                UL: 4,
                SL: 4,
                FL: 4,
                OF: 4,
                OL: 4,
                FD: 8,
                OD: 8,
                SV: 8,
                UV: 8,
                OV: 8,
              } as Record<string, number>
            )[vr] ?? 1),
      );
    const raw = encodeElement(e.tag, vr, value, enc);
    return {
      tag: e.tag,
      vr: enc.explicit ? vr : undefined,
      raw,
      headerLength: enc.explicit ? raw.length - value.length : 8,
      length: value.length,
    };
  });
  out.setString(
    Tags.TransferSyntaxUID,
    'UI',
    target === 'implicitLE' ? TransferSyntaxes.implicitLE : TransferSyntaxes.explicitBE,
  );
  return out;
}

function swapInPlace(b: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= b.length; i += size) b.subarray(i, i + size).reverse();
}
