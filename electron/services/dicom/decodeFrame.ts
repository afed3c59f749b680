import { decodeCoreFrame, decodedPixelInfo, decodesInCore } from '../../../core/dicom/decodeCoreFrame';
import { decodeNativeFrame } from '../../../core/dicom/decodeNativeFrame';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import type { ParsedDicom } from '../../../core/dicom/parseDicom';
import { createPixelArray, type PixelArray } from '../../../core/dicom/pixelArray';
import { getEncodedFrames, getPixelInfo, type PixelInfo } from '../../../core/dicom/pixelData';
import { TS } from '../../../core/dicom/transferSyntax';
import { AppException } from '../../../core/ipc/result';
import { decodeJpeg2000, decodeJpegBaseline, decodeJpegLossless, decodeJpegLs, jpegPrecision, type CodecOutput } from './codecs';

type Codec = (encoded: Uint8Array) => CodecOutput | Promise<CodecOutput>;

const codecs: Readonly<Record<string, Codec>> = {
  [TS.JPEGBaseline8Bit]: decodeEightBitJpeg,
  [TS.JPEGExtended12Bit]: decodeEightBitJpeg,
  [TS.JPEGLossless]: decodeJpegLossless,
  [TS.JPEGLosslessSV1]: decodeJpegLossless,
  [TS.JPEGLSLossless]: decodeJpegLs,
  [TS.JPEGLSNearLossless]: decodeJpegLs,
  [TS.JPEG2000Lossless]: decodeJpeg2000,
  [TS.JPEG2000]: decodeJpeg2000,
};

/**
 * Decodes every frame of a fully parsed image object: native, Encapsulated Uncompressed, RLE
 * Lossless and Deflated Image Frame Compression in core/, JPEG baseline/extended 8-bit
 * (libjpeg-turbo), JPEG lossless process 14 incl. SV1 (jpeg-lossless-decoder-js), JPEG-LS
 * (CharLS) and JPEG 2000 (OpenJPEG) through `./codecs`. Codec samples are read as cells of the
 * codestream's width, with Bits Stored raised to the codestream precision when that is larger
 * (some writers understate it) and Pixel Representation from the data set, so a 13-bit unsigned
 * J2K stream in a Pixel Representation 1 object is sign-extended as pydicom's J2K correction does.
 * @returns `info` as decoded (see `decodedPixelInfo`) and one pixel-interleaved array per frame
 * @throws AppException('DICOM') for an unsupported transfer syntax or precision, pixel data that
 *   does not match its description, or a codec failure
 */
export async function decodeFrames(parsed: ParsedDicom): Promise<{ info: PixelInfo; frames: PixelArray[] }> {
  const { uid, name } = parsed.transferSyntax;
  try {
    const info = getPixelInfo(parsed);
    const codec = codecs[uid];
    if (!decodesInCore(uid) && !codec) {
      throw new AppException('DICOM', `Transfer syntax ${name} (${uid}) is not supported: convert the series to an uncompressed or JPEG 2000 transfer syntax (e.g. with dcmtk or gdcmconv) and import it again.`);
    }
    const encoded = getEncodedFrames(parsed, info);
    const frames: PixelArray[] = [];
    for (const [index, frame] of encoded.entries()) {
      if (!codec) {
        frames.push(decodeCoreFrame(frame, info, uid));
        continue;
      }
      let output: CodecOutput;
      try {
        output = await codec(frame.bytes);
      } catch (err) {
        if (err instanceof AppException) throw err;
        throw new AppException('DICOM', `Frame ${index + 1} could not be decoded as ${name}: ${err instanceof Error ? err.message : String(err)}.`, { cause: err });
      }
      frames.push(fromCodecOutput(output, info, index));
    }
    return { info: decodedPixelInfo(info, uid), frames };
  } catch (err) {
    if (err instanceof DicomDataError) throw new AppException('DICOM', err.message, { cause: err });
    throw err;
  }
}

/** libjpeg-turbo-8bit cannot read 12-bit (process 4) streams: say so instead of a codec crash. */
function decodeEightBitJpeg(encoded: Uint8Array): Promise<CodecOutput> {
  const precision = jpegPrecision(encoded);
  if (precision !== undefined && precision > 8) {
    throw new AppException('DICOM', `JPEG with ${precision}-bit precision (JPEG Extended, process 4) is not supported: convert the series to an uncompressed or lossless transfer syntax and import it again.`);
  }
  return decodeJpegBaseline(encoded);
}

function fromCodecOutput(output: CodecOutput, info: PixelInfo, index: number): PixelArray {
  if (output.width !== info.columns || output.height !== info.rows || output.components !== info.samplesPerPixel) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `Frame ${index + 1} decodes to ${output.width}x${output.height}x${output.components} but the header says ${info.columns}x${info.rows}x${info.samplesPerPixel}.`,
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
