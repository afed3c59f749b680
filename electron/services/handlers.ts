import type { ReaderMethod, ReaderRequest, ReaderValue } from '../../core/ipc/contract';
import {
  parseDeletePlacement,
  parseExportMask,
  parseEmpty,
  parseFolderRequest,
  parseJobRequest,
  parseLetbSessionRequest,
  parseRoiRequest,
  parseSavePlacement,
  parseSeriesRequest,
  parseSetSeriesPhase,
} from '../ipc/parse/requests';
import { LetbSessions } from './letb/letbSessions';
import { AppException } from '../../core/ipc/result';
import {
  getSeries,
  listImportRuns,
  listIndexTree,
  loadableSeriesFiles,
  setPhaseOverride,
} from '../db/repositories/dicomIndex';
import { patientLetbTimeline, placementTriplets } from '../db/repositories/letb';
import { refuseFrozenPhase } from '../db/repositories/studyInputs';
import { letbChange, reportResponderThresholds } from '../../core/letb/letbChange';
import { icc } from '../../core/stats/icc';
import { loadSeriesVolume } from './dicom/loadSeriesVolume';
import { openDemoStudy } from './demo/openDemoStudy';
import { importFolder } from './dicomImport/importFolder';
import { checkDatabase, checkSteps } from '../db/checkDatabase';
import type { ServiceContext } from './context';
import type { Access, Caller } from './auth/callers';
import { createStudyHandlers } from './studies/studyHandlers';
import { createReadHandlers } from './studies/readHandlers';
import { createOutcomeHandlers } from './studies/outcomeHandlers';
import { createAuthHandlers } from './auth/authHandlers';

export interface Handler<K extends ReaderMethod> {
  /** Who may call it (checked by dispatch before the payload is parsed). */
  access: Access;
  /** Validates the untrusted payload; throws AppException('INVALID_INPUT'). */
  parse(raw: unknown): ReaderRequest<K>;
  run(req: ReaderRequest<K>, caller: Caller): Promise<ReaderValue<K>>;
}

export type HandlerTable = { [K in ReaderMethod]: Handler<K> };

