import { randomBytes } from 'node:crypto';
import type { JobProgress, JobResults, JobStarted, JobType } from '../../core/ipc/contract';
import { AppException } from '../../core/ipc/result';
import { toAppError } from './toFailure';
import type { EventHub } from './events';
import type { Logger } from './logger';

export interface JobContext {
  /** Aborted when the job is cancelled; long loops check it between steps. */
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

/** A job's state as the runner updates it; `result` matches `jobType` by construction. */
type JobState = Omit<JobProgress, 'result' | 'jobType'> & { jobType: JobType; result?: JobResults[JobType] };

interface JobRecord {
  state: JobState;
  controller: AbortController;
  finished: Promise<void>;
}

/** Long-running work: returns a jobId at once, reports progress and the end as events. */
export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(
    private readonly events: EventHub,
    private readonly logger: Logger,
  ) {}

  start<T extends JobType>(
    jobType: T,
    total: number,
    work: (ctx: JobContext) => Promise<JobResults[T]>,
    connection = 'local',
  ): JobStarted {
    const jobId = `job-${randomBytes(8).toString('hex')}`;
    const controller = new AbortController();
    const record: JobRecord = {
      state: { jobId, connection, jobType, state: 'running', done: 0, total, message: 'Started' },
      controller,
      finished: Promise.resolve(),
    };
    this.jobs.set(jobId, record);
    const update = (patch: Partial<JobState>) => {
      record.state = { ...record.state, ...patch };
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
      );
    return { jobId };
  }

  /** A job's state, for the connection that started it (others get NOT_FOUND). */
  get(jobId: string, connection = 'local'): JobProgress {
    return this.record(jobId, connection).state as JobProgress;
  }

  cancel(jobId: string, connection = 'local'): boolean {
    const record = this.record(jobId, connection);
    if (record.state.state !== 'running') return false;
    record.controller.abort();
    return true;
  }

  /** Resolves when every job started so far has ended (used on shutdown and in tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.finished));
  }

  private record(jobId: string, connection: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record || record.state.connection !== connection) throw new AppException('NOT_FOUND', `No job ${jobId} in this session.`);
    return record;
  }
}
