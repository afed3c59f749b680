import { decodeDeflatedFrame } from './decodeDeflatedFrame';
import { decodeNativeFrame } from './decodeNativeFrame';
import { decodeRleFrame } from './decodeRleFrame';
import { DicomDataError } from './dicomDataError';
import type { PixelArray } from './pixelArray';
import type { EncodedFrame, PixelInfo } from './pixelData';
import { transferSyntaxInfo, TS } from './transferSyntax';

const encapsulatedInCore: ReadonlySet<string> = new Set([
  TS.RLELossless,
  TS.DeflatedImageFrameCompression,
  TS.EncapsulatedUncompressedExplicitVRLittleEndian,
]);

/**
 * True when `decodeCoreFrame` handles the transfer syntax without a codec: every native one
 * (implicit/explicit little endian, explicit big endian, deflated data set), Encapsulated
 * Uncompressed, RLE Lossless and Deflated Image Frame Compression.
 */
export function decodesInCore(transferSyntaxUid: string): boolean {
  const info = transferSyntaxInfo(transferSyntaxUid);
  return info !== undefined && (!info.encapsulated || encapsulatedInCore.has(transferSyntaxUid));
}

/**
 * Decodes one frame of a transfer syntax for which `decodesInCore` is true, with
 * `decodeNativeFrame`, `decodeRleFrame` or `decodeDeflatedFrame`.
 * @returns rows·columns·samples values, pixel-interleaved (see `decodeNativeFrame`)
 * @throws DicomDataError('unsupported') for a transfer syntax that needs a codec
 * @throws DicomDataError('malformed-pixel-data') from the decoders
 */
export function decodeCoreFrame(frame: EncodedFrame, info: PixelInfo, transferSyntaxUid: string): PixelArray {
  if (!decodesInCore(transferSyntaxUid)) {
    const name = transferSyntaxInfo(transferSyntaxUid)?.name ?? 'unknown';
    throw new DicomDataError('unsupported', `Transfer syntax ${name} (${transferSyntaxUid}) needs a codec.`);
  }
  switch (transferSyntaxUid) {
    case TS.RLELossless:
      return decodeRleFrame(frame.bytes, info);
    case TS.DeflatedImageFrameCompression:
      return decodeDeflatedFrame(frame.bytes, info);
    default:
      return decodeNativeFrame(frame.bytes, info, { littleEndian: frame.littleEndian, bitOffset: frame.bitOffset });
  }
}

const jpegDct: ReadonlySet<string> = new Set([TS.JPEGBaseline8Bit, TS.JPEGExtended12Bit]);
const jpeg2000: ReadonlySet<string> = new Set([
  TS.JPEG2000Lossless,
  TS.JPEG2000,
  TS.HTJ2KLossless,
  TS.HTJ2KLosslessRPCL,
  TS.HTJ2K,
]);

/**
 * The Image Pixel description of frames decoded by Concord: Planar Configuration is always 0
 * (every decoder returns pixel-interleaved samples), and decoders that undo a colour transform
 * return RGB: YBR_FULL/YBR_FULL_422 in JPEG baseline/extended (libjpeg), YBR_RCT/YBR_ICT in
 * JPEG 2000 (the codestream's multiple component transform). Reference: PS3.5 §8.2.1, §8.2.4.
 */
export function decodedPixelInfo(info: PixelInfo, transferSyntaxUid: string): PixelInfo {
  const pi = info.photometricInterpretation;
  const converted =
    info.samplesPerPixel === 3 &&
    ((jpegDct.has(transferSyntaxUid) && (pi === 'YBR_FULL' || pi === 'YBR_FULL_422')) ||
      (jpeg2000.has(transferSyntaxUid) && (pi === 'YBR_RCT' || pi === 'YBR_ICT')));
  return { ...info, planarConfiguration: 0, photometricInterpretation: converted ? 'RGB' : pi };
}
