import { resolve } from 'node:path';
import { readerChannels, type ReaderEventName, type ReaderMethod } from '../../core/ipc/contract';
import { productName } from '../../core/version';
import { failure, success, type Result } from '../../core/ipc/result';
import { openDatabase } from '../db/openDatabase';
import { appVersion } from '../platform/appVersion';
import { EventHub, type EventListener } from './events';
import { createHandlers, type HandlerTable } from './handlers';
import { JobRunner } from './jobs';
import { consoleLogger, type Logger } from './logger';
import { toAppError } from './toFailure';
import type { PlatformCapabilities, ServiceContext } from './context';

export interface Services {
  readonly context: ServiceContext;
  /**
   * Parses and runs one contract call. Never throws: unknown methods, bad payloads and
   * failures all come back as `{ ok: false }`.
   */
  dispatch(method: string, raw: unknown): Promise<Result<unknown>>;
  subscribe<K extends ReaderEventName>(name: K, listener: EventListener<K>): () => void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  shell: 'electron' | 'host';
  logger?: Logger;
  platform?: PlatformCapabilities;
}

/** Opens the reader database of `dataDir` and builds the handlers both transports serve. */
export async function createServices(options: ServiceOptions): Promise<Services> {
  const logger = options.logger ?? consoleLogger;
  const dataDir = resolve(options.dataDir);
  const opened = await openDatabase(dataDir, { appVersion });
  const events = new EventHub();
  const context: ServiceContext = {
    productName,
    appVersion,
    dataDir,
    schemaVersion: opened.schemaVersion,
    shell: options.shell,
    db: opened.db,
    events,
    jobs: new JobRunner(events, logger),
    logger,
    platform: options.platform ?? {},
  };
  if (opened.applied.length > 0) logger.info(`database ${opened.path}: applied migrations ${opened.applied.join(', ')}`);
  return servicesFor(context, createHandlers(context));
}

export function servicesFor(context: ServiceContext, handlers: HandlerTable): Services {
  return {
    context,
    async dispatch(method, raw) {
      if (!Object.hasOwn(readerChannels, method)) {
        return failure('NOT_FOUND', `Unknown method "${String(method).slice(0, 60)}".`);
      }
      const handler = handlers[method as ReaderMethod] as {
        parse(raw: unknown): unknown;
        run(req: unknown): Promise<unknown>;
      };
      try {
        return success(await handler.run(handler.parse(raw)));
      } catch (err) {
        return { ok: false, error: toAppError(readerChannels[method as ReaderMethod], err, context.logger) };
      }
    },
    subscribe: (name, listener) => context.events.subscribe(name, listener),
    async close() {
      await context.jobs.idle();
      await context.db.close();
    },
  };
}
