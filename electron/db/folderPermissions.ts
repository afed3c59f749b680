import { chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Owner only: the data folder and every folder under it. */
export const privateDirMode = 0o700;
/** Owner read/write only: the database, its WAL and SHM, the audit key and anchor, every export. */
export const privateFileMode = 0o600;

/** Whether POSIX permissions mean anything here (Windows has ACLs; chmod only toggles read-only). */
export const posixPermissions = process.platform !== 'win32';

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Creates `path` as an empty file readable by its owner only, unless it exists. SQLite then opens
 * it as a new database and gives its WAL and SHM the same permissions (it copies the database
 * file's mode), so the identities, reads and passphrase hashes are never world-readable, not
 * even for the moment between creating the file and tightening it.
 */
export function createPrivateFile(path: string): void {
  if (existsSync(path)) return;
  try {
    closeSync(openSync(path, 'wx', privateFileMode));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Tightens a data folder that other local users can read or enter: the folder itself (and the
 * `exports` folders under it) to 0700, its files (database, WAL, SHM, audit key and anchor,
 * exports) to 0600. Symbolic links are left alone (never followed). Nothing happens on Windows.
 * @param files names inside `dataDir` to check besides `exports/` (missing ones are skipped)
 * @returns one line per path that was looser than it should be, e.g.
 *          `data folder /x was 0755, now 0700` (or why it could not be changed); empty when
 *          everything was already private
 */
export function tightenDataFolder(dataDir: string, files: readonly string[]): string[] {
  if (!posixPermissions) return [];
  const changed: string[] = [];
  const tighten = (path: string, label: string, want: number) => {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) === 0) return;
    try {
      chmodSync(path, want);
      changed.push(`${label} was ${octal(info.mode)}, now ${octal(want)}`);
    } catch (err) {
      // A file system without POSIX modes, or someone else's file: say so rather than fail to open.
      changed.push(
        `${label} is ${octal(info.mode)} and could not be made ${octal(want)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  };
  tighten(dataDir, `data folder ${dataDir}`, privateDirMode);
  for (const name of files) tighten(join(dataDir, name), name, privateFileMode);
  const walk = (dir: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        tighten(path, `${rel}/${e.name}`, privateDirMode);
        // Report folders are one level down; deeper trees are not Concord's.
        if (depth < 2) walk(path, `${rel}/${e.name}`, depth + 1);
      } else if (e.isFile()) {
        tighten(path, `${rel}/${e.name}`, privateFileMode);
      }
    }
  };
  const exportsDir = join(dataDir, 'exports');
  tighten(exportsDir, 'exports', privateDirMode);
  walk(exportsDir, 'exports', 1);
  return changed;
}

/** The sentence the app and the CLI show after `tightenDataFolder` changed something. */
export function tightenedNotice(changes: readonly string[]): string | null {
  if (changes.length === 0) return null;
  return `Other users of this computer could read the data folder; its permissions were tightened to the owner only: ${changes.join('; ')}.`;
}
