import type { EntryInput } from '../../../core/studies/readForm';
import type { EmptyRequest, JobRequest } from '../../../core/ipc/contract';
import { phases, type Phase } from '../../../core/phases/recognizePhases';
import { expectRecord, expectString, invalid } from './fields';
import { maxUidLength, uidPattern } from '../../../core/dicom/instanceHeader';
import { maxTableBytes } from '../../../core/tables/tableLimits';

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
    return {
      seriesInstanceUid: expectString(obj, 'seriesInstanceUid', method, {
        maxLength: maxUidLength,
        pattern: uidPattern,
      }),
    };
  };
}

export function parseSetSeriesPhase(method: string) {
  return (raw: unknown): { seriesInstanceUid: string; phase: Phase | null } => {
    const obj = expectRecord(raw, ['seriesInstanceUid', 'phase'], method);
    const seriesInstanceUid = expectString(obj, 'seriesInstanceUid', method, {
      maxLength: maxUidLength,
      pattern: uidPattern,
    });
    const phase = obj.phase;
    if (phase !== null && !(typeof phase === 'string' && (phases as readonly string[]).includes(phase))) {
      throw invalid(`${method}: "phase" must be one of ${phases.join(', ')} or null.`);
    }
    return { seriesInstanceUid, phase: phase as Phase | null };
  };
}

export const sessionIdPattern = /^letb-[0-9a-f]{16}$/;

function expectLps(obj: Record<string, unknown>, key: string, what: string): [number, number, number] {
  const v = obj[key];
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    !v.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < 1e5)
  ) {
    throw invalid(`${what}: "${key}" must be three finite LPS coordinates in mm.`);
  }
  return [v[0] as number, v[1] as number, v[2] as number];
}

export function parseLetbSessionRequest(method: string) {
  return (raw: unknown): import('../../../core/ipc/contract').LetbSessionRequest => {
    const obj = expectRecord(raw, ['arterialSeriesUid', 'precontrastSeriesUid', 'mask', 'allowOtherReference'], method);
    const arterialSeriesUid = expectString(obj, 'arterialSeriesUid', method, {
      maxLength: maxUidLength,
      pattern: uidPattern,
    });
    const precontrastSeriesUid =
      obj.precontrastSeriesUid === undefined
        ? undefined
        : expectString(obj, 'precontrastSeriesUid', method, { maxLength: maxUidLength, pattern: uidPattern });
    const mask = expectRecord(obj.mask, ['path', 'seriesInstanceUid'], `${method} mask`);
    if ((mask.path === undefined) === (mask.seriesInstanceUid === undefined))
      throw invalid(`${method}: "mask" needs exactly one of "path" or "seriesInstanceUid".`);
    const maskRef =
      mask.path !== undefined
        ? { path: parseFolderRequest(`${method} mask`)({ folderPath: mask.path }).folderPath }
        : {
            seriesInstanceUid: expectString(mask, 'seriesInstanceUid', `${method} mask`, {
              maxLength: maxUidLength,
              pattern: uidPattern,
            }),
          };
    if (obj.allowOtherReference !== undefined && typeof obj.allowOtherReference !== 'boolean')
      throw invalid(`${method}: "allowOtherReference" must be true or false.`);
    const request: import('../../../core/ipc/contract').LetbSessionRequest =
      precontrastSeriesUid === undefined
        ? { arterialSeriesUid, mask: maskRef }
        : { arterialSeriesUid, precontrastSeriesUid, mask: maskRef };
    if (obj.allowOtherReference === true) request.allowOtherReference = true;
    return request;
  };
}

export function parseRoiRequest(method: string) {
  return (raw: unknown): import('../../../core/ipc/contract').RoiRequest => {
    const obj = expectRecord(raw, ['sessionId', 'centerLps', 'volumeMl', 'shape'], method);
    const sessionId = expectString(obj, 'sessionId', method, { maxLength: 64, pattern: sessionIdPattern });
    const centerLps = expectLps(obj, 'centerLps', method);
    const volumeMl = obj.volumeMl;
    if (typeof volumeMl !== 'number' || !(volumeMl >= 0.05 && volumeMl <= 10))
      throw invalid(`${method}: "volumeMl" must be a number of mL between 0.05 and 10.`);
    if (obj.shape !== 'sphere' && obj.shape !== 'cube') throw invalid(`${method}: "shape" must be "sphere" or "cube".`);
    return { sessionId, centerLps, volumeMl, shape: obj.shape };
  };
}

