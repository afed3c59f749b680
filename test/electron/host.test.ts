import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startHost, type Host } from '../../electron/host/server';
import { createServices, type Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { hostCsp } from '../../electron/platform/csp';
import type { JobProgress } from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';

let host: Host;
let services: Services;
let temp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  temp = makeTempDir();
  const rendererDir = join(temp.path, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(temp.path, 'outside.txt'), 'must never be served');
  services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
  host = await startHost({ services, rendererDir, logger: silentLogger });
});
afterAll(async () => {
  await host.close();
  await services.close();
  temp.cleanup();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP so that Host, Origin and other headers can be set exactly as an attacker would. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const api = (method: string, payload: unknown, headers: Record<string, string> = {}) =>
  send(
    'POST',
    `/api/${method}`,
    { 'content-type': 'application/json', 'x-concord-secret': host.secret, ...headers },
    payload === undefined ? '' : JSON.stringify(payload),
  );

describe('loopback host: binding', () => {
  it('listens on 127.0.0.1 only, on a random port, with a long random secret', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.port).toBeGreaterThan(0);
    expect(host.secret.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    // In the fragment: browsers never send it to a server (no request line, Referer or log).
    expect(host.url).toBe(`${host.origin}/#secret=${host.secret}`);
  });

  it('is not reachable on another local address', async () => {
    const other = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.2', port: host.port, path: '/' }, () => resolve('connected'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(other).toBe('ECONNREFUSED');
  });
});

describe('loopback host: secret', () => {
  it('answers 401 to a contract call without the secret', async () => {
    const res = await send('POST', '/api/getAppInfo', { 'content-type': 'application/json' }, '');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Unauthorized: the launch secret is missing.' },
    });
  });

  it('answers 401 to a wrong secret, also one of the right length', async () => {
    const wrong = 'A'.repeat(host.secret.length);
    for (const secret of ['nope', wrong]) {
      const res = await api('getAppInfo', undefined, { 'x-concord-secret': secret });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.message).toMatch(/wrong launch secret/);
    }
  });

  it('serves the page and its assets without any credential, and never sets a cookie', async () => {
    // The built renderer holds no data; a credential the browser sends by itself (a cookie) would
    // also go to every other server on 127.0.0.1, since cookies ignore ports.
    for (const path of ['/', '/assets/app.js', `/?secret=${encodeURIComponent(host.secret)}`]) {
      const res = await send('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers['set-cookie'], path).toBeUndefined();
      expect(res.body).not.toContain(host.secret);
    }
    const page = await send('GET', '/');
    expect(page.headers['content-security-policy']).toBe(hostCsp);
    const asset = await send('GET', '/assets/app.js');
    expect(asset.headers['content-type']).toMatch(/text\/javascript/);
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
  });

  it('does not accept the secret as a query parameter or cookie on contract calls', async () => {
    const res = await send(
      'POST',
      `/api/getAppInfo?secret=${host.secret}`,
      {
        'content-type': 'application/json',
        cookie: `concord_secret_${host.port}=${host.secret}`,
      },
      '',
    );
    expect(res.status).toBe(401);
    expect(
      (await send('GET', `/api/events?secret=${host.secret}`, { cookie: `concord_secret_${host.port}=${host.secret}` }))
        .status,
    ).toBe(401);
  });

  it('still refuses the page to another site or a rebound name (no secret needed does not mean anyone may embed it)', async () => {
    expect((await send('GET', '/assets/app.js', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await send('GET', '/', { host: 'evil.example' })).status).toBe(403);
  });
});

describe('loopback host: origin and DNS rebinding', () => {
  it.each([
    ['a rebound DNS name', { host: 'evil.example:1234' }],
    ['our port under another name', { host: 'attacker.test' }],
    ['a different port', { host: '127.0.0.1:1' }],
  ])('answers 403 to %s in the Host header, even with the secret', async (_label, headers) => {
    const res = await api('getAppInfo', undefined, headers);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN');
  });

  it.each(['http://evil.example', 'http://127.0.0.1:1', 'null', 'https://127.0.0.1'])(
    'answers 403 to Origin %s, even with the secret',
    async (origin) => {
      const res = await api('getAppInfo', undefined, { origin });
      expect(res.status).toBe(403);
    },
  );

  it('answers 403 to a same-site but cross-origin fetch (another port of 127.0.0.1)', async () => {
    const res = await api('getAppInfo', undefined, { 'sec-fetch-site': 'same-site' });
    expect(res.status).toBe(403);
  });

  it('accepts our own origin under both loopback names', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const res = await api('getAppInfo', undefined, {
        host: `${name}:${host.port}`,
        origin: `http://${name}:${host.port}`,
        'sec-fetch-site': 'same-origin',
      });
      expect(res.status).toBe(200);
    }
  });
});

