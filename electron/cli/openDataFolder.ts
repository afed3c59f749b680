import { tightenedNotice } from '../db/folderPermissions';
import { openDatabase, type OpenedDatabase, type OpenOptions } from '../db/openDatabase';
import { appVersion } from '../platform/appVersion';
import { defaultDataDir } from '../platform/dataDir';
import type { CliIo } from './command';

/**
 * Opens the reader database of `--data-dir` (or the default folder) for a command, and says on
 * stderr when the folder's permissions had to be tightened (stdout stays the command's output).
 */
export async function openDataFolder(
  dataDir: string | undefined,
  io: CliIo,
  options: Partial<OpenOptions> = {},
): Promise<OpenedDatabase> {
  const opened = await openDatabase(dataDir ?? defaultDataDir(), { appVersion, ...options });
  const notice = tightenedNotice(opened.permissionsTightened);
  if (notice) io.err(`concord: warning: ${notice}\n`);
  return opened;
}
