import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImportSummary, SkippedFile } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import type { Database } from '../../db/database';
import {
  createImportRun,
  finishImportRun,
  insertBatch,
  newIdCache,
  recomputePhases,
  recordSkips,
  type IndexedFile,
} from '../../db/repositories/dicomIndex';
import { readHeader } from './readHeader';
import { walkFolder } from './walkFolder';

export interface ImportProgress {
  filesSeen: number;
  indexed: number;
  skipped: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Instances per transaction (default 500). */
  batchSize?: number;
}

/** Files read between two yields to the event loop (keeps IPC and progress responsive). */
const filesPerSlice = 32;

/**
 * Indexes every DICOM image under `folder` into the reader database: header-only parse, batched
 * transactions, idempotent by SOP Instance UID. A bad file is skipped with its reason (kept in
 * import_skips) and never stops the import. Cancelling keeps what was indexed so far.
 * @throws AppException('IO') when the folder does not exist or is not a folder
 */
export async function importFolder(db: Database, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new AppException('IO', `The folder ${root} does not exist.`);
  if (!info.isDirectory()) throw new AppException('IO', `${root} is a file, not a folder.`);

  const batchSize = options.batchSize ?? 500;
  // Strings in the header keep views into this buffer only until classified; reused per file.
  const scratch = new Uint8Array(16 * 1024);
  const runId = await createImportRun(db, root);
  const cache = newIdCache();
  const skipped: SkippedFile[] = [];
  const seen = { patients: new Set<string>(), studies: new Set<string>(), series: new Set<string>(), instances: new Set<string>() };
  let pending: IndexedFile[] = [];
  let filesSeen = 0;
  let added = 0;
  let alreadyIndexed = 0;
  let lastReport = 0;

  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < 150) return;
    lastReport = now;
    options.onProgress?.({ filesSeen, indexed: seen.instances.size, skipped: skipped.length });
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const r = await insertBatch(db, batch, cache);
    added += r.added;
    alreadyIndexed += r.alreadyIndexed;
  };

  let state: 'succeeded' | 'cancelled' | 'failed' = 'failed';
  try {
    for await (const entry of walkFolder(root, options.signal)) {
      if (options.signal?.aborted) break;
      filesSeen++;
      if (entry.error) {
        skipped.push({ path: entry.path, reason: entry.error });
        continue;
      }
      const verdict = readHeader(entry.path, scratch);
      if (verdict.kind === 'skip') {
        skipped.push({ path: entry.path, reason: verdict.reason });
      } else {
        const h = verdict.header;
        if (seen.instances.has(h.sopInstanceUid)) {
          skipped.push({ path: entry.path, reason: `Duplicate of an instance already in this folder (SOP Instance UID ${h.sopInstanceUid})` });
        } else {
          seen.instances.add(h.sopInstanceUid);
          seen.series.add(h.seriesInstanceUid);
          seen.studies.add(h.studyInstanceUid);
          seen.patients.add(`${h.patientId}|${h.patientBirthDate}|${h.patientId ? '' : h.patientName}`);
          pending.push({ header: h, filePath: entry.path, fileSize: verdict.fileSize });
        }
      }
      if (pending.length >= batchSize) await flush();
      if (filesSeen % filesPerSlice === 0) await new Promise((r) => setImmediate(r));
      report();
    }
    await flush();
    await recordSkips(db, runId, skipped);
    await recomputePhases(db, [...seen.studies]);
    state = options.signal?.aborted ? 'cancelled' : 'succeeded';
    report(true);
    return {
      runId,
      folder: root,
      state,
      filesSeen,
      patients: seen.patients.size,
      studies: seen.studies.size,
      series: seen.series.size,
      instances: seen.instances.size,
      added,
      alreadyIndexed,
      skipped,
    };
  } finally {
    await finishImportRun(db, runId, state, { filesSeen, added, alreadyIndexed, skipped: skipped.length }).catch(() => undefined);
  }
}
