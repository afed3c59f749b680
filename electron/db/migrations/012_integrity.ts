import type { Migration } from './index';

/** The reading study (if any) whose reads have started and that uses DICOM study `examRef`, by name. */
const frozenStudyOfExam = (
  examRef: string,
) => `(SELECT s.name FROM case_timepoints t JOIN cases c ON c.id = t.case_ref JOIN reading_studies s ON s.id = c.study_ref
      WHERE t.dicom_study_ref = ${examRef} AND s.frozen_at IS NOT NULL ORDER BY s.id LIMIT 1)`;

/** The same for an LETB study only (readers measure on the exam's liver mask), through a series UID. */
const frozenLetbStudyOfSeries = (
  seriesUid: string,
) => `(SELECT s.name FROM series se JOIN case_timepoints t ON t.dicom_study_ref = se.study_ref
      JOIN cases c ON c.id = t.case_ref JOIN reading_studies s ON s.id = c.study_ref
      WHERE se.series_instance_uid = ${seriesUid} AND s.frozen_at IS NOT NULL AND json_extract(s.protocol_json, '$.letb') = 1 ORDER BY s.id LIMIT 1)`;

const studyOfCase = (caseRef: string) => `(SELECT study_ref FROM cases WHERE id = ${caseRef})`;
const unblindedStudy = (studyRef: string) =>
  `(SELECT unblinded_at FROM reading_studies WHERE id = ${studyRef}) IS NOT NULL`;
const unblindedCase = (caseRef: string) => unblindedStudy(studyOfCase(caseRef));
const unblindedRead = (readRef: string) => unblindedCase(`(SELECT case_ref FROM reads WHERE id = ${readRef})`);

/** True when the newest audit row records `action` on `entity` `entityId` (written first, in the same transaction). */
const newestAudit = (action: string, entity: string, entityId: string) =>
  `EXISTS (SELECT 1 FROM audit_log a WHERE a.id = (SELECT MAX(id) FROM audit_log) AND a.action = '${action}' AND a.entity = '${entity}' AND a.entity_id = CAST(${entityId} AS TEXT))`;

const abort = (message: string) => `BEGIN SELECT RAISE(ABORT, ${message}); END`;

/**
 * Study integrity in the database itself (issue 13), so that no code path and no bare SQL
 * statement can do what the main process refuses:
 *
 * - Locks: a read enters `submitted` only with its `read.submit` audit row, and leaves it only
 *   with the coordinator's `read.reopen` row, each the newest row of the audit trail, written
 *   first in the same transaction. A submitted read is otherwise unchangeable and never deleted
 *   (its answers were already locked by 007).
 * - Unblinding (`study.unblind` audit row first; every read of the study submitted) freezes the
 *   study: no readers, cases, timepoints, reads or answers are added, changed or removed, and the
 *   study row keeps its protocol, seed and dates.
 * - The protocol and seed freeze with the first read (`frozen_at`, never cleared), and a case's
 *   exams with its first read.
 * - Study inputs: once a study's reads have started, the exams of its cases keep their series,
 *   instances and the phase a reader sees; in an LETB study the liver mask of an exam's arterial
 *   series also stays (attaching the exam's own SEG while none is attached changes nothing for
 *   its readers and is allowed). The message names the study.
 */
