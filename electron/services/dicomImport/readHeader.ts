import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { codestreamStartProblem } from '../../../core/dicom/codestreamStart';
import { classifyDicomFile, type FileVerdict } from '../../../core/dicom/instanceHeader';
import { DicomParseError, parseDicom } from '../../../core/dicom/parseDicom';
import { T, tagString } from '../../../core/dicom/tags';
import { decodesTransferSyntax } from '../dicom/decodeFrame';

/** Bytes read first; CT headers are a few kB, so one read almost always holds the whole header. */
export const headerPrefixBytes = 16 * 1024;
/**
 * Most bytes of one file's header held in memory (16 MiB): elements Concord reads (and
 * sequences that contain them) must fit; larger elements it does not read are skipped in the
 * file without being read; anything else is refused with a reason.
 */
export const maxHeaderBytes = 16 * 1024 * 1024;

/** The top-level elements the index reads (everything else may be skipped unread). */
const neededTags = new Set<number>(Object.values(T));
const needed = (tag: number) => tag >>> 16 === 0x0002 || neededTags.has(tag);

// Windows has no O_NOFOLLOW / O_NONBLOCK: there, the fstat and realpath checks below still hold.
const openFlags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

const reasonPrefix: Record<DicomParseError['kind'], string> = {
  'not-dicom': '',
  truncated: 'Truncated DICOM file',
  malformed: 'Corrupt DICOM file',
  unsupported: 'Unsupported DICOM file',
};

export interface HeaderRead {
  verdict: FileVerdict;
  fileSize: number;
  /** SHA-256 (base64url) of the bytes read up to 4 KiB into the pixel data, for images ('' otherwise). */
  contentDigest: string;
}

function skip(reason: string, fileSize = 0): HeaderRead {
  return { verdict: { kind: 'skip', reason }, fileSize, contentDigest: '' };
}

/**
 * Reads and classifies one file from its header only (parsing stops before Pixel Data).
 * Never throws: every failure becomes a skip with a reason a person can act on.
 *
 * - Opened with O_NOFOLLOW | O_NONBLOCK, then fstat: a symbolic link (also one swapped in after
 *   the folder was listed), a FIFO, socket or device is skipped without blocking; the opened
 *   file's real path must lie inside `rootReal` (a parent folder swapped for a link is caught).
 * - Bounded reads: a 16 KiB prefix first; a top-level element Concord does not read whose value
 *   runs past what was read (a 512 MiB private blob) is skipped in the file, unread; more is read
 *   only for elements it needs, up to 16 MiB, else the file is refused. A deflated data set is
 *   inflated as a stream up to 8 MiB (`parseDicom`).
 *
 * Synchronous on purpose: one small read is ~5 µs this way against ~150 µs through
 * fs.promises (open, read, close each a thread-pool round trip); the import loop yields to
 * the event loop every few files so the process stays responsive.
 * @param rootReal the real path (realpath) of the folder being imported
 */
