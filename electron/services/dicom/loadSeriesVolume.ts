import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { buildVolume, type DecodedInstance } from '../../../core/dicom/buildVolume';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { checkVolumeSize, decodedBytesPerSample } from '../../../core/dicom/imageSizeLimits';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import { getPixelInfo } from '../../../core/dicom/pixelData';
import { readSliceHeader } from '../../../core/dicom/sliceHeader';
import type { Volume } from '../../../core/imaging/volume';
import { AppException } from '../../../core/ipc/result';
import { decodeFrames } from './decodeFrame';

/**
 * Reads, parses, decodes and stacks the image files of one series into a `Volume` (LPS, mm,
 * rescaled values: HU for CT), with the warnings of `buildVolume`. Files are processed one at
 * a time so only one file's bytes are held besides the decoded frames.
 * @param filePaths the series' image files, in any order
 * @param seriesLabel how messages name the series (e.g. "CT 3: Abdomen portal venous")
 * @throws AppException('IO') when a file cannot be read
 * @throws AppException('DICOM') when a file cannot be parsed or decoded, the slices do not
 *   form one regular grid, or the frames declared so far exceed 2 GiB (checked before each file
 *   is decoded); the message names the series and, where one is at fault, the file and frame.
 *   Whatever a parser or decoder throws is reported so, never as an internal error.
 */
export async function loadSeriesVolume(
  filePaths: readonly string[],
  seriesLabel: string,
): Promise<{ volume: Volume; warnings: string[] }> {
  if (filePaths.length === 0) throw new AppException('DICOM', `Series "${seriesLabel}" has no image files.`);
  const instances: DecodedInstance[] = [];
  let declaredFrames = 0;
  for (const [n, path] of filePaths.entries()) {
    // Synchronous reads (a thread-pool round trip per file costs more than the read itself from
    // the page cache); yield now and then so the process keeps answering.
    if (n % 16 === 15) await new Promise((r) => setImmediate(r));
    const source = basename(path);
    let bytes: Uint8Array;
    try {
      const buffer = readFileSync(path);
      // core/ works on plain Uint8Arrays; a Buffer's slice() shares memory instead of copying.
      bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AppException(
        'IO',
        `Series "${seriesLabel}": file ${source} cannot be read${code ? ` (${code})` : ''}.`,
        { cause: err },
      );
    }
    try {
      const parsed = parseDicom(bytes);
      const header = readSliceHeader(parsed);
      const info = getPixelInfo(parsed);
      // The volume so far plus this file, before its frames are decoded (files of another size
      // are refused by buildVolume; until then each counts at this file's size).
      declaredFrames += info.numberOfFrames;
      checkVolumeSize(
        `the ${n + 1} file(s) read so far`,
        [info.columns, info.rows, declaredFrames],
        Math.max(2, decodedBytesPerSample(info.bitsAllocated)),
      );
      const { frames } = await decodeFrames(parsed);
      instances.push({ header, frames, source });
    } catch (err) {
      if (err instanceof AppException && err.code !== 'DICOM') throw err;
      throw new AppException('DICOM', `Series "${seriesLabel}": file ${source}: ${describe(err)}`, { cause: err });
    }
  }
  try {
    return buildVolume(instances, seriesLabel);
  } catch (err) {
    throw new AppException(
      'DICOM',
      err instanceof DicomDataError
        ? err.message
        : `Series "${seriesLabel}": the volume could not be built: ${describe(err)}`,
      { cause: err },
    );
  }
}

/** The message of a known error; for anything else, its class and message. */
function describe(err: unknown): string {
  if (err instanceof AppException || err instanceof DicomParseError || err instanceof DicomDataError)
    return err.message;
  if (err instanceof Error) return `the file could not be decoded (${err.name}: ${err.message}).`;
  return `the file could not be decoded (${String(err)}).`;
}
