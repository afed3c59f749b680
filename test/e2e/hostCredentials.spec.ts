import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './support/fixtures';
import { StudiesPage } from './pageObjects/StudiesPage';

/**
 * Issue 13, break 1: cookies ignore ports, so a cookie the host set for 127.0.0.1 went to every
 * other server on 127.0.0.1 the user visited, and its value was the launch secret. Here a second
 * loopback server records every request Chromium sends it after the user has opened Concord and
 * signed in: it must receive no cookie and nothing of the secret or the session token.
 */

interface Recorded {
  url: string;
  headers: IncomingHttpHeaders;
}

async function recordingServer(): Promise<{ server: Server; port: number; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      // Another local app's page: it loads a script and an image and calls its own API.
      res.end(
        '<!doctype html><title>other app</title><script src="/app.js"></script><img src="/logo.png"><script>fetch("/api/whoami", { credentials: "include" })</script>',
      );
      return;
    }
    const script = req.url === '/app.js';
    res.writeHead(200, { 'Content-Type': script ? 'text/javascript' : 'text/plain' });
    res.end(script ? 'void 0;' : 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

test('no credential of the host reaches another server on 127.0.0.1 or localhost', async ({ app }) => {
  test.skip(app.shell !== 'host', 'the loopback host only: the desktop app has no HTTP credentials');
  test.setTimeout(120_000);
  const { page } = app;
  const hostUrl = new URL(app.url!);
  const secret = new URLSearchParams(hostUrl.hash.slice(1)).get('secret') ?? hostUrl.searchParams.get('secret');
  expect(secret, 'the launch address carries the secret').toBeTruthy();

  // The secret leaves the address bar at load; the page keeps it in its own tab's storage.
  await page.getByTestId('nav-studies').waitFor();
  expect(page.url()).not.toContain(secret!);
  expect(page.url()).toBe(`${hostUrl.origin}/`);

  // Sign in (setting up a study signs its coordinator in): the page now holds a session too.
  const studies = new StudiesPage(page);
  await studies.open();
  await studies.createStudy({
    name: 'Credentials',
    coordinator: 'Dr Coordinator',
    passphrase: 'coordinator passphrase 1',
  });
  await expect(page.getByTestId('signed-in')).toContainText('Dr Coordinator');
  const token = await page.evaluate<string | null>("sessionStorage.getItem('concord.session')");
  expect(token, 'the page keeps its session token').toBeTruthy();
  expect(token!.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits, base64url

  const other = await recordingServer();
  try {
    // The user, in the same browser (the page's own tab), goes on to another local app, under
    // both loopback names.
    for (const name of ['127.0.0.1', 'localhost']) {
      await page.goto(`http://${name}:${other.port}/`);
      await page.waitForLoadState('networkidle');
    }

    expect(other.requests.length).toBeGreaterThanOrEqual(6);
    for (const r of other.requests) {
      expect(r.headers.cookie, `cookie sent with ${r.url}`).toBeUndefined();
      const all = JSON.stringify(r);
      expect(all).not.toContain(secret!);
      expect(all).not.toContain(token!);
      expect(all).not.toMatch(/concord/i);
    }
    // Nothing is stored as a cookie for either loopback name.
    expect(await page.context().cookies()).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => other.server.close(() => resolve()));
  }
});
