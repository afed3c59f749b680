import type { CoordinatorCase, ReadState, WorklistEntry } from '../../../core/ipc/contract';
import { caseCode } from '../../../core/studies/caseCode';
import { relativeTimepointLabel } from '../../../core/studies/relativeDate';
import { worklistOrder } from '../../../core/studies/worklistOrder';
import { AppException } from '../../../core/ipc/result';
import { appendAudit } from '../audit';
import type { Database } from '../database';

/**
 * Adds one case per imported patient with ≥ 2 exams that has no case in the study yet. The
 * new case codes continue the study's numbering in an order shuffled with the study seed.
 * Refused once the study is unblinded (its cases are final).
 */
export async function addCasesFromIndex(db: Database, studyId: number, actor: string): Promise<number> {
  return db.transaction(async () => {
    const study = await db.get<{ name: string; randomization_seed: number; unblinded_at: string | null }>(
      'SELECT name, randomization_seed, unblinded_at FROM reading_studies WHERE id = ?',
      [studyId],
    );
    if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
    if (study.unblinded_at)
      throw new AppException(
        'CONFLICT',
        `Study "${study.name}" is unblinded: its cases are final, no case can be added.`,
      );
    const candidates = await db.all<{ patient_ref: number }>(
      `SELECT st.patient_ref FROM studies st
        WHERE st.patient_ref NOT IN (SELECT patient_ref FROM cases WHERE study_ref = ?)
        GROUP BY st.patient_ref HAVING COUNT(*) >= 2 ORDER BY st.patient_ref`,
      [studyId],
    );
    const existing = await lastCaseNumber(db, studyId);
    const shuffled = worklistOrder(candidates, study.randomization_seed, `case-codes-${existing}`);
    const now = new Date().toISOString();
    for (const [n, c] of shuffled.entries()) {
      const code = caseCode(existing + n + 1);
      const caseId = (
        await db.run('INSERT INTO cases (study_ref, case_code, patient_ref, created_at) VALUES (?, ?, ?, ?)', [
          studyId,
          code,
          c.patient_ref,
          now,
        ])
      ).lastID;
      const exams = await db.all<{ id: number }>(
        'SELECT id FROM studies WHERE patient_ref = ? ORDER BY study_date, study_time, id',
        [c.patient_ref],
      );
      for (const [ordinal, e] of exams.entries())
        await db.run('INSERT INTO case_timepoints (case_ref, ordinal, dicom_study_ref) VALUES (?, ?, ?)', [
          caseId,
          ordinal,
          e.id,
        ]);
      await appendAudit(db, {
        actor,
        action: 'study.case.add',
        entity: 'case',
        entityId: caseId,
        before: null,
        after: { studyId, caseCode: code, patientRef: c.patient_ref, timepoints: exams.length },
      });
    }
    return shuffled.length;
  });
}

/**
 * The highest case number used in the study (0 before the first case): new codes continue after it, never
 * reusing one.
 */
async function lastCaseNumber(db: Database, studyId: number): Promise<number> {
  const row = await db.get<{ n: number | null }>(
    "SELECT MAX(CAST(SUBSTR(case_code, 3) AS INTEGER)) AS n FROM cases WHERE study_ref = ? AND case_code LIKE 'C-%'",
    [studyId],
  );
  return row?.n ?? 0;
}

interface CaseExam {
  ordinal: number;
  dicom_study_ref: number;
}

/** A case of the study with its exams in order, refused (CONFLICT) once it has a read or the study is unblinded. */
async function regroupableCase(
  db: Database,
  studyId: number,
  caseId: number,
): Promise<{ code: string; patientRef: number; exams: CaseExam[] }> {
  const c = await db.get<{ case_code: string; patient_ref: number; unblinded_at: string | null }>(
    'SELECT c.case_code, c.patient_ref, s.unblinded_at FROM cases c JOIN reading_studies s ON s.id = c.study_ref WHERE c.id = ? AND c.study_ref = ?',
    [caseId, studyId],
  );
  if (!c) throw new AppException('NOT_FOUND', `No case ${caseId} in this study.`);
  if (c.unblinded_at) throw new AppException('CONFLICT', 'The study is unblinded: its cases can no longer change.');
  const reads = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reads WHERE case_ref = ?', [caseId]))!.n;
  if (reads > 0)
    throw new AppException(
      'CONFLICT',
      `A reader has opened case ${c.case_code}: its exams can no longer be regrouped (set up a new study to change them).`,
    );
  const exams = await db.all<CaseExam>(
    'SELECT ordinal, dicom_study_ref FROM case_timepoints WHERE case_ref = ? ORDER BY ordinal',
    [caseId],
  );
  return { code: c.case_code, patientRef: c.patient_ref, exams };
}

