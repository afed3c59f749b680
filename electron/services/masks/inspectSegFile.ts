import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import { AppException } from '../../../core/ipc/result';
import { MaskReadError } from '../../../core/masks/maskReadError';
import { readSegContents, type SegContents } from '../../../core/masks/segContents';
import {
  segReferenceMismatches,
  type ExamReference,
  type ReferenceMismatch,
} from '../../../core/masks/segReferenceMismatches';
import { maxHeaderBytes } from '../dicomImport/readHeader';

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
      // The header from a bounded prefix, the hash as a stream: a large SEG is never held whole.
      const contents = readSegContents(await parseHeaderPrefix(path, size));
      const references: References = { referencedSeriesInstanceUids: contents.referencedSeriesInstanceUids };
      if (contents.frameOfReferenceUid !== undefined) references.frameOfReferenceUid = contents.frameOfReferenceUid;
      if (contents.patientId !== undefined) references.patientId = contents.patientId;
      entry = { size, mtimeMs, sha256: await sha256OfFile(path), references };
      cache.delete(path);
      cache.set(path, entry);
      while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    }
  } catch (err) {
    if (err instanceof DicomParseError || err instanceof DicomDataError || err instanceof MaskReadError)
      throw new AppException('DICOM', `${fileName}: ${err.message}`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `${fileName} cannot be read${code ? ` (${code})` : ''}.`, { cause: err });
  }
  return { fileName, fileSha256: entry.sha256, mismatches: segReferenceMismatches(entry.references, exam) };
}

/**
 * The file's data set up to its Pixel Data, read in growing prefixes (64 KiB, doubling) up to
 * the import's 16 MiB header bound.
 * @throws DicomParseError when the header is malformed, or does not end within the bound
 */
async function parseHeaderPrefix(path: string, size: number): Promise<ReturnType<typeof parseDicom>> {
  const handle = await open(path, 'r');
  try {
    for (let want = Math.min(size, 64 * 1024); ; want = Math.min(size, want * 2)) {
      const prefix = new Uint8Array(want);
      const { bytesRead } = await handle.read(prefix, 0, want, 0);
      const complete = bytesRead >= size;
      try {
        return parseDicom(prefix.subarray(0, bytesRead), { untilPixelData: true, complete });
      } catch (err) {
        if (!(err instanceof DicomParseError) || err.kind !== 'truncated' || complete) throw err;
        if (want >= maxHeaderBytes)
          throw new DicomParseError(
            'unsupported',
            `the header is larger than ${maxHeaderBytes / 1024 / 1024} MiB before any pixel data`,
          );
      }
    }
  } finally {
    await handle.close();
  }
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
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
