import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ReadView } from '../../../core/ipc/contract';
import { AppException } from '../../../core/ipc/result';
import { assessRead } from '../../../core/studies/assessRead';
import { assessLetb } from '../../../core/studies/assessLetb';
import { readRows, toLongCsv } from '../../../core/studies/exportReads';
import { ProtocolError, validateProtocol } from '../../../core/studies/protocol';
import {
  checkClear,
  checkEntry,
  isLetbRoiItem,
  ReadFormError,
  readProblems,
  type EntryValue,
  type MeasureLetbRoi,
} from '../../../core/studies/readForm';
import { ReadLetbFields, withoutUids } from '../letb/readLetbFields';
import { appendAudit, auditHead } from '../../db/audit';
import { loadableSeriesFiles } from '../../db/repositories/dicomIndex';
import { privateDirMode, privateFileMode } from '../../db/folderPermissions';
import { unblindedCases } from './unblindedCases';
import { studyReport, writeStudyReport } from '../report/studyReportService';
import {
  caseSeries,
  getStudy,
  getStudyCase,
  openOrCreateRead,
  ownRead,
  readEntries,
  readStudyId,
  reopen,
  saveEntry,
  setProtocol,
  studyOverview,
  studyProtocol,
  submit,
  unblind,
  type ReadRow,
} from '../../db/repositories/reads';
import {
  parseCaseRequest,
  parseCaseSeriesRequest,
  parseExportReads,
  parseExportReport,
  parseReadLetbRequest,
  parseReadLetbRoi,
  parseReadRequest,
  parseReopenRead,
  parseSaveReadEntry,
  parseStudyIdRequest,
  parseUpdateProtocol,
} from '../../ipc/parse/requests';
import { loadSeriesVolume } from '../dicom/loadSeriesVolume';
import { requireCoordinator, requireCoordinatorOf, requireReader } from '../auth/requireRole';
import type { ServiceContext } from '../context';
import type { HandlerTable } from '../handlers';

type ReadMethods =
  | 'updateStudyProtocol'
  | 'getStudyOverview'
  | 'openRead'
  | 'loadCaseSeries'
  | 'openReadLetb'
  | 'evaluateReadLetbRoi'
  | 'saveReadEntry'
  | 'submitRead'
  | 'reopenRead'
  | 'unblindStudy'
  | 'getUnblindedReads'
  | 'exportStudyReads'
  | 'getStudyAgreement'
  | 'exportStudyReport';

/**
 * Reads: the reader's form, answers, submit; the coordinator's overview, reopen, unblinding and
 * export. Every reader method resolves ids against the caller's own reads and study, so another
 * reader's read is NOT_FOUND and nothing identifying reaches a reader.
 */
