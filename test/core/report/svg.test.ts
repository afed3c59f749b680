import { describe, expect, it } from 'vitest';
import { blandAltmanPlot } from '../../../core/report/svg/blandAltmanPlot';
import { confusionHeatmap } from '../../../core/report/svg/confusionHeatmap';
import { escapeXml } from '../../../core/report/svg/escapeXml';
import { kmPlot } from '../../../core/report/svg/kmPlot';
import { niceTicks, tickDecimals } from '../../../core/report/svg/niceTicks';
import { blueRamp } from '../../../core/report/svg/palette';
import { coord, textWidth, wrapLabel } from '../../../core/report/svg/svgDocument';
import { waterfallPlot } from '../../../core/report/svg/waterfallPlot';
import { svgAttributes, xmlProblems } from './xmlCheck';

const nasty = `<b>&"R'1"</b>`;

/** Every figure must be a well-formed standalone SVG with a size, a viewBox and no NaN/Infinity anywhere. */
function expectSoundSvg(svg: string): void {
  expect(xmlProblems(svg)).toEqual([]);
  expect(svg).toMatch(
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" version="1\.1" width="\d+(\.\d+)?" height="\d+(\.\d+)?" viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/,
  );
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  for (const { name, value } of svgAttributes(svg)) {
    if (['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height'].includes(name))
      expect(Number.isFinite(Number(value)), `${name}="${value}"`).toBe(true);
  }
  // No CSS: presentation attributes only.
  expect(svg).not.toMatch(/<style|\sstyle="|\sclass="/);
}

describe('escapeXml', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<svg>', '&lt;svg&gt;'],
    [`"q" 'a'`, '&quot;q&quot; &#39;a&#39;'],
    ['bell\u0007', 'bell\uFFFD'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['pair 😀 ok', 'pair 😀 ok'],
    ['κ −0.12 ≤ 25 %', 'κ −0.12 ≤ 25 %'],
  ])('%j → %j', (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });
});