export function readHeader(path: string, rootReal: string, scratch?: Uint8Array): HeaderRead {
  let fd: number;
  try {
    fd = openSync(path, openFlags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return skip('Symbolic link: not followed (a link may point outside the chosen folder)');
    return skip(`File cannot be opened (${code ?? 'error'})`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return skip(`Not a regular file (${fileKind(info)})`);
    const real = realPathOf(fd, path, info);
    if (real === undefined) return skip('File cannot be located (its real path cannot be read)');
    if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
      return skip(`Outside the chosen folder: the file resolves to ${real}`);
    }
    const size = info.size;
    if (size === 0) return skip('Empty file');
    return readBounded(fd, size, scratch);
  } catch (err) {
    return skip(
      `File cannot be read (${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : 'error')})`,
    );
  } finally {
    closeSync(fd);
  }
}

/** The bytes held of one file: buf[0, length) stands for the file up to `filePos`, minus skipped values. */
interface Held {
  fd: number;
  size: number;
  buf: Uint8Array;
  length: number;
  filePos: number;
}

/** Reads up to `want` more bytes of the file after what is held (within `maxHeaderBytes`); returns how many. */
function readMore(h: Held, want: number): number {
  const n = Math.min(want, h.size - h.filePos, maxHeaderBytes - h.length);
  if (h.length + n > h.buf.length) {
    const grown = new Uint8Array(Math.min(maxHeaderBytes, Math.max(h.buf.length * 2, h.length + n)));
    grown.set(h.buf.subarray(0, h.length));
    h.buf = grown;
  }
  const got = readSync(h.fd, h.buf, h.length, n, h.filePos);
  h.length += got;
  h.filePos += got;
  return got;
}

function readBounded(fd: number, size: number, scratch: Uint8Array | undefined): HeaderRead {
  const h: Held = {
    fd,
    size,
    buf: scratch && scratch.length >= headerPrefixBytes ? scratch : new Uint8Array(headerPrefixBytes),
    length: 0,
    filePos: 0,
  };
  readMore(h, headerPrefixBytes);
  let removed = 0;
  for (;;) {
    try {
      const parsed = parseDicom(h.buf.subarray(0, h.length), { untilPixelData: true, complete: h.filePos >= size });
      const verdict = classifyDicomFile(parsed, size - removed, { canDecode: decodesTransferSyntax });
      if (verdict.kind !== 'image') return { verdict, fileSize: size, contentDigest: '' };
      // The header and the first 4 KiB of pixel data: enough to tell files apart without hashing
      // the 16 KiB prefix of every file (a third of the cost of reading it).
      const pixel = parsed.dataset.elements.get(T.PixelData) ?? parsed.dataset.elements.get(T.FloatPixelData);
      if (pixel && parsed.transferSyntax.encapsulated && !parsed.transferSyntax.deflatedDataset) {
        const problem = codestreamStartProblem(
          parsed.transferSyntax.uid,
          parsed.transferSyntax.name,
          h.buf.subarray(pixel.offset, h.length),
        );
        if (problem) verdict.header.problems.push(problem);
      }
      const hashed =
        parsed.transferSyntax.deflatedDataset || !pixel ? h.length : Math.min(h.length, pixel.offset + 4096);
      return {
        verdict,
        fileSize: size,
        contentDigest: createHash('sha256').update(h.buf.subarray(0, hashed)).digest('base64url'),
      };
    } catch (err) {
      if (!(err instanceof DicomParseError)) {
        return skip(`Unreadable DICOM file: ${err instanceof Error ? err.message : String(err)}`, size);
      }
      if (err.kind !== 'truncated' || h.filePos >= size) {
        const prefix = reasonPrefix[err.kind];
        return skip(prefix ? `${prefix}: ${err.message}` : err.message, size);
      }
      const el = err.element;
      if (el) {
        const valueEnd = el.valueOffset + removed + el.length;
        if (valueEnd > size) {
          return skip(
            `Truncated DICOM file: element ${tagString(el.tag)} declares ${el.length} bytes but the file ends ${size - (el.valueOffset + removed)} bytes after its start`,
            size,
          );
        }
        if (!needed(el.tag)) {
          // Skip the value in the file: cut the buffer before it and record it as empty.
          h.buf.fill(0, el.lengthOffset, el.lengthOffset + el.lengthSize);
          h.length = el.valueOffset;
          removed += el.length;
          h.filePos = valueEnd;
          readMore(h, headerPrefixBytes);
          continue;
        }
        if (el.valueOffset + el.length > maxHeaderBytes) {
          return skip(
            `Unsupported DICOM file: element ${tagString(el.tag)} declares ${el.length} bytes, more than the ${maxHeaderBytes / 1024 / 1024} MiB a header may hold`,
            size,
          );
        }
        if (readMore(h, el.valueOffset + el.length - h.length + headerPrefixBytes) === 0)
          return skip(`Truncated DICOM file: ${err.message}`, size);
        continue;
      }
      if (h.length >= maxHeaderBytes) {
        return skip(
          `Unsupported DICOM file: the header is larger than ${maxHeaderBytes / 1024 / 1024} MiB before any pixel data`,
          size,
        );
      }
      if (readMore(h, Math.max(h.length, 64 * 1024)) === 0) return skip(`Truncated DICOM file: ${err.message}`, size);
    }
  }
}

/** The real path of an open file: /proc/self/fd on Linux; elsewhere realpath, checked to be the same file. */
function realPathOf(fd: number, path: string, info: Stats): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    try {
      const real = realpathSync(path);
      const again = statSync(real);
      return again.ino === info.ino && again.dev === info.dev ? real : undefined;
    } catch {
      return undefined;
    }
  }
}

function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isDirectory()) return 'a folder';
  return 'not a file';
}
