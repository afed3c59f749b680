import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppException } from '../../core/ipc/result';
import { formatBytes } from '../../core/tables/readCsvTable';

/** A path for a message: whole when short, else its last 100 characters after "…". */
export function shortPath(path: string): string {
  return path.length <= 120 ? path : `…${path.slice(-100)}`;
}

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * The bytes of a file a command reads (a table, a protocol), never more than `maxBytes`: a
 * regular file over the cap is refused from its size before anything is read, and anything else
 * (a pipe, a device) is read only up to one byte past the cap.
 * @param noun what the file is, for messages ("reads file")
 * @throws AppException IO when the file cannot be opened or read (exit 1), INVALID_INPUT when it
 *   is larger than the cap (exit 2), naming the cap
 */
export function readInputFile(path: string, noun: string, maxBytes: number): Uint8Array {
  const tooLarge = (size: string) =>
    new AppException(
      'INVALID_INPUT',
      `${shortPath(path)}: the ${noun} has ${size} bytes; a ${noun} may have at most ${formatBytes(maxBytes)}.`,
    );
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new AppException(
      'IO',
      `${noun} ${shortPath(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new AppException('IO', `${noun} ${shortPath(path)} is a folder, not a file.`);
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(grouped(stat.size));
    const buffer = new Uint8Array(Math.min(maxBytes + 1, stat.isFile() ? stat.size + 1 : maxBytes + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw tooLarge(`more than ${grouped(maxBytes)}`);
    if (stat.isFile() && length > stat.size)
      throw new AppException('IO', `${noun} ${shortPath(path)} changed while it was read; try again.`);
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof AppException) throw err;
    throw new AppException(
      'IO',
      `${noun} ${shortPath(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  } finally {
    closeSync(fd);
  }
}
