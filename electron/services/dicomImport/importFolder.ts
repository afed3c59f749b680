import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InstanceHeader } from '../../../core/dicom/instanceHeader';
import type { ImportSummary } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import type { Database } from '../../db/database';
import {
  createImportRun,
  finishImportRun,
  insertBatch,
  markInterruptedRuns,
  newIdCache,
  patientKey,
  recomputePhases,
  seriesIdentity,
  studyPatient,
  type ImportSkip,
  type IndexedFile,
  type SeriesIdentity,
} from '../../db/repositories/dicomIndex';
import { frozenExams, isIndexed } from '../../db/repositories/studyInputs';
import { readHeader, type HeaderRead } from './readHeader';
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
 * transactions, idempotent by SOP Instance UID. Nothing in one file can stop the import: every
 * file is indexed, or skipped with its reason, and the skips are written with each batch, so a
 * run that is killed keeps its skip list (and is marked `interrupted` at the next start).
 *
 * Refused (skipped, naming both sides): a file whose Series Instance UID is already indexed
 * under another patient, study or Frame of Reference, or whose Study Instance UID is indexed
 * under another patient; a SOP Instance UID already indexed (or seen earlier in the folder) with
 * different content: the first file wins. An identical copy counts as already indexed (or as a
 * duplicate in the folder). What is indexed with problems (series then not loadable) and what is
 * skipped is decided in `classifyDicomFile`.
 * Cancelling keeps what was indexed so far.
 * @throws AppException('IO') when the folder does not exist or is not a folder
 */