describe('loopback host: contract over HTTP', () => {
  it('serves the same contract as IPC', async () => {
    const res = await api('getAppInfo', undefined);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(await services.dispatch('getAppInfo', undefined));
  });

  it('rejects bad payloads with INVALID_INPUT before running anything', async () => {
    const bad = await api('getJob', { jobId: "'; DROP TABLE app_meta; --" });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body).error.code).toBe('INVALID_INPUT');
    const notJson = await send(
      'POST',
      '/api/getAppInfo',
      { 'content-type': 'application/json', 'x-concord-secret': host.secret },
      '{not json',
    );
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error).toEqual({
      code: 'INVALID_INPUT',
      message: 'The request body is not valid JSON.',
    });
  });

  it('refuses non-JSON content types (no form posts) and oversized bodies', async () => {
    const form = await send(
      'POST',
      '/api/getAppInfo',
      { 'content-type': 'text/plain', 'x-concord-secret': host.secret },
      '{}',
    );
    expect(form.status).toBe(415);
    const huge = await api('getAppInfo', { blob: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('answers 404 for unknown methods and files, and never serves files outside the renderer', async () => {
    expect((await api('dropEverything', undefined)).status).toBe(404);
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/nope.js']) {
      const res = await send('GET', path, { 'x-concord-secret': host.secret });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('must never be served');
    }
  });

  it('answers 405 to the wrong HTTP method', async () => {
    expect((await send('GET', '/api/getAppInfo', { 'x-concord-secret': host.secret })).status).toBe(405);
    expect((await send('DELETE', '/', { 'x-concord-secret': host.secret })).status).toBe(405);
  });

  it('streams job progress as server-sent events, and only with the secret', async () => {
    expect((await send('GET', '/api/events')).status).toBe(401);
    const events: JobProgress[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${host.port}`, 'x-concord-secret': host.secret },
        },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block.split('\n').find((l) => l.startsWith('data: '));
              if (block.startsWith('event: jobProgress') && data) {
                const event = JSON.parse(data.slice(6)) as JobProgress;
                events.push(event);
                if (event.state !== 'running') {
                  req.destroy();
                  resolve();
                }
              }
            }
          });
          // Start the job once the stream is open.
          void api('startDatabaseCheck', undefined);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    await done;
    expect(events.at(-1)).toMatchObject({ jobType: 'databaseCheck', state: 'succeeded', result: { ok: true } });
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps a sign-in to the session token it handed out: the page id (X-Concord-Client) is not a credential', async () => {
    const pageA = { 'x-concord-client': 'pageAAAAAAAAAAAA' };
    const created = await api(
      'createReadingStudy',
      { name: 'Host study', coordinatorName: 'Coord', passphrase: 'host coordinator pass' },
      pageA,
    );
    expect(JSON.parse(created.body).ok).toBe(true);
    const token = String(created.headers['x-concord-session']);
    expect(token).toMatch(/^[\w-]{43}$/); // 256 random bits, base64url
    const signedIn = { ...pageA, 'x-concord-session': token };
    expect(JSON.parse((await api('whoAmI', undefined, signedIn)).body).value).toMatchObject({ role: 'coordinator' });
    expect(JSON.parse((await api('listDicomIndex', undefined, signedIn)).body).ok).toBe(true);
    // The same page id without the token: nobody. The token from another page id: the coordinator.
    expect(JSON.parse((await api('whoAmI', undefined, pageA)).body).value).toBeNull();
    expect(JSON.parse((await api('listDicomIndex', undefined, pageA)).body).error.code).toBe('FORBIDDEN');
    expect(
      JSON.parse(
        (await api('whoAmI', undefined, { 'x-concord-client': 'pageBBBBBBBBBBBB', 'x-concord-session': token })).body,
      ).value,
    ).toMatchObject({ role: 'coordinator' });
    // Signing out tells the page to drop the token, and the token is dead from then on.
    const out = await api('signOut', undefined, signedIn);
    expect(out.headers['x-concord-session']).toBe('none');
    const after = await api('listDicomIndex', undefined, signedIn);
    expect(JSON.parse(after.body).error).toEqual({
      code: 'SESSION_ENDED',
      message: 'This session was signed out: sign in again.',
    });
    expect(after.headers['x-concord-session']).toBe('none');
  });
});
