import { decodeCoreFrame, decodedPixelInfo, decodesInCore } from '../../../core/dicom/decodeCoreFrame';
import { decodeJpegLosslessFrame } from '../../../core/dicom/decodeJpegLosslessFrame';
import { decodeNativeFrame } from '../../../core/dicom/decodeNativeFrame';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { readJpeg2000Codestream } from '../../../core/dicom/jpeg2000Codestream';
import { readJpegCodestream } from '../../../core/dicom/jpegCodestream';
import { DicomParseError, type ParsedDicom } from '../../../core/dicom/parseDicom';
import { createPixelArray, type PixelArray } from '../../../core/dicom/pixelArray';
import { getEncodedFrames, getPixelInfo, type EncodedFrame, type PixelInfo } from '../../../core/dicom/pixelData';
import { TS } from '../../../core/dicom/transferSyntax';
import { AppException } from '../../../core/ipc/result';
import { CodecError, decodeJpeg2000, decodeJpegBaseline, decodeJpegLs, type CodecOutput } from './codecs';

/** Decodes one encapsulated frame whose structure has been checked against `info`. */
type Codec = (encoded: Uint8Array, info: PixelInfo) => CodecOutput | Promise<CodecOutput>;

const codecs: Readonly<Record<string, Codec>> = {
  [TS.JPEGBaseline8Bit]: decodeEightBitJpeg,
  [TS.JPEGExtended12Bit]: decodeEightBitJpeg,
  [TS.JPEGLossless]: decodeLosslessJpeg,
  [TS.JPEGLosslessSV1]: decodeLosslessJpeg,
  [TS.JPEGLSLossless]: decodeJpegLsChecked,
  [TS.JPEGLSNearLossless]: decodeJpegLsChecked,
  [TS.JPEG2000Lossless]: decodeJpeg2000Checked,
  [TS.JPEG2000]: decodeJpeg2000Checked,
};

/**
 * Decodes every frame of a fully parsed image object: native, Encapsulated Uncompressed, RLE
 * Lossless, Deflated Image Frame Compression and JPEG lossless process 14 incl. SV1 in core/,
 * JPEG baseline/extended 8-bit (libjpeg-turbo), JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG)
 * through `./codecs`. Before a codec sees a frame, its codestream structure is checked
 * (`readJpegCodestream`, `readJpeg2000Codestream`: complete, one image, dimensions and
 * components as the header says); after, the decoded size. Codec samples are read as cells of
 * the codestream's width, with Bits Stored raised to the codestream precision when that is
 * larger (some writers understate it) and Pixel Representation from the data set, so a 13-bit
 * unsigned J2K stream in a Pixel Representation 1 object is sign-extended as pydicom's J2K
 * correction does.
 * Every failure is an AppException('DICOM') whose message names the frame ("Frame 2 of 3
 * (JPEG 2000 Lossless): …"); whatever a decoder throws (its own errors, RangeError, TypeError,
 * WebAssembly traps, bare numbers from C++) is reported that way, never as an internal error.
 * @returns `info` as decoded (see `decodedPixelInfo`) and one pixel-interleaved array per frame
 * @throws AppException('DICOM') for an unsupported transfer syntax or precision, pixel data that
 *   does not match its description, or a codec failure
 */
export async function decodeFrames(parsed: ParsedDicom): Promise<{ info: PixelInfo; frames: PixelArray[] }> {
  const { uid, name } = parsed.transferSyntax;
  let info: PixelInfo;
  let encoded: EncodedFrame[];
  try {
    info = getPixelInfo(parsed);
    if (!decodesInCore(uid) && !codecs[uid]) {
      throw new AppException(
        'DICOM',
        `Transfer syntax ${name} (${uid}) is not supported: convert the series to an uncompressed or JPEG 2000 transfer syntax (e.g. with dcmtk or gdcmconv) and import it again.`,
      );
    }
    encoded = getEncodedFrames(parsed, info);
  } catch (err) {
    // Header-level problems speak for themselves; only an unexpected failure gets a prefix.
    if (err instanceof AppException || err instanceof DicomDataError) throw asDicomException(err, undefined);
    throw asDicomException(err, `Pixel data (${name})`);
  }
  const codec = codecs[uid];
  const frames: PixelArray[] = [];
  for (const [index, frame] of encoded.entries()) {
    const where = `Frame ${index + 1} of ${encoded.length} (${name})`;
    try {
      if (frame.bytes.length === 0) throw new DicomDataError('malformed-pixel-data', 'the frame holds no data.');
      frames.push(codec ? fromCodecOutput(await codec(frame.bytes, info), info) : decodeCoreFrame(frame, info, uid));
    } catch (err) {
      throw asDicomException(err, where);
    }
  }
  return { info: decodedPixelInfo(info, uid), frames };
}

