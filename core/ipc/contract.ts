import type { Result, AppError } from './result';

/**
 * The one service contract. Both transports (Electron IPC, loopback HTTP host) serve exactly
 * these methods over the same handlers; the renderer sees only this interface.
 *
 * Adding a method takes three edits: this interface + `readerChannels`, a parser, and a
 * handler entry in `electron/services/handlers.ts`. The compiler flags a missing piece.
 */
export interface ReaderApi {
  /** Product, version, data folder and database schema version of the running services. */
  getAppInfo(req: EmptyRequest): Promise<Result<AppInfo>>;
  /** Starts an integrity check of the reader database as a job; progress arrives as events. */
  startDatabaseCheck(req: EmptyRequest): Promise<Result<JobStarted>>;
  /** The current state of a job (also pushed as `jobProgress` events). */
  getJob(req: JobRequest): Promise<Result<JobProgress>>;
  /** Asks a running job to stop; `cancelled` is false when it had already finished. */
  cancelJob(req: JobRequest): Promise<Result<{ cancelled: boolean }>>;
}

export type ReaderMethod = keyof ReaderApi;

/** The only place a channel name is spelled. */
export const readerChannels = {
  getAppInfo: 'reader:getAppInfo',
  startDatabaseCheck: 'reader:startDatabaseCheck',
  getJob: 'reader:getJob',
  cancelJob: 'reader:cancelJob',
} as const satisfies { [K in ReaderMethod]: `reader:${K}` };

export const readerMethods = Object.keys(readerChannels) as ReaderMethod[];

export type ReaderRequest<K extends ReaderMethod> = Parameters<ReaderApi[K]>[0];
export type ReaderValue<K extends ReaderMethod> =
  Awaited<ReturnType<ReaderApi[K]>> extends Result<infer T> ? T : never;

/** Push events, main → renderer. Subscriptions return an unsubscribe function. */
export interface ReaderEvents {
  jobProgress: JobProgress;
}
export type ReaderEventName = keyof ReaderEvents;
export const readerEventChannels = {
  jobProgress: 'reader:onJobProgress',
} as const satisfies { [K in ReaderEventName]: `reader:on${Capitalize<K>}` };

/** What the renderer holds: the contract plus event subscriptions, whatever the transport. */
export interface ReaderClient extends ReaderApi {
  onJobProgress(listener: (event: JobProgress) => void): () => void;
}

export type EmptyRequest = Record<string, never> | undefined;

export interface AppInfo {
  productName: string;
  version: string;
  /** Absolute path of the data folder that holds the reader database. */
  dataDir: string;
  schemaVersion: number;
  /** Which transport serves this session: the desktop shell or the loopback browser host. */
  shell: 'electron' | 'host';
}

export interface JobRequest {
  jobId: string;
}

export interface JobStarted {
  jobId: string;
}

export type JobType = 'databaseCheck';
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface DatabaseCheckReport {
  schemaVersion: number;
  ok: boolean;
  /** Lines of `PRAGMA integrity_check` and `PRAGMA foreign_key_check` that are not "ok". */
  problems: string[];
}

export interface JobResults {
  databaseCheck: DatabaseCheckReport;
}

export interface JobProgress {
  jobId: string;
  jobType: JobType;
  state: JobState;
  /** Steps (or files) done and the total known so far. */
  done: number;
  total: number;
  message: string;
  /** Present when state is 'succeeded'. */
  result?: JobResults[JobType];
  /** Present when state is 'failed'. */
  error?: AppError;
}
