import { afterAll, describe, expect, it } from 'vitest';
import { FuzzWorker, runConcord } from './run/processes';
import { makeTempDir } from '../helpers/tempDir';

// The runner must see a crash, a hang and a memory blow-up for what they are, and carry on.
describe('FuzzWorker', () => {
  const worker = new FuzzWorker(400);
  afterAll(() => worker.close());

  it('answers CLI requests in process', async () => {
    const r = await worker.request<{ code: number; out: string }>({ op: 'cli', argv: ['version', '--json'] }, 60_000);
    expect('value' in r && r.value.code).toBe(0);
    expect('value' in r && JSON.parse(r.value.out).name).toBe('concord-reader');
  }, 90_000);

  it.each([
    ['crash', 'crash', 60_000],
    ['hang', 'hang', 3_000],
    ['eat', 'memory', 60_000],
  ] as const)(
    'reports a child that means to %s as %s, then starts a fresh one',
    async (how, kind, timeoutMs) => {
      const r = await worker.request({ op: 'misbehave', how }, timeoutMs);
      expect('abnormal' in r && r.abnormal.kind).toBe(kind);
      const again = await worker.request<{ code: number }>({ op: 'cli', argv: ['version', '--json'] }, 60_000);
      expect('value' in again && again.value.code).toBe(0);
    },
    120_000,
  );
});

describe('runConcord', () => {
  it('runs the real bin and reads its exact peak memory at exit', async () => {
    const temp = makeTempDir('concord-fuzz-proc-');
    try {
      const r = await runConcord(['version', '--json'], { timeoutMs: 60_000, rssCapMb: 1024, scratchDir: temp.path });
      expect(r.code).toBe(0);
      expect(r.abnormal).toBeUndefined();
      // A Node process with tsx holds tens of MB at least; the figure must be a real measurement.
      expect(r.peakRssMb).toBeGreaterThan(20);
      expect(JSON.parse(r.stdout).productName).toBe('Concord');
    } finally {
      temp.cleanup();
    }
  }, 90_000);
});