/**
 * Any failure as AppException('DICOM') prefixed with where it happened. AppException and the
 * DICOM errors of core/ keep their message; anything else was thrown by a decoder on input it
 * could not handle (a RangeError from a typed array, a trap in WebAssembly, a bare number
 * from C++) and is named by its class and message.
 */
function asDicomException(err: unknown, where: string | undefined): AppException {
  if (err instanceof AppException && (err.code !== 'DICOM' || where === undefined)) return err;
  const known =
    err instanceof AppException ||
    err instanceof DicomDataError ||
    err instanceof DicomParseError ||
    err instanceof CodecError;
  const detail = known ? (err as Error).message : describeFailure(err);
  return new AppException('DICOM', where === undefined ? detail : `${where}: ${detail}`, { cause: err });
}

function describeFailure(err: unknown): string {
  if (err instanceof Error) return `the decoder failed (${err.name === 'Error' ? '' : `${err.name}: `}${err.message}).`;
  return `the decoder failed (${typeof err === 'number' ? `code ${err}` : String(err)}).`;
}

/** The frame header must describe the image the DICOM header does (PS3.5 §8.2.1). */
function checkDimensions(
  kind: string,
  found: { columns: number; rows: number; components: number },
  info: PixelInfo,
): void {
  if (found.columns !== info.columns || found.rows !== info.rows || found.components !== info.samplesPerPixel) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `the ${kind} declares ${found.columns} x ${found.rows} x ${found.components} component(s) but the header says Columns ${info.columns}, Rows ${info.rows}, Samples per Pixel ${info.samplesPerPixel}.`,
    );
  }
}

function checkPrecision(kind: string, precision: number, info: PixelInfo): void {
  const cellBits = info.bitsAllocated === 1 ? 8 : info.bitsAllocated;
  if (precision > cellBits) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `the ${kind} has ${precision}-bit samples, more than Bits Allocated ${info.bitsAllocated} can hold.`,
    );
  }
}

/** libjpeg-turbo-8bit cannot read 12-bit (process 4) streams: say so instead of a codec crash. */
function decodeEightBitJpeg(encoded: Uint8Array, info: PixelInfo): Promise<CodecOutput> {
  const cs = readJpegCodestream(encoded);
  if (cs.precision > 8) {
    throw new AppException(
      'DICOM',
      `JPEG with ${cs.precision}-bit precision (JPEG Extended, process 4) is not supported: convert the series to an uncompressed or lossless transfer syntax and import it again.`,
    );
  }
  if (!(cs.sofMarker >= 0xc0 && cs.sofMarker <= 0xc2)) {
    throw new DicomDataError(
      'unsupported',
      `JPEG frame header SOF${cs.sofMarker - 0xc0} is not a baseline, extended or progressive Huffman process.`,
    );
  }
  checkDimensions(
    'JPEG frame header (SOF)',
    { columns: cs.columns, rows: cs.rows, components: cs.components.length },
    info,
  );
  // An 8-bit stream cannot hold the samples of a header that stores more bits (a 12-bit series
  // whose SOF was rewritten to 8 decodes to other values without a word).
  if (info.bitsStored > 8) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `JPEG frame header (SOF) says ${cs.precision}-bit samples, but the header stores ${info.bitsStored} bits (Bits Stored): the codestream does not hold these images.`,
    );
  }
  return decodeJpegBaseline(encoded);
}

