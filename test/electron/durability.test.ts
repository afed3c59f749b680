import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { verifyAudit } from '../../electron/db/audit';
import { referenceProtocol } from '../../core/studies/protocol';
import { createSeededRandom } from '../../core/random/seededRandom';
import { makeTempDir } from '../helpers/tempDir';
import { setUpReadingStudy } from '../helpers/readingStudy';

/**
 * Durability: a child process saves a stream of answers through the services while the test
 * SIGKILLs it at a random moment, 50 times. Afterwards every acknowledged answer is in the audit
 * trail, the stored answer is the last acknowledged one (or the one in flight), the chain
 * verifies and `PRAGMA integrity_check` is ok.
 */

const child = fileURLToPath(new URL('./durability/saveAnswersChild.ts', import.meta.url));
const kills = 50;
let temp: ReturnType<typeof makeTempDir>;
let studyId: number;
let caseId: number;

beforeAll(async () => {
  temp = makeTempDir();
  const protocol = {
    ...referenceProtocol,
    items: [
      ...referenceProtocol.items,
      { id: 'counter', label: 'Counter', scope: 'every', kind: 'numeric', unit: '', min: 0, max: 1e9 },
    ],
  };
  const f = await setUpReadingStudy(temp.path, 1, { protocol });
  studyId = f.study.id;
  caseId = f.demoCase.caseId;
  await f.services.close();
}, 120_000);
afterAll(() => temp.cleanup());

/** Runs the child until it has acknowledged one save, waits `delayMs` more, SIGKILLs it; returns its acks. */
function runAndKill(start: number, delayMs: number): Promise<{ timepoint: number; value: number }[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', child, join(temp.path, 'data'), String(studyId), String(caseId), String(start)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acks: { timepoint: number; value: number }[] = [];
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    p.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^ack (\d+) (\d+)$/.exec(line);
        if (m) acks.push({ timepoint: Number(m[1]), value: Number(m[2]) });
        if (m && !timer) timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('durability under SIGKILL', () => {
  // The time limit is a budget, not a timing check: 50 child processes each start Node, tsx and
  // the services (about 5 s apiece on a loaded 2-core machine) and sign in once, a scrypt
  // verification at N = 2^17 (about 1 s) per kill.
  it(`keeps every acknowledged answer through ${kills} kills`, async () => {
    const rng = createSeededRandom(20261123);
    const acked: { timepoint: number; value: number }[] = [];
    let next = 0;
    for (let k = 0; k < kills; k++) {
      const acks = await runAndKill(next, Math.floor(rng.uniform() * 60));
      expect(acks.length).toBeGreaterThan(0);
      acked.push(...acks);
      next = acks[acks.length - 1]!.value + 2; // past a save that may have committed without its ack
    }

    const services = await createServices({ dataDir: join(temp.path, 'data'), shell: 'host', logger: silentLogger });
    try {
      const db = services.context.db;
      expect(await db.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await verifyAudit(db)).toMatchObject({ ok: true });
      const audited = new Set(
        (
          await db.all<{ entity_id: string; after_json: string }>(
            "SELECT entity_id, after_json FROM audit_log WHERE action = 'read.entry.save' AND entity_id LIKE '%/counter'",
          )
        ).map((r) => `${r.entity_id.split('/')[1]}:${r.after_json}`),
      );
      const missing = acked.filter((a) => !audited.has(`${a.timepoint}:${a.value}`));
      expect(missing).toEqual([]);
      const stored = await db.all<{ timepoint: number; value_json: string }>(
        "SELECT timepoint, value_json FROM read_entries WHERE item = 'counter' ORDER BY timepoint",
      );
      for (const tp of [0, 1]) {
        const lastAck = Math.max(...acked.filter((a) => a.timepoint === tp).map((a) => a.value));
        const value = Number(stored.find((s) => s.timepoint === tp)!.value_json);
        // The last acknowledged value, or one saved after it whose ack the kill cut off.
        expect(value).toBeGreaterThanOrEqual(lastAck);
      }
    } finally {
      await services.close();
    }
  }, 600_000);
});
