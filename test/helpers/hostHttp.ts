import { request } from 'node:http';
import type { Host } from '../../electron/host/server';
import type { JobProgress } from '../../core/ipc/contract';

export interface HostReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/**
 * One page of the browser UI as the host sees it: its client id, the secret, and the session
 * token the host hands it (kept from the `X-Concord-Session` response header, as the page does;
 * `kept`: a token the page already holds, e.g. in its sessionStorage from before a restart).
 */
export function hostPage(host: Host, clientId: string, kept?: string) {
  let token: string | undefined = kept;
  const headers = () => ({
    host: `127.0.0.1:${host.port}`,
    'x-concord-secret': host.secret,
    'x-concord-client': clientId,
    ...(token ? { 'x-concord-session': token } : {}),
  });
  return {
    get token() {
      return token;
    },
    call(method: string, payload?: unknown): Promise<HostReply> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            method: 'POST',
            path: `/api/${method}`,
            headers: { ...headers(), 'content-type': 'application/json' },
          },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (data += c));
            res.on('end', () => {
              const next = res.headers['x-concord-session'];
              if (typeof next === 'string') token = next === 'none' ? undefined : next;
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: JSON.parse(data) as HostReply['body'],
              });
            });
          },
        );
        req.on('error', reject);
        req.end(payload === undefined ? '' : JSON.stringify(payload));
      });
    },
    /** Opens the page's event stream (with its current token); `events` fills as they arrive. */
    openEvents(): { events: JobProgress[]; close(): void } {
      const events: JobProgress[] = [];
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: headers() }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (block.startsWith('event: jobProgress') && data) events.push(JSON.parse(data.slice(6)) as JobProgress);
          }
        });
      });
      req.on('error', () => undefined);
      req.end();
      return { events, close: () => req.destroy() };
    },
  };
}