export async function importFolder(db: Database, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new AppException('IO', `The folder ${root} does not exist.`);
  if (!info.isDirectory()) throw new AppException('IO', `${root} is a file, not a folder.`);
  const rootReal = await realpath(root);

  const batchSize = options.batchSize ?? 500;
  // Strings in the header keep views into this buffer only until classified; reused per file.
  const scratch = new Uint8Array(16 * 1024);
  await markInterruptedRuns(db);
  const runId = await createImportRun(db, root);
  // Exams a started reading study reads: nothing new is added to them (study inputs are frozen).
  const frozen = await frozenExams(db);
  const cache = newIdCache();
  const skipped: ImportSkip[] = [];
  let unsavedSkips: ImportSkip[] = [];
  const seen = {
    patients: new Set<string>(),
    studies: new Set<string>(),
    series: new Set<string>(),
    instances: new Set<string>(),
  };
  const identities = new Map<string, SeriesIdentity | null>();
  const studyOwners = new Map<string, { patientKey: string; patientId: string } | null>();
  let pending: IndexedFile[] = [];
  let filesSeen = 0;
  let added = 0;
  let alreadyIndexed = 0;
  let lastReport = 0;

  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < 150) return;
    lastReport = now;
    options.onProgress?.({ filesSeen, indexed: seen.instances.size + pending.length, skipped: skipped.length });
  };
  const skip = (k: ImportSkip) => {
    skipped.push(k);
    unsavedSkips.push(k);
  };
  const flush = async () => {
    if (pending.length === 0 && unsavedSkips.length === 0) return;
    const batch = pending;
    const skips = unsavedSkips;
    pending = [];
    unsavedSkips = [];
    const r = await insertBatch(db, runId, batch, skips, cache, {
      filesSeen,
      added,
      alreadyIndexed,
      skipped: skipped.length,
    });
    added += r.added;
    alreadyIndexed += r.alreadyIndexed;
    skipped.push(...r.skipped);
    for (const { header: h } of r.accepted) {
      seen.instances.add(h.sopInstanceUid);
      seen.series.add(h.seriesInstanceUid);
      seen.studies.add(h.studyInstanceUid);
      seen.patients.add(patientKey(h));
    }
  };
  /** Why this image may not join the index under its UIDs, or undefined when it may. */
  const identityConflict = async (h: InstanceHeader): Promise<string | undefined> => {
    const mine = {
      patientKey: patientKey(h),
      patientId: h.patientId,
      studyInstanceUid: h.studyInstanceUid,
      frameOfReferenceUid: h.frameOfReferenceUid,
      modality: h.modality,
    };
    let known = identities.get(h.seriesInstanceUid);
    if (known === undefined) {
      known = (await seriesIdentity(db, h.seriesInstanceUid)) ?? null;
      identities.set(h.seriesInstanceUid, known ?? mine);
    }
    if (known) {
      const differs = [
        known.patientKey !== mine.patientKey && `patient ID "${known.patientId}" (this file: "${mine.patientId}")`,
        known.studyInstanceUid !== mine.studyInstanceUid &&
          `study ${known.studyInstanceUid} (this file: ${mine.studyInstanceUid})`,
        known.frameOfReferenceUid !== mine.frameOfReferenceUid &&
          `Frame of Reference ${known.frameOfReferenceUid || '(none)'} (this file: ${mine.frameOfReferenceUid || '(none)'})`,
        known.modality !== mine.modality &&
          `modality ${known.modality || '(none)'} (this file: ${mine.modality || '(none)'})`,
      ].filter(Boolean);
      if (differs.length > 0) {
        return `Series Instance UID ${h.seriesInstanceUid} is already indexed under ${differs.join(', ')}: refused, a series cannot belong to two exams`;
      }
    }
    let owner = studyOwners.get(h.studyInstanceUid);
    if (owner === undefined) {
      owner = (await studyPatient(db, h.studyInstanceUid)) ?? null;
      studyOwners.set(h.studyInstanceUid, owner ?? { patientKey: mine.patientKey, patientId: mine.patientId });
    }
    if (owner && owner.patientKey !== mine.patientKey) {
      return `Study Instance UID ${h.studyInstanceUid} is already indexed under patient ID "${owner.patientId}" (this file: "${mine.patientId}"): refused, a study cannot belong to two patients`;
    }
    return undefined;
  };

  let state: 'succeeded' | 'cancelled' | 'failed' = 'failed';
  try {
    for await (const entry of walkFolder(root, options.signal)) {
      if (options.signal?.aborted) break;
      filesSeen++;
      if (entry.error) {
        skip({ path: entry.path, reason: entry.error });
      } else {
        let read: HeaderRead;
        try {
          read = readHeader(entry.path, rootReal, scratch);
        } catch (err) {
          // readHeader turns every failure it knows into a skip; one no check foresaw still only costs this file.
          read = {
            verdict: {
              kind: 'skip',
              reason: `Unreadable DICOM file: ${err instanceof Error ? err.message : String(err)}`,
            },
            fileSize: 0,
            contentDigest: '',
          };
        }
        const verdict = read.verdict;
        if (verdict.kind === 'skip') {
          skip({ path: entry.path, reason: verdict.reason, seriesInstanceUid: verdict.seriesInstanceUid });
        } else {
          const h = verdict.header;
          const frozenBy = frozen.get(h.studyInstanceUid);
          const conflict =
            frozenBy !== undefined && !(await isIndexed(db, h.sopInstanceUid))
              ? `New image of an exam that reading study "${frozenBy}" reads; its reads have started, so the exam's images are frozen`
              : await identityConflict(h);
          if (conflict) skip({ path: entry.path, reason: conflict });
          else
            pending.push({
              header: verdict.header,
              filePath: entry.path,
              fileSize: read.fileSize,
              contentDigest: read.contentDigest,
            });
        }
      }
      if (pending.length >= batchSize || unsavedSkips.length >= batchSize) await flush();
      if (filesSeen % filesPerSlice === 0) await new Promise((r) => setImmediate(r));
      report();
    }
    await flush();
    // A frozen exam keeps the phases its study's readers saw, even if recognition would now differ.
    await recomputePhases(
      db,
      [...seen.studies].filter((uid) => !frozen.has(uid)),
    );
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
      skipped: skipped.map(({ path, reason }) => ({ path, reason })),
    };
  } finally {
    await finishImportRun(db, runId, state, { filesSeen, added, alreadyIndexed, skipped: skipped.length }).catch(
      () => undefined,
    );
  }
}
