import type { EmptyRequest, JobRequest } from '../../../core/ipc/contract';
import { phases, type Phase } from '../../../core/phases/recognizePhases';
import { expectRecord, expectString, invalid } from './fields';

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

/** DICOM UIDs: digits and dots, at most 64 characters (PS3.5 §9.1). */
export const uidPattern = /^[0-9]+(\.[0-9]+)*$/;

export function parseFolderRequest(method: string) {
  return (raw: unknown): { folderPath: string } => {
    const obj = expectRecord(raw, ['folderPath'], method);
    const folderPath = expectString(obj, 'folderPath', method, { maxLength: 4096 });
    if (folderPath.includes('\0')) throw invalid(`${method}: "folderPath" contains a NUL character.`);
    if (!/^([a-zA-Z]:[\\/]|[\\/])/.test(folderPath)) throw invalid(`${method}: "folderPath" must be an absolute path.`);
    return { folderPath };
  };
}

export function parseSeriesRequest(method: string) {
  return (raw: unknown): { seriesInstanceUid: string } => {
    const obj = expectRecord(raw, ['seriesInstanceUid'], method);
    return { seriesInstanceUid: expectString(obj, 'seriesInstanceUid', method, { maxLength: 64, pattern: uidPattern }) };
  };
}

export function parseSetSeriesPhase(method: string) {
  return (raw: unknown): { seriesInstanceUid: string; phase: Phase | null } => {
    const obj = expectRecord(raw, ['seriesInstanceUid', 'phase'], method);
    const seriesInstanceUid = expectString(obj, 'seriesInstanceUid', method, { maxLength: 64, pattern: uidPattern });
    const phase = obj.phase;
    if (phase !== null && !(typeof phase === 'string' && (phases as readonly string[]).includes(phase))) {
      throw invalid(`${method}: "phase" must be one of ${phases.join(', ')} or null.`);
    }
    return { seriesInstanceUid, phase: phase as Phase | null };
  };
}