export const integrity012: Migration = {
  version: 12,
  name: 'integrity',
  sql: `
CREATE INDEX IF NOT EXISTS case_timepoints_exam ON case_timepoints(dicom_study_ref);

CREATE TRIGGER reads_submit_audited BEFORE UPDATE OF state ON reads
  WHEN OLD.state <> 'submitted' AND NEW.state = 'submitted' AND NOT ${newestAudit('read.submit', 'read', 'OLD.id')}
  ${abort(`'read ' || OLD.id || ' can only be locked by its audited submit'`)};
CREATE TRIGGER reads_reopen_audited BEFORE UPDATE ON reads
  WHEN OLD.state = 'submitted' AND NEW.state IS NOT 'submitted' AND NOT ${newestAudit('read.reopen', 'read', 'OLD.id')}
  ${abort(`'read ' || OLD.id || ' is submitted and locked: only the coordinator''s audited reopen unlocks it'`)};
CREATE TRIGGER reads_submitted_unchanged BEFORE UPDATE ON reads
  WHEN OLD.state = 'submitted' AND NEW.state = 'submitted'
  ${abort(`'read ' || OLD.id || ' is submitted and locked'`)};
CREATE TRIGGER reads_submitted_kept BEFORE DELETE ON reads
  WHEN OLD.state = 'submitted' OR ${unblindedCase('OLD.case_ref')}
  ${abort(`'read ' || OLD.id || ' is submitted and locked'`)};

CREATE TRIGGER reading_studies_unblind_audited BEFORE UPDATE OF unblinded_at ON reading_studies
  WHEN OLD.unblinded_at IS NULL AND NEW.unblinded_at IS NOT NULL
   AND (NOT ${newestAudit('study.unblind', 'reading_study', 'OLD.id')}
        OR EXISTS (SELECT 1 FROM reads r JOIN cases c ON c.id = r.case_ref WHERE c.study_ref = OLD.id AND r.state <> 'submitted'))
  ${abort(`'study "' || OLD.name || '" is unblinded only by its audited unblinding, once every read is submitted'`)};
CREATE TRIGGER reading_studies_unblinded_frozen BEFORE UPDATE OF name, protocol_json, randomization_seed, created_at, frozen_at, unblinded_at ON reading_studies
  WHEN OLD.unblinded_at IS NOT NULL
  ${abort(`'study "' || OLD.name || '" is unblinded: it can no longer change'`)};
CREATE TRIGGER reading_studies_protocol_frozen BEFORE UPDATE OF protocol_json, randomization_seed, frozen_at ON reading_studies
  WHEN OLD.frozen_at IS NOT NULL AND (NEW.protocol_json IS NOT OLD.protocol_json OR NEW.randomization_seed IS NOT OLD.randomization_seed OR NEW.frozen_at IS NOT OLD.frozen_at)
  ${abort(`'the protocol of study "' || OLD.name || '" is frozen: reading has started'`)};
CREATE TRIGGER reading_studies_kept BEFORE DELETE ON reading_studies
  WHEN OLD.frozen_at IS NOT NULL
  ${abort(`'study "' || OLD.name || '" has reads and cannot be deleted'`)};

CREATE TRIGGER study_users_unblinded BEFORE INSERT ON study_users
  WHEN ${unblindedStudy('NEW.study_ref')}
  ${abort(`'the study is unblinded: no readers can be added'`)};
CREATE TRIGGER cases_unblinded_insert BEFORE INSERT ON cases
  WHEN ${unblindedStudy('NEW.study_ref')}
  ${abort(`'the study is unblinded: no cases can be added'`)};
CREATE TRIGGER cases_unblinded_update BEFORE UPDATE ON cases
  WHEN ${unblindedStudy('OLD.study_ref')} OR ${unblindedStudy('NEW.study_ref')}
  ${abort(`'the study is unblinded: its cases can no longer change'`)};
CREATE TRIGGER cases_unblinded_delete BEFORE DELETE ON cases
  WHEN ${unblindedStudy('OLD.study_ref')} OR EXISTS (SELECT 1 FROM reads WHERE case_ref = OLD.id)
  ${abort(`'case ' || OLD.case_code || ' has reads or its study is unblinded: it cannot be removed'`)};
CREATE TRIGGER case_timepoints_locked_insert BEFORE INSERT ON case_timepoints
  WHEN ${unblindedCase('NEW.case_ref')} OR EXISTS (SELECT 1 FROM reads WHERE case_ref = NEW.case_ref)
  ${abort(`'a reader has opened this case, or its study is unblinded: its exams can no longer change'`)};
CREATE TRIGGER case_timepoints_locked_update BEFORE UPDATE ON case_timepoints
  WHEN ${unblindedCase('OLD.case_ref')} OR EXISTS (SELECT 1 FROM reads WHERE case_ref IN (OLD.case_ref, NEW.case_ref))
  ${abort(`'a reader has opened this case, or its study is unblinded: its exams can no longer change'`)};
CREATE TRIGGER case_timepoints_locked_delete BEFORE DELETE ON case_timepoints
  WHEN ${unblindedCase('OLD.case_ref')} OR EXISTS (SELECT 1 FROM reads WHERE case_ref = OLD.case_ref)
  ${abort(`'a reader has opened this case, or its study is unblinded: its exams can no longer change'`)};
CREATE TRIGGER reads_unblinded_insert BEFORE INSERT ON reads
  WHEN ${unblindedCase('NEW.case_ref')}
  ${abort(`'the study is unblinded: no reads can be started'`)};
CREATE TRIGGER reads_unblinded_update BEFORE UPDATE ON reads
  WHEN ${unblindedCase('OLD.case_ref')}
  ${abort(`'the study is unblinded: its reads can no longer change'`)};
CREATE TRIGGER read_entries_unblinded_insert BEFORE INSERT ON read_entries
  WHEN ${unblindedRead('NEW.read_ref')}
  ${abort(`'the study is unblinded: its reads can no longer change'`)};
CREATE TRIGGER read_entries_unblinded_update BEFORE UPDATE ON read_entries
  WHEN ${unblindedRead('OLD.read_ref')}
  ${abort(`'the study is unblinded: its reads can no longer change'`)};
CREATE TRIGGER read_entries_unblinded_delete BEFORE DELETE ON read_entries
  WHEN ${unblindedRead('OLD.read_ref')}
  ${abort(`'the study is unblinded: its reads can no longer change'`)};

CREATE TRIGGER series_phase_frozen BEFORE UPDATE OF phase, phase_override ON series
  WHEN COALESCE(NEW.phase_override, NEW.phase) IS NOT COALESCE(OLD.phase_override, OLD.phase) AND ${frozenStudyOfExam('OLD.study_ref')} IS NOT NULL
  ${abort(`'the phases of this exam are frozen: reading study "' || ${frozenStudyOfExam('OLD.study_ref')} || '" has started'`)};
CREATE TRIGGER series_identity_frozen BEFORE UPDATE OF study_ref, series_instance_uid, modality, series_number ON series
  WHEN ${frozenStudyOfExam('OLD.study_ref')} IS NOT NULL OR ${frozenStudyOfExam('NEW.study_ref')} IS NOT NULL
  ${abort(`'the series of this exam are frozen: a reading study using it has started'`)};
CREATE TRIGGER series_insert_frozen BEFORE INSERT ON series
  WHEN NOT EXISTS (SELECT 1 FROM series WHERE series_instance_uid = NEW.series_instance_uid) AND ${frozenStudyOfExam('NEW.study_ref')} IS NOT NULL
  ${abort(`'no series can be added to this exam: reading study "' || ${frozenStudyOfExam('NEW.study_ref')} || '" has started'`)};
CREATE TRIGGER series_delete_frozen BEFORE DELETE ON series
  WHEN ${frozenStudyOfExam('OLD.study_ref')} IS NOT NULL
  ${abort(`'the series of this exam are frozen: reading study "' || ${frozenStudyOfExam('OLD.study_ref')} || '" has started'`)};
CREATE TRIGGER instances_insert_frozen BEFORE INSERT ON instances
  WHEN NOT EXISTS (SELECT 1 FROM instances WHERE sop_instance_uid = NEW.sop_instance_uid)
   AND ${frozenStudyOfExam('(SELECT study_ref FROM series WHERE id = NEW.series_ref)')} IS NOT NULL
  ${abort(`'no images can be added to this exam: reading study "' || ${frozenStudyOfExam('(SELECT study_ref FROM series WHERE id = NEW.series_ref)')} || '" has started'`)};
CREATE TRIGGER instances_update_frozen BEFORE UPDATE ON instances
  WHEN ${frozenStudyOfExam('(SELECT study_ref FROM series WHERE id = OLD.series_ref)')} IS NOT NULL
    OR ${frozenStudyOfExam('(SELECT study_ref FROM series WHERE id = NEW.series_ref)')} IS NOT NULL
  ${abort(`'the images of this exam are frozen: a reading study using it has started'`)};
CREATE TRIGGER instances_delete_frozen BEFORE DELETE ON instances
  WHEN ${frozenStudyOfExam('(SELECT study_ref FROM series WHERE id = OLD.series_ref)')} IS NOT NULL
  ${abort(`'the images of this exam are frozen: a reading study using it has started'`)};
CREATE TRIGGER masks_attach_frozen BEFORE INSERT ON masks
  WHEN NEW.kind = 'liver' AND ${frozenLetbStudyOfSeries('NEW.arterial_series_uid')} IS NOT NULL
   AND (EXISTS (SELECT 1 FROM masks WHERE arterial_series_uid = NEW.arterial_series_uid AND kind = 'liver' AND detached_at IS NULL)
        OR NOT EXISTS (SELECT 1 FROM series a JOIN series seg ON seg.study_ref = a.study_ref AND seg.modality = 'SEG' JOIN instances i ON i.series_ref = seg.id
                        WHERE a.series_instance_uid = NEW.arterial_series_uid AND i.file_path = NEW.source_path))
  ${abort(`'the liver mask of this exam is frozen: LETB study "' || ${frozenLetbStudyOfSeries('NEW.arterial_series_uid')} || '" has started'`)};
CREATE TRIGGER masks_detach_frozen BEFORE UPDATE ON masks
  WHEN OLD.kind = 'liver' AND ${frozenLetbStudyOfSeries('OLD.arterial_series_uid')} IS NOT NULL
  ${abort(`'the liver mask of this exam is frozen: LETB study "' || ${frozenLetbStudyOfSeries('OLD.arterial_series_uid')} || '" has started'`)};
`,
};