export function parseSavePlacement(method: string) {
  return (raw: unknown): import('../../../core/ipc/contract').RoiRequest & { placementNo: number } => {
    const obj = expectRecord(raw, ['sessionId', 'centerLps', 'volumeMl', 'shape', 'placementNo'], method);
    const { placementNo, ...rest } = obj;
    if (typeof placementNo !== 'number' || !Number.isInteger(placementNo) || placementNo < 1 || placementNo > 9) {
      throw invalid(`${method}: "placementNo" must be an integer from 1 to 9.`);
    }
    return { ...parseRoiRequest(method)(rest), placementNo };
  };
}

export function parseDeletePlacement(method: string) {
  return (raw: unknown): { sessionId: string; placementId: number } => {
    const obj = expectRecord(raw, ['sessionId', 'placementId'], method);
    const sessionId = expectString(obj, 'sessionId', method, { maxLength: 64, pattern: sessionIdPattern });
    const id = obj.placementId;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
      throw invalid(`${method}: "placementId" must be a positive integer.`);
    return { sessionId, placementId: id };
  };
}

export function parseExportMask(method: string) {
  return (raw: unknown): { sessionId: string; format: 'seg' | 'nifti' } => {
    const obj = expectRecord(raw, ['sessionId', 'format'], method);
    const sessionId = expectString(obj, 'sessionId', method, { maxLength: 64, pattern: sessionIdPattern });
    if (obj.format !== 'seg' && obj.format !== 'nifti') throw invalid(`${method}: "format" must be "seg" or "nifti".`);
    return { sessionId, format: obj.format };
  };
}

function expectPositiveInt(obj: Record<string, unknown>, key: string, what: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw invalid(`${what}: "${key}" must be a positive integer.`);
  return v;
}

/** Names people read (study, user): 1-100 printable characters, trimmed. */
function expectName(obj: Record<string, unknown>, key: string, what: string, maxLength = 100): string {
  const v = expectString(obj, key, what, { maxLength: maxLength + 50 }).trim();
  if (v.length === 0 || v.length > maxLength || /[\u0000-\u001f\u007f]/.test(v))
    throw invalid(`${what}: "${key}" must be 1 to ${maxLength} printable characters.`);
  return v;
}

export function parseCreateStudy(method: string) {
  return (
    raw: unknown,
  ): { name: string; coordinatorName: string; passphrase: string; protocol?: unknown; seed?: number } => {
    const obj = expectRecord(raw, ['name', 'coordinatorName', 'passphrase', 'protocol', 'seed'], method);
    const out: { name: string; coordinatorName: string; passphrase: string; protocol?: unknown; seed?: number } = {
      name: expectName(obj, 'name', method),
      coordinatorName: expectName(obj, 'coordinatorName', method, 60),
      passphrase: expectString(obj, 'passphrase', method, { maxLength: 200 }),
    };
    if (obj.protocol !== undefined) out.protocol = obj.protocol;
    if (obj.seed !== undefined) {
      if (typeof obj.seed !== 'number' || !Number.isSafeInteger(obj.seed) || obj.seed < 0)
        throw invalid(`${method}: "seed" must be a non-negative integer.`);
      out.seed = obj.seed;
    }
    return out;
  };
}

export function parseStudyUserRequest(method: string) {
  return (raw: unknown): { studyId: number; displayName: string; passphrase: string } => {
    const obj = expectRecord(raw, ['studyId', 'displayName', 'passphrase'], method);
    return {
      studyId: expectPositiveInt(obj, 'studyId', method),
      displayName: expectName(obj, 'displayName', method, 60),
      passphrase: expectString(obj, 'passphrase', method, { maxLength: 200 }),
    };
  };
}

export function parseStudyIdRequest(method: string) {
  return (raw: unknown): { studyId: number } => {
    const obj = expectRecord(raw, ['studyId'], method);
    return { studyId: expectPositiveInt(obj, 'studyId', method) };
  };
}

