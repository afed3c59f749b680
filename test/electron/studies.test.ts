import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/services/handlers';
import { verifyAudit } from '../../electron/db/audit';
import { readerMethods, type ReadingStudySummary, type StudyUser } from '../../core/ipc/contract';
import { referenceProtocol } from '../../core/studies/protocol';
import { useTempServices } from '../helpers/tempServices';

const env = useTempServices();

const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
};
const coordinator = 'conn-coordinator';
const readerA = 'conn-reader-a';
const stranger = 'conn-stranger';

async function studyWithReader(): Promise<ReadingStudySummary> {
  const study = ok<ReadingStudySummary>(
    await env.services.dispatch(
      'createReadingStudy',
      { name: 'NELM TACE 2026', coordinatorName: 'Coordinator', passphrase: 'coordinator passphrase 1', seed: 42 },
      coordinator,
    ),
  );
  ok(
    await env.services.dispatch(
      'addStudyReader',
      { studyId: study.id, displayName: 'Reader A', passphrase: 'reader a passphrase' },
      coordinator,
    ),
  );
  ok(
    await env.services.dispatch(
      'signIn',
      { studyId: study.id, displayName: 'Reader A', passphrase: 'reader a passphrase' },
      readerA,
    ),
  );
  return study;
}

describe('reading studies and sign-in', () => {
  it('creates a study with the reference protocol, signs its coordinator in, and lists it without patient data', async () => {
    const study = ok<ReadingStudySummary>(
      await env.services.dispatch(
        'createReadingStudy',
        { name: 'NELM TACE 2026', coordinatorName: 'Coordinator', passphrase: 'coordinator passphrase 1' },
        coordinator,
      ),
    );
    expect(study).toMatchObject({ name: 'NELM TACE 2026', frozen: false });
    expect(ok<StudyUser>(await env.services.dispatch('whoAmI', undefined, coordinator))).toMatchObject({
      role: 'coordinator',
      displayName: 'Coordinator',
      studyName: 'NELM TACE 2026',
    });
    expect(ok(await env.services.dispatch('listReadingStudies', undefined, stranger))).toEqual([study]);
    const row = await env.services.context.db.get<{ protocol_json: string; randomization_seed: number }>(
      'SELECT protocol_json, randomization_seed FROM reading_studies',
    );
    expect(JSON.parse(row!.protocol_json)).toEqual(referenceProtocol);
    expect(Number.isSafeInteger(row!.randomization_seed)).toBe(true);
  });

  it('stores passphrases as scrypt hashes, never in clear', async () => {
    await studyWithReader();
    const rows = await env.services.context.db.all<{ passphrase_hash: string }>(
      'SELECT passphrase_hash FROM study_users',
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.passphrase_hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/); // N = 2^17
      expect(r.passphrase_hash).not.toMatch(/pass/);
    }
    const audit = await env.services.context.db.all<{ after_json: string }>('SELECT after_json FROM audit_log');
    for (const a of audit) expect(a.after_json).not.toMatch(/reader a passphrase|coordinator passphrase/);
  });

  it('refuses a wrong passphrase and an unknown name with the same answer, and audits failures as counts, not a row per guess', async () => {
    const study = await studyWithReader();
    for (const [name, pass] of [
      ['Reader A', 'wrong passphrase!'],
      ['Nobody', 'reader a passphrase'],
    ]) {
      expect(
        await env.services.dispatch('signIn', { studyId: study.id, displayName: name, passphrase: pass }, stranger),
      ).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Wrong name or passphrase.' },
      });
    }
    expect(ok(await env.services.dispatch('whoAmI', undefined, stranger))).toBeNull();
    const actions = (
      await env.services.context.db.all<{ action: string }>('SELECT action FROM audit_log ORDER BY id')
    ).map((r) => r.action);
    expect(actions).toEqual(['study.create', 'auth.signin', 'study.reader.add', 'auth.signin']);
    // The two failures are counted (one for Reader A's account, two for the source) until a third starts the wait.
    expect(await env.services.context.db.all('SELECT failures FROM account_sign_in_failures')).toEqual([
      { failures: 1 },
    ]);
    expect(await env.services.context.db.all('SELECT source, failures FROM source_sign_in_failures')).toEqual([
      { source: stranger, failures: 2 },
    ]);
    expect((await verifyAudit(env.services.context.db)).ok).toBe(true);
  });

  it('signs out', async () => {
    await studyWithReader();
    expect(ok<StudyUser>(await env.services.dispatch('whoAmI', undefined, readerA))).toMatchObject({
      role: 'reader',
      displayName: 'Reader A',
    });
    ok(await env.services.dispatch('signOut', undefined, readerA));
    expect(ok(await env.services.dispatch('whoAmI', undefined, readerA))).toBeNull();
  });

  it.each([
    [{ name: 'x', coordinatorName: 'c', passphrase: 'short' }, 'INVALID_INPUT', /at least 12 characters \(it has 5\)/],
    [
      { name: 'x', coordinatorName: 'c', passphrase: 'eleven char' },
      'INVALID_INPUT',
      /at least 12 characters \(it has 11\)/,
    ],
    // Code points, not UTF-16 units: 11 emoji are 22 units but 11 characters.
    [
      { name: 'x', coordinatorName: 'c', passphrase: '\u{1F600}'.repeat(11) },
      'INVALID_INPUT',
      /at least 12 characters \(it has 11\)/,
    ],
    [
      { name: 'x', coordinatorName: 'c', passphrase: 'long enough passphrase', protocol: { version: 1, criteria: [] } },
      'INVALID_INPUT',
      /criteria/,
    ],
    [{ name: '', coordinatorName: 'c', passphrase: 'long enough passphrase' }, 'INVALID_INPUT', /"name"/],
    [{ name: 'x', coordinatorName: 'c\u0007', passphrase: 'long enough passphrase' }, 'INVALID_INPUT', /printable/],
    [{ name: 'x', coordinatorName: 'c', passphrase: 'long enough passphrase', seed: -1 }, 'INVALID_INPUT', /seed/],
    [
      {
        name: 'x',
        coordinatorName: 'c',
        passphrase: 'long enough passphrase',
        protocol: {
          ...referenceProtocol,
          items: [{ id: 'x', label: 'x', kind: 'nominal', levels: Array.from({ length: 10_000 }, (_, i) => `L${i}`) }],
        },
      },
      'INVALID_INPUT',
      /levels: 2-12 distinct/,
    ],
    [
      {
        name: 'x',
        coordinatorName: 'c',
        passphrase: 'long enough passphrase',
        protocol: {
          ...referenceProtocol,
          items: [{ id: 'x', label: 'x', kind: 'numeric', unit: '', min: 0, max: 1e308 }],
        },
      },
      'INVALID_INPUT',
      /within ±1e15/,
    ],
  ])('rejects createReadingStudy(%j)', async (payload, code, message) => {
    expect(await env.services.dispatch('createReadingStudy', payload, coordinator)).toEqual({
      ok: false,
      error: { code, message: expect.stringMatching(message) },
    });
  });

  it('refuses a protocol update with too many questions or levels, and keeps the protocol it had', async () => {
    const study = await studyWithReader();
    const many = {
      ...referenceProtocol,
      items: Array.from({ length: 51 }, (_, i) => ({ id: `q${i}`, label: 'x', kind: 'ordinal', levels: ['a', 'b'] })),
    };
    expect(
      await env.services.dispatch('updateStudyProtocol', { studyId: study.id, protocol: many }, coordinator),
    ).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/at most 50 questions/) } });
    const row = await env.services.context.db.get<{ protocol_json: string }>(
      'SELECT protocol_json FROM reading_studies WHERE id = ?',
      [study.id],
    );
    expect(JSON.parse(row!.protocol_json)).toEqual(referenceProtocol);
  });

  it('refuses a second study of the same name, and readers added twice', async () => {
    const study = await studyWithReader();
    expect(
      await env.services.dispatch(
        'createReadingStudy',
        { name: 'NELM TACE 2026', coordinatorName: 'C', passphrase: 'another passphrase' },
        coordinator,
      ),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(
      await env.services.dispatch(
        'addStudyReader',
        { studyId: study.id, displayName: 'Reader A', passphrase: 'yet another passphrase' },
        coordinator,
      ),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('access enforced in the main process', () => {
  function createHandlersAccess(): Record<string, string> {
    return Object.fromEntries(Object.entries(createHandlers(env.services.context)).map(([k, h]) => [k, h.access]));
  }

  it('lets the unsigned local user set up while no study exists', async () => {
    expect(await env.services.dispatch('listDicomIndex', undefined, stranger)).toMatchObject({ ok: true });
  });

  it('refuses every coordinator method to a signed-in reader, whatever the payload', async () => {
    await studyWithReader();
    const methods = readerMethods.filter((m) => createHandlersAccess()[m] === 'coordinator');
    expect(methods).toContain('listDicomIndex');
    expect(methods).toContain('loadVolume');
    expect(methods.length).toBeGreaterThanOrEqual(15);
    for (const m of methods) {
      const res = await env.services.dispatch(m, { anything: true }, readerA);
      expect(res, m).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/Readers cannot open this|study coordinator/) },
      });
    }
  });

  it('once a study exists, refuses coordinator methods to anyone not signed in as coordinator', async () => {
    await studyWithReader();
    expect(await env.services.dispatch('listDicomIndex', undefined, stranger)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Sign in as the study coordinator first.' },
    });
    expect(await env.services.dispatch('listDicomIndex', undefined, coordinator)).toMatchObject({ ok: true });
    // A reader cannot add readers, nor can the coordinator of one study add to another's.
    expect(
      await env.services.dispatch(
        'addStudyReader',
        { studyId: 1, displayName: 'Mallory', passphrase: 'mallory passphrase' },
        readerA,
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('keeps jobs to the connection that started them', async () => {
    const started = ok<{ jobId: string }>(await env.services.dispatch('startDatabaseCheck', undefined, coordinator));
    await env.services.context.jobs.idle();
    expect(await env.services.dispatch('getJob', started, coordinator)).toMatchObject({ ok: true });
    expect(await env.services.dispatch('getJob', started, stranger)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await env.services.dispatch('cancelJob', started, stranger)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
