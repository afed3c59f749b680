import { describe, expect, it } from 'vitest';
import { concord } from '../helpers/concord';

describe('concord letb-change', () => {
  it('prints the change and the default responder flags (hand: (22 − 40) / 40 = −45 %)', async () => {
    const { code, stdout } = await concord('letb-change', '--pre-letb', '40', '--post-letb', '22', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      estimable: true,
      preLetbPercent: 40,
      postLetbPercent: 22,
      changePercent: -45,
      responders: [
        { thresholdPercent: -25.8, responder: true },
        { thresholdPercent: -10, responder: true },
      ],
    });
  });

  it('takes custom thresholds or the report set', async () => {
    const custom = JSON.parse(
      (
        await concord(
          'letb-change',
          '--pre-letb',
          '50',
          '--post-letb',
          '45',
          '--threshold',
          '-5',
          '--threshold',
          '-10',
          '--json',
        )
      ).stdout,
    );
    expect(custom.changePercent).toBeCloseTo(-10, 12);
    expect(custom.responders).toEqual([
      { thresholdPercent: -5, responder: true },
      { thresholdPercent: -10, responder: false }, // strictly below
    ]);
    const report = JSON.parse(
      (await concord('letb-change', '--pre-letb', '50', '--post-letb', '45', '--report-set', '--json')).stdout,
    );
    expect(report.responders.map((r: { thresholdPercent: number }) => r.thresholdPercent)).toEqual([
      10, 0, -10, -20, -25.8, -30, -40,
    ]);
  });

  it('says why a change is not estimable, and rejects bad numbers with exit 2', async () => {
    expect(
      JSON.parse((await concord('letb-change', '--pre-letb', '0', '--post-letb', '3', '--json')).stdout),
    ).toMatchObject({ estimable: false, reason: expect.stringMatching(/0%/) });
    const bad = await concord('letb-change', '--pre-letb', 'ten', '--post-letb', '3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pre-letb must be a number/);
  });
});
