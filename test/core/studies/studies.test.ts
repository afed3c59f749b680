import { describe, expect, it } from 'vitest';
import { ProtocolError, referenceProtocol, validateProtocol } from '../../../core/studies/protocol';
import { worklistOrder } from '../../../core/studies/worklistOrder';
import { dayNumber, relativeTimepointLabel } from '../../../core/studies/relativeDate';
import { caseCode } from '../../../core/studies/caseCode';

describe('protocol', () => {
  it('accepts the reference template as it is', () => {
    expect(validateProtocol(JSON.parse(JSON.stringify(referenceProtocol)))).toEqual(referenceProtocol);
  });

  it.each([
    [{ ...referenceProtocol, version: 2 }, /version/],
    [{ ...referenceProtocol, criteria: [] }, /criteria/],
    [{ ...referenceProtocol, criteria: ['recist', 'recist'] }, /criteria/],
    [{ ...referenceProtocol, criteria: ['who'] }, /criteria/],
    [{ ...referenceProtocol, targets: { organ: 'liver', maxTotal: 6, maxPerOrgan: 2 } }, /maxTotal.*1 to 5/],
    [{ ...referenceProtocol, targets: { organ: 'liver', maxTotal: 5, maxPerOrgan: 3 } }, /maxPerOrgan/],
    [{ ...referenceProtocol, targets: { organ: 'liver', maxTotal: 1, maxPerOrgan: 2 } }, /at most maxTotal/],
    [{ ...referenceProtocol, items: [referenceProtocol.items[0], referenceProtocol.items[0]] }, /used twice/],
    [
      { ...referenceProtocol, items: [{ id: 'Bad Id', label: 'x', kind: 'nominal', levels: ['a', 'b'] }] },
      /identifier/,
    ],
    [{ ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'ordinal', levels: ['a'] }] }, /2-12 distinct/],
    [{ ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'ordinal', levels: ['a', 'a'] }] }, /2-12 distinct/],
    [
      { ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'numeric', unit: 'mm', min: 5, max: 5 }] },
      /min < max/,
    ],
    [{ ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'scale' }] }, /kind/],
    [
      {
        ...referenceProtocol,
        items: Array.from({ length: 51 }, (_, i) => ({
          id: `q${i}`,
          label: 'x',
          kind: 'numeric',
          unit: '',
          min: 0,
          max: 1,
        })),
      },
      /^protocol\.items: at most 50 questions$/,
    ],
    [
      {
        ...referenceProtocol,
        items: [{ id: 'x', label: 'x', kind: 'nominal', levels: Array.from({ length: 10_000 }, (_, i) => `L${i}`) }],
      },
      /2-12 distinct/,
    ],
    [{ ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'nominal', levels: ['a', 'b '] }] }, /2-12 distinct/],
    [
      { ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'nominal', levels: ['a', 'b\tc'] }] },
      /2-12 distinct/,
    ],
    [
      { ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'nominal', levels: ['gr\u00fcn', 'gru\u0308n'] }] },
      /2-12 distinct/,
    ],
    [
      { ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'numeric', unit: 'mm', min: -1e308, max: 5 }] },
      /min < max, both within ±1e15/,
    ],
    [
      { ...referenceProtocol, items: [{ id: 'x', label: 'x', kind: 'numeric', unit: 'mm', min: 0, max: 1e16 }] },
      /min < max, both within ±1e15/,
    ],
  ])('rejects %j naming the field', (raw, message) => {
    expect(() => validateProtocol(raw)).toThrow(ProtocolError);
    expect(() => validateProtocol(raw)).toThrow(message);
  });

  it('accepts 50 questions, levels such as "-1" or "=x" (exports guard them), and numbers up to ±1e15', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      id: `q${i}`,
      label: 'x',
      scope: 'baseline',
      kind: 'numeric',
      unit: '',
      min: -1e15,
      max: 1e15,
    }));
    expect(validateProtocol({ ...referenceProtocol, items }).items).toHaveLength(50);
    expect(
      validateProtocol({
        ...referenceProtocol,
        items: [{ id: 'x', label: 'x', kind: 'ordinal', levels: ['-1', '0', '=x'] }],
      }).items[0],
    ).toMatchObject({ levels: ['-1', '0', '=x'] });
  });
});

describe('worklistOrder', () => {
  const cases = Array.from({ length: 20 }, (_, n) => `C-${n + 1}`);
  it('is a permutation, the same for the same seed and reader', () => {
    const a = worklistOrder(cases, 20261123, 'reader-1');
    expect([...a].sort()).toEqual([...cases].sort());
    expect(worklistOrder(cases, 20261123, 'reader-1')).toEqual(a);
  });
  it('differs between readers and between seeds', () => {
    const a = worklistOrder(cases, 7, 'reader-1');
    expect(worklistOrder(cases, 7, 'reader-2')).not.toEqual(a);
    expect(worklistOrder(cases, 8, 'reader-1')).not.toEqual(a);
  });
  it('spreads positions: over 2000 seeds every case is first about 1/20 of the time', () => {
    const first = new Map<string, number>();
    for (let s = 0; s < 2000; s++) {
      const c = worklistOrder(cases, s, 'r')[0]!;
      first.set(c, (first.get(c) ?? 0) + 1);
    }
    // Expected 100 each; a binomial(2000, 0.05) SD is ≈ 9.7, so 60-140 is beyond 4 SD.
    for (const c of cases) {
      expect(first.get(c) ?? 0).toBeGreaterThan(60);
      expect(first.get(c) ?? 0).toBeLessThan(140);
    }
  });
  it('rejects a bad seed or key', () => {
    expect(() => worklistOrder(cases, 1.5, 'r')).toThrow(RangeError);
    expect(() => worklistOrder(cases, 1, '')).toThrow(RangeError);
  });
});

describe('relativeTimepointLabel', () => {
  it.each([
    ['20240110', '20240110', 'baseline'],
    ['20240110', '20240111', '+1 day'],
    ['20240110', '20240123', '+13 days'],
    ['20240110', '20240221', '+6 weeks'], // 42 days
    ['2024-01-10', '2024-02-21', '+6 weeks'],
    ['20240110', '20240710', '+26 weeks'], // 182 days
    ['20240110', '20240712', '+6 months'], // 184 days / 30.44 = 6.04
    ['20240110', '20231227', '−2 weeks'], // −14 days
    ['20240110', '', 'date unknown'],
    ['20240110', '20240230', 'date unknown'], // no 30 February
  ])('%s → %s: %s', (baseline, date, label) => {
    expect(relativeTimepointLabel(baseline, date)).toBe(label);
  });
  it('counts days across a leap day', () => {
    expect(dayNumber('20240301') - dayNumber('20240228')).toBe(2);
  });
});

describe('caseCode', () => {
  it.each([
    [1, 'C-001'],
    [17, 'C-017'],
    [999, 'C-999'],
    [1000, 'C-1000'],
  ])('%i → %s', (n, code) => expect(caseCode(n)).toBe(code));
  it('rejects 0', () => expect(() => caseCode(0)).toThrow(RangeError));
});