/**
 * Splits a case of a patient treated more than once into two treatments (SPEC §1: each treatment
 * is one case): the exam at `atOrdinal` is the first treatment's last exam and the baseline of
 * the new case, which takes it and every later exam under the next free case code. Before any
 * reader opens the case; audited.
 * @param atOrdinal 1 to timepoints − 2, so each treatment keeps a baseline and a follow-up
 * @throws AppException NOT_FOUND (no such case in the study), CONFLICT (read or unblinded), INVALID_INPUT (ordinal)
 */
export async function splitCase(
  db: Database,
  studyId: number,
  caseId: number,
  atOrdinal: number,
  actor: string,
): Promise<{ caseId: number; caseCode: string }> {
  return db.transaction(async () => {
    const c = await regroupableCase(db, studyId, caseId);
    const n = c.exams.length;
    if (!Number.isInteger(atOrdinal) || atOrdinal < 1 || atOrdinal > n - 2) {
      throw new AppException(
        'INVALID_INPUT',
        n < 3
          ? `Case ${c.code} has ${n} exams: a case needs a baseline and a follow-up, so it cannot be split.`
          : `Case ${c.code} can be split at exam 1 to ${n - 2} (0 is its baseline, ${n - 1} its last exam).`,
      );
    }
    const code = caseCode((await lastCaseNumber(db, studyId)) + 1);
    const now = new Date().toISOString();
    const newId = (
      await db.run('INSERT INTO cases (study_ref, case_code, patient_ref, created_at) VALUES (?, ?, ?, ?)', [
        studyId,
        code,
        c.patientRef,
        now,
      ])
    ).lastID;
    const moved = c.exams.slice(atOrdinal);
    for (const [ordinal, e] of moved.entries())
      await db.run('INSERT INTO case_timepoints (case_ref, ordinal, dicom_study_ref) VALUES (?, ?, ?)', [
        newId,
        ordinal,
        e.dicom_study_ref,
      ]);
    await db.run('DELETE FROM case_timepoints WHERE case_ref = ? AND ordinal > ?', [caseId, atOrdinal]);
    await appendAudit(db, {
      actor,
      action: 'study.case.split',
      entity: 'case',
      entityId: caseId,
      before: { caseCode: c.code, exams: c.exams.map((e) => e.dicom_study_ref) },
      after: {
        caseCode: c.code,
        exams: c.exams.slice(0, atOrdinal + 1).map((e) => e.dicom_study_ref),
        newCase: { caseId: newId, caseCode: code, exams: moved.map((e) => e.dicom_study_ref) },
      },
    });
    return { caseId: newId, caseCode: code };
  });
}

/**
 * Joins a case back into the case of the same patient it continues (whose last exam is this
 * case's baseline): the undo of `splitCase`. Before any reader opens either case; audited. The
 * joined case's code is not used again.
 * @throws AppException NOT_FOUND, CONFLICT as `splitCase`; INVALID_INPUT when no case of the patient ends
 * where this one starts
 */
