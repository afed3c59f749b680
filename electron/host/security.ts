import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const secretHeader = 'x-concord-secret';
/** The session token of a signed-in page: request header, and response header after a sign-in ("none": drop it). */
export const sessionHeader = 'x-concord-session';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * Decides whether a request may reach the host. Order matters: a request from the wrong
 * place (Host/Origin/Sec-Fetch-Site) is 403 whatever it carries; only then is the secret
 * checked (401). Host pins the port and a loopback name, which defeats DNS rebinding; Origin
 * and Sec-Fetch-Site reject other pages, including other ports of 127.0.0.1 (same site, not
 * same origin).
 *
 * The launch secret is accepted from the `X-Concord-Secret` header only, and is needed for the
 * contract and the event stream (`/api/…`). The page and its assets (the open-source build of
 * the renderer, no data) need none: the browser never has to hold a credential it would send
 * by itself. A cookie would be, since cookies ignore ports: every other server on 127.0.0.1
 * the user visits would receive it. The page takes the secret from its address once (the
 * `#secret=` fragment, which the browser never sends to any server), keeps it in its tab's
 * sessionStorage and sends it as the header.
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
  if (!url.pathname.startsWith('/api/')) return { ok: true };
  const presented = headerValue(req.headers[secretHeader]);
  if (presented === undefined || presented.length === 0)
    return { ok: false, status: 401, message: 'Unauthorized: the launch secret is missing.' };
  if (!sameSecret(presented, secret)) return { ok: false, status: 401, message: 'Unauthorized: wrong launch secret.' };
  return { ok: true };
}

function sameSecret(presented: string, secret: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
