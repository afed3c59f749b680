import type { CaseSeries, ReadState, StudyOverview } from '../../../core/ipc/contract';
import type { Phase } from '../../../core/phases/recognizePhases';
import { validateProtocol, type Protocol } from '../../../core/studies/protocol';
import { readProblems, type EntryValue, type ReadEntry } from '../../../core/studies/readForm';
import { relativeTimepointLabel } from '../../../core/studies/relativeDate';
import { AppException } from '../../../core/ipc/result';
import { appendAudit } from '../audit';
import type { Database } from '../database';

export interface ReadRow {
  id: number;
  case_ref: number;
  reader_ref: number;
  state: 'in_progress' | 'submitted';
  started_at: string;
  submitted_at: string | null;
}

export interface StudyRow {
  id: number;
  name: string;
  created_at: string;
  frozen_at: string | null;
  unblinded_at: string | null;
  protocol_json: string;
  randomization_seed: number;
}

export async function getStudy(db: Database, studyId: number): Promise<StudyRow> {
  const s = await db.get<StudyRow>('SELECT * FROM reading_studies WHERE id = ?', [studyId]);
  if (!s) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
  return s;
}

/** The stored protocol, checked again on the way out (a hand-edited database fails loudly). */
export const studyProtocol = (s: StudyRow): Protocol => validateProtocol(JSON.parse(s.protocol_json));

/** A case of `studyId` with its timepoint count, or NOT_FOUND (also for cases of other studies). */
export async function getStudyCase(
  db: Database,
  studyId: number,
  caseId: number,
): Promise<{ id: number; case_code: string; timepoints: number }> {
  const c = await db.get<{ id: number; case_code: string; timepoints: number }>(
    'SELECT c.id, c.case_code, (SELECT COUNT(*) FROM case_timepoints t WHERE t.case_ref = c.id) AS timepoints FROM cases c WHERE c.id = ? AND c.study_ref = ?',
    [caseId, studyId],
  );
  if (!c) throw new AppException('NOT_FOUND', `No case ${caseId} in this study.`);
  return c;
}

/**
 * The image series of a case's timepoints as a reader may know them. Keys are positions within
 * the case ("t1-s2": timepoint 1, second series by series number), never DICOM UIDs (which can
 * carry dates and sites). SEG and other non-image series are left out.
 */
export async function caseSeries(
  db: Database,
  caseId: number,
): Promise<{ ordinal: number; label: string; series: (CaseSeries & { seriesInstanceUid: string })[] }[]> {
  const rows = await db.all<{
    ordinal: number;
    study_date: string;
    series_instance_uid: string;
    phase: Phase;
    phase_override: Phase | null;
    series_number: number | null;
    slices: number;
  }>(
    `SELECT t.ordinal, st.study_date, se.series_instance_uid, se.phase, se.phase_override, se.series_number,
            (SELECT COUNT(*) FROM instances i WHERE i.series_ref = se.id) AS slices
       FROM case_timepoints t JOIN studies st ON st.id = t.dicom_study_ref
       JOIN series se ON se.study_ref = st.id
      WHERE t.case_ref = ? AND se.modality IN ('CT', 'MR')
      ORDER BY t.ordinal, se.series_number IS NULL, se.series_number, se.id`,
    [caseId],
  );
  const out = new Map<
    number,
    { ordinal: number; label: string; series: (CaseSeries & { seriesInstanceUid: string })[] }
  >();
  let baselineDate: string | undefined;
  for (const r of rows) {
    if (r.ordinal === 0) baselineDate ??= r.study_date;
    let tp = out.get(r.ordinal);
    if (!tp)
      out.set(
        r.ordinal,
        (tp = {
          ordinal: r.ordinal,
          label: relativeTimepointLabel(baselineDate ?? r.study_date, r.study_date),
          series: [],
        }),
      );
    tp.series.push({
      seriesKey: `t${r.ordinal}-s${tp.series.length + 1}`,
      phase: r.phase_override ?? r.phase,
      seriesNumber: r.series_number,
      slices: r.slices,
      seriesInstanceUid: r.series_instance_uid,
    });
  }
  return [...out.values()];
}

