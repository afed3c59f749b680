import { resolve } from 'node:path';
import { readerChannels, type ReaderEventName, type ReaderMethod } from '../../core/ipc/contract';
import { productName } from '../../core/version';
import { failure, success, type Result } from '../../core/ipc/result';
import { openDatabase } from '../db/openDatabase';
import { markInterruptedRuns } from '../db/repositories/dicomIndex';
import { appVersion } from '../platform/appVersion';
import { EventHub, type EventListener } from './events';
import { createHandlers, type HandlerTable } from './handlers';
import { JobRunner } from './jobs';
import { consoleLogger, type Logger } from './logger';
import { toAppError } from './toFailure';
import type { PlatformCapabilities, ServiceContext } from './context';
import { CallerRegistry, type Access, type Caller } from './auth/callers';

export interface Services {
  readonly context: ServiceContext;
  /**
   * Parses and runs one contract call. Never throws: unknown methods, bad payloads and
   * failures all come back as `{ ok: false }`.
   */
  dispatch(method: string, raw: unknown, connection?: string): Promise<Result<unknown>>;
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
    callers: new CallerRegistry(),
    studyCount: (await opened.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reading_studies'))!.n,
  };
  if (opened.applied.length > 0) logger.info(`database ${opened.path}: applied migrations ${opened.applied.join(', ')}`);
  const interrupted = await markInterruptedRuns(opened.db);
  if (interrupted.length > 0) logger.info(`import runs ${interrupted.join(', ')} were interrupted (their process ended before them)`);
  return servicesFor(context, createHandlers(context));
}

export function servicesFor(context: ServiceContext, handlers: HandlerTable): Services {
  return {
    context,
    async dispatch(method, raw, connection = 'local') {
      if (!Object.hasOwn(readerChannels, method)) {
        return failure('NOT_FOUND', `Unknown method "${String(method).slice(0, 60)}".`);
      }
      const handler = handlers[method as ReaderMethod] as {
        access: Access;
        parse(raw: unknown): unknown;
        run(req: unknown, caller: Caller): Promise<unknown>;
      };
      const caller = context.callers.get(connection);
      const refusal = accessRefusal(handler.access, caller, context.studyCount);
      if (refusal) return failure('FORBIDDEN', refusal);
      try {
        return success(await handler.run(handler.parse(raw), caller));
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

/**
 * Why `caller` may not call a method of `access` level, or undefined when it may. Enforced here,
 * in the main process, for every method: the renderer hiding a button is never the control.
 */
export function accessRefusal(access: Access, caller: Caller, studyCount: number): string | undefined {
  if (access === 'anyone') return undefined;
  if (access === 'reader') return caller.kind === 'user' && caller.role === 'reader' ? undefined : 'Only a signed-in reader can do this.';
  if (caller.kind === 'user') return caller.role === 'coordinator' ? undefined : 'Readers cannot open this: it is for the study coordinator.';
  return studyCount === 0 ? undefined : 'Sign in as the study coordinator first.';
}
