import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longColumns } from '../../core/studies/exportReads';
import type { ItemAgreement } from '../../core/agreement/itemAgreement';
import { projectRoot } from '../../electron/platform/paths';
import { concord } from '../helpers/concord';
import { makeTempDir } from '../helpers/tempDir';

const fixtures = join(projectRoot, 'test', 'fixtures', 'agreement');
const fixture = (name: string) => join(fixtures, name);

interface OracleFile {
  reads: string;
  protocol: string;
  items: Record<string, unknown>[];
}
// test/fixtures/agreement/agreement.R: R 4.2.2, psych 2.2.9 (cohen.kappa, ICC lmer = FALSE),
// vcd 1.4-11 (weighted Kappa + confint), Fleiss' kappa restated from irr, Bland–Altman in base R.
const oracle = JSON.parse(readFileSync(fixture('agreement.json'), 'utf8')) as {
  rVersion: string;
  psychVersion: string;
  vcdVersion: string;
  files: Record<'twoReaders' | 'threeReaders' | 'studyExport', OracleFile>;
};

/** Every field of R's item against the command's: numbers to 1e−9 (p-values to 1e−6 relative), the rest exactly. */
function expectLikeR(actual: unknown, expected: unknown, path: string): void {
  if (expected === null) {
    expect(actual, path).toBeNull();
  } else if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const a = actual as number;
    if (/P$|\.p$/.test(path)) {
      expect(Math.abs(a - expected) / Math.abs(expected), `${path}: ${a} vs R ${expected}`).toBeLessThanOrEqual(1e-6);
    } else {
      expect(Math.abs(a - expected), `${path}: ${a} vs R ${expected}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(expected)),
      );
    }
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectLikeR((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    for (const [key, e] of Object.entries(expected))
      expectLikeR((actual as Record<string, unknown>)[key], e, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

async function agreementJson(reads: string, protocol: string): Promise<ItemAgreement[]> {
  const { code, stdout, stderr } = await concord(
    'agreement',
    '--reads',
    fixture(reads),
    '--protocol',
    fixture(protocol),
    '--json',
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).not.toMatch(/NaN|Infinity/);
  return JSON.parse(stdout) as ItemAgreement[];
}

const byKey = (items: ItemAgreement[], item: string, timepoint: string | null = null) => {
  const found = items.find((i) => i.item === item && i.timepoint === timepoint);
  if (!found) throw new Error(`no ${item} @ ${timepoint} in the output`);
  return found;
};

describe('concord agreement --json against R', () => {
  const out = {} as Record<keyof typeof oracle.files, ItemAgreement[]>;
  beforeAll(async () => {
    const names = Object.keys(oracle.files) as (keyof typeof oracle.files)[];
    const results = await Promise.all(names.map((n) => agreementJson(oracle.files[n].reads, oracle.files[n].protocol)));
    names.forEach((n, i) => (out[n] = results[i]!));
    // Three CLI runs at once: allow for a busy machine.
  }, 60_000);

  it('records the R and package versions of the oracle', () => {
    expect(oracle.rVersion).toMatch(/^R version 4\.2\.2/);
    expect([oracle.psychVersion, oracle.vcdVersion]).toEqual(['2.2.9', '1.4.11']);
  });

  it.each(Object.keys(oracle.files) as (keyof typeof oracle.files)[])(
    '%s: the same items, keys and numbers as R',
    (name) => {
      const expected = oracle.files[name].items;
      expect(out[name].map((i) => [i.item, i.timepoint])).toEqual(expected.map((e) => [e.item, e.timepoint]));
      expected.forEach((e, n) => expectLikeR(out[name][n], e, `${name}.${String(e.item)}@${String(e.timepoint)}`));
    },
  );

  it('two readers, nominal: Cohen kappa with SE, CI, band and the confusion table (rows = R1)', () => {
    const e = byKey(out.twoReaders, 'enhancement');
    expect(e).toMatchObject({
      scale: 'nominal',
      n: 40,
      raters: ['R1', 'R2'],
      excludedCases: 1,
      excludedCaseIds: ['C41'],
      band: 'almost perfect',
      reason: null,
    });
    expect(e.confusion).toMatchObject({ rowRater: 'R1', columnRater: 'R2', levels: ['hyper', 'iso, hypo', 'mixed'] });
    expect(e.weightedKappaLinear).toBeNull();
    expect(e.icc).toBeNull();
  });

  it('two readers, ordinal with a level nobody used: its row and column stay in the table', () => {
    const b = byKey(out.twoReaders, 'burden');
    expect(b.confusion!.levels[3]).toBe('>50-75%');
    expect(b.confusion!.counts[3]).toEqual([0, 0, 0, 0, 0]);
    expect(b.confusion!.counts.map((row) => row[3])).toEqual([0, 0, 0, 0, 0]);
    expect(b.weightedKappaLinear).toBeTypeOf('number');
    expect(b.weightedKappaQuadraticCi).toHaveLength(2);
  });

  it('two readers, continuous: six ICC forms with CIs and Bland–Altman; the case left NE is excluded', () => {
    const s = byKey(out.twoReaders, 'sum_mm');
    expect(s).toMatchObject({
      n: 39,
      excludedCaseIds: ['C07', 'C41'],
      kappa: null,
      band: null,
      percentAgreement: null,
      confusion: null,
      reason: null,
    });
    expect(Object.keys(s.icc!)).toEqual(['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k']);
    expect(s.blandAltman!.raters).toEqual(['R1', 'R2']);
  });

  it('degenerate item (both readers always "present"): kappa null with the reason, R says NaN', () => {
    const u = byKey(out.twoReaders, 'uniform');
    expect(u).toMatchObject({
      n: 40,
      kappa: null,
      kappaSe: null,
      kappaCi: null,
      band: null,
      percentAgreement: 100,
      confusion: {
        counts: [
          [40, 0],
          [0, 0],
        ],
      },
    });
    expect(u.reason).toMatch(/Both readers rated all 40 items "present"/);
  });

  it("three readers with timepoints: Fleiss' kappa and pairwise kappas per (item, timepoint)", () => {
    expect(out.threeReaders.map((i) => `${i.item}@${i.timepoint}`)).toEqual([
      'response@1',
      'response@2',
      'letb@0',
      'letb@1',
    ]);
    const r = byKey(out.threeReaders, 'response', '2');
    expect(r).toMatchObject({ raters: ['R1', 'R2', 'R3'], n: 30, kappa: null, confusion: null, reason: null });
    expect(r.band).toBe('moderate');
    expect(r.pairwise!.map((p) => p.raters)).toEqual([
      ['R1', 'R2'],
      ['R1', 'R3'],
      ['R2', 'R3'],
    ]);
    expect(byKey(out.threeReaders, 'letb', '1').blandAltman).toBeNull();
  });

  it("runs on the study export's reads.csv as it is: derived RECIST items nominal over CR/PR/SD/PD/NE", () => {
    expect(readFileSync(fixture('study-export.csv'), 'utf8').split('\r\n')[0]).toBe(longColumns.join(','));
    const overall = byKey(out.studyExport, 'recist.overall_response', '1');
    expect(overall).toMatchObject({
      scale: 'nominal',
      levels: ['CR', 'PR', 'SD', 'PD', 'NE'],
      raters: ['alice', 'bob'],
      n: 25,
    });
    expect(byKey(out.studyExport, 'recist.best_response', null).n).toBe(25);
    // bob's NE follow-up diameter: that case drops out of the continuous items at timepoint 1 only.
    expect(byKey(out.studyExport, 'recist.sum_mm', '1')).toMatchObject({ n: 24, excludedCases: 1 });
    expect(byKey(out.studyExport, 'recist.sum_mm', '0')).toMatchObject({ n: 25, excludedCases: 0 });
  });

  it('prints every field of the contract, in the same order for every kind of item', () => {
    const fieldOrder = [
      'item',
      'timepoint',
      'scale',
      'levels',
      'n',
      'raters',
      'excludedCases',
      'excludedCaseIds',
      'kappa',
      'kappaSe',
      'kappaCi',
      'observedAgreement',
      'expectedAgreement',
      'weightedKappaLinear',
      'weightedKappaLinearSe',
      'weightedKappaLinearCi',
      'weightedKappaQuadratic',
      'weightedKappaQuadraticSe',
      'weightedKappaQuadraticCi',
      'fleissKappa',
      'fleissKappaSe',
      'fleissKappaP',
      'band',
      'percentAgreement',
      'confusion',
      'pairwise',
      'icc',
      'blandAltman',
      'reason',
    ];
    for (const item of [...out.twoReaders, ...out.threeReaders, ...out.studyExport])
      expect(Object.keys(item)).toEqual(fieldOrder);
  });
});

describe('concord agreement: text, help and errors', () => {
  const tmp = makeTempDir('concord-agreement-');
  const file = (name: string, text: string) => {
    const path = join(tmp.path, name);
    writeFileSync(path, text);
    return path;
  };
  const protocol = JSON.stringify({
    items: [
      { id: 'burden', scale: 'ordinal', levels: ['low', 'mid', 'high'] },
      { id: 'sum_mm', scale: 'continuous' },
    ],
  });
  afterAll(() => tmp.cleanup());

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await concord(
      'agreement',
      '--reads',
      fixture('two-readers.csv'),
      '--protocol',
      fixture('two-readers.protocol.json'),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^enhancement \[nominal\]: n 40, 2 reader\(s\), 1 case\(s\) excluded/m);
    expect(stdout).toMatch(/weighted kappa: linear 0\.\d\d \(/);
    expect(stdout).toMatch(/Bland–Altman R1 − R2: bias/);
    expect(stdout).toMatch(/uniform .*\n {2}not estimable: Both readers rated all 40 items "present"/);
  });

  it('documents its choices in --help', async () => {
    const { code, stdout } = await concord('agreement', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/n counts the cases rated by every reader/);
    expect(stdout).toMatch(/rows = first reader in sorted reader_id order/);
    expect(stdout).toMatch(/recist\.overall_response/);
  });

  it.each([
    [
      'a value that is not a level',
      'case_id,reader_id,item,value\nC1,A,burden,low\nC1,B,burden,huge\n',
      protocol,
      /bad\.csv: line 3 \(case C1, reader B, item burden\): "huge" is not one of the levels of burden: low, mid, high$/,
    ],
    [
      'a row with more fields than the header',
      'case_id,reader_id,item,value\nC1,A,sum_mm,4,5\n',
      protocol,
      /line 2: 5 fields, the header has 4 columns/,
    ],
    [
      'a measurement with a unit',
      'case_id,reader_id,item,value\nC1,A,sum_mm,45 mm\n',
      protocol,
      /line 2 \(case C1, reader A, item sum_mm\): value "45 mm" is not a number/,
    ],
    [
      'the same answer twice',
      'case_id,reader_id,item,value\nC1,A,burden,low\nC1,A,burden,mid\n',
      protocol,
      /line 3 .*the same case, reader, item and timepoint as line 2/,
    ],
    [
      'an unclosed quote',
      'case_id,reader_id,item,value\nC1,A,burden,"low\n',
      protocol,
      /line 2: a quoted field is not closed/,
    ],
    [
      'a header of neither layout',
      'case,reader_id,item,value\n',
      protocol,
      /bad\.csv: the header needs case_id, reader_id, item, value/,
    ],
    ['a protocol that is not JSON', 'case_id,reader_id,item,value\n', '{"items": [', /bad\.json: not JSON/],
    [
      'a protocol item without a scale',
      'case_id,reader_id,item,value\n',
      '{"items":[{"id":"burden"}]}',
      /bad\.json: protocol\.items\[0\]\.scale: missing for "burden"/,
    ],
  ])('rejects %s: exit 2, one line naming the place', async (_, reads, protocolText, message) => {
    const { code, stdout, stderr } = await concord(
      'agreement',
      '--reads',
      file('bad.csv', reads),
      '--protocol',
      file('bad.json', protocolText),
      '--json',
    );
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^concord agreement: /);
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(code).toBe(2);
  });

  const failsWith = async (readsFile: string, protocolFile: string) => {
    const { code, stdout, stderr } = await concord(
      'agreement',
      '--reads',
      readsFile,
      '--protocol',
      protocolFile,
      '--json',
    );
    expect(stdout).toBe('');
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThanOrEqual(500);
    return lines[0]!;
  };
  const reads = (rows: string) => file('reads.csv', `case_id,reader_id,item,value\n${rows}`);

  it('refuses a value so large the statistics would overflow (it gave "unexpected error"), naming row and column', async () => {
    const message = await failsWith(
      reads('C1,A,sum_mm,1e308\nC1,B,sum_mm,1e308\nC2,A,sum_mm,-1e308\nC2,B,sum_mm,1\n'),
      file('p.json', protocol),
    );
    expect(message).toBe(
      'concord agreement: ' +
        join(tmp.path, 'reads.csv') +
        ': line 2 (case C1, reader A, item sum_mm): value "1e308" is beyond ±1e15, the largest magnitude a table may hold (continuous item; empty or NE for no value)',
    );
    expect(await failsWith(reads('C1,A,sum_mm,1e999\n'), file('p.json', protocol))).toMatch(
      /line 2 .*"1e999" is not a finite number/,
    );
    expect(await failsWith(reads('C1,A,sum_mm,Infinity\n'), file('p.json', protocol))).toMatch(
      /line 2 .*"Infinity" is not a number/,
    );
  });

  it('computes values up to ±1e15 without overflow', async () => {
    const rows = [
      'C1,A,sum_mm,1e15',
      'C1,B,sum_mm,-1e15',
      'C2,A,sum_mm,999999999999999',
      'C2,B,sum_mm,1e-300',
      'C3,A,sum_mm,0',
      'C3,B,sum_mm,5',
    ].join('\n');
    const { code, stdout } = await concord(
      'agreement',
      '--reads',
      reads(`${rows}\n`),
      '--protocol',
      file('p.json', protocol),
      '--json',
    );
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/NaN|Infinity(?![^"]*")/);
    const sum = (JSON.parse(stdout) as ItemAgreement[]).find((i) => i.item === 'sum_mm')!;
    expect(sum.n).toBe(3);
    expect(sum.icc!.ICC1.value).toBeTypeOf('number');
    expect(sum.blandAltman!.bias).toBeCloseTo((2e15 + 999999999999999 - 5) / 3, -1);
  });

  it('refuses a protocol item with 10,000 levels at once (it ran past two minutes), and more than 50 readers of an item', async () => {
    const levels = Array.from({ length: 10_000 }, (_, i) => `L${i}`);
    const message = await failsWith(
      reads('C1,A,burden,L1\n'),
      file('p.json', JSON.stringify({ items: [{ id: 'burden', scale: 'ordinal', levels }] })),
    );
    expect(message).toMatch(/p\.json: protocol\.items\[0\]\.levels: 10000 levels for "burden"; at most 50 /);
    const fifty = JSON.stringify({ items: [{ id: 'burden', scale: 'ordinal', levels: levels.slice(0, 50) }] });
    const manyReaders = Array.from({ length: 51 }, (_, r) => `C1,R${r},burden,L1`).join('\n');
    expect(await failsWith(reads(`${manyReaders}\n`), file('p.json', fifty))).toMatch(
      /line 52 \(case C1, reader R50, item burden\): more than 50 readers rate burden; at most 50 can be compared \(is the reader column the right one\?\)$/,
    );
  });

  it('refuses text that is not UTF-8 in the reads file or the protocol, naming row and column', async () => {
    const latin1 = join(tmp.path, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('case_id,reader_id,item,value\nC1,J\xfcrgen,burden,low\n', 'latin1'));
    expect(await failsWith(latin1, file('p.json', protocol))).toMatch(
      /latin1\.csv: line 2, column 2 \("reader_id"\): byte 0xFC \(ü in Latin-1\) is not UTF-8\. The file is not UTF-8/,
    );
    const protocolLatin1 = join(tmp.path, 'latin1.json');
    writeFileSync(
      protocolLatin1,
      Buffer.from('{"items":[\n{"id":"burden","scale":"nominal","levels":["gr\xfcn","rot"]}]}', 'latin1'),
    );
    expect(await failsWith(reads('C1,A,burden,rot\n'), protocolLatin1)).toMatch(
      /latin1\.json: line 2, byte 47: byte 0xFC \(ü in Latin-1\) is not UTF-8; save the file as UTF-8$/,
    );
  });

  it('quotes at most an excerpt of a huge bad cell, and refuses a file over the cap from its size', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    expect(await failsWith(reads(`C1,A,burden,low\nC1,B,burden,${huge}\n`), file('p.json', protocol))).toMatch(
      /line 3, column 4: a cell longer than 4096 characters: "x{40}…"$/,
    );
    const big = join(tmp.path, 'big.csv');
    writeFileSync(big, Buffer.alloc(16 * 1024 * 1024 + 1, 0x61));
    expect(await failsWith(big, file('p.json', protocol))).toMatch(
      /big\.csv: the reads file has 16,777,217 bytes; a reads file may have at most 16 MiB\.$/,
    );
  });

  it.each([
    [['--protocol', 'p.json'], /missing --reads/],
    [['--reads', 'r.csv'], /missing --protocol/],
    [['--reads', 'r.csv', '--protocol', 'p.json', '--weights', 'x'], /Unknown option '--weights'/],
    [
      ['--reads', 'r.csv', '--protocol', 'p.json', '--bootstrap', '0'],
      /--bootstrap must be a number of resamples from 1 to 100000, got "0"/,
    ],
    [
      ['--reads', 'r.csv', '--protocol', 'p.json', '--bootstrap', '500', '--seed', '1.5'],
      /--seed must be an integer, got "1\.5"/,
    ],
    [['--reads', 'r.csv', '--protocol', 'p.json', '--seed', '7'], /--seed needs --bootstrap B/],
  ])('rejects the arguments %j with a one-line usage error', async (args, message) => {
    const { code, stderr } = await concord('agreement', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(
      /\(usage: concord agreement --reads <long\.csv> --protocol <protocol\.json> \[--bootstrap B \[--seed S\]\] \[--json\]\)$/m,
    );
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('reports a reads file that cannot be read as an IO failure (exit 1)', async () => {
    const { code, stderr } = await concord(
      'agreement',
      '--reads',
      join(tmp.path, 'missing.csv'),
      '--protocol',
      fixture('two-readers.protocol.json'),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/reads file .*missing\.csv cannot be read \(ENOENT\)/);
  });

  it('adds percentile bootstrap intervals with --bootstrap, reproducible from the seed it prints', async () => {
    const args = [
      'agreement',
      '--reads',
      fixture('two-readers.csv'),
      '--protocol',
      fixture('two-readers.protocol.json'),
      '--json',
    ];
    const plain = JSON.parse((await concord(...args)).stdout) as ItemAgreement[];
    const drawn = await concord(...args, '--bootstrap', '400');
    expect(drawn.code).toBe(0);
    const items = JSON.parse(drawn.stdout) as (ItemAgreement & {
      bootstrap: {
        seed: number;
        replicates: number;
        intervals: Record<string, { estimable: boolean; estimate?: number; ci?: [number, number] }>;
      };
    })[];
    // The statistics themselves are unchanged; each item gains its intervals.
    expect(items.map(({ bootstrap: _b, ...a }) => a)).toEqual(plain);
    const seed = items[0]!.bootstrap.seed;
    expect(Number.isInteger(seed)).toBe(true);
    for (const it of items) {
      expect(it.bootstrap).toMatchObject({ seed, replicates: 400, confidenceLevel: 0.95 });
      if (it.kappa !== null)
        expect(it.bootstrap.intervals.kappa).toMatchObject({ estimable: true, estimate: it.kappa });
      if (it.icc !== null && it.icc.ICC2.value !== null)
        expect(it.bootstrap.intervals.ICC2).toMatchObject({ estimable: true, estimate: it.icc.ICC2.value });
    }
    const again = await concord(...args, '--bootstrap', '400', '--seed', String(seed));
    expect(JSON.parse(again.stdout)).toEqual(items);
    const text = await concord(
      'agreement',
      '--reads',
      fixture('two-readers.csv'),
      '--protocol',
      fixture('two-readers.protocol.json'),
      '--bootstrap',
      '100',
      '--seed',
      '-3',
    );
    expect(text.stdout).toMatch(/^ {2}bootstrap 95 % CI \(B 100, seed -3\): kappa -?\d\.\d{3} to -?\d\.\d{3}/m);
    // Four CLI runs, two of them resampling: allow for a busy machine.
  }, 120_000);
});
