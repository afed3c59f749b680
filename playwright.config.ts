import { defineConfig } from '@playwright/test';

// Two projects run the same specs: the built renderer in Debian's Chromium against the
// loopback host, and the real Electron app where an Electron binary exists (skipped, with a
// line saying so, where it does not). `npm test` builds before running these.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  projects: [
    { name: 'chromium-host', metadata: { shell: 'host' } },
    { name: 'electron', metadata: { shell: 'electron' } },
  ],
});