function decodeLosslessJpeg(encoded: Uint8Array, info: PixelInfo): CodecOutput {
  const cs = readJpegCodestream(encoded);
  checkDimensions(
    'JPEG frame header (SOF)',
    { columns: cs.columns, rows: cs.rows, components: cs.components.length },
    info,
  );
  checkPrecision('JPEG lossless stream', cs.precision, info);
  // Fewer bits than the header stores: the first sample's predictor (2^(P-1)) and every value
  // depend on P, so such a stream decodes to other values than were written (a rewritten SOF).
  if (cs.precision < info.bitsStored) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `JPEG frame header (SOF) says ${cs.precision}-bit samples, but the header stores ${info.bitsStored} bits (Bits Stored): the codestream does not hold these images.`,
    );
  }
  const out = decodeJpegLosslessFrame(encoded);
  return {
    width: out.columns,
    height: out.rows,
    components: out.components,
    bitsPerSample: out.precision,
    bytesPerSample: out.samples.BYTES_PER_ELEMENT as 1 | 2,
    signed: false,
    planar: false,
    data: new Uint8Array(out.samples.buffer, out.samples.byteOffset, out.samples.byteLength),
  };
}

function decodeJpegLsChecked(encoded: Uint8Array, info: PixelInfo): Promise<CodecOutput> {
  const cs = readJpegCodestream(encoded);
  if (cs.sofMarker !== 0xf7)
    throw new DicomDataError(
      'malformed-pixel-data',
      `the JPEG-LS frame header is SOF${cs.sofMarker - 0xc0}, not SOF55.`,
    );
  checkDimensions(
    'JPEG-LS frame header (SOF55)',
    { columns: cs.columns, rows: cs.rows, components: cs.components.length },
    info,
  );
  checkPrecision('JPEG-LS stream', cs.precision, info);
  return decodeJpegLs(encoded);
}

function decodeJpeg2000Checked(encoded: Uint8Array, info: PixelInfo): Promise<CodecOutput> {
  const cs = readJpeg2000Codestream(encoded);
  checkDimensions('JPEG 2000 SIZ marker', cs, info);
  if (cs.subsampled) throw new DicomDataError('unsupported', 'JPEG 2000 with subsampled components is not supported.');
  checkPrecision('JPEG 2000 codestream', Math.max(...cs.precision), info);
  return decodeJpeg2000(encoded);
}

function fromCodecOutput(output: CodecOutput, info: PixelInfo): PixelArray {
  if (output.width !== info.columns || output.height !== info.rows || output.components !== info.samplesPerPixel) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `it decodes to ${output.width} x ${output.height} x ${output.components} but the header says ${info.columns} x ${info.rows} x ${info.samplesPerPixel}.`,
    );
  }
  const expected = output.width * output.height * output.components * output.bytesPerSample;
  if (output.data.length !== expected) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `the codec returned ${output.data.length} bytes for ${output.width} x ${output.height} x ${output.components} samples of ${output.bytesPerSample} byte(s) (${expected}).`,
    );
  }
  const cellBits = output.bytesPerSample * 8;
  const bitsStored = Math.min(cellBits, Math.max(info.bitsStored, output.bitsPerSample));
  const cells = decodeNativeFrame(
    output.data,
    {
      ...info,
      bitsAllocated: cellBits,
      bitsStored,
      highBit: bitsStored - 1,
      planarConfiguration: output.planar ? 1 : 0,
      floatingPoint: false,
    },
    { littleEndian: true },
  );
  // Cells narrower than Bits Allocated (8-bit streams in 16-bit or 1-bit images) are widened or narrowed by value.
  const target = createPixelArray(info, cells.length);
  if (target.constructor === cells.constructor) return cells;
  target.set(cells);
  return target;
}

/**
 * Whether pixel data of a transfer syntax can be decoded here (in core/ or by a codec); the import marks
 * others not loadable.
 */
export function decodesTransferSyntax(uid: string): boolean {
  return decodesInCore(uid) || Object.hasOwn(codecs, uid);
}
