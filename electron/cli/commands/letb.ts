import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildLetbField, LetbInputError } from '../../../core/letb/letbField';
import { evaluatePlacement, timepointLetb } from '../../../core/letb/evaluatePlacement';
import type { RoiShape } from '../../../core/letb/roi';
import { AppException } from '../../../core/ipc/result';
import { loadSeriesVolume } from '../../services/dicom/loadSeriesVolume';
import { loadMask } from '../../services/masks/loadMask';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

function files(dir: string, what: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what} ${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new AppException('IO', `${what} folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const paths = names.map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  if (paths.length === 0) throw new AppException('INVALID_INPUT', `${what} folder ${dir} holds no files.`);
  return paths;
}

function lps(raw: string): [number, number, number] {
  const parts = raw.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 3 || !parts.every(Number.isFinite)) throw new UsageError(`--roi takes x,y,z in LPS millimetres, got "${raw}"`);
  return parts as [number, number, number];
}

export const letbCommand: Command = {
  name: 'letb',
  summary: 'LETB of one timepoint from a precontrast and an arterial series, a liver mask and ROI centres',
  usage: 'concord letb --pre <dir> --arterial <dir> --mask <file> --roi x,y,z [--roi x,y,z ...] [--roi-ml 1] [--roi-shape sphere|cube] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      pre: { type: 'string' },
      arterial: { type: 'string' },
      mask: { type: 'string' },
      roi: { type: 'string', multiple: true },
      'roi-ml': { type: 'string', default: '1' },
      'roi-shape': { type: 'string', default: 'sphere' },
      json: { type: 'boolean', default: false },
    });
    for (const name of ['pre', 'arterial', 'mask'] as const) if (!values[name]) throw new UsageError(`missing --${name}`);
    if (!values.roi || values.roi.length === 0) throw new UsageError('at least one --roi x,y,z is needed');
    const centres = values.roi.map(lps);
    const roiMl = Number(values['roi-ml']);
    if (!(roiMl > 0 && roiMl <= 10)) throw new UsageError(`--roi-ml must be a volume in mL between 0 and 10, got "${values['roi-ml']}"`);
    const shape = values['roi-shape'];
    if (shape !== 'sphere' && shape !== 'cube') throw new UsageError(`--roi-shape must be sphere or cube, got "${shape}"`);

    const [pre, arterial] = await Promise.all([
      loadSeriesVolume(files(values.pre!, '--pre'), `precontrast ${values.pre}`),
      loadSeriesVolume(files(values.arterial!, '--arterial'), `arterial ${values.arterial}`),
    ]);
    const mask = await loadMask(values.mask!, arterial.volume);
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
      warnings: [...pre.warnings, ...arterial.warnings],
    };
    const text = [
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
