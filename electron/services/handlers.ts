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
import { getSeries, listIndexTree, seriesFiles, setPhaseOverride } from '../db/repositories/dicomIndex';
import { patientLetbTimeline, placementTriplets } from '../db/repositories/letb';
import { letbChange, reportResponderThresholds } from '../../core/letb/letbChange';
import { icc } from '../../core/stats/icc';
import { loadSeriesVolume } from './dicom/loadSeriesVolume';
import { openDemoStudy } from './demo/openDemoStudy';
import { importFolder } from './dicomImport/importFolder';
import { checkDatabase, checkSteps } from '../db/checkDatabase';
import type { ServiceContext } from './context';

export interface Handler<K extends ReaderMethod> {
  /** Validates the untrusted payload; throws AppException('INVALID_INPUT'). */
  parse(raw: unknown): ReaderRequest<K>;
  run(req: ReaderRequest<K>): Promise<ReaderValue<K>>;
}

export type HandlerTable = { [K in ReaderMethod]: Handler<K> };

/** One entry per contract method; both transports dispatch through this table. */
export function createHandlers(ctx: ServiceContext): HandlerTable {
  const letb = new LetbSessions(ctx);
  return {
    getAppInfo: {
      parse: parseEmpty('getAppInfo'),
      run: async () => ({
        productName: ctx.productName,
        version: ctx.appVersion,
        dataDir: ctx.dataDir,
        schemaVersion: ctx.schemaVersion,
        shell: ctx.shell,
      }),
    },
    startDatabaseCheck: {
      parse: parseEmpty('startDatabaseCheck'),
      run: async () =>
        ctx.jobs.start('databaseCheck', checkSteps.length, ({ progress }) =>
          checkDatabase(ctx.db, ctx.schemaVersion, (step, index) =>
            progress(index, checkSteps.length, `Checking ${step}`),
          ),
        ),
    },
    getJob: {
      parse: parseJobRequest('getJob'),
      run: async ({ jobId }) => ctx.jobs.get(jobId),
    },
    cancelJob: {
      parse: parseJobRequest('cancelJob'),
      run: async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    },
    chooseFolder: {
      parse: parseEmpty('chooseFolder'),
      run: async () => {
        if (!ctx.platform.chooseFolder) {
          throw new AppException('UNSUPPORTED', 'There is no folder dialog in the browser: type the folder path instead.');
        }
        return { folderPath: await ctx.platform.chooseFolder() };
      },
    },
    startImport: {
      parse: parseFolderRequest('startImport'),
      run: async ({ folderPath }) =>
        ctx.jobs.start('importFolder', 0, ({ signal, progress }) =>
          importFolder(ctx.db, folderPath, {
            signal,
            onProgress: (p) => progress(p.filesSeen, p.filesSeen, `${p.filesSeen} files seen, ${p.indexed} images indexed, ${p.skipped} skipped`),
          }),
        ),
    },
    listDicomIndex: {
      parse: parseEmpty('listDicomIndex'),
      run: async () => listIndexTree(ctx.db),
    },
    setSeriesPhase: {
      parse: parseSetSeriesPhase('setSeriesPhase'),
      run: async ({ seriesInstanceUid, phase }) => {
        await setPhaseOverride(ctx.db, seriesInstanceUid, phase);
        return getSeries(ctx.db, seriesInstanceUid);
      },
    },
    openDemoStudy: {
      parse: parseEmpty('openDemoStudy'),
      run: async () => ctx.jobs.start('openDemoStudy', 2, (job) => openDemoStudy(ctx, job)),
    },
    loadVolume: {
      parse: parseSeriesRequest('loadVolume'),
      run: async ({ seriesInstanceUid }) => {
        const series = await getSeries(ctx.db, seriesInstanceUid);
        const files = await seriesFiles(ctx.db, seriesInstanceUid);
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
      parse: parseLetbSessionRequest('openLetbSession'),
      run: (req) => letb.open(req),
    },
    evaluateLetbRoi: {
      parse: parseRoiRequest('evaluateLetbRoi'),
      run: async (req) => letb.evaluate(req),
    },
    saveLetbPlacement: {
      parse: parseSavePlacement('saveLetbPlacement'),
      run: (req) => letb.save(req),
    },
    deleteLetbPlacement: {
      parse: parseDeletePlacement('deleteLetbPlacement'),
      run: async ({ sessionId, placementId }) => {
        await letb.remove(sessionId, placementId);
        return { deleted: true as const };
      },
    },
    exportLetbMask: {
      parse: parseExportMask('exportLetbMask'),
      run: ({ sessionId, format }) => letb.exportMask(sessionId, format),
    },
    getLetbReproducibility: {
      parse: parseEmpty('getLetbReproducibility'),
      run: async () => {
        const triplets = await placementTriplets(ctx.db);
        return { timepoints: triplets.length, icc: icc(triplets) };
      },
    },
    getLetbTimeline: {
      parse: parseSeriesRequest('getLetbTimeline'),
      run: async ({ seriesInstanceUid }) => {
        const timepoints = await patientLetbTimeline(ctx.db, seriesInstanceUid);
        const baseline = timepoints.find((t) => t.letbPercent !== null);
        const current = timepoints.find((t) => t.arterialSeriesUid === seriesInstanceUid);
        const change =
          baseline && current && current.letbPercent !== null && baseline.arterialSeriesUid !== current.arterialSeriesUid
            ? letbChange(baseline.letbPercent!, current.letbPercent, reportResponderThresholds)
            : null;
        return { timepoints, change };
      },
    },
  };
}
