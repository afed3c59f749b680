import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const secretHeader = 'x-concord-secret';
export const secretCookie = (port: number) => `concord_secret_${port}`;

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * Decides whether a request may reach the host. Order matters: a request from the wrong
 * place (Host/Origin/Sec-Fetch-Site) is 403 whatever it carries; only then is the secret
 * checked (401). Host pins the port and a loopback name, which defeats DNS rebinding; Origin
 * and Sec-Fetch-Site reject other pages, including other ports of 127.0.0.1 (same site, not
 * same origin). The secret is accepted from the header always, and for page and asset GETs
 * also from the `secret` query parameter (first load) or the port-scoped cookie set then.
 */
export function checkRequest(req: IncomingMessage, url: URL, port: number, secret: string): Verdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) {
    return { ok: false, status: 403, message: 'Forbidden: unexpected Host header.' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
    return { ok: false, status: 403, message: 'Forbidden: cross-origin request.' };
  }
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return { ok: false, status: 403, message: 'Forbidden: cross-site request.' };
  }
  const isApi = url.pathname.startsWith('/api/');
  const candidates = [headerValue(req.headers[secretHeader])];
  if (!isApi && req.method === 'GET') {
    candidates.push(url.searchParams.get('secret') ?? undefined, readCookie(req.headers.cookie, secretCookie(port)));
  }
  const presented = candidates.filter((c): c is string => typeof c === 'string' && c.length > 0);
  if (presented.length === 0) return { ok: false, status: 401, message: 'Unauthorized: the launch secret is missing.' };
  if (!presented.some((c) => sameSecret(c, secret))) {
    return { ok: false, status: 401, message: 'Unauthorized: wrong launch secret.' };
  }
  return { ok: true };
}

function sameSecret(presented: string, secret: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
