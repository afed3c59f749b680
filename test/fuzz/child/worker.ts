/**
 * The fuzz campaign's long-lived child process (forked with tsx, messages over IPC). It runs the
 * real CLI entry point (`runCli`, what bin/concord.mjs runs) and the services' `loadVolume` in
 * process, so a campaign does not pay a process start per case; a case that crashes, hangs or
 * eats memory kills only this child, which the parent then replaces (see fuzzWorker.ts).
 */
import { createHash } from 'node:crypto';
import { runCli } from '../../../electron/cli/run';
import { openDatabase } from '../../../electron/db/openDatabase';
import { createServices, type Services } from '../../../electron/services/createServices';
import { silentLogger } from '../../../electron/services/logger';
import { appVersion } from '../../../electron/platform/appVersion';
import type { WorkerReply, WorkerRequest } from './protocol';

let services: { dataDir: string; services: Services } | undefined;

async function servicesFor(dataDir: string): Promise<Services> {
  if (services?.dataDir === dataDir) return services.services;
  await closeServices();
  services = { dataDir, services: await createServices({ dataDir, shell: 'host', logger: silentLogger }) };
  return services.services;
}

async function closeServices(): Promise<void> {
  const open = services;
  services = undefined;
  await open?.services.close();
}

async function handle(req: WorkerRequest): Promise<WorkerReply['value']> {
  switch (req.op) {
    case 'cli': {
      let out = '';
      let err = '';
      const code = await runCli(req.argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
      return { code, out, err };
    }
    case 'inventory': {
      await closeServices();
      const { db } = await openDatabase(req.dataDir, { appVersion });
      try {
        const rows = await db.all<
          Record<string, unknown> & { series: string; sop_instance_uid: string; file_path: string }
        >(
          'SELECT s.series_instance_uid AS series, i.* FROM instances i JOIN series s ON s.id = i.series_ref ORDER BY s.series_instance_uid, i.sop_instance_uid',
        );
        const series: Record<string, { instances: number; digest: string }> = {};
        const files: Record<string, string> = {};
        const hashes = new Map<string, ReturnType<typeof createHash>>();
        for (const row of rows) {
          let h = hashes.get(row.series);
          if (!h) hashes.set(row.series, (h = createHash('sha256')));
          h.update(JSON.stringify(row));
          series[row.series] = { instances: (series[row.series]?.instances ?? 0) + 1, digest: '' };
          files[row.file_path] = row.series;
        }
        for (const [uid, h] of hashes) series[uid]!.digest = h.digest('hex');
        const empty = await db.all<{ uid: string }>(
          'SELECT series_instance_uid AS uid FROM series s WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_ref = s.id)',
        );
        return { series, files, emptySeries: empty.map((e) => e.uid) };
      } finally {
        await db.close();
      }
    }
    case 'load': {
      const s = await servicesFor(req.dataDir);
      const res = await s.dispatch('loadVolume', { seriesInstanceUid: req.seriesInstanceUid });
      if (!res.ok) return { ok: false, error: res.error };
      const v = res.value as {
        dims: number[];
        spacingMm: number[];
        originMm: number[];
        direction: number[];
        voxels: ArrayBufferView;
        warnings: string[];
      };
      const voxels = new Uint8Array(v.voxels.buffer, v.voxels.byteOffset, v.voxels.byteLength);
      const digest = createHash('sha256')
        .update(JSON.stringify([v.dims, v.spacingMm, v.originMm, v.direction, v.voxels.constructor.name]))
        .update(voxels)
        .digest('hex');
      return { ok: true, dims: v.dims, digest, warnings: v.warnings };
    }
    case 'close':
      await closeServices();
      return {};
    case 'misbehave': {
      if (req.how === 'crash') process.abort();
      const hold: Uint8Array[] = [];
      for (;;) {
        if (req.how === 'eat') hold.push(new Uint8Array(16 * 2 ** 20).fill(1));
        if (hold.length > 1000) return {}; // 16 GB: never reached under any cap
      }
    }
  }
}

process.on('message', (raw) => {
  const req = raw as WorkerRequest;
  handle(req).then(
    (value) => process.send!({ id: req.id, value } satisfies WorkerReply),
    // Not a crash of the product: the harness asked for something impossible (or the services
    // threw past dispatch, which the parent reports as unexpected).
    (err: unknown) =>
      process.send!({
        id: req.id,
        thrown: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      } satisfies WorkerReply),
  );
});
process.send!({ id: 0, value: { ready: true } } satisfies WorkerReply);
