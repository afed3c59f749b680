import { describe, expect, it } from 'vitest';
import { recognizePhases, tmSeconds, type SeriesForPhase } from '../../core/phases/recognizePhases';

const base: Omit<SeriesForPhase, 'seriesInstanceUid'> = {
  modality: 'CT',
  description: '',
  imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
  contrastAgent: '',
  contrastStartTime: '',
  acquisitionTime: '',
  images: 120,
};
const series = (uid: string, patch: Partial<SeriesForPhase>): SeriesForPhase => ({
  ...base,
  seriesInstanceUid: uid,
  ...patch,
});
const phaseOf = (list: SeriesForPhase[]) =>
  Object.fromEntries(recognizePhases(list).map((g) => [g.seriesInstanceUid, g.phase]));

describe('recognizePhases: series description words', () => {
  it.each([
    ['ABD PRE 2.5mm', 'precontrast'],
    ['Nativ 1.25', 'precontrast'],
    ['LEBER NATIV', 'precontrast'],
    ['Sans injection', 'precontrast'],
    ['Sin contraste', 'precontrast'],
    ['Basale', 'precontrast'],
    ['Unenhanced abdomen', 'precontrast'],
    ['NC abdomen', 'precontrast'],
    ['Late arterial phase', 'arterial'],
    ['ARTERIAL 35s', 'arterial'],
    ['Leber arteriell', 'arterial'],
    ['Phase artérielle', 'arterial'],
    ['Fase arteriosa', 'arterial'],
    ['HAP 1.25mm', 'arterial'],
    ['abd_art', 'arterial'],
    ['PORTAL VENOUS', 'portal_venous'],
    ['Portalvenös', 'portal_venous'],
    ['Portale', 'portal_venous'],
    ['Temps portal', 'portal_venous'],
    ['PV 2.5', 'portal_venous'],
    ['Venous phase', 'portal_venous'],
    ['Delayed 3 min', 'other'],
    ['Spätphase', 'other'],
    ['Coronal MPR PV', 'other'],
    ['Topogram 0.6 T20f', 'other'],
  ])('"%s" → %s', (description, expected) => {
    expect(phaseOf([series('1', { description })])['1']).toBe(expected);
  });
});

describe('recognizePhases: header rules when the description says nothing', () => {
  it('uses the delay between contrast start and acquisition (SPEC §1: arterial 30-35 s, portal 70-90 s)', () => {
    const list = [
      series('pre', { acquisitionTime: '101000' }),
      series('a', { contrastAgent: 'IOMEPROL 350', contrastStartTime: '101500', acquisitionTime: '101535' }),
      series('p', { contrastAgent: 'IOMEPROL 350', contrastStartTime: '101500', acquisitionTime: '101615.5' }),
      series('d', { contrastAgent: 'IOMEPROL 350', contrastStartTime: '101500', acquisitionTime: '101800' }),
    ];
    const guesses = recognizePhases(list);
    expect(Object.fromEntries(guesses.map((g) => [g.seriesInstanceUid, g.phase]))).toEqual({
      pre: 'precontrast',
      a: 'arterial',
      p: 'portal_venous',
      d: 'other',
    });
    expect(guesses.find((g) => g.seriesInstanceUid === 'a')!.rule).toBe(
      'contrast timing: acquired 35 s after contrast start',
    );
    expect(guesses.find((g) => g.seriesInstanceUid === 'pre')!.confidence).toBe(0.7);
  });

  it('falls back to acquisition order when only the agent is known', () => {
    const list = [
      series('x', { contrastAgent: 'Contrast', acquisitionTime: '120210' }),
      series('y', { contrastAgent: 'Contrast', acquisitionTime: '120131' }),
      series('z', { acquisitionTime: '120000' }),
    ];
    expect(phaseOf(list)).toEqual({ y: 'arterial', x: 'portal_venous', z: 'precontrast' });
    expect(recognizePhases(list).find((g) => g.seriesInstanceUid === 'y')!.confidence).toBe(0.5);
  });

  it('keeps renamed descriptions from fooling it when the contrast header is there', () => {
    const list = [
      series('1', { description: 'Series 2', acquisitionTime: '080000' }),
      series('2', {
        description: 'Series 3',
        contrastAgent: 'Visipaque',
        contrastStartTime: '080100',
        acquisitionTime: '080133',
      }),
      series('3', {
        description: 'Series 4',
        contrastAgent: 'Visipaque',
        contrastStartTime: '080100',
        acquisitionTime: '080218',
      }),
    ];
    expect(phaseOf(list)).toEqual({ '1': 'precontrast', '2': 'arterial', '3': 'portal_venous' });
  });

  it('raises confidence when description and timing agree', () => {
    const [g] = recognizePhases([
      series('a', { description: 'ART', contrastAgent: 'X', contrastStartTime: '100000', acquisitionTime: '100034' }),
    ]);
    expect(g).toMatchObject({ phase: 'arterial', confidence: 0.95 });
    expect(g!.rule).toMatch(/series description "art" and contrast timing 34 s/);
  });

  it('puts non-volumes aside: other modalities, localizers, single images', () => {
    expect(
      phaseOf([
        series('seg', { modality: 'SEG', description: 'Liver arterial' }),
        series('loc', { imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'], description: 'arterial' }),
        series('one', { images: 1, description: 'arterial' }),
        series('none', { description: 'Body 5.0 B30f' }),
      ]),
    ).toEqual({ seg: 'other', loc: 'other', one: 'other', none: 'other' });
  });
});

describe('tmSeconds', () => {
  it.each([
    ['101535', 36935],
    ['101535.25', 36935.25],
    ['10:15:35', 36935],
    ['1015', 36900],
    ['', Number.NaN],
  ])('%s → %f', (tm, s) => {
    expect(tmSeconds(tm)).toBe(s);
  });
});