export async function findRead(db: Database, caseId: number, readerId: number): Promise<ReadRow | undefined> {
  return db.get<ReadRow>('SELECT * FROM reads WHERE case_ref = ? AND reader_ref = ?', [caseId, readerId]);
}

/**
 * The reader's read of a case, created on first use. The first read of a study freezes its
 * protocol (both audited). No read starts once the study is unblinded.
 */
export async function openOrCreateRead(
  db: Database,
  studyId: number,
  caseId: number,
  readerId: number,
): Promise<ReadRow> {
  return db.transaction(async () => {
    const existing = await findRead(db, caseId, readerId);
    if (existing) return existing;
    if ((await getStudy(db, studyId)).unblinded_at)
      throw new AppException('CONFLICT', 'The study is unblinded: no new reads can be started.');
    const now = new Date().toISOString();
    const id = (
      await db.run("INSERT INTO reads (case_ref, reader_ref, state, started_at) VALUES (?, ?, 'in_progress', ?)", [
        caseId,
        readerId,
        now,
      ])
    ).lastID;
    await appendAudit(db, {
      actor: `user:${readerId}`,
      action: 'read.start',
      entity: 'read',
      entityId: id,
      before: null,
      after: { caseId, readerId },
    });
    const frozen = await db.run('UPDATE reading_studies SET frozen_at = ? WHERE id = ? AND frozen_at IS NULL', [
      now,
      studyId,
    ]);
    if (frozen.changes > 0) {
      await appendAudit(db, {
        actor: `user:${readerId}`,
        action: 'study.protocol.freeze',
        entity: 'reading_study',
        entityId: studyId,
        before: null,
        after: { frozenAt: now, reason: 'first read opened' },
      });
    }
    return (await db.get<ReadRow>('SELECT * FROM reads WHERE id = ?', [id]))!;
  });
}

/**
 * A read the caller owns. Someone else's read, or one that does not exist, gives the same
 * NOT_FOUND, so ids say nothing about other readers' work.
 */
export async function ownRead(
  db: Database,
  readId: number,
  readerId: number,
): Promise<ReadRow & { study_ref: number }> {
  const r = await db.get<ReadRow & { study_ref: number }>(
    'SELECT r.*, c.study_ref FROM reads r JOIN cases c ON c.id = r.case_ref WHERE r.id = ? AND r.reader_ref = ?',
    [readId, readerId],
  );
  if (!r) throw new AppException('NOT_FOUND', `No read ${readId} of yours.`);
  return r;
}

export async function readEntries(db: Database, readId: number): Promise<ReadEntry[]> {
  const rows = await db.all<{ timepoint: number; item: string; value_json: string }>(
    'SELECT timepoint, item, value_json FROM read_entries WHERE read_ref = ? ORDER BY timepoint, item',
    [readId],
  );
  return rows.map((r) => ({ timepoint: r.timepoint, item: r.item, value: JSON.parse(r.value_json) as EntryValue }));
}

const lockedMessage = 'This read is submitted and locked; ask the study coordinator to reopen it.';

/**
 * Stores (or with `value` null clears) one answer and its audit row in one transaction; the
 * commit is durable (synchronous=FULL) before this resolves.
 */
export async function saveEntry(
  db: Database,
  readId: number,
  actor: string,
  timepoint: number,
  item: string,
  value: EntryValue | null,
): Promise<string> {
  return db.transaction(async () => {
    const read = await db.get<{ state: string }>('SELECT state FROM reads WHERE id = ?', [readId]);
    if (read?.state !== 'in_progress') throw new AppException('CONFLICT', lockedMessage);
    const before = await db.get<{ value_json: string }>(
      'SELECT value_json FROM read_entries WHERE read_ref = ? AND timepoint = ? AND item = ?',
      [readId, timepoint, item],
    );
    const now = new Date().toISOString();
    if (value === null) {
      await db.run('DELETE FROM read_entries WHERE read_ref = ? AND timepoint = ? AND item = ?', [
        readId,
        timepoint,
        item,
      ]);
    } else {
      await db.run(
        `INSERT INTO read_entries (read_ref, timepoint, item, value_json, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (read_ref, timepoint, item) DO UPDATE SET value_json = excluded.value_json, saved_at = excluded.saved_at`,
        [readId, timepoint, item, JSON.stringify(value), now],
      );
    }
    await appendAudit(db, {
      actor,
      action: value === null ? 'read.entry.clear' : 'read.entry.save',
      entity: 'read_entry',
      entityId: `${readId}/${timepoint}/${item}`,
      before: before ? JSON.parse(before.value_json) : null,
      after: value,
    });
    return now;
  });
}

