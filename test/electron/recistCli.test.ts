import { describe, expect, it } from 'vitest';
import { concord } from '../helpers/concord';

describe('concord recist', () => {
  it('prints the ORACLES.md vector 100 → 70 as PR at exactly −30 %', async () => {
    const { code, stdout, stderr } = await concord(
      'recist',
      '--criteria',
      'recist',
      '--timepoints',
      '60,40;30,40',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Two lesions: 60 + 40 = 100 → 30 + 40 = 70; 100·(70 − 100)/100 = −30 %.
    expect(JSON.parse(stdout)).toMatchObject({
      criteria: 'recist',
      baselineSumMm: 100,
      followUps: [
        { timepoint: 1, sumMm: 70, changeFromBaselinePercent: -30, changeFromNadirPercent: -30, category: 'PR' },
      ],
      bestResponse: 'PR',
    });
  });

  it('applies the nadir over several follow-ups: 50 → 40 → 48 is PD at the second follow-up', async () => {
    const out = JSON.parse(
      (await concord('recist', '--criteria', 'recist', '--timepoints', '50;40;48', '--json')).stdout,
    );
    expect(out.followUps).toEqual([
      expect.objectContaining({
        timepoint: 1,
        sumMm: 40,
        changeFromBaselinePercent: -20,
        changeFromNadirPercent: -20,
        category: 'SD',
      }),
      expect.objectContaining({
        timepoint: 2,
        sumMm: 48,
        changeFromBaselinePercent: -4,
        changeFromNadirPercent: 20,
        nadirMm: 40,
        category: 'PD',
      }),
    ]);
    expect(out.bestResponse).toBe('SD');
  });

  it('uses the 5 mm rule for RECIST 1.1 only: 20 → 24 is SD, under mRECIST PD', async () => {
    const [recist, mrecist] = await Promise.all([
      concord('recist', '--criteria', 'recist', '--timepoints', '20;24', '--json'),
      concord('recist', '--criteria', 'mrecist', '--timepoints', '20;24', '--json'),
    ]);
    expect(JSON.parse(recist.stdout).followUps[0].category).toBe('SD');
    expect(JSON.parse(mrecist.stdout)).toMatchObject({
      criteria: 'mrecist',
      followUps: [{ changeFromNadirPercent: 20, category: 'PD' }],
      bestResponse: 'PD',
    });
  });

  it('turns a new lesion or non-target progression at follow-up k into PD from k on', async () => {
    // 100 → 60 (PR) → 55 (PR by the sums) → 50; new lesion at follow-up 2.
    const a = JSON.parse(
      (await concord('recist', '--criteria', 'mrecist', '--timepoints', '100;60;55;50', '--new-lesion', '2', '--json'))
        .stdout,
    );
    expect(a.followUps.map((f: { category: string }) => f.category)).toEqual(['PR', 'PD', 'PD']);
    expect(a.bestResponse).toBe('PR');
    const b = JSON.parse(
      (
        await concord(
          'recist',
          '--criteria',
          'recist',
          '--timepoints',
          '40;0;0',
          '--nontarget-progression',
          '1',
          '--json',
        )
      ).stdout,
    );
    expect(b.followUps.map((f: { category: string }) => f.category)).toEqual(['PD', 'PD']);
    expect(b.bestResponse).toBe('PD');
  });

  it('reports an unestimable change with null and the reason (baseline viable sum 0)', async () => {
    const out = JSON.parse((await concord('recist', '--criteria', 'mrecist', '--timepoints', '0;0', '--json')).stdout);
    expect(out.followUps[0]).toMatchObject({
      sumMm: 0,
      changeFromBaselinePercent: null,
      changeFromBaselineReason: expect.stringMatching(/0 mm/),
      category: 'CR',
    });
  });

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await concord('recist', '--criteria', 'recist', '--timepoints', '100;70');
    expect(code).toBe(0);
    expect(stdout).toMatch(/follow-up 1: sum 70 mm, −30\.0 % vs baseline/);
    expect(stdout).toMatch(/best response PR/);
  });

  it.each([
    [['--timepoints', '100;70'], /missing --criteria/],
    [['--criteria', 'who', '--timepoints', '100;70'], /--criteria must be recist or mrecist/],
    [['--criteria', 'recist'], /missing --timepoints/],
    [['--criteria', 'recist', '--timepoints', '100;;70'], /timepoint 1 is empty/],
    [['--criteria', 'recist', '--timepoints', '100;70;'], /timepoint 2 is empty/],
    [['--criteria', 'recist', '--timepoints', '100;7o'], /"7o" is not a diameter/],
    [['--criteria', 'recist', '--timepoints', '100,20;70,-3'], /-3 mm is negative/],
    [['--criteria', 'recist', '--timepoints', '-5;3'], /-5 mm is negative/],
    [['--criteria', 'recist', '--timepoints', '100,20;70'], /timepoint 1 has 1 diameters, the baseline 2/],
    [['--criteria', 'recist', '--timepoints', '100'], /baseline and at least one follow-up/],
    [
      ['--criteria', 'recist', '--timepoints', '100;70', '--new-lesion', '2'],
      /--new-lesion must be a follow-up number from 1 to 1/,
    ],
    [
      ['--criteria', 'recist', '--timepoints', '100;70', '--nontarget-progression', '0'],
      /--nontarget-progression must be a follow-up number/,
    ],
  ])('rejects %j with one line on stderr and exit 2', async (args, message) => {
    const { code, stdout, stderr } = await concord('recist', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