/** One entry per contract method; both transports dispatch through this table. */
export function createHandlers(ctx: ServiceContext): HandlerTable {
  const letb = new LetbSessions(ctx);
  return {
    ...createStudyHandlers(ctx),
    ...createReadHandlers(ctx),
    ...createOutcomeHandlers(ctx),
    ...createAuthHandlers(ctx),
    getAppInfo: {
      access: 'anyone',
      parse: parseEmpty('getAppInfo'),
      run: async () => ({
        productName: ctx.productName,
        version: ctx.appVersion,
        dataDir: ctx.dataDir,
        dataFolderNotice: ctx.dataFolderNotice,
        schemaVersion: ctx.schemaVersion,
        shell: ctx.shell,
      }),
    },
    startDatabaseCheck: {
      access: 'anyone',
      parse: parseEmpty('startDatabaseCheck'),
      run: async (_req, caller) =>
        ctx.jobs.start(
          'databaseCheck',
          checkSteps.length,
          ({ progress }) =>
            checkDatabase(ctx.db, ctx.schemaVersion, (step, index) =>
              progress(index, checkSteps.length, `Checking ${step}`),
            ),
          caller,
        ),
    },
    getJob: {
      access: 'anyone',
      parse: parseJobRequest('getJob'),
      run: async ({ jobId }, caller) => ctx.jobs.get(jobId, caller),
    },
    cancelJob: {
      access: 'anyone',
      parse: parseJobRequest('cancelJob'),
      run: async ({ jobId }, caller) => ({ cancelled: ctx.jobs.cancel(jobId, caller) }),
    },
    chooseFolder: {
      access: 'coordinator',
      parse: parseEmpty('chooseFolder'),
      run: async () => {
        if (!ctx.platform.chooseFolder) {
          throw new AppException(
            'UNSUPPORTED',
            'There is no folder dialog in the browser: type the folder path instead.',
          );
        }
        return { folderPath: await ctx.platform.chooseFolder() };
      },
    },
    startImport: {
      access: 'coordinator',
      parse: parseFolderRequest('startImport'),
      run: async ({ folderPath }, caller) =>
        ctx.jobs.start(
          'importFolder',
          0,
          ({ signal, progress }) =>
            importFolder(ctx.db, folderPath, {
              signal,
              onProgress: (p) =>
                progress(
                  p.filesSeen,
                  p.filesSeen,
                  `${p.filesSeen} files seen, ${p.indexed} images indexed, ${p.skipped} skipped`,
                ),
            }),
          caller,
        ),
    },
    listImportRuns: {
      access: 'coordinator',
      parse: parseEmpty('listImportRuns'),
      run: async () => listImportRuns(ctx.db),
    },
    listDicomIndex: {
      access: 'coordinator',
      parse: parseEmpty('listDicomIndex'),
      run: async () => listIndexTree(ctx.db),
    },
    setSeriesPhase: {
      access: 'coordinator',
      parse: parseSetSeriesPhase('setSeriesPhase'),
      run: async ({ seriesInstanceUid, phase }) => {
        await refuseFrozenPhase(ctx.db, seriesInstanceUid, phase);
        await setPhaseOverride(ctx.db, seriesInstanceUid, phase);
        return getSeries(ctx.db, seriesInstanceUid);
      },
    },
    openDemoStudy: {
      access: 'coordinator',
      parse: parseEmpty('openDemoStudy'),
      run: async (_req, caller) => ctx.jobs.start('openDemoStudy', 2, (job) => openDemoStudy(ctx, job), caller),
    },
    loadVolume: {
      access: 'coordinator',
      parse: parseSeriesRequest('loadVolume'),
      run: async ({ seriesInstanceUid }) => {
        const series = await getSeries(ctx.db, seriesInstanceUid);
        const files = await loadableSeriesFiles(ctx.db, seriesInstanceUid);
        const label = `${series.description || series.modality} (${seriesInstanceUid})`;
        const { volume, warnings } = await loadSeriesVolume(files, label);
        if (!(volume.voxels instanceof Int16Array) && !(volume.voxels instanceof Float32Array)) {
          throw new AppException('DICOM', `Series ${label} is not a grayscale volume that can be shown in HU.`);
        }
        return {
          seriesInstanceUid,
          description: series.description,
          phase: series.phase,
          dims: volume.dims,
          spacingMm: volume.spacingMm,
          originMm: volume.originMm,
          direction: volume.direction,
          voxels: volume.voxels,
          warnings,
        };
      },
    },
    openLetbSession: {
      access: 'coordinator',
      parse: parseLetbSessionRequest('openLetbSession'),
      run: (req, caller) => letb.open(req, caller.kind === 'user' ? `user:${caller.userId}` : 'local'),
    },
    evaluateLetbRoi: {
      access: 'coordinator',
      parse: parseRoiRequest('evaluateLetbRoi'),
      run: async (req) => letb.evaluate(req),
    },
    saveLetbPlacement: {
      access: 'coordinator',
      parse: parseSavePlacement('saveLetbPlacement'),
      run: (req) => letb.save(req),
    },
    deleteLetbPlacement: {
      access: 'coordinator',
      parse: parseDeletePlacement('deleteLetbPlacement'),
      run: async ({ sessionId, placementId }) => {
        await letb.remove(sessionId, placementId);
        return { deleted: true as const };
      },
    },
    exportLetbMask: {
      access: 'coordinator',
      parse: parseExportMask('exportLetbMask'),
      run: ({ sessionId, format }) => letb.exportMask(sessionId, format),
    },
    getLetbReproducibility: {
      access: 'coordinator',
      parse: parseEmpty('getLetbReproducibility'),
      run: async () => {
        const triplets = await placementTriplets(ctx.db);
        return { timepoints: triplets.length, icc: icc(triplets) };
      },
    },
    getLetbTimeline: {
      access: 'coordinator',
      parse: parseSeriesRequest('getLetbTimeline'),
      run: async ({ seriesInstanceUid }) => {
        const timepoints = await patientLetbTimeline(ctx.db, seriesInstanceUid);
        const baseline = timepoints.find((t) => t.letbPercent !== null);
        const current = timepoints.find((t) => t.arterialSeriesUid === seriesInstanceUid);
        const change =
          baseline &&
          current &&
          current.letbPercent !== null &&
          baseline.arterialSeriesUid !== current.arterialSeriesUid
            ? letbChange(baseline.letbPercent!, current.letbPercent, reportResponderThresholds)
            : null;
        return { timepoints, change };
      },
    },
  };
}