/**
 * Locks a read once it is complete. Completeness is checked inside the transaction that locks,
 * so an answer cleared at the same moment either lands first (and the read is refused as
 * incomplete) or is refused as locked. The audit row is written before the state changes: the
 * database accepts `submitted` only right after its `read.submit` row (migration 012).
 * @throws AppException CONFLICT (not an open read), INVALID_INPUT naming what is missing
 */
export async function submit(db: Database, readId: number, actor: string): Promise<void> {
  await db.transaction(async () => {
    const read = await db.get<ReadRow & { study_ref: number }>(
      'SELECT r.*, c.study_ref FROM reads r JOIN cases c ON c.id = r.case_ref WHERE r.id = ?',
      [readId],
    );
    if (read?.state !== 'in_progress') throw new AppException('CONFLICT', 'This read is already submitted.');
    const protocol = studyProtocol(await getStudy(db, read.study_ref));
    const c = await getStudyCase(db, read.study_ref, read.case_ref);
    const problems = readProblems(protocol, c.timepoints, await readEntries(db, readId));
    if (problems.length > 0) throw new AppException('INVALID_INPUT', `The read is not complete: ${problems.join(' ')}`);
    const now = new Date().toISOString();
    await appendAudit(db, {
      actor,
      action: 'read.submit',
      entity: 'read',
      entityId: readId,
      before: { state: 'in_progress' },
      after: { state: 'submitted', submittedAt: now },
    });
    await db.run("UPDATE reads SET state = 'submitted', submitted_at = ? WHERE id = ?", [now, readId]);
  });
}

/** Unlocks a submitted read of a study that is not unblinded (coordinator; the reason is audited). */
export async function reopen(
  db: Database,
  studyId: number,
  readId: number,
  actor: string,
  reason: string,
): Promise<void> {
  await db.transaction(async () => {
    const read = await db.get<ReadRow & { unblinded_at: string | null }>(
      'SELECT r.*, s.unblinded_at FROM reads r JOIN cases c ON c.id = r.case_ref JOIN reading_studies s ON s.id = c.study_ref WHERE r.id = ? AND c.study_ref = ?',
      [readId, studyId],
    );
    if (!read) throw new AppException('NOT_FOUND', `No read ${readId} in this study.`);
    if (read.unblinded_at)
      throw new AppException('CONFLICT', 'The study is unblinded: its reads can no longer be reopened.');
    if (read.state !== 'submitted')
      throw new AppException('CONFLICT', 'This read is not submitted, so there is nothing to reopen.');
    // Audit first: the database lets a read leave "submitted" only right after its reopen row.
    await appendAudit(db, {
      actor,
      action: 'read.reopen',
      entity: 'read',
      entityId: readId,
      before: { state: 'submitted', submittedAt: read.submitted_at },
      after: { state: 'in_progress', reason },
    });
    await db.run("UPDATE reads SET state = 'in_progress', submitted_at = NULL WHERE id = ?", [readId]);
  });
}

/** The study of a read, for the coordinator's checks; NOT_FOUND when there is no such read. */
export async function readStudyId(db: Database, readId: number): Promise<number> {
  const r = await db.get<{ study_ref: number }>(
    'SELECT c.study_ref FROM reads r JOIN cases c ON c.id = r.case_ref WHERE r.id = ?',
    [readId],
  );
  if (!r) throw new AppException('NOT_FOUND', `No read ${readId}.`);
  return r.study_ref;
}

