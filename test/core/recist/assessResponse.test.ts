import { describe, expect, it } from 'vitest';
import { assessResponse } from '../../../core/recist/assessResponse';

const overall = (a: ReturnType<typeof assessResponse>) => a.followUps.map((f) => f.overallResponse);

describe('assessResponse: ORACLES.md vectors end to end', () => {
  it('100 → 70 is PR (exactly −30 %), 100 → 71 SD, under both criteria', () => {
    for (const criteria of ['recist', 'mrecist'] as const) {
      expect(assessResponse({ criteria, timepointsMm: [[100], [70]] })).toMatchObject({
        bestResponse: 'PR',
        objectiveResponse: true,
        firstResponseFollowUp: 1,
      });
      expect(assessResponse({ criteria, timepointsMm: [[100], [71]] })).toMatchObject({
        bestResponse: 'SD',
        objectiveResponse: false,
        firstResponseFollowUp: null,
      });
    }
  });

  it('nadir 20 → 24 is SD under RECIST 1.1 (+4 mm < 5 mm) but PD under mRECIST; 20 → 25 PD under both', () => {
    expect(assessResponse({ criteria: 'recist', timepointsMm: [[20], [24]] }).bestResponse).toBe('SD');
    expect(assessResponse({ criteria: 'mrecist', timepointsMm: [[20], [24]] }).bestResponse).toBe('PD');
    expect(assessResponse({ criteria: 'recist', timepointsMm: [[20], [25]] }).bestResponse).toBe('PD');
    expect(assessResponse({ criteria: 'mrecist', timepointsMm: [[20], [25]] }).bestResponse).toBe('PD');
  });

  it('50 → 40 → 48 is PD at the second follow-up although below baseline (+20 %, +8 mm over the nadir 40)', () => {
    const a = assessResponse({ criteria: 'recist', timepointsMm: [[50], [40], [48]] });
    expect(a.baselineSumMm).toBe(50);
    expect(
      a.followUps.map(
        ({ sumMm, nadirMm, changeFromBaselinePercent, changeFromNadirPercent, targetResponse, overallResponse }) => ({
          sumMm,
          nadirMm,
          changeFromBaselinePercent,
          changeFromNadirPercent,
          targetResponse,
          overallResponse,
        }),
      ),
    ).toEqual([
      {
        sumMm: 40,
        nadirMm: 50,
        changeFromBaselinePercent: -20,
        changeFromNadirPercent: -20,
        targetResponse: 'SD',
        overallResponse: 'SD',
      },
      {
        sumMm: 48,
        nadirMm: 40,
        changeFromBaselinePercent: -4,
        changeFromNadirPercent: 20,
        targetResponse: 'PD',
        overallResponse: 'PD',
      },
    ]);
    expect(a.bestResponse).toBe('SD'); // SD before progression
  });

  it('lymph-node CR with a sum > 0 is an overall CR when nothing else is present', () => {
    const a = assessResponse({
      criteria: 'recist',
      timepointsMm: [
        [20, 30],
        [8, 0],
      ],
      isNode: [true, false],
    });
    expect(a.followUps[0]).toMatchObject({ sumMm: 8, targetResponse: 'CR', overallResponse: 'CR' });
  });
});

describe('assessResponse: findings at each follow-up (Table 1)', () => {
  it('a new lesion makes a target PR into PD, under RECIST 1.1 and mRECIST', () => {
    for (const criteria of ['recist', 'mrecist'] as const) {
      const a = assessResponse({ criteria, timepointsMm: [[100], [60], [50]], followUps: [{}, { newLesion: true }] });
      // FU1: −40 % → PR; FU2: −50 % → target PR, but a new lesion → PD.
      expect(a.followUps.map((f) => f.targetResponse)).toEqual(['PR', 'PR']);
      expect(overall(a)).toEqual(['PR', 'PD']);
      expect(a).toMatchObject({ bestResponse: 'PR', firstResponseFollowUp: 1, objectiveResponse: true });
    }
  });

  it('unequivocal non-target progression is PD whatever the targets', () => {
    const a = assessResponse({ criteria: 'recist', timepointsMm: [[40], [0]], followUps: [{ nonTarget: 'PD' }] });
    expect(a.followUps[0]).toMatchObject({ targetResponse: 'CR', overallResponse: 'PD' });
    expect(a).toMatchObject({ bestResponse: 'PD', objectiveResponse: false });
  });

  it('target CR with non-target lesions still present, or not evaluated, is PR', () => {
    expect(
      overall(
        assessResponse({
          criteria: 'recist',
          timepointsMm: [[40], [0], [0]],
          followUps: [{ nonTarget: 'non-CR/non-PD' }, { nonTarget: 'NE' }],
        }),
      ),
    ).toEqual(['PR', 'PR']);
  });

  it('target NE without PD is NE; with a new lesion it is PD', () => {
    expect(
      overall(
        assessResponse({
          criteria: 'recist',
          timepointsMm: [
            [30, 20],
            [25, null],
            [25, null],
          ],
          followUps: [{}, { newLesion: true }],
        }),
      ),
    ).toEqual(['NE', 'PD']);
  });

  it('zero viable diameter: mRECIST CR while RECIST 1.1 on the same lesions is SD', () => {
    // Viable (enhancing) diameters 30, 20 → 0, 0: no enhancement → mRECIST CR.
    // Longest diameters 40, 25 → 35, 22: 57 vs 65 = −12.3 % → RECIST SD.
    const mrecist = assessResponse({
      criteria: 'mrecist',
      timepointsMm: [
        [30, 20],
        [0, 0],
      ],
    });
    const recist = assessResponse({
      criteria: 'recist',
      timepointsMm: [
        [40, 25],
        [35, 22],
      ],
    });
    expect([mrecist.bestResponse, recist.bestResponse]).toEqual(['CR', 'SD']);
    expect([mrecist.objectiveResponse, recist.objectiveResponse]).toEqual([true, false]);
  });

  it('best and first response over several follow-ups', () => {
    // 100 → 80 (−20 % SD) → 65 (−35 % PR) → 0 (CR) → 10 (+10 mm over a nadir of 0, a reappearance after CR: PD).
    const a = assessResponse({ criteria: 'recist', timepointsMm: [[100], [80], [65], [0], [10]] });
    expect(overall(a)).toEqual(['SD', 'PR', 'CR', 'PD']);
    expect(a).toMatchObject({ bestResponse: 'CR', firstResponseFollowUp: 2, objectiveResponse: true });
  });

  it('a baseline alone has no follow-up and a best response of NE', () => {
    expect(assessResponse({ criteria: 'recist', timepointsMm: [[12.5, 30]] })).toEqual({
      criteria: 'recist',
      baselineSumMm: 42.5,
      followUps: [],
      bestResponse: 'NE',
      firstResponseFollowUp: null,
      objectiveResponse: false,
    });
  });

  it('rejects more findings than follow-ups and unknown non-target statuses', () => {
    expect(() => assessResponse({ criteria: 'recist', timepointsMm: [[10], [10]], followUps: [{}, {}] })).toThrow(
      RangeError,
    );
    expect(() =>
      assessResponse({ criteria: 'recist', timepointsMm: [[10], [10]], followUps: [{ nonTarget: 'present' as 'CR' }] }),
    ).toThrow(RangeError);
  });
});
