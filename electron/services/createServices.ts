import { resolve } from 'node:path';
import { readerChannels, type JobProgress, type ReaderEventName, type ReaderMethod } from '../../core/ipc/contract';
import { productName } from '../../core/version';
import { failure, success, type Result } from '../../core/ipc/result';
import { openDatabase } from '../db/openDatabase';
import { markInterruptedRuns } from '../db/repositories/dicomIndex';
import { tightenedNotice } from '../db/folderPermissions';
import { appVersion } from '../platform/appVersion';
import { EventHub, type EventListener } from './events';
import { createHandlers, type HandlerTable } from './handlers';
import { jobAccess, JobRunner } from './jobs';
import { consoleLogger, type Logger } from './logger';
import { toAppError } from './toFailure';
import type { PlatformCapabilities, ServiceContext } from './context';
import type { Access, CallChannel, Caller } from './auth/callers';
import { AuthService } from './auth/authService';
import { BoundChannels } from './auth/boundChannels';

export interface Services {
  readonly context: ServiceContext;
  /**
   * Parses and runs one contract call. Never throws: unknown methods, bad payloads and
   * failures all come back as `{ ok: false }`. `via` is the call's channel: a connection id for
   * transports whose connection is authenticated (desktop windows, the CLI, tests; the session
   * token is then kept here), or a full channel carrying the client's token (the browser host).
   */
  dispatch(method: string, raw: unknown, via?: string | CallChannel): Promise<Result<unknown>>;
  subscribe<K extends ReaderEventName>(name: K, listener: EventListener<K>): () => void;
  /**
   * Job events for whoever holds `channel` now (checked at each event: after a sign-out or a
   * timeout nothing more arrives). For transports that stream to a client (the browser host).
   */
  subscribeJobs(channel: CallChannel, listener: (event: JobProgress) => void): () => void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  shell: 'electron' | 'host';
  logger?: Logger;
  platform?: PlatformCapabilities;
  /** Epoch milliseconds for session timeouts and sign-in waits (tests pass a clock they move). */
  now?: () => number;
  /** How often expired sessions are ended without waiting for a call; 30 s by default, 0 for never. */
  sessionSweepIntervalMs?: number;
}

/** Opens the reader database of `dataDir` and builds the handlers both transports serve. */
export async function createServices(options: ServiceOptions): Promise<Services> {
  const logger = options.logger ?? consoleLogger;
  const dataDir = resolve(options.dataDir);
  const opened = await openDatabase(dataDir, { appVersion });
  const events = new EventHub();
  const jobs = new JobRunner(events, logger, {
    ...(options.now ? { now: options.now } : {}),
    // An unsigned caller's import stays theirs only while unsigned callers may import (no study yet).
    mayWatch: (jobType, caller) => accessRefusal(jobAccess[jobType], caller, context.studyCount) === undefined,
  });
  const auth = await AuthService.open({
    db: opened.db,
    jobs,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.sessionSweepIntervalMs !== undefined ? { sweepIntervalMs: options.sessionSweepIntervalMs } : {}),
  });
  const dataFolderNotice = tightenedNotice(opened.permissionsTightened);
  const context: ServiceContext = {
    productName,
    appVersion,
    dataDir,
    dataFolderNotice,
    schemaVersion: opened.schemaVersion,
    shell: options.shell,
    db: opened.db,
    events,
    jobs,
    logger,
    platform: options.platform ?? {},
    auth,
    studyCount: (await opened.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reading_studies'))!.n,
  };
  if (opened.applied.length > 0)
    logger.info(`database ${opened.path}: applied migrations ${opened.applied.join(', ')}`);
  const interrupted = await markInterruptedRuns(opened.db);
  if (interrupted.length > 0)
    logger.info(`import runs ${interrupted.join(', ')} were interrupted (their process ended before them)`);
  if (dataFolderNotice) logger.info(dataFolderNotice);
  return servicesFor(context, createHandlers(context));
}

export function servicesFor(context: ServiceContext, handlers: HandlerTable): Services {
  const bound = new BoundChannels();
  return {
    context,
    async dispatch(method, raw, via = 'local') {
      if (!Object.hasOwn(readerChannels, method)) {
        return failure('NOT_FOUND', `Unknown method "${String(method).slice(0, 60)}".`);
      }
      const handler = handlers[method as ReaderMethod] as {
        access: Access;
        parse(raw: unknown): unknown;
        run(req: unknown, caller: Caller): Promise<unknown>;
      };
      const channel = typeof via === 'string' ? bound.channel(via) : via;
      let caller: Caller;
      try {
        const who = await context.auth.identify(channel);
        // A call that needs a user, made with a session that has ended, says so (not "sign in first").
        if (who.ended !== undefined && handler.access !== 'anyone') return failure('SESSION_ENDED', who.ended);
        caller = who.caller;
      } catch (err) {
        return { ok: false, error: toAppError(readerChannels[method as ReaderMethod], err, context.logger) };
      }
      const refusal = accessRefusal(handler.access, caller, context.studyCount);
      if (refusal) return failure('FORBIDDEN', refusal);
      try {
        return success(await handler.run(handler.parse(raw), caller));
      } catch (err) {
        return { ok: false, error: toAppError(readerChannels[method as ReaderMethod], err, context.logger) };
      }
    },
    subscribe: (name, listener) => context.events.subscribe(name, listener),
    subscribeJobs: (channel, listener) =>
      context.events.subscribe('jobProgress', (event) => {
        if (context.jobs.visibleTo(event.jobId, context.auth.peek(channel))) listener(event);
      }),
    async close() {
      context.auth.close();
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
  if (access === 'reader')
    return caller.kind === 'user' && caller.role === 'reader' ? undefined : 'Only a signed-in reader can do this.';
  if (caller.kind === 'user')
    return caller.role === 'coordinator' ? undefined : 'Readers cannot open this: it is for the study coordinator.';
  return studyCount === 0 ? undefined : 'Sign in as the study coordinator first.';
}