export function createReadHandlers(ctx: ServiceContext): Pick<HandlerTable, ReadMethods> {
  const db = ctx.db;
  const letbFields = new ReadLetbFields(ctx);

  /**
   * The caller's own read, its study's protocol and the case's timepoint count; LETB asked by this study at
   * an existing timepoint.
   */
  async function letbRead(readId: number, timepoint: number, userId: number) {
    const read = await ownRead(db, readId, userId);
    const protocol = studyProtocol(await getStudy(db, read.study_ref));
    if (!protocol.letb) throw new AppException('INVALID_INPUT', 'This study does not measure LETB.');
    const c = await getStudyCase(db, read.study_ref, read.case_ref);
    if (timepoint >= c.timepoints)
      throw new AppException('NOT_FOUND', `This case has timepoints 0 to ${c.timepoints - 1}.`);
    return read;
  }

  async function view(read: ReadRow, studyId: number): Promise<ReadView> {
    const study = await getStudy(db, studyId);
    const protocol = studyProtocol(study);
    const c = await getStudyCase(db, studyId, read.case_ref);
    const entries = await readEntries(db, read.id);
    const timepoints = (await caseSeries(db, read.case_ref)).map((t) => ({
      ordinal: t.ordinal,
      label: t.label,
      series: t.series.map(({ seriesInstanceUid: _uid, ...s }) => s),
    }));
    return {
      readId: read.id,
      caseId: read.case_ref,
      caseCode: c.case_code,
      state: read.state,
      submittedAt: read.submitted_at,
      timepoints,
      protocol,
      entries,
      assessment: assessRead(protocol, c.timepoints, entries),
      letb: protocol.letb ? assessLetb(c.timepoints, entries) : null,
      problems: readProblems(protocol, c.timepoints, entries),
    };
  }

  return {
    updateStudyProtocol: {
      access: 'coordinator',
      parse: parseUpdateProtocol('updateStudyProtocol'),
      run: async ({ studyId, protocol }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        let valid;
        try {
          valid = validateProtocol(protocol);
        } catch (err) {
          if (err instanceof ProtocolError) throw new AppException('INVALID_INPUT', err.message);
          throw err;
        }
        await setProtocol(db, studyId, valid, `user:${me.userId}`);
        return studyOverview(db, studyId);
      },
    },
    getStudyOverview: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getStudyOverview'),
      run: async ({ studyId }, caller) => {
        requireCoordinatorOf(caller, studyId);
        return studyOverview(db, studyId);
      },
    },
    openRead: {
      access: 'reader',
      parse: parseCaseRequest('openRead'),
      run: async ({ caseId }, caller) => {
        const me = requireReader(caller);
        await getStudyCase(db, me.studyId, caseId);
        return view(await openOrCreateRead(db, me.studyId, caseId, me.userId), me.studyId);
      },
    },
    loadCaseSeries: {
      access: 'reader',
      parse: parseCaseSeriesRequest('loadCaseSeries'),
      run: async ({ caseId, seriesKey }, caller) => {
        const me = requireReader(caller);
        const c = await getStudyCase(db, me.studyId, caseId);
        const series = (await caseSeries(db, caseId)).flatMap((t) => t.series).find((s) => s.seriesKey === seriesKey);
        if (!series) throw new AppException('NOT_FOUND', `Case ${c.case_code} has no series ${seriesKey}.`);
        const label = `${c.case_code} ${seriesKey}`;
        let loaded;
        try {
          loaded = await loadSeriesVolume(await loadableSeriesFiles(db, series.seriesInstanceUid), label);
        } catch (err) {
          ctx.logger.error(`loadCaseSeries ${label} (${series.seriesInstanceUid})`, err);
          throw new AppException(
            'DICOM',
            `Series ${seriesKey} of case ${c.case_code} cannot be loaded; the coordinator can see why in the log.`,
          );
        }
        const { volume, warnings } = loaded;
        if (!(volume.voxels instanceof Int16Array) && !(volume.voxels instanceof Float32Array)) {
          throw new AppException(
            'DICOM',
            `Series ${seriesKey} of case ${c.case_code} is not a grayscale volume that can be shown in HU.`,
          );
        }
        return {
          caseId,
          seriesKey,
          phase: series.phase,
          dims: volume.dims,
          spacingMm: volume.spacingMm,
          originMm: volume.originMm,
          direction: volume.direction,
          voxels: volume.voxels,
          warnings: warnings.map(withoutUids),
        };
      },
    },
    openReadLetb: {
      access: 'reader',
      parse: parseReadLetbRequest('openReadLetb'),
      run: async ({ readId, timepoint }, caller) => {
        const me = requireReader(caller);
        const read = await letbRead(readId, timepoint, me.userId);
        return letbFields.view(readId, read.case_ref, timepoint);
      },
    },
    evaluateReadLetbRoi: {
      access: 'reader',
      parse: parseReadLetbRoi('evaluateReadLetbRoi'),
      run: async ({ readId, timepoint, centerLps, volumeMl, shape }, caller) => {
        const me = requireReader(caller);
        const read = await letbRead(readId, timepoint, me.userId);
        return letbFields.evaluate(read.case_ref, timepoint, { centerLps, volumeMl, shape });
      },
    },
    saveReadEntry: {
      access: 'reader',
      parse: parseSaveReadEntry('saveReadEntry'),
      run: async ({ readId, timepoint, item, value }, caller) => {
        const me = requireReader(caller);
        const read = await ownRead(db, readId, me.userId);
        if (read.state !== 'in_progress')
          throw new AppException(
            'CONFLICT',
            'This read is submitted and locked; ask the study coordinator to reopen it.',
          );
        const protocol = studyProtocol(await getStudy(db, read.study_ref));
        const c = await getStudyCase(db, read.study_ref, read.case_ref);
        // A placed LETB ROI is measured here, on the timepoint's field (built on first use).
        let measureLetbRoi: MeasureLetbRoi | undefined;
        if (
          protocol.letb &&
          isLetbRoiItem(item) &&
          timepoint < c.timepoints &&
          typeof value === 'object' &&
          value !== null &&
          value.status === 'placed'
        ) {
          measureLetbRoi = await letbFields.measurer(read.case_ref, timepoint);
        }
        let stored: EntryValue | null;
        try {
          stored =
            value === null
              ? (checkClear(protocol, c.timepoints, timepoint, item), null)
              : checkEntry(protocol, c.timepoints, timepoint, item, value, measureLetbRoi ? { measureLetbRoi } : {});
        } catch (err) {
          if (err instanceof ReadFormError) throw new AppException('INVALID_INPUT', err.message);
          throw err;
        }
        const savedAt = await saveEntry(db, readId, `user:${me.userId}`, timepoint, item, stored);
        const entries = await readEntries(db, readId);
        return {
          entry: stored === null ? null : { timepoint, item, value: stored },
          assessment: assessRead(protocol, c.timepoints, entries),
          letb: protocol.letb ? assessLetb(c.timepoints, entries) : null,
          problems: readProblems(protocol, c.timepoints, entries),
          savedAt,
        };
      },
    },
    submitRead: {
      access: 'reader',
      parse: parseReadRequest('submitRead'),
      run: async ({ readId }, caller) => {
        const me = requireReader(caller);
        const read = await ownRead(db, readId, me.userId);
        // Completeness is checked by submit, inside the transaction that locks.
        await submit(db, readId, `user:${me.userId}`);
        return view(await ownRead(db, readId, me.userId), read.study_ref);
      },
    },
    reopenRead: {
      access: 'coordinator',
      parse: parseReopenRead('reopenRead'),
      run: async ({ readId, reason }, caller) => {
        const me = requireCoordinator(caller);
        const studyId = me.studyId;
        if ((await readStudyId(db, readId).catch(() => -1)) !== studyId)
          throw new AppException('NOT_FOUND', `No read ${readId} in this study.`);
        await reopen(db, studyId, readId, `user:${me.userId}`, reason);
        return studyOverview(db, studyId);
      },
    },
    unblindStudy: {
      access: 'coordinator',
      parse: parseStudyIdRequest('unblindStudy'),
      run: async ({ studyId }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        await unblind(db, studyId, `user:${me.userId}`);
        return studyOverview(db, studyId);
      },
    },
    getUnblindedReads: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getUnblindedReads'),
      run: async ({ studyId }, caller) => {
        requireCoordinatorOf(caller, studyId);
        return unblindedCases(db, studyId);
      },
    },
    exportStudyReads: {
      access: 'coordinator',
      parse: parseExportReads('exportStudyReads'),
      run: async ({ studyId, format }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        const study = await getStudy(db, studyId);
        const cases = await unblindedCases(db, studyId);
        // The trail's head before this export's own audit row: printed in the export (JSON) or
        // beside it (CSV sidecar), so the file can later be checked against the trail.
        const auditTrail = await auditHead(db);
        const rows = cases.flatMap((c) =>
          c.reads.flatMap((r) => readRows(c.caseCode, r.reader, r.entries, r.assessment, r.letb)),
        );
        const text =
          format === 'csv'
            ? toLongCsv(rows)
            : `${JSON.stringify(
                {
                  format: 'concord-study-reads',
                  formatVersion: 1,
                  software: { name: ctx.productName, version: ctx.appVersion },
                  exportedAt: new Date().toISOString(),
                  auditTrail,
                  study: {
                    name: study.name,
                    createdAt: study.created_at,
                    frozenAt: study.frozen_at,
                    unblindedAt: study.unblinded_at,
                    randomizationSeed: study.randomization_seed,
                    protocol: studyProtocol(study),
                  },
                  blinding:
                    'Readers saw case codes and dates relative to the baseline only; each reader saw only their own reads; worklists in a per-reader order drawn from the randomisation seed.',
                  cases,
                },
                null,
                2,
              )}\n`;
        const dir = join(ctx.dataDir, 'exports');
        await mkdir(dir, { recursive: true, mode: privateDirMode });
        const safe = study.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
        const path = join(dir, `${safe}_reads_${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`);
        const sha256 = createHash('sha256').update(text).digest('hex');
        await writePrivate(path, text);
        if (format === 'csv') {
          const sidecar = {
            format: 'concord-export-audit',
            formatVersion: 1,
            file: basename(path),
            sha256,
            rows: rows.length,
            auditTrail,
          };
          await writePrivate(`${path}.audit.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
        }
        await saveExportAudit(me.userId, studyId, format, path, rows.length, sha256);
        return {
          path,
          sha256,
          rows: format === 'csv' ? rows.length : cases.reduce((n, c) => n + c.reads.length, 0),
          auditTrail,
        };
      },
    },
    getStudyAgreement: {
      access: 'coordinator',
      parse: parseStudyIdRequest('getStudyAgreement'),
      run: async ({ studyId }, caller) => {
        requireCoordinatorOf(caller, studyId);
        return studyReport(ctx, studyId);
      },
    },
    exportStudyReport: {
      access: 'coordinator',
      parse: parseExportReport('exportStudyReport'),
      run: async ({ studyId, includeIdentity }, caller) => {
        const me = requireCoordinatorOf(caller, studyId);
        const study = await getStudy(db, studyId);
        const safe = study.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
        const dir = join(ctx.dataDir, 'exports', `${safe}_report_${new Date().toISOString().replace(/[:.]/g, '-')}`);
        return writeStudyReport(ctx, studyId, dir, { includeIdentity, actor: `user:${me.userId}` });
      },
    },
  };

  async function saveExportAudit(
    userId: number,
    studyId: number,
    format: string,
    path: string,
    rows: number,
    sha256: string,
  ) {
    await db.transaction(() =>
      appendAudit(db, {
        actor: `user:${userId}`,
        action: 'study.export',
        entity: 'reading_study',
        entityId: studyId,
        before: null,
        after: { format, path, rows, sha256 },
      }),
    );
  }

  /** Writes a file owner-only (0600) and atomically: a partial file renamed into place. */
  async function writePrivate(path: string, text: string) {
    await writeFile(`${path}.partial`, text, { mode: privateFileMode });
    await rename(`${path}.partial`, path);
  }
}