describe('layout helpers', () => {
  it.each([
    // min, max, count, expected ticks (hand-derived: step 1/2/2.5/5 × 10^k ≥ range/count)
    [0, 10, 5, [0, 2, 4, 6, 8, 10]],
    [-3.8, 4.3, 5, [-4, -2, 0, 2, 4, 6]],
    [-41.2, 18.5, 6, [-50, -40, -30, -20, -10, 0, 10, 20]],
    [0.1, 0.3, 4, [0.1, 0.15, 0.2, 0.25, 0.3]],
    [5, 5, 5, [4, 4.5, 5, 5.5, 6]],
    [0, 0, 5, [-1, -0.5, 0, 0.5, 1]],
  ])('niceTicks(%d, %d, %d)', (min, max, count, expected) => {
    const ticks = niceTicks(min, max, count);
    expect(ticks).toEqual(expected);
    expect(ticks[0]).toBeLessThanOrEqual(Math.min(min, max));
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
  });

  it('rejects ranges that are not finite', () => {
    expect(() => niceTicks(Number.NaN, 1)).toThrow(RangeError);
    expect(() => niceTicks(0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => niceTicks(2, 1)).toThrow(RangeError);
  });

  it('prints ticks with the decimals they need', () => {
    expect(tickDecimals([0, 2, 4])).toBe(0);
    expect(tickDecimals([0.1, 0.15, 0.2])).toBe(2);
  });

  it('never writes a non-finite coordinate', () => {
    expect(coord(1.005)).toBe('1');
    expect(coord(-0.001)).toBe('0');
    expect(() => coord(Number.NaN)).toThrow(RangeError);
    expect(() => coord(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
  });

  it('estimates text widths from Helvetica metrics and wraps long labels at / - or a space', () => {
    // "CR" = (722 + 722)/1000 em × 10 px × 1.06 safety = 15.31 px.
    expect(textWidth('CR', 10)).toBeCloseTo(15.3064, 4);
    expect(wrapLabel('iso-/hypoenhancing', 80, 10)).toEqual(['iso-/', 'hypoenhancing']);
    expect(wrapLabel('<25%', 80, 10)).toEqual(['<25%']);
    expect(wrapLabel('unbreakablelonglabelwithoutspaces', 40, 10)).toEqual(['unbreakablelonglabelwithoutspaces']);
  });

  it('shades counts light to dark blue and switches to white text on dark cells', () => {
    expect(blueRamp(0)).toEqual({ fill: '#f7fbff', lightText: false });
    expect(blueRamp(1)).toEqual({ fill: '#084594', lightText: true });
    expect(blueRamp(Number.NaN)).toEqual(blueRamp(0));
  });
});

describe('confusionHeatmap', () => {
  const levels = ['<25%', '25-50%', '>50-75%', '>75%'];
  const counts = [
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];

  it('shows every level, every count, the totals and an outlined diagonal', () => {
    const svg = confusionHeatmap(levels, counts, 'Reader 1', 'Reader 2');
    expectSoundSvg(svg);
    // Each level once as a column label and once as a row label (escaped).
    for (const l of levels) expect(svg.split(`>${escapeXml(l)}</text>`).length - 1).toBe(2);
    // 16 shaded cells + 4 diagonal outlines (+ the background).
    expect(svg.match(/<rect [^>]*stroke-width="0.6"/g)).toHaveLength(16);
    expect(svg.match(/<rect [^>]*fill="none" stroke="#1a1a1a" stroke-width="2"/g)).toHaveLength(4);
    // Column "25-50%" is empty but still there, total 0; grand total 4.
    expect(svg).toContain('>Total</text>');
    expect(svg).toMatch(/font-weight="bold" fill="#555555" dominant-baseline="central">4<\/text>/);
  });

  it('marks counts with data-stat when asked, for the report', () => {
    const svg = confusionHeatmap(levels, counts, 'Reader 1', 'Reader 2', { statPrefix: 'burden@0|confusion.counts' });
    expect(svg).toContain('data-stat="burden@0|confusion.counts.1.2" data-value="1"');
    expect(svg).toContain('data-stat="burden@0|confusion.counts.1.1" data-value="0"');
    expectSoundSvg(svg);
  });

  it('escapes level and reader names', () => {
    const svg = confusionHeatmap(
      [nasty, 'plain'],
      [
        [1, 0],
        [0, 1],
      ],
      nasty,
      `${nasty} 2`,
    );
    expectSoundSvg(svg);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;R&#39;1&quot;&lt;/b&gt;');
  });

  it.each([
    [
      'no case',
      [
        [0, 0],
        [0, 0],
      ],
      'Not enough data: no case rated by both readers',
    ],
    [
      'one case',
      [
        [1, 0],
        [0, 0],
      ],
      null,
    ],
  ])('draws the full grid with %s', (_name, table, note) => {
    const svg = confusionHeatmap(['yes', 'no'], table, 'A', 'B');
    expectSoundSvg(svg);
    expect(svg.match(/<rect [^>]*stroke-width="0.6"/g)).toHaveLength(4);
    if (note) expect(svg).toContain(note);
    else expect(svg).not.toContain('Not enough data');
  });

  it('gives a note, not a crash, for an item without levels', () => {
    const svg = confusionHeatmap([], [], 'A', 'B');
    expectSoundSvg(svg);
    expect(svg).toContain('Not enough data');
  });

  it('sets long unbreakable column labels at 45°', () => {
    const svg = confusionHeatmap(
      ['a very long level name that cannot wrap nicely at all', 'b'],
      [
        [1, 0],
        [0, 1],
      ],
      'A',
      'B',
    );
    expectSoundSvg(svg);
    expect(svg).toContain('rotate(-45');
  });

  it('rejects tables that do not match the levels', () => {
    expect(() => confusionHeatmap(['a', 'b'], [[1, 0]], 'A', 'B')).toThrow(RangeError);
    expect(() =>
      confusionHeatmap(
        ['a', 'b'],
        [
          [1, 0],
          [0, -1],
        ],
        'A',
        'B',
      ),
    ).toThrow(RangeError);
    expect(() =>
      confusionHeatmap(
        ['a', 'b'],
        [
          [1, 0],
          [0, 0.5],
        ],
        'A',
        'B',
      ),
    ).toThrow(RangeError);
  });
});

describe('blandAltmanPlot', () => {
  const points = { means: [15.5, 17.7, 21.9, 16.55], differences: [-0.6, 0.6, -0.8, 1.1] };

  it('plots the points and labels the bias and the limits with their values', () => {
    const svg = blandAltmanPlot(points, 0.075, -1.7, 1.85, 'cm', { differenceLabel: 'Reader 1 − Reader 2' });
    expectSoundSvg(svg);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('>Bias</text>');
    expect(svg).toContain('>0.1 cm</text>');
    expect(svg).toContain('>−1.7 cm</text>');
    expect(svg).toContain('>1.9 cm</text>');
    expect(svg).toContain('>Reader 1 − Reader 2 (cm)</text>');
    expect(svg).toContain('>Mean of the two readers (cm)</text>');
  });

  it.each([
    ['no points', { means: [], differences: [] }, 0, 0, 0],
    ['one point', { means: [10], differences: [1] }, null, null, null],
    ['all points equal', { means: [10, 10, 10], differences: [2, 2, 2] }, 2, 2, 2],
    ['limits not estimable', points, null, null, null],
    ['non-finite values only', { means: [Number.NaN, Number.POSITIVE_INFINITY], differences: [1, 2] }, 1, 0, 2],
  ])('gives a "not enough data" note for %s', (_name, p, bias, lo, hi) => {
    const svg = blandAltmanPlot(p, bias, lo, hi, 'mm');
    expectSoundSvg(svg);
    expect(svg).toContain('Not enough data');
    expect(svg).not.toContain('<circle');
  });

  it('copes with identical differences (limits on the bias) and a constant mean', () => {
    const svg = blandAltmanPlot({ means: [10, 20, 30], differences: [0, 0, 0] }, 0, 0, 0, '');
    expectSoundSvg(svg);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    const svg2 = blandAltmanPlot({ means: [10, 10, 10], differences: [-1, 0, 1] }, 0, -1.96, 1.96, 'mm');
    expectSoundSvg(svg2);
    expect(svg2.match(/<circle /g)).toHaveLength(3);
  });

  it('escapes the unit and labels, and rejects unequal lengths', () => {
    expectSoundSvg(blandAltmanPlot(points, 0, -1, 1, nasty, { differenceLabel: nasty, title: nasty }));
    expect(() => blandAltmanPlot({ means: [1, 2], differences: [1] }, 0, -1, 1, 'mm')).toThrow(RangeError);
  });
});

describe('waterfallPlot', () => {
  const thresholds = [
    { percent: -30, label: '−30 % (PR)' },
    { percent: 20, label: '+20 % (PD)' },
  ];
  const bars = [
    { caseCode: 'C-001', changePercent: -30 },
    { caseCode: 'C-002', changePercent: 24 },
    { caseCode: 'C-003', changePercent: -5.7 },
    { caseCode: 'C-004', changePercent: -50 },
  ];

  it('sorts the bars from the largest increase down and colours them by the thresholds', () => {
    const svg = waterfallPlot(bars, thresholds);
    expectSoundSvg(svg);
    const order = [...svg.matchAll(/<title>(C-\d+):/g)].map((m) => m[1]);
    expect(order).toEqual(['C-002', 'C-003', 'C-001', 'C-004']);
    const fills = [...svg.matchAll(/<rect [^>]*fill="(#[0-9A-Fa-f]{6})"><title>/g)].map((m) => m[1]);
    // +24 ≥ +20: vermillion; −5.7: grey; −30 ≤ −30: blue; −50: blue.
    expect(fills).toEqual(['#D55E00', '#9e9e9e', '#0072B2', '#0072B2']);
    expect(svg).toContain('>−30 % (PR)</text>');
    expect(svg).toContain('≤ −30.0 %');
  });

  it.each([
    ['no bars', []],
    ['only non-finite bars', [{ caseCode: 'X', changePercent: Number.NaN }]],
  ])('gives a note for %s', (_name, b) => {
    const svg = waterfallPlot(b, thresholds);
    expectSoundSvg(svg);
    expect(svg).toContain('Not enough data');
  });

  it.each([
    ['one bar', [{ caseCode: 'C-1', changePercent: 12 }], []],
    [
      'all bars zero, no thresholds',
      [
        { caseCode: 'C-1', changePercent: 0 },
        { caseCode: 'C-2', changePercent: 0 },
      ],
      [],
    ],
    [
      'many bars (no case codes)',
      Array.from({ length: 80 }, (_, i) => ({ caseCode: `C-${i}`, changePercent: i - 40 })),
      thresholds,
    ],
  ])('draws %s without NaN', (_name, b, t) => {
    const svg = waterfallPlot(b, t);
    expectSoundSvg(svg);
    expect(svg).not.toContain('Not enough data');
  });

  it('takes bare numbers as thresholds and labels them', () => {
    const svg = waterfallPlot(bars, [-30, 20, -25.8]);
    expectSoundSvg(svg);
    expect(svg).toContain('>−30 %</text>');
    expect(svg).toContain('>+20 %</text>');
    expect(svg).toContain('>−25.8 %</text>');
  });

  it('escapes case codes and labels', () => {
    const svg = waterfallPlot([{ caseCode: nasty, changePercent: -10 }], [{ percent: -25.8, label: nasty }], {
      title: nasty,
      yLabel: nasty,
    });
    expectSoundSvg(svg);
    expect(svg).not.toContain('<b>');
  });
});

describe('kmPlot', () => {
  const curves = [
    {
      label: 'Responders',
      steps: [
        { time: 3, survival: 0.8 },
        { time: 7, survival: 0.6 },
        { time: 12, survival: 0.3 },
      ],
      censored: [5, 14],
    },
    {
      label: `Non-responders ${nasty}`,
      steps: [
        { time: 2, survival: 0.5 },
        { time: 4, survival: 0 },
      ],
      censored: [],
    },
  ];

  it('draws a step curve per group from S(0) = 1 with censor ticks and a legend', () => {
    const svg = kmPlot(curves, { timeLabel: 'Months' });
    expectSoundSvg(svg);
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    // Starts at (x(0), y(1)) and alternates horizontal and vertical segments.
    for (const d of paths) expect(d).toMatch(/^M[\d.]+ [\d.]+( [HV][\d.]+)+$/);
    expect(svg).toContain('>Responders</text>');
    expect(svg).toContain('>Months</text>');
    expect(svg).toContain('stroke-dasharray');
  });

  it.each([
    ['no curves', []],
    ['curves without time', [{ label: 'A', steps: [], censored: [] }]],
    ['only time 0', [{ label: 'A', steps: [{ time: 0, survival: 1 }], censored: [0] }]],
    [
      'non-finite input',
      [{ label: 'A', steps: [{ time: Number.NaN, survival: 0.5 }], censored: [Number.POSITIVE_INFINITY] }],
    ],
  ])('gives a note for %s', (_name, c) => {
    const svg = kmPlot(c);
    expectSoundSvg(svg);
    expect(svg).toContain('Not enough data');
  });

  it('puts the legend under the x axis title when asked, inside the same height', () => {
    const svg = kmPlot(curves, { timeLabel: 'Months', height: 280, legend: 'below' });
    expectSoundSvg(svg);
    expect(svg).toMatch(/^<svg [^>]*height="280"/);
    // The axis title sits 34 px under the plot; both legend lines are further down.
    const axisTitleY = Number(/<text x="[\d.]+" y="([\d.]+)"[^>]*>Months<\/text>/.exec(svg)![1]);
    const legendY = [
      ...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>(Responders|Non-responders[^<]*)<\/text>/g),
    ].map((m) => Number(m[1]));
    expect(legendY).toHaveLength(2);
    for (const y of legendY) expect(y).toBeGreaterThan(axisTitleY + 8);
    for (const y of legendY) expect(y).toBeLessThan(280);
  });

  it('draws a single censored subject and clamps survival outside [0, 1]', () => {
    expectSoundSvg(kmPlot([{ label: 'A', steps: [], censored: [10] }]));
    expectSoundSvg(
      kmPlot([
        {
          label: 'A',
          steps: [
            { time: 1, survival: 1.2 },
            { time: 2, survival: -0.1 },
          ],
          censored: [],
        },
      ]),
    );
  });
});
