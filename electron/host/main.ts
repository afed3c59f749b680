import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppException } from '../../core/ipc/result';
import { createServices } from '../services/createServices';
import { consoleLogger } from '../services/logger';
import { defaultDataDir } from '../platform/dataDir';
import { builtRendererDir } from '../platform/paths';
import { startHost } from './server';

/**
 * `npm run serve` (after a build): serves the renderer and the contract on 127.0.0.1 and
 * prints the URL to open. Options: --data-dir D, --port N (0 = any free port), --renderer DIR,
 * --json (print {"url","origin","dataDir"} on one line, for scripts and tests).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      renderer: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppException('INVALID_INPUT', `--port must be 0-65535, got ${values.port}`);
  const rendererDir = values.renderer ?? builtRendererDir;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new AppException(
      'IO',
      `No built renderer in ${rendererDir}: run "npm run build" first (npm run serve does).`,
    );
  }
  const services = await createServices({ dataDir: values['data-dir'] ?? defaultDataDir(), shell: 'host' });
  const host = await startHost({ services, rendererDir, port, logger: consoleLogger });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ url: host.url, origin: host.origin, dataDir: services.context.dataDir })}\n`,
    );
  } else {
    process.stdout.write(
      `Concord is running. Open this address in Chromium or Chrome:\n\n  ${host.url}\n\nData folder: ${services.context.dataDir}\nPress Ctrl+C to stop.\n`,
    );
  }
  const stop = async () => {
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`concord serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof AppException || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
