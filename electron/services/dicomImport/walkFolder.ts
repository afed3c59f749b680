import type { Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

export interface WalkEntry {
  path: string;
  /** Set when the entry could not be read (permissions, vanished); the walk goes on. */
  error?: string;
}

/**
 * Every regular file under `root`, depth first, in name order within a folder (so imports are
 * reproducible). Symbolic links are not followed (no cycles, no escaping the chosen folder) and,
 * like FIFOs, sockets and devices, are reported as entries with an error, as are unreadable
 * folders: nothing under the folder goes unmentioned, and the walk never stops for one entry.
 * A regular file may still be swapped for something else before it is opened: `readHeader`
 * checks again on the open file.
 */
export async function* walkFolder(root: string, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const stack: string[] = [root];
  while (stack.length > 0) {
    if (signal?.aborted) return;
    const dir = stack.pop()!;
    let names: { name: string; isDir: boolean; isFile: boolean; other?: string }[];
    try {
      const handle = await opendir(dir);
      names = [];
      for await (const d of handle)
        names.push({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile(), other: otherKind(d) });
    } catch (err) {
      yield { path: dir, error: `Folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const n of names) {
      if (n.isDir) subdirs.push(join(dir, n.name));
      else if (n.isFile) yield { path: join(dir, n.name) };
      else if (n.other) yield { path: join(dir, n.name), error: n.other };
    }
    // Reverse so the stack pops folders in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

function otherKind(d: Dirent): string | undefined {
  if (d.isSymbolicLink()) return 'Symbolic link: not followed (a link may point outside the chosen folder)';
  if (d.isFIFO()) return 'Not a regular file (a FIFO)';
  if (d.isSocket()) return 'Not a regular file (a socket)';
  if (d.isCharacterDevice() || d.isBlockDevice()) return 'Not a regular file (a device)';
  return undefined;
}
