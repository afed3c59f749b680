import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import { AppException } from '../../../core/ipc/result';
import { MaskReadError } from '../../../core/masks/maskReadError';
import { readSegContents, type SegContents } from '../../../core/masks/segContents';
import { segReferenceMismatches, type ExamReference, type ReferenceMismatch } from '../../../core/masks/segReferenceMismatches';

export interface SegFileInspection {
  fileName: string;
  fileSha256: string;
  /** How the SEG's references differ from the exam's (empty: it belongs to the exam). */
  mismatches: ReferenceMismatch[];
}

type References = Pick<SegContents, 'referencedSeriesInstanceUids' | 'frameOfReferenceUid' | 'patientId'>;

/** Hash and references per file, valid while its size and modification time stay the same. */
const cache = new Map<string, { size: number; mtimeMs: number; sha256: string; references: References }>();
const maxCached = 2000;

/**
 * What a DICOM SEG file is and whom it belongs to, without decoding its frames: its name,
 * SHA-256 and how its references differ from the exam's (`segReferenceMismatches`). Used for the
 * coordinator's case table, which asks it of every timepoint: results are cached by path, size
 * and modification time, so a file is read once while it stays unchanged.
 * @throws AppException('IO') when the file cannot be read; ('DICOM') when it is no readable SEG
 */
export async function inspectSegFile(path: string, exam: ExamReference): Promise<SegFileInspection> {
  const fileName = basename(path);
  let entry = cache.get(path);
  try {
    const { size, mtimeMs } = await stat(path);
    if (!entry || entry.size !== size || entry.mtimeMs !== mtimeMs) {
      const buffer = await readFile(path);
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const contents = readSegContents(parseDicom(bytes, { untilPixelData: true }));
      const references: References = { referencedSeriesInstanceUids: contents.referencedSeriesInstanceUids };
      if (contents.frameOfReferenceUid !== undefined) references.frameOfReferenceUid = contents.frameOfReferenceUid;
      if (contents.patientId !== undefined) references.patientId = contents.patientId;
      entry = { size, mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex'), references };
      cache.delete(path);
      cache.set(path, entry);
      while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    }
  } catch (err) {
    if (err instanceof DicomParseError || err instanceof DicomDataError || err instanceof MaskReadError) throw new AppException('DICOM', `${fileName}: ${err.message}`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `${fileName} cannot be read${code ? ` (${code})` : ''}.`, { cause: err });
  }
  return { fileName, fileSha256: entry.sha256, mismatches: segReferenceMismatches(entry.references, exam) };
}

/**
 * Whether a mask file is a DICOM SEG of other images than the exam's, found from its header
 * alone (before any volume is loaded): the mismatches, or none when it is not a DICOM file, or
 * cannot be read (`loadMask` then says why).
 */
export async function segFileMismatches(path: string, exam: ExamReference): Promise<ReferenceMismatch[]> {
  try {
    const handle = await open(path, 'r');
    const prefix = new Uint8Array(132);
    try {
      await handle.read(prefix, 0, 132, 0);
    } finally {
      await handle.close();
    }
    const dicm = prefix[128] === 0x44 && prefix[129] === 0x49 && prefix[130] === 0x43 && prefix[131] === 0x4d;
    if (!dicm && !/\.(dcm|dicom)$/i.test(path)) return [];
    return (await inspectSegFile(path, exam)).mismatches;
  } catch {
    return [];
  }
}