export async function joinCase(
  db: Database,
  studyId: number,
  caseId: number,
  actor: string,
): Promise<{ caseId: number; caseCode: string }> {
  return db.transaction(async () => {
    const later = await regroupableCase(db, studyId, caseId);
    const previous = await db.get<{ id: number }>(
      `SELECT c.id FROM cases c JOIN case_timepoints t ON t.case_ref = c.id
        WHERE c.study_ref = ? AND c.patient_ref = ? AND c.id <> ? AND t.dicom_study_ref = ?
          AND t.ordinal = (SELECT MAX(ordinal) FROM case_timepoints WHERE case_ref = c.id)`,
      [studyId, later.patientRef, caseId, later.exams[0]!.dicom_study_ref],
    );
    if (!previous)
      throw new AppException(
        'INVALID_INPUT',
        `Case ${later.code} does not continue another case of the same patient (no case ends with its baseline exam).`,
      );
    const earlier = await regroupableCase(db, studyId, previous.id);
    const base = earlier.exams.length;
    for (const [k, e] of later.exams.slice(1).entries())
      await db.run('INSERT INTO case_timepoints (case_ref, ordinal, dicom_study_ref) VALUES (?, ?, ?)', [
        previous.id,
        base + k,
        e.dicom_study_ref,
      ]);
    await db.run('DELETE FROM case_timepoints WHERE case_ref = ?', [caseId]);
    await db.run('DELETE FROM cases WHERE id = ?', [caseId]);
    await appendAudit(db, {
      actor,
      action: 'study.case.join',
      entity: 'case',
      entityId: previous.id,
      before: {
        caseCode: earlier.code,
        exams: earlier.exams.map((e) => e.dicom_study_ref),
        joined: { caseId, caseCode: later.code, exams: later.exams.map((e) => e.dicom_study_ref) },
      },
      after: {
        caseCode: earlier.code,
        exams: [...earlier.exams, ...later.exams.slice(1)].map((e) => e.dicom_study_ref),
      },
    });
    return { caseId: previous.id, caseCode: earlier.code };
  });
}

interface CaseRow {
  case_id: number;
  case_code: string;
  patient_id: string;
  patient_name: string;
  ordinal: number;
  study_instance_uid: string;
  study_date: string;
}

/** Cases with identity and real dates: the coordinator's view. */
export async function listCases(db: Database, studyId: number): Promise<CoordinatorCase[]> {
  const rows = await db.all<CaseRow>(
    `SELECT c.id AS case_id, c.case_code, p.patient_id, p.patient_name, t.ordinal, st.study_instance_uid, st.study_date
       FROM cases c JOIN patients p ON p.id = c.patient_ref
       JOIN case_timepoints t ON t.case_ref = c.id JOIN studies st ON st.id = t.dicom_study_ref
      WHERE c.study_ref = ? ORDER BY c.case_code, t.ordinal`,
    [studyId],
  );
  const byCase = new Map<number, CoordinatorCase>();
  for (const r of rows) {
    let c = byCase.get(r.case_id);
    if (!c)
      byCase.set(
        r.case_id,
        (c = {
          caseId: r.case_id,
          caseCode: r.case_code,
          patientId: r.patient_id,
          patientName: r.patient_name,
          timepoints: [],
        }),
      );
    const baseline = c.timepoints[0]?.studyDate ?? r.study_date;
    c.timepoints.push({
      ordinal: r.ordinal,
      studyInstanceUid: r.study_instance_uid,
      studyDate: r.study_date,
      label: relativeTimepointLabel(baseline, r.study_date),
      letb: null,
    });
  }
  return [...byCase.values()];
}

/**
 * A reader's worklist: every case of the study in the order drawn from the study seed and the
 * reader's id. Built from case ids, codes and relative labels only: nothing identifying
 * leaves this function.
 */
export async function readerWorklist(db: Database, studyId: number, readerUserId: number): Promise<WorklistEntry[]> {
  const study = await db.get<{ randomization_seed: number }>(
    'SELECT randomization_seed FROM reading_studies WHERE id = ?',
    [studyId],
  );
  if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
  const cases = (await listCases(db, studyId)).map((c) => ({
    caseId: c.caseId,
    caseCode: c.caseCode,
    timepoints: c.timepoints.map((t) => ({ ordinal: t.ordinal, label: t.label })),
  }));
  const states = new Map(
    (
      await db.all<{ case_ref: number; state: ReadState }>('SELECT case_ref, state FROM reads WHERE reader_ref = ?', [
        readerUserId,
      ])
    ).map((r) => [r.case_ref, r.state]),
  );
  return worklistOrder(cases, study.randomization_seed, `reader-${readerUserId}`).map((c, n) => ({
    position: n + 1,
    ...c,
    readState: states.get(c.caseId) ?? 'not_started',
  }));
}
