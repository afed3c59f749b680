import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadView } from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';
import { completeAnswers, setUpReadingStudy, type ReadingStudyFixture } from '../helpers/readingStudy';
import { startHostClient, type HostClient } from '../helpers/hostClient';

/**
 * Issue 13 item 3: a locked read is complete. Submit used to check completeness outside the
 * transaction that locks; a "clear answer" arriving between the check and the lock left a
 * submitted read without that answer. Here the race is run over real HTTP on a real SQLite file,
 * once per case: submit and a clear of a required answer sent together.
 */

let temp: ReturnType<typeof makeTempDir>;
let f: ReadingStudyFixture;
let http: HostClient;
const page = 'readerOnePage0001';

const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
};

beforeAll(async () => {
  temp = makeTempDir();
  f = await setUpReadingStudy(temp.path, 1);
  http = await startHostClient(f.services, temp.path);
  ok(
    await http.call(
      'signIn',
      { studyId: f.study.id, displayName: 'Reader 1', passphrase: f.readers[0]!.passphrase },
      page,
    ),
  );
}, 120_000);
afterAll(async () => {
  await http.close();
  await f.services.close();
  temp.cleanup();
});

describe('atomic submit', () => {
  it('never locks a read without an answer cleared at the same moment (submit and clear raced over HTTP)', async () => {
    const outcomes: string[] = [];
    for (const [n, c] of f.cases.entries()) {
      const { readId } = ok<ReadView>(await http.call('openRead', { caseId: c.caseId }, page));
      for (const [timepoint, item, value] of completeAnswers)
        ok(await http.call('saveReadEntry', { readId, timepoint, item, value }, page));
      // Odd cases give the clear a head start of a few milliseconds, so that both outcomes occur.
      const submit = () =>
        (n % 2 === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, 5 + n))).then(() =>
          http.call<ReadView>('submitRead', { readId }, page),
        );
      const clear = () => http.call('saveReadEntry', { readId, timepoint: 0, item: 'burden', value: null }, page);
      const [submitted, cleared] = await Promise.all([submit(), clear()]);
      const after = ok<ReadView>(await http.call('openRead', { caseId: c.caseId }, page));
      // Exactly one wins: the submit (then the clear is refused, the read is locked and complete)
      // or the clear (then the submit is refused as incomplete, the read stays open).
      expect([submitted.ok, cleared.ok].filter(Boolean)).toHaveLength(1);
      if (submitted.ok) expect(cleared).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      else
        expect(submitted).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not complete: .*burden/i) },
        });
      if (after.state === 'submitted') expect(after.problems).toEqual([]);
      expect(after.state).toBe(submitted.ok ? 'submitted' : 'in_progress');
      outcomes.push(submitted.ok ? 'submitted' : 'cleared');
    }
    expect(outcomes).toHaveLength(f.cases.length);
  });

  it('the database itself refuses a submitted read leaving "submitted" without the audited reopen', async () => {
    const db = f.services.context.db;
    const locked = await db.get<{ id: number }>("SELECT id FROM reads WHERE state = 'submitted' LIMIT 1");
    expect(locked).toBeDefined();
    await expect(
      db.run("UPDATE reads SET state = 'in_progress', submitted_at = NULL WHERE id = ?", [locked!.id]),
    ).rejects.toThrow(/locked|reopen/);
    await expect(
      db.run("UPDATE reads SET submitted_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", [locked!.id]),
    ).rejects.toThrow(/locked|reopen/);
    await expect(db.run('DELETE FROM reads WHERE id = ?', [locked!.id])).rejects.toThrow(/locked/);
    // Nor can an open read be locked by a bare UPDATE (submit checks completeness and audits).
    const open = await db.get<{ id: number }>("SELECT id FROM reads WHERE state = 'in_progress' LIMIT 1");
    if (open)
      await expect(db.run("UPDATE reads SET state = 'submitted' WHERE id = ?", [open.id])).rejects.toThrow(/submit/);
  });
});
