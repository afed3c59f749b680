import { randomBytes } from 'node:crypto';
import type { JobProgress, JobResults, JobStarted, JobType } from '../../core/ipc/contract';
import { AppException } from '../../core/ipc/result';
import { toAppError } from './toFailure';
import type { EventHub } from './events';
import type { Logger } from './logger';
import { jobOwner, type Access, type Caller } from './auth/callers';

export interface JobContext {
  /** Aborted when the job is cancelled; long loops check it between steps. */
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

/** The access level of the method that starts each job type: who may watch it is checked again on every look. */
export const jobAccess: Readonly<Record<JobType, Access>> = Object.freeze({
  databaseCheck: 'anyone',
  importFolder: 'coordinator',
  openDemoStudy: 'coordinator',
});

/** A job's state as the runner updates it; `result` matches `jobType` by construction. */
type JobState = Omit<JobProgress, 'result' | 'jobType'> & { jobType: JobType; result?: JobResults[JobType] };

interface JobRecord {
  state: JobState;
  /** The session (or, unsigned, the connection) that started it: see `jobOwner`. */
  owner: string;
  controller: AbortController;
  finished: Promise<void>;
  endedMs: number | null;
  /** Its owner's session ended: no one sees it any more and it sends nothing more. */
  hidden: boolean;
}

export interface JobRunnerOptions {
  /** Epoch milliseconds (a test clock in tests). */
  now?: () => number;
  /** Whether `caller` may still see a job of this type (e.g. an unsigned import once a study exists: no). */
  mayWatch?: (jobType: JobType, caller: Caller) => boolean;
}

/**
 * Long-running work: returns a jobId at once, reports progress and the end as events. A job
 * belongs to the signed-in session that started it (an unsigned caller's, to its connection):
 * only its owner sees it, and when the session ends (sign-out, timeout, another sign-in) its
 * running jobs are cancelled and all its jobs hidden, results included.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly now: () => number;
  private readonly mayWatch: (jobType: JobType, caller: Caller) => boolean;

  constructor(
    private readonly events: EventHub,
    private readonly logger: Logger,
    options: JobRunnerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.mayWatch = options.mayWatch ?? (() => true);
  }

  start<T extends JobType>(
    jobType: T,
    total: number,
    work: (ctx: JobContext) => Promise<JobResults[T]>,
    caller: Caller,
  ): JobStarted {
    const jobId = `job-${randomBytes(8).toString('hex')}`;
    const controller = new AbortController();
    const record: JobRecord = {
      state: { jobId, connection: caller.connection, jobType, state: 'running', done: 0, total, message: 'Started' },
      owner: jobOwner(caller),
      controller,
      finished: Promise.resolve(),
      endedMs: null,
      hidden: false,
    };
    this.jobs.set(jobId, record);
    const update = (patch: Partial<JobState>) => {
      if (record.hidden) return;
      record.state = { ...record.state, ...patch };
      if (record.state.state !== 'running') record.endedMs = this.now();
      this.events.emit('jobProgress', record.state as JobProgress);
    };
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, t, message) => {
        if (record.state.state === 'running') update({ done, total: t, message });
      },
    };
    // Started on the next tick so the caller holds the jobId before the first event.
    record.finished = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => work(ctx))
      .then(
        (result) => {
          // A cancelled job may still return what it did before stopping (an import's summary).
          if (controller.signal.aborted) update({ state: 'cancelled', message: 'Cancelled', result });
          else update({ state: 'succeeded', done: record.state.total, message: 'Done', result });
        },
        (err: unknown) => {
          if (controller.signal.aborted) return update({ state: 'cancelled', message: 'Cancelled' });
          const error = toAppError(`job ${jobType}`, err, this.logger);
          update({ state: 'failed', message: error.message, error });
        },
      )
      .finally(() => {
        if (record.hidden) this.jobs.delete(jobId);
      });
    return { jobId };
  }

  /** A job's state, for its owner (anyone else gets NOT_FOUND). */
  get(jobId: string, caller: Caller): JobProgress {
    return this.record(jobId, caller).state as JobProgress;
  }

  cancel(jobId: string, caller: Caller): boolean {
    const record = this.record(jobId, caller);
    if (record.state.state !== 'running') return false;
    record.controller.abort();
    return true;
  }

  /** Whether `caller` may see this job now (the host checks it for every event it streams). */
  visibleTo(jobId: string, caller: Caller): boolean {
    const record = this.jobs.get(jobId);
    return (
      record !== undefined &&
      !record.hidden &&
      record.owner === jobOwner(caller) &&
      this.mayWatch(record.state.jobType, caller)
    );
  }

  /**
   * The owner's session ended: its running jobs are cancelled (one last event says so, without
   * any result) and every job of it is hidden from then on.
   */
  endOwner(owner: string): void {
    for (const [jobId, record] of this.jobs) {
      if (record.owner !== owner || record.hidden) continue;
      if (record.state.state === 'running') {
        record.controller.abort();
        record.state = { ...record.state, state: 'cancelled', message: 'Cancelled: the session ended' };
        delete record.state.result;
        record.endedMs = this.now();
        this.events.emit('jobProgress', record.state as JobProgress);
        record.hidden = true;
      } else {
        record.hidden = true;
        this.jobs.delete(jobId);
      }
    }
  }

  /** When the owner's jobs last did something: now while one runs, else the end of its last one (undefined: none). */
  lastActivityMs(owner: string): number | undefined {
    let last: number | undefined;
    for (const record of this.jobs.values()) {
      if (record.owner !== owner || record.hidden) continue;
      const at = record.endedMs ?? this.now();
      if (last === undefined || at > last) last = at;
    }
    return last;
  }

  /** Resolves when every job started so far has ended (used on shutdown and in tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.finished));
  }

  private record(jobId: string, caller: Caller): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record || !this.visibleTo(jobId, caller))
      throw new AppException('NOT_FOUND', `No job ${jobId} in this session.`);
    return record;
  }
}
