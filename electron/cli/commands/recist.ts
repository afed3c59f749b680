import { assessResponse, type FollowUpFindings, type ResponseAssessment } from '../../../core/recist/assessResponse';
import type { NonTargetStatus, ResponseCriteria } from '../../../core/recist/responseCategory';
import { parseCommandArgs, printJsonOrText, UsageError, type Command } from '../command';

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const nonTargetChoices: Record<string, NonTargetStatus> = { absent: 'CR', present: 'non-CR/non-PD', ne: 'NE' };

/** "d1,d2;d1,d2;…" → diameters (mm) per timepoint; `NE` marks a lesion not evaluable at a follow-up. */
function parseTimepoints(raw: string | undefined): (number | null)[][] {
  if (raw === undefined) throw new UsageError('missing --timepoints');
  const groups = raw.split(';').map((g, t) => {
    if (g.trim() === '') throw new UsageError(`--timepoints: timepoint ${t} is empty`);
    return g.split(',').map((item, i) => {
      const text = item.trim();
      const where = `timepoint ${t}, lesion ${i + 1}`;
      if (/^ne$/i.test(text)) {
        if (t === 0) throw new UsageError(`--timepoints: ${where}: a target must be measured at baseline`);
        return null;
      }
      const v = Number(text);
      if (!decimal.test(text) || !Number.isFinite(v))
        throw new UsageError(`--timepoints: ${where}: "${text}" is not a diameter in mm`);
      if (v < 0) throw new UsageError(`--timepoints: ${where}: diameter ${text} mm is negative`);
      return v;
    });
  });
  if (groups.length < 2)
    throw new UsageError('--timepoints needs a baseline and at least one follow-up, separated by ";"');
  const lesions = groups[0]!.length;
  groups.forEach((g, t) => {
    if (g.length !== lesions)
      throw new UsageError(
        `--timepoints: timepoint ${t} has ${g.length} diameters, the baseline ${lesions}: every timepoint lists the same target lesions`,
      );
  });
  return groups;
}

/** 1-based indices (follow-ups or lesions) between 1 and `max`. */
function parseIndices(name: string, raw: string[] | undefined, max: number, what: string): number[] {
  return (raw ?? []).map((text) => {
    const k = Number(text);
    if (!/^\d+$/.test(text.trim()) || k < 1 || k > max)
      throw new UsageError(`--${name} must be a ${what} number from 1 to ${max}, got "${text}"`);
    return k;
  });
}

const percentText = (p: number | null) =>
  p === null ? 'n/a' : `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(1)} %`;

function text(a: ResponseAssessment): string {
  return [
    `${a.criteria === 'recist' ? 'RECIST 1.1' : 'mRECIST'}: baseline sum ${a.baselineSumMm} mm`,
    ...a.followUps.map(
      (f) =>
        `  follow-up ${f.followUp}: sum ${f.sumMm ?? `≥ ${f.measuredSumMm}`} mm, ${percentText(f.changeFromBaselinePercent)} vs baseline, ` +
        `${percentText(f.changeFromNadirPercent)} vs nadir ${f.nadirMm} mm; target ${f.targetResponse} (${f.basis}); ` +
        `non-target ${f.nonTarget}${f.newLesion ? ', new lesion' : ''} → ${f.overallResponse}`,
    ),
    `best response ${a.bestResponse}${a.firstResponseFollowUp === null ? '' : ` (first response at follow-up ${a.firstResponseFollowUp})`}; objective response: ${a.objectiveResponse ? 'yes' : 'no'}`,
  ].join('\n');
}

export const recistCommand: Command = {
  name: 'recist',
  summary: 'RECIST 1.1 / mRECIST response from target sums of diameters over timepoints',
  usage:
    'concord recist --criteria recist|mrecist --timepoints "d1,d2;d1,d2;…" [--new-lesion k ...] [--nontarget-progression k ...] [--nontarget absent|present|ne] [--node i ...] [--json]',
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      criteria: { type: 'string' },
      timepoints: { type: 'string' },
      'new-lesion': { type: 'string', multiple: true },
      'nontarget-progression': { type: 'string', multiple: true },
      nontarget: { type: 'string', default: 'absent' },
      node: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    });
    const criteria = values.criteria;
    if (criteria === undefined) throw new UsageError('missing --criteria (recist or mrecist)');
    if (criteria !== 'recist' && criteria !== 'mrecist')
      throw new UsageError(`--criteria must be recist or mrecist, got "${criteria}"`);
    const timepointsMm = parseTimepoints(values.timepoints);
    const followUpCount = timepointsMm.length - 1;
    const lesionCount = timepointsMm[0]!.length;
    const newAt = parseIndices('new-lesion', values['new-lesion'], followUpCount, 'follow-up');
    const progressionAt = parseIndices(
      'nontarget-progression',
      values['nontarget-progression'],
      followUpCount,
      'follow-up',
    );
    const nodes = parseIndices('node', values.node, lesionCount, 'target lesion');
    const nonTarget = nonTargetChoices[values.nontarget!.toLowerCase()];
    if (nonTarget === undefined)
      throw new UsageError(`--nontarget must be absent, present or ne, got "${values.nontarget}"`);

    // A new lesion or an unequivocal progression that appeared at follow-up k is still there later.
    const followUps: FollowUpFindings[] = Array.from({ length: followUpCount }, (_, n) => ({
      newLesion: newAt.some((k) => n + 1 >= k),
      nonTarget: progressionAt.some((k) => n + 1 >= k) ? 'PD' : nonTarget,
    }));
    const isNode = Array.from({ length: lesionCount }, (_, i) => nodes.includes(i + 1));

    let assessment: ResponseAssessment;
    try {
      assessment = assessResponse({ criteria: criteria satisfies ResponseCriteria, timepointsMm, isNode, followUps });
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    const json = {
      criteria: assessment.criteria,
      baselineSumMm: assessment.baselineSumMm,
      followUps: assessment.followUps.map((f) => ({
        timepoint: f.followUp,
        sumMm: f.sumMm,
        ...(f.sumMm === null ? { measuredSumMm: f.measuredSumMm } : {}),
        nadirMm: f.nadirMm,
        changeFromBaselinePercent: f.changeFromBaselinePercent,
        ...(f.changeFromBaselineReason === null ? {} : { changeFromBaselineReason: f.changeFromBaselineReason }),
        changeFromNadirPercent: f.changeFromNadirPercent,
        ...(f.changeFromNadirReason === null ? {} : { changeFromNadirReason: f.changeFromNadirReason }),
        targetResponse: f.targetResponse,
        nonTarget: f.nonTarget,
        newLesion: f.newLesion,
        category: f.overallResponse,
        basis: f.basis,
      })),
      bestResponse: assessment.bestResponse,
      firstResponseTimepoint: assessment.firstResponseFollowUp,
      objectiveResponse: assessment.objectiveResponse,
    };
    printJsonOrText(io, values.json === true, json, text(assessment));
    return 0;
  },
};
