import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildLetbField, LetbInputError } from '../../../core/letb/letbField';
import { evaluatePlacement, timepointLetb } from '../../../core/letb/evaluatePlacement';
import type { RoiShape } from '../../../core/letb/roi';
import { AppException } from '../../../core/ipc/result';
import { loadSeriesVolume } from '../../services/dicom/loadSeriesVolume';
import { describeReferenceMismatches } from '../../../core/masks/segReferenceMismatches';
import { examReferenceOfFiles } from '../../services/masks/examReference';
import { segFileMismatches } from '../../services/masks/inspectSegFile';
import { loadMask, otherReferenceRefusal } from '../../services/masks/loadMask';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

function files(dir: string, what: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what} ${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new AppException(
      'IO',
      `${what} folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const paths = names.map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  if (paths.length === 0) throw new AppException('INVALID_INPUT', `${what} folder ${dir} holds no files.`);
  return paths;
}

function lps(raw: string): [number, number, number] {
  const parts = raw.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 3 || !parts.every(Number.isFinite))
    throw new UsageError(`--roi takes x,y,z in LPS millimetres, got "${raw}"`);
  return parts as [number, number, number];
}

export const letbCommand: Command = {
  name: 'letb',
  summary: 'LETB of one timepoint from a precontrast and an arterial series, a liver mask and ROI centres',
  // A DICOM SEG mask must reference the --arterial series, its Frame of Reference and patient;
  // --allow-other-reference measures on one that does not (the output records what differed).
  usage:
    'concord letb --pre <dir> --arterial <dir> --mask <file> --roi x,y,z [--roi x,y,z ...] [--roi-ml 1] [--roi-shape sphere|cube] [--allow-other-reference] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      pre: { type: 'string' },
      arterial: { type: 'string' },
      mask: { type: 'string' },
      roi: { type: 'string', multiple: true },
      'roi-ml': { type: 'string', default: '1' },
      'roi-shape': { type: 'string', default: 'sphere' },
      'allow-other-reference': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    for (const name of ['pre', 'arterial', 'mask'] as const)
      if (!values[name]) throw new UsageError(`missing --${name}`);
    if (!values.roi || values.roi.length === 0) throw new UsageError('at least one --roi x,y,z is needed');
    const centres = values.roi.map(lps);
    const roiMl = Number(values['roi-ml']);
    if (!(roiMl > 0 && roiMl <= 10))
      throw new UsageError(`--roi-ml must be a volume in mL between 0 and 10, got "${values['roi-ml']}"`);
    const shape = values['roi-shape'];
    if (shape !== 'sphere' && shape !== 'cube')
      throw new UsageError(`--roi-shape must be sphere or cube, got "${shape}"`);

    const arterialFiles = files(values.arterial!, '--arterial');
    const exam = examReferenceOfFiles(arterialFiles, `The --arterial folder ${values.arterial}`);
    const allowOtherReference = values['allow-other-reference'] === true;
    const confirm = (err: unknown) =>
      err instanceof AppException && err.code === 'NEEDS_CONFIRMATION'
        ? new AppException(
            'NEEDS_CONFIRMATION',
            `${err.message} Pass --allow-other-reference to measure on it anyway; the output then records what differed.`,
          )
        : err;
    if (!allowOtherReference) {
      // A SEG of other images is refused from its header, before both series are loaded.
      const mismatches = await segFileMismatches(values.mask!, exam);
      if (mismatches.length > 0) throw confirm(otherReferenceRefusal(basename(values.mask!), mismatches));
    }
    const [pre, arterial] = await Promise.all([
      loadSeriesVolume(files(values.pre!, '--pre'), `precontrast ${values.pre}`),
      loadSeriesVolume(arterialFiles, `arterial ${values.arterial}`),
    ]);
    const mask = await loadMask(values.mask!, arterial.volume, { exam, allowOtherReference }).catch((err: unknown) => {
      throw confirm(err);
    });
    let field;
    try {
      field = buildLetbField(arterial.volume, pre.volume, mask.mask);
    } catch (err) {
      if (err instanceof LetbInputError) throw new AppException('INVALID_INPUT', err.message);
      throw err;
    }
    const placements = centres.map((centerLps) => {
      try {
        return evaluatePlacement(field, { centerLps, volumeMl: roiMl, shape: shape as RoiShape });
      } catch (err) {
        if (err instanceof RangeError) throw new AppException('INVALID_INPUT', err.message);
        throw err;
      }
    });
    const json = {
      liverMl: field.liverMl,
      placements: placements.map((p) => ({
        centerLps: p.centerLps,
        roiVoxels: p.roiVoxels,
        meanHu: p.meanHu,
        sdHu: p.sdHu,
        thresholdHu: p.thresholdHu,
        enhancingMl: p.enhancingMl,
        letbPercent: p.letbPercent,
        flags: p.flags,
      })),
      letbPercent: timepointLetb(placements),
      resampledPrecontrast: field.resampledPrecontrast,
      mask: { file: mask.fileName, format: mask.source, sha256: mask.sha256, checks: mask.checks },
      warnings: [...pre.warnings, ...arterial.warnings, ...mask.checks.warnings],
    };
    const overridden =
      mask.checks.overridden.length > 0
        ? `; other images, measured as asked: ${describeReferenceMismatches(mask.checks.overridden)}`
        : '';
    const text = [
      `mask ${mask.fileName} (${mask.source}, sha256 ${mask.sha256.slice(0, 12)}…): checks ${mask.checks.status}${overridden}`,
      ...mask.checks.warnings.map((w) => `  warning: ${w}`),
      `liver ${field.liverMl.toFixed(1)} cm³${field.resampledPrecontrast ? ' (precontrast resampled onto the arterial grid)' : ''}`,
      ...placements.map(
        (p, n) =>
          `  ROI ${n + 1} at (${p.centerLps.map((v) => v.toFixed(1)).join(', ')}): ${p.roiVoxels} voxels, mean ${p.meanHu.toFixed(1)} ± ${p.sdHu.toFixed(1)} HU, T ${p.thresholdHu.toFixed(1)} HU, enhancing ${p.enhancingMl.toFixed(1)} cm³, LETB ${p.letbPercent.toFixed(2)}%${p.flags.leavesLiver || p.flags.leavesImage ? '  (ROI leaves the liver or image)' : ''}`,
      ),
      `LETB ${json.letbPercent.toFixed(2)}% (mean of ${placements.length})`,
    ].join('\n');
    printJsonOrText(io, values.json === true, json, text);
    return 0;
  },
};
