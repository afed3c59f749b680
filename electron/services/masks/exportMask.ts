import { createHash, randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DicomDataError } from '../../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom, type ParsedDicom } from '../../../core/dicom/parseDicom';
import type { SegSegment } from '../../../core/dicom/writeSeg';
import type { Volume } from '../../../core/imaging/volume';
import { AppException } from '../../../core/ipc/result';
import { ctSeriesReference } from '../../../core/masks/ctSeriesReference';
import { MaskGridError } from '../../../core/masks/maskGridError';
import { MaskReadError } from '../../../core/masks/maskReadError';
import type { MaskKind } from '../../../core/masks/maskSegmentCodes';
import { maskToNifti } from '../../../core/masks/maskToNifti';
import { maskToSeg } from '../../../core/masks/maskToSeg';
import { appVersion } from '../../platform/appVersion';

export type MaskExportFormat = 'seg' | 'nifti';

/** The CT series the mask is on (needed for a SEG, which references it slice by slice). */
export interface MaskExportSource {
  /** The series' image files, in any order. */
  ctFilePaths: readonly string[];
}

export interface ExportMaskOptions {
  /** 'liver' (default) or 'tumour', or a full segment description. */
  segment?: MaskKind | SegSegment;
  seriesDescription?: string;
  seriesNumber?: number;
  contentCreatorName?: string;
  /** Export time for the SEG's Content Date/Time; default now (local time). */
  now?: Date;
  /** NIfTI header description (printable ASCII, ≤ 79 characters); default "Concord mask". */
  niftiDescription?: string;
}

export interface ExportedMask {
  path: string;
  bytes: number;
  /** sha256 of the written file, hex. */
  sha256: string;
}

/**
 * Writes a mask on a CT grid as a DICOM SEG (`maskToSeg`: BINARY, one segment, referencing the
 * CT series, whose headers are read from `source.ctFilePaths` and matched to the grid's slices
 * by position, `ctSeriesReference`; new UUID-derived UIDs) or as a NIfTI (`maskToNifti`, .nii.gz,
 * no source needed). The file is written under a temporary name and renamed, so a failed export
 * leaves no partial file.
 * @throws AppException('INVALID_INPUT') for a SEG without source files, an empty mask, or CT
 *   slices that do not match the mask grid
 * @throws AppException('DICOM') when a CT file cannot be parsed
 * @throws AppException('IO') when a CT file cannot be read or the output cannot be written
 */
export async function exportMask(
  mask: Volume<Uint8Array>,
  source: MaskExportSource | undefined,
  outPath: string,
  format: MaskExportFormat,
  options: ExportMaskOptions = {},
): Promise<ExportedMask> {
  let bytes: Uint8Array;
  try {
    if (format === 'nifti') {
      bytes = maskToNifti(mask, options.niftiDescription);
    } else {
      if (!source || source.ctFilePaths.length === 0)
        throw new AppException('INVALID_INPUT', 'A DICOM SEG export needs the CT series files the mask was drawn on.');
      const ct = ctSeriesReference(source.ctFilePaths.map(readCtHeader), mask);
      const now = options.now ?? new Date();
      const input: Parameters<typeof maskToSeg>[0] = {
        mask,
        ct,
        uids: { seriesInstanceUid: newUid(), sopInstanceUid: newUid(), dimensionOrganizationUid: newUid() },
        contentDate: `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`,
        contentTime: `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`,
        softwareVersions: appVersion,
      };
      if (options.segment !== undefined) input.segment = options.segment;
      if (options.seriesDescription !== undefined) input.seriesDescription = options.seriesDescription;
      if (options.seriesNumber !== undefined) input.seriesNumber = options.seriesNumber;
      if (options.contentCreatorName !== undefined) input.contentCreatorName = options.contentCreatorName;
      bytes = maskToSeg(input);
    }
  } catch (err) {
    if (err instanceof AppException) throw err;
    if (err instanceof MaskGridError || err instanceof MaskReadError)
      throw new AppException('INVALID_INPUT', `The mask cannot be exported as a SEG: ${err.message}`, { cause: err });
    if (err instanceof DicomParseError || err instanceof DicomDataError)
      throw new AppException('DICOM', `A CT file cannot be used for the SEG: ${err.message}`, { cause: err });
    if (err instanceof RangeError)
      throw new AppException('INVALID_INPUT', `The mask cannot be exported: ${err.message}.`, { cause: err });
    throw err;
  }

  const temporary = `${outPath}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, outPath);
  } catch (err) {
    await rm(temporary, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `The mask cannot be written to ${basename(outPath)}${code ? ` (${code})` : ''}.`, {
      cause: err,
    });
  }
  return { path: outPath, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const headerPrefixBytes = 64 * 1024;

/** A CT file's header (parsing stops at Pixel Data): a 64 kB prefix, the whole file when the header is longer. */
function readCtHeader(path: string): ParsedDicom {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppException('IO', `CT file ${basename(path)} cannot be read${code ? ` (${code})` : ''}.`, {
      cause: err,
    });
  }
  try {
    const size = fstatSync(fd).size;
    let length = Math.min(size, headerPrefixBytes);
    for (;;) {
      const bytes = new Uint8Array(length);
      const read = readSync(fd, bytes, 0, length, 0);
      try {
        return parseDicom(bytes.subarray(0, read), { untilPixelData: true });
      } catch (err) {
        if (err instanceof DicomParseError && err.kind === 'truncated' && length < size) {
          length = size;
          continue;
        }
        if (err instanceof DicomParseError)
          throw new AppException('DICOM', `CT file ${basename(path)}: ${err.message}`, { cause: err });
        throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A UUID-derived UID: "2.25." and the UUID as one decimal number (PS3.5 §B.2). */
function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
