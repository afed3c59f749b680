import { useCallback, useEffect, useState } from 'react';
import type { JobProgress, JobType, ReaderClient } from '../../core/ipc/contract';

export type JobOf<K extends JobType> = Extract<JobProgress, { jobType: K }>;

/**
 * Follows one job of a given type: `track(jobId)` after starting it, then `job` follows the
 * pushed progress events. The state is also read once right after, since events may have
 * arrived before the caller knew the jobId.
 */
export function useJob<K extends JobType>(client: ReaderClient, jobType: K) {
  const [job, setJob] = useState<JobOf<K> | undefined>();

  useEffect(
    () =>
      client.onJobProgress((event) => {
        if (event.jobType === jobType)
          setJob((current) => (current?.jobId === event.jobId ? (event as JobOf<K>) : current));
      }),
    [client, jobType],
  );

  const track = useCallback(
    async (jobId: string) => {
      setJob({ jobId, jobType, state: 'running', done: 0, total: 0, message: 'Starting…' } as JobOf<K>);
      const current = await client.getJob({ jobId });
      if (current.ok && current.value.jobType === jobType) {
        setJob((j) => (j?.jobId === jobId && j.state === 'running' ? (current.value as JobOf<K>) : j));
      }
    },
    [client, jobType],
  );

  return { job, track };
}
