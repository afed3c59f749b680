import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { failure, type Result } from '../../core/ipc/result';
import { binaryJsonContentType, containsTypedArray, encodeBinaryJson } from '../../core/ipc/binaryJson';
import type { Services } from '../services/createServices';
import type { Logger } from '../services/logger';
import type { CallChannel } from '../services/auth/callers';
import { checkRequest, headerValue, sessionHeader } from './security';
import { hostCsp } from '../platform/csp';

export interface HostOptions {
  services: Services;
  /** Folder with the built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Tests may pin it; a random 32-byte secret otherwise. */
  secret?: string;
  logger: Logger;
}

export interface Host {
  port: number;
  origin: string;
  secret: string;
  /**
   * The address to open: the origin with the secret in the fragment (`/#secret=…`), which the
   * browser keeps to itself (never in a request line, a Referer or a server log); the page moves
   * it to its tab's storage and out of the address bar at once.
   */
  url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;
const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/**
 * The loopback host: serves the built renderer and the same contract the Electron shell
 * serves over IPC, as `POST /api/<method>` (JSON in, Result out) and `GET /api/events`
 * (server-sent events). Binds 127.0.0.1 only.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger.error('host: request failed', err);
      if (!res.headersSent) sendJson(res, 500, failure('INTERNAL', 'Internal error in the Concord host.'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const verdict = checkRequest(req, url, port, secret);
    if (!verdict.ok) return sendJson(res, verdict.status, failure('FORBIDDEN', verdict.message));

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendJson(res, 405, failure('INVALID_INPUT', 'Use GET for /api/events.'));
      return openEventStream(res, hostChannel(req));
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, failure('INVALID_INPUT', 'Use POST for contract calls.'));
      return callMethod(req, res, url.pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, failure('INVALID_INPUT', 'Method not allowed.'));
    }
    return serveStatic(res, url);
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      return sendJson(res, 415, failure('INVALID_INPUT', 'Contract calls must be sent as application/json.'));
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      return sendJson(res, 413, failure('INVALID_INPUT', (err as Error).message));
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? undefined : JSON.parse(body);
    } catch {
      return sendJson(res, 400, failure('INVALID_INPUT', 'The request body is not valid JSON.'));
    }
    const channel = hostChannel(req);
    const result = await options.services.dispatch(method, payload, channel);
    // A sign-in hands the page its session token; a sign-out or an ended session tells it to drop it.
    if (channel.delivered !== undefined) res.setHeader(sessionHeader, channel.delivered ?? 'none');
    const status =
      !result.ok && result.error.code === 'NOT_FOUND' && result.error.message.startsWith('Unknown method') ? 404 : 200;
    if (containsTypedArray(result)) {
      // Volumes: raw bytes instead of JSON numbers (a 512x512x300 CT is 150 MB as int16).
      const body = encodeBinaryJson(result);
      res.writeHead(status, { 'Content-Type': binaryJsonContentType, 'Content-Length': body.byteLength });
      res.end(body);
      return;
    }
    sendJson(res, status, result);
  }

  function openEventStream(res: ServerResponse, channel: CallChannel): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    // Only the jobs of whoever holds this stream's session (or, unsigned, its page), checked per event.
    const unsubscribe = options.services.subscribeJobs(channel, (payload) =>
      res.write(`event: jobProgress\ndata: ${JSON.stringify(payload)}\n\n`),
    );
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  async function serveStatic(res: ServerResponse, url: URL): Promise<void> {
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).slice(1);
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep)) return sendJson(res, 404, failure('NOT_FOUND', 'Not found.'));
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return sendJson(res, 404, failure('NOT_FOUND', 'Not found.'));
    const headers: Record<string, string> = {
      'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
    };
    if (extname(file) === '.html') headers['Content-Security-Policy'] = hostCsp;
    res.writeHead(200, headers);
    res.end(await readFile(file));
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    secret,
    url: `${origin}/#secret=${encodeURIComponent(secret)}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const s of streams) s.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/**
 * The services' channel for one request. Each page of the browser UI sends a random client id
 * (X-Concord-Client): its job events and an unsigned user's jobs are that page's, nothing more;
 * requests without one share the "host" connection. Who is signed in is decided by the session
 * token (X-Concord-Session) alone, and sign-in throttling counts by the peer address.
 */
function hostChannel(req: IncomingMessage): CallChannel & { delivered?: string | null } {
  const id = headerValue(req.headers['x-concord-client']);
  const connection = typeof id === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(id) ? `host-${id}` : 'host';
  const token = headerValue(req.headers[sessionHeader]);
  const channel: CallChannel & { delivered?: string | null } = {
    connection,
    source: `host ${req.socket.remoteAddress ?? 'unknown'}`,
    ...(token !== undefined && token.length > 0 && token.length <= 256 && token !== 'none'
      ? { sessionToken: token }
      : {}),
    deliverToken: (next) => {
      channel.delivered = next;
    },
  };
  return channel;
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining (the client is still sending) but stop collecting; answer 413 at the end.
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) reject(new Error(`The request body is larger than ${maxBodyBytes} bytes.`));
      else resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