/** The coordinator's overview: protocol, readers, the state of every reader × case. */
export async function studyOverview(db: Database, studyId: number): Promise<StudyOverview> {
  const s = await getStudy(db, studyId);
  const readers = await db.all<{ id: number; display_name: string }>(
    "SELECT id, display_name FROM study_users WHERE study_ref = ? AND role = 'reader' ORDER BY id",
    [studyId],
  );
  const cases = await db.all<{ id: number; case_code: string }>(
    'SELECT id, case_code FROM cases WHERE study_ref = ? ORDER BY case_code',
    [studyId],
  );
  const reads = await db.all<ReadRow>(
    'SELECT r.* FROM reads r JOIN cases c ON c.id = r.case_ref WHERE c.study_ref = ?',
    [studyId],
  );
  const byPair = new Map(reads.map((r) => [`${r.case_ref}/${r.reader_ref}`, r]));
  const grid = readers.flatMap((u) =>
    cases.map((c) => {
      const r = byPair.get(`${c.id}/${u.id}`);
      return {
        readId: r?.id ?? null,
        caseId: c.id,
        caseCode: c.case_code,
        readerId: u.id,
        reader: u.display_name,
        state: (r?.state ?? 'not_started') as ReadState,
        submittedAt: r?.submitted_at ?? null,
      };
    }),
  );
  return {
    study: {
      id: s.id,
      name: s.name,
      createdAt: s.created_at,
      frozen: s.frozen_at !== null,
      seed: s.randomization_seed,
      unblinded: s.unblinded_at !== null,
      protocol: studyProtocol(s),
    },
    readers: readers.map((u) => {
      const mine = grid.filter((g) => g.readerId === u.id);
      return {
        userId: u.id,
        displayName: u.display_name,
        submitted: mine.filter((g) => g.state === 'submitted').length,
        inProgress: mine.filter((g) => g.state === 'in_progress').length,
        cases: mine.length,
      };
    }),
    cases: cases.length,
    reads: grid,
    allSubmitted: grid.length > 0 && grid.every((g) => g.state === 'submitted'),
  };
}

export async function setProtocol(db: Database, studyId: number, protocol: Protocol, actor: string): Promise<void> {
  await db.transaction(async () => {
    const s = await getStudy(db, studyId);
    if (s.frozen_at)
      throw new AppException(
        'CONFLICT',
        'Reading has started: the protocol is frozen. A new protocol version needs a new study.',
      );
    await db.run('UPDATE reading_studies SET protocol_json = ? WHERE id = ?', [JSON.stringify(protocol), studyId]);
    await appendAudit(db, {
      actor,
      action: 'study.protocol.update',
      entity: 'reading_study',
      entityId: studyId,
      before: JSON.parse(s.protocol_json),
      after: protocol,
    });
  });
}

/**
 * Marks the study unblinded when every reader has submitted every case. From then on the study is
 * frozen: no readers, cases, reads, answers or protocol changes (here, in the other repositories
 * and by the triggers of migration 012).
 */
export async function unblind(db: Database, studyId: number, actor: string): Promise<void> {
  await db.transaction(async () => {
    const overview = await studyOverview(db, studyId);
    if (overview.study.unblinded) throw new AppException('CONFLICT', 'The study is already unblinded.');
    if (!overview.allSubmitted) {
      const open = overview.reads.filter((r) => r.state !== 'submitted').length;
      throw new AppException(
        'CONFLICT',
        overview.reads.length === 0
          ? 'The study has no readers or no cases yet.'
          : `${open} read(s) are not submitted yet: unblinding needs every read locked.`,
      );
    }
    const now = new Date().toISOString();
    // Audit first: the database accepts unblinding only right after its audit row.
    await appendAudit(db, {
      actor,
      action: 'study.unblind',
      entity: 'reading_study',
      entityId: studyId,
      before: null,
      after: { unblindedAt: now, reads: overview.reads.length },
    });
    await db.run('UPDATE reading_studies SET unblinded_at = ? WHERE id = ?', [now, studyId]);
  });
}

/**
 * Every submitted read of the study with its entries, by case code then reader: what results and
 * exports hold (an open read never reaches them, whatever state the study is in).
 */
export async function allReads(db: Database, studyId: number) {
  const reads = await db.all<ReadRow & { case_code: string; display_name: string }>(
    `SELECT r.*, c.case_code, u.display_name FROM reads r JOIN cases c ON c.id = r.case_ref JOIN study_users u ON u.id = r.reader_ref
      WHERE c.study_ref = ? AND r.state = 'submitted' ORDER BY c.case_code, u.id`,
    [studyId],
  );
  return Promise.all(reads.map(async (r) => ({ ...r, entries: await readEntries(db, r.id) })));
}