export function parseCaseRequest(method: string) {
  return (raw: unknown): { caseId: number } => {
    const obj = expectRecord(raw, ['caseId'], method);
    return { caseId: expectPositiveInt(obj, 'caseId', method) };
  };
}

export function parseReadRequest(method: string) {
  return (raw: unknown): { readId: number } => {
    const obj = expectRecord(raw, ['readId'], method);
    return { readId: expectPositiveInt(obj, 'readId', method) };
  };
}

/** Series keys are positions within a case: "t<timepoint>-s<n>". */
export const seriesKeyPattern = /^t[0-9]{1,2}-s[0-9]{1,3}$/;

export function parseCaseSeriesRequest(method: string) {
  return (raw: unknown): { caseId: number; seriesKey: string } => {
    const obj = expectRecord(raw, ['caseId', 'seriesKey'], method);
    return {
      caseId: expectPositiveInt(obj, 'caseId', method),
      seriesKey: expectString(obj, 'seriesKey', method, { maxLength: 12, pattern: seriesKeyPattern }),
    };
  };
}

/**
 * The shape of an answer: null (clear), a boolean, a finite number, a short string, or a lesion
 * measurement object. Whether it fits the item is `checkEntry`'s job (core/studies/readForm).
 */
export function parseSaveReadEntry(method: string) {
  return (raw: unknown): { readId: number; timepoint: number; item: string; value: EntryInput | null } => {
    const obj = expectRecord(raw, ['readId', 'timepoint', 'item', 'value'], method);
    const readId = expectPositiveInt(obj, 'readId', method);
    const timepoint = obj.timepoint;
    if (typeof timepoint !== 'number' || !Number.isInteger(timepoint) || timepoint < 0 || timepoint > 99)
      throw invalid(`${method}: "timepoint" must be an integer from 0 to 99.`);
    const item = expectString(obj, 'item', method, { maxLength: 50, pattern: /^[a-z][a-z0-9_.]*$/ });
    if (!('value' in obj)) throw invalid(`${method}: "value" is missing (null clears an answer).`);
    const v = obj.value;
    if (v === null || typeof v === 'boolean') return { readId, timepoint, item, value: v };
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(`${method}: "value" must be a finite number.`);
      return { readId, timepoint, item, value: v };
    }
    if (typeof v === 'string') {
      if (v.length === 0 || v.length > 60) throw invalid(`${method}: "value" must be 1 to 60 characters long.`);
      return { readId, timepoint, item, value: v };
    }
    if (
      typeof v === 'object' &&
      v !== null &&
      ((v as Record<string, unknown>).status === 'placed' || 'centerLps' in v)
    ) {
      // An LETB ROI placement: where and how big; the measurement is the main process's.
      const r = expectRecord(v, ['status', 'centerLps', 'volumeMl', 'shape'], `${method} value`);
      if (r.status !== 'placed') throw invalid(`${method} value: an ROI with a centre has "status": "placed".`);
      if (typeof r.volumeMl !== 'number' || !Number.isFinite(r.volumeMl))
        throw invalid(`${method} value: "volumeMl" must be a number of mL.`);
      if (r.shape !== 'sphere' && r.shape !== 'cube')
        throw invalid(`${method} value: "shape" must be "sphere" or "cube".`);
      return {
        readId,
        timepoint,
        item,
        value: {
          status: 'placed',
          centerLps: expectLps(r, 'centerLps', `${method} value`),
          volumeMl: r.volumeMl,
          shape: r.shape,
        },
      };
    }
    const m = expectRecord(v, ['status', 'aLps', 'bLps', 'seriesKey'], `${method} value`);
    if (m.status === 'measured') {
      return {
        readId,
        timepoint,
        item,
        value: {
          status: 'measured',
          aLps: expectLps(m, 'aLps', `${method} value`),
          bLps: expectLps(m, 'bLps', `${method} value`),
          seriesKey: expectString(m, 'seriesKey', `${method} value`, { maxLength: 12, pattern: seriesKeyPattern }),
        },
      };
    }
    if (m.status === 'absent' || m.status === 'not_evaluable') {
      if (Object.keys(m).length !== 1) throw invalid(`${method} value: a "${m.status}" lesion has no caliper points.`);
      return { readId, timepoint, item, value: { status: m.status } };
    }
    throw invalid(`${method} value: "status" must be measured, absent, placed or not_evaluable.`);
  };
}

