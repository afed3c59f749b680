import { describe, expect, it } from 'vitest';
import { servicesFor } from '../../electron/services/createServices';
import { createHandlers } from '../../electron/services/handlers';
import type { Logger } from '../../electron/services/logger';
import { AppException } from '../../core/ipc/result';
import type { AppInfo, JobProgress } from '../../core/ipc/contract';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { useTempServices } from '../helpers/tempServices';
import { unsignedCaller } from '../../electron/services/auth/callers';

const env = useTempServices();

describe('dispatch', () => {
  it('answers getAppInfo from the real on-disk database', async () => {
    const res = await env.services.dispatch('getAppInfo', undefined);
    expect(res.ok).toBe(true);
    const info = (res as { value: AppInfo }).value;
    expect(info).toMatchObject({
      productName: 'Concord',
      dataDir: env.dir,
      schemaVersion: latestSchemaVersion,
      shell: 'host',
    });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ['getAppInfo', { extra: 1 }, /unexpected field "extra"/],
    ['getAppInfo', [], /expected an object, got an array/],
    ['getAppInfo', 'x', /expected an object, got string/],
    ['getJob', undefined, /expected an object, got undefined/],
    ['getJob', {}, /"jobId" must be a string/],
    ['getJob', { jobId: 42 }, /"jobId" must be a string, got number/],
    ['getJob', { jobId: '../../etc/passwd' }, /"jobId" has an invalid format/],
    ['cancelJob', { jobId: 'job-0123456789abcdef', more: true }, /unexpected field "more"/],
    ['cancelJob', { jobId: 'x'.repeat(1000) }, /1 to 64 characters/],
  ])('rejects %s(%j) with INVALID_INPUT', async (method, payload, message) => {
    const res = await env.services.dispatch(method, payload);
    expect(res).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
  });

  it('rejects an object with a non-plain prototype', async () => {
    const res = await env.services.dispatch('getAppInfo', new Date());
    expect(res.ok === false && res.error.code).toBe('INVALID_INPUT');
  });

  it('answers NOT_FOUND for unknown methods, including prototype names', async () => {
    for (const method of ['dropDatabase', 'constructor', '__proto__', 'toString']) {
      const res = await env.services.dispatch(method, undefined);
      expect(res.ok === false && res.error.code).toBe('NOT_FOUND');
    }
  });

  it('answers NOT_FOUND for a job that does not exist', async () => {
    const res = await env.services.dispatch('getJob', { jobId: 'job-0000000000000000' });
    expect(res.ok === false && res.error.code).toBe('NOT_FOUND');
  });
});

describe('error boundary', () => {
  function servicesThatThrow(err: unknown, logged: string[]) {
    const logger: Logger = { info: () => undefined, error: (m) => logged.push(m) };
    const context = { ...env.services.context, logger };
    const handlers = createHandlers(context);
    return servicesFor(context, {
      ...handlers,
      getAppInfo: {
        access: 'anyone',
        parse: handlers.getAppInfo.parse,
        run: async () => {
          throw err;
        },
      },
    });
  }

  it('turns an AppException into { ok: false } with its code and message', async () => {
    const logged: string[] = [];
    const s = servicesThatThrow(new AppException('CONFLICT', 'The read is locked.'), logged);
    expect(await s.dispatch('getAppInfo', undefined)).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'The read is locked.' },
    });
  });

  it('turns any other error into INTERNAL without leaking its message, and logs it', async () => {
    const logged: string[] = [];
    const s = servicesThatThrow(new Error('SELECT * FROM secrets at /home/reader/x.db'), logged);
    const res = await s.dispatch('getAppInfo', undefined);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('INTERNAL');
    expect(res.error.message).not.toMatch(/SELECT|secrets|home/);
    expect(logged).toEqual(['reader:getAppInfo: unexpected error']);
  });
});

describe('jobs', () => {
  it('runs the database check as a job: jobId at once, progress events, then the report', async () => {
    const events: JobProgress[] = [];
    const unsubscribe = env.services.subscribe('jobProgress', (e) => events.push(e));
    const started = await env.services.dispatch('startDatabaseCheck', {});
    expect(started.ok).toBe(true);
    const { jobId } = (started as { value: { jobId: string } }).value;
    expect(jobId).toMatch(/^job-[0-9a-f]{16}$/);
    await env.services.context.jobs.idle();
    unsubscribe();
    expect(events.every((e) => e.jobId === jobId)).toBe(true);
    expect(events.map((e) => e.state)).toEqual(['running', 'running', 'running', 'succeeded']);
    expect(events.map((e) => e.done)).toEqual([0, 1, 2, 3]);
    expect(events.at(-1)?.result).toEqual({ schemaVersion: latestSchemaVersion, ok: true, problems: [] });
    const state = await env.services.dispatch('getJob', { jobId });
    expect(state).toEqual({ ok: true, value: events.at(-1) });
    expect(await env.services.dispatch('cancelJob', { jobId })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('cancels a running job and reports it as cancelled', async () => {
    const events: JobProgress[] = [];
    env.services.subscribe('jobProgress', (e) => events.push(e));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { jobId } = env.services.context.jobs.start(
      'databaseCheck',
      10,
      async ({ signal, progress }) => {
        progress(1, 10, 'step 1');
        await gate;
        if (signal.aborted) throw new AppException('CONFLICT', 'stopped');
        return { schemaVersion: 1, ok: true, problems: [] };
      },
      unsignedCaller('local'),
    );
    await new Promise((r) => setImmediate(r));
    expect(await env.services.dispatch('cancelJob', { jobId })).toEqual({ ok: true, value: { cancelled: true } });
    release();
    await env.services.context.jobs.idle();
    expect(events.at(-1)).toMatchObject({ jobId, state: 'cancelled' });
  });

  it('reports a failing job with its error code, and a listener that throws does not stop others', async () => {
    const seen: JobProgress[] = [];
    env.services.subscribe('jobProgress', () => {
      throw new Error('broken listener');
    });
    env.services.subscribe('jobProgress', (e) => seen.push(e));
    env.services.context.jobs.start(
      'databaseCheck',
      1,
      async () => {
        throw new AppException('IO', 'disk went away');
      },
      unsignedCaller('local'),
    );
    await env.services.context.jobs.idle();
    expect(seen.at(-1)).toMatchObject({ state: 'failed', error: { code: 'IO', message: 'disk went away' } });
  });
});
