import type { ReadingStudySummary, StudyUser } from '../../../core/ipc/contract';
import type { Protocol } from '../../../core/studies/protocol';
import { AppException } from '../../../core/ipc/result';
import { appendAudit } from '../audit';
import type { Database } from '../database';

interface StudyRow {
  id: number;
  name: string;
  created_at: string;
  frozen_at: string | null;
}

const summary = (r: StudyRow): ReadingStudySummary => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  frozen: r.frozen_at !== null,
});

export async function listStudies(db: Database): Promise<ReadingStudySummary[]> {
  return (
    await db.all<StudyRow>('SELECT id, name, created_at, frozen_at FROM reading_studies ORDER BY created_at, id')
  ).map(summary);
}

/** Creates a study and its coordinator in one transaction (audited). */
export async function createStudy(
  db: Database,
  s: { name: string; protocol: Protocol; seed: number; coordinatorName: string; passphraseHash: string },
): Promise<{ study: ReadingStudySummary; coordinator: StudyUser }> {
  return db.transaction(async () => {
    if (await db.get('SELECT 1 FROM reading_studies WHERE name = ?', [s.name]))
      throw new AppException('CONFLICT', `A study named "${s.name}" already exists.`);
    const now = new Date().toISOString();
    const studyId = (
      await db.run(
        'INSERT INTO reading_studies (name, protocol_json, randomization_seed, created_at) VALUES (?, ?, ?, ?)',
        [s.name, JSON.stringify(s.protocol), s.seed, now],
      )
    ).lastID;
    const userId = (
      await db.run(
        "INSERT INTO study_users (study_ref, role, display_name, passphrase_hash, created_at) VALUES (?, 'coordinator', ?, ?, ?)",
        [studyId, s.coordinatorName, s.passphraseHash, now],
      )
    ).lastID;
    await appendAudit(db, {
      actor: `user:${userId}`,
      action: 'study.create',
      entity: 'reading_study',
      entityId: studyId,
      before: null,
      after: { name: s.name, protocol: s.protocol, seed: s.seed, coordinator: s.coordinatorName },
    });
    return {
      study: { id: studyId, name: s.name, createdAt: now, frozen: false },
      coordinator: { userId, studyId, studyName: s.name, role: 'coordinator', displayName: s.coordinatorName },
    };
  });
}

/** Adds a reader (audited); refused once the study is unblinded (its set of readers is final). */
export async function addReader(
  db: Database,
  studyId: number,
  displayName: string,
  passphraseHash: string,
  actor: string,
): Promise<StudyUser> {
  return db.transaction(async () => {
    const study = await db.get<StudyRow & { unblinded_at: string | null }>(
      'SELECT id, name, created_at, frozen_at, unblinded_at FROM reading_studies WHERE id = ?',
      [studyId],
    );
    if (!study) throw new AppException('NOT_FOUND', `No reading study ${studyId}.`);
    if (study.unblinded_at)
      throw new AppException(
        'CONFLICT',
        `Study "${study.name}" is unblinded: its readers are final, no reader can be added.`,
      );
    if (await db.get('SELECT 1 FROM study_users WHERE study_ref = ? AND display_name = ?', [studyId, displayName])) {
      throw new AppException('CONFLICT', `"${displayName}" is already a user of this study.`);
    }
    const userId = (
      await db.run(
        "INSERT INTO study_users (study_ref, role, display_name, passphrase_hash, created_at) VALUES (?, 'reader', ?, ?, ?)",
        [studyId, displayName, passphraseHash, new Date().toISOString()],
      )
    ).lastID;
    await appendAudit(db, {
      actor,
      action: 'study.reader.add',
      entity: 'study_user',
      entityId: userId,
      before: null,
      after: { studyId, displayName, role: 'reader' },
    });
    return { userId, studyId, studyName: study.name, role: 'reader', displayName };
  });
}

/** The stored hash and profile of a study user, for sign-in. */
export async function findUser(
  db: Database,
  studyId: number,
  displayName: string,
): Promise<(StudyUser & { passphraseHash: string }) | undefined> {
  const r = await db.get<{
    id: number;
    role: 'coordinator' | 'reader';
    display_name: string;
    passphrase_hash: string;
    name: string;
  }>(
    'SELECT u.id, u.role, u.display_name, u.passphrase_hash, s.name FROM study_users u JOIN reading_studies s ON s.id = u.study_ref WHERE u.study_ref = ? AND u.display_name = ?',
    [studyId, displayName],
  );
  return (
    r && {
      userId: r.id,
      studyId,
      studyName: r.name,
      role: r.role,
      displayName: r.display_name,
      passphraseHash: r.passphrase_hash,
    }
  );
}
