import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { buildVolume, type DecodedInstance } from '../../../core/dicom/buildVolume';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
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
 * @throws AppException('DICOM') when a file cannot be parsed or decoded, or the slices do not
 *   form one regular grid; the message names the series and, where one is at fault, the file
 */
export async function loadSeriesVolume(filePaths: readonly string[], seriesLabel: string): Promise<{ volume: Volume; warnings: string[] }> {
  if (filePaths.length === 0) throw new AppException('DICOM', `Series "${seriesLabel}" has no image files.`);
  const instances: DecodedInstance[] = [];
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
      throw new AppException('IO', `Series "${seriesLabel}": file ${source} cannot be read${code ? ` (${code})` : ''}.`, { cause: err });
    }
    try {
      const parsed = parseDicom(bytes);
      const header = readSliceHeader(parsed);
      const { frames } = await decodeFrames(parsed);
      instances.push({ header, frames, source });
    } catch (err) {
      if (err instanceof AppException || err instanceof DicomParseError || err instanceof DicomDataError) {
        throw new AppException('DICOM', `Series "${seriesLabel}": file ${source}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
  try {
    return buildVolume(instances, seriesLabel);
  } catch (err) {
    if (err instanceof DicomDataError) throw new AppException('DICOM', err.message, { cause: err });
    throw err;
  }
}
