import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startHost, type Host } from '../../electron/host/server';
import type { Services } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import type { Result } from '../../core/ipc/result';

export interface HostClient {
  host: Host;
  /** One contract call over real HTTP as the browser page `client` (its own sign-in). */
  call<T = unknown>(method: string, payload: unknown, client: string): Promise<Result<T>>;
  close(): Promise<void>;
}

/**
 * The loopback host over `services` (a stub renderer in `dir`), and a client that calls the
 * contract over real HTTP as the browser UI does: launch secret in its header, one client id
 * per page, and the session token the host hands each page (`X-Concord-Session`) sent back on
 * its next calls.
 */
export async function startHostClient(services: Services, dir: string): Promise<HostClient> {
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const host = await startHost({ services, rendererDir, logger: silentLogger });
  const tokens = new Map<string, string>();
  function call<T>(method: string, payload: unknown, client: string): Promise<Result<T>> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = {
      host: `127.0.0.1:${host.port}`,
      'content-type': 'application/json',
      'x-concord-secret': host.secret,
      'x-concord-client': client,
    };
    const token = tokens.get(client);
    if (token) headers['x-concord-session'] = token;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'POST', path: `/api/${method}`, headers },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => {
            const next = res.headers['x-concord-session'];
            if (next === 'none') tokens.delete(client);
            else if (typeof next === 'string') tokens.set(client, next);
            try {
              resolve(JSON.parse(data) as Result<T>);
            } catch (err) {
              reject(new Error(`HTTP ${res.statusCode}: ${data.slice(0, 200)}`, { cause: err }));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  return { host, call, close: () => host.close() };
}
