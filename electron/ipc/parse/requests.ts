import type { EmptyRequest, JobRequest } from '../../../core/ipc/contract';
import { expectRecord, expectString } from './fields';

/** Methods without parameters accept `undefined` or `{}` and nothing else. */
export function parseEmpty(method: string) {
  return (raw: unknown): EmptyRequest => {
    expectRecord(raw, [], method, true);
    return undefined;
  };
}

export const jobIdPattern = /^job-[0-9a-f]{16}$/;

export function parseJobRequest(method: string) {
  return (raw: unknown): JobRequest => {
    const obj = expectRecord(raw, ['jobId'], method);
    return { jobId: expectString(obj, 'jobId', method, { maxLength: 64, pattern: jobIdPattern }) };
  };
}