const expectTimepoint = (obj: Record<string, unknown>, method: string): number => {
  const t = obj.timepoint;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 99)
    throw invalid(`${method}: "timepoint" must be an integer from 0 to 99.`);
  return t;
};

export function parseReadLetbRequest(method: string) {
  return (raw: unknown): { readId: number; timepoint: number } => {
    const obj = expectRecord(raw, ['readId', 'timepoint'], method);
    return { readId: expectPositiveInt(obj, 'readId', method), timepoint: expectTimepoint(obj, method) };
  };
}

export function parseReadLetbRoi(method: string) {
  return (raw: unknown): import('../../../core/ipc/contract').ReadLetbRoiRequest => {
    const obj = expectRecord(raw, ['readId', 'timepoint', 'centerLps', 'volumeMl', 'shape'], method);
    const volumeMl = obj.volumeMl;
    if (typeof volumeMl !== 'number' || !(volumeMl >= 0.05 && volumeMl <= 10))
      throw invalid(`${method}: "volumeMl" must be a number of mL between 0.05 and 10.`);
    if (obj.shape !== 'sphere' && obj.shape !== 'cube') throw invalid(`${method}: "shape" must be "sphere" or "cube".`);
    return {
      readId: expectPositiveInt(obj, 'readId', method),
      timepoint: expectTimepoint(obj, method),
      centerLps: expectLps(obj, 'centerLps', method),
      volumeMl,
      shape: obj.shape,
    };
  };
}

export function parseReopenRead(method: string) {
  return (raw: unknown): { readId: number; reason: string } => {
    const obj = expectRecord(raw, ['readId', 'reason'], method);
    return { readId: expectPositiveInt(obj, 'readId', method), reason: expectName(obj, 'reason', method, 500) };
  };
}

export function parseUpdateProtocol(method: string) {
  return (raw: unknown): { studyId: number; protocol: unknown } => {
    const obj = expectRecord(raw, ['studyId', 'protocol'], method);
    if (obj.protocol === undefined) throw invalid(`${method}: "protocol" is missing.`);
    return { studyId: expectPositiveInt(obj, 'studyId', method), protocol: obj.protocol };
  };
}

export function parseExportReads(method: string) {
  return (raw: unknown): { studyId: number; format: 'csv' | 'json' } => {
    const obj = expectRecord(raw, ['studyId', 'format'], method);
    if (obj.format !== 'csv' && obj.format !== 'json') throw invalid(`${method}: "format" must be "csv" or "json".`);
    return { studyId: expectPositiveInt(obj, 'studyId', method), format: obj.format };
  };
}

export function parseExportReport(method: string) {
  return (raw: unknown): { studyId: number; includeIdentity: boolean } => {
    const obj = expectRecord(raw, ['studyId', 'includeIdentity'], method);
    if (typeof obj.includeIdentity !== 'boolean') throw invalid(`${method}: "includeIdentity" must be true or false.`);
    return { studyId: expectPositiveInt(obj, 'studyId', method), includeIdentity: obj.includeIdentity };
  };
}

/**
 * An outcomes CSV travels as text, at most the outcomes file's cap (`maxTableBytes.outcomes`,
 * 900 KiB) in characters: under the host's 1 MB request limit, and far more cases than a study has.
 */
export const maxOutcomesCsvLength = maxTableBytes.outcomes;

export function parseImportOutcomes(method: string) {
  return (raw: unknown): { studyId: number; csv: string } => {
    const obj = expectRecord(raw, ['studyId', 'csv'], method);
    return {
      studyId: expectPositiveInt(obj, 'studyId', method),
      csv: expectString(obj, 'csv', method, { maxLength: maxOutcomesCsvLength }),
    };
  };
}

export function parseSplitCase(method: string) {
  return (raw: unknown): { caseId: number; atTimepoint: number } => {
    const obj = expectRecord(raw, ['caseId', 'atTimepoint'], method);
    const at = obj.atTimepoint;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 1 || at > 99)
      throw invalid(`${method}: "atTimepoint" must be an integer from 1 to 99.`);
    return { caseId: expectPositiveInt(obj, 'caseId', method), atTimepoint: at };
  };
}
