import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgreementProtocol } from '../../../core/agreement/agreementProtocol';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { parseSurvivalCsv } from '../../../core/agreement/parseSurvivalCsv';
import { readsAgreement } from '../../../core/agreement/readsAgreement';
import { survivalByGroup } from '../../../core/agreement/survivalByGroup';
import { parseOutcomesCsv } from '../../../core/outcomes/parseOutcomesCsv';
import { createSeededRandom } from '../../../core/random/seededRandom';
import { readJsonFile } from '../../../core/tables/readJsonFile';
import { maxErrorLineChars, maxTableBytes } from '../../../core/tables/tableLimits';

/**
 * Every table reader against seeded mutations of the committed fixtures (R-checked reads files,
 * their protocols, survival::lung, an outcomes file): bytes deleted, inserted, truncated,
 * repeated, and cells an attacker or a spreadsheet would write (1e308, 1e999, NaN, a Latin-1
 * byte, U+FFFD, NUL, quotes, line breaks, a 5,000-character cell). Each run either gives a result
 * with only finite numbers or an InputDataError whose message fits on one line of 500
 * characters; never any other exception ("unexpected error").
 */

const fixtures = join(__dirname, '..', '..', 'fixtures', 'agreement');
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const encode = (text: string) => new TextEncoder().encode(text);

const nonFinite = (v: unknown): boolean =>
  typeof v === 'number'
    ? !Number.isFinite(v)
    : Array.isArray(v)
      ? v.some(nonFinite)
      : v !== null && typeof v === 'object'
        ? Object.values(v).some(nonFinite)
        : false;

const cells = [
  '1e308',
  '-1e308',
  '1e999',
  'NaN',
  'Infinity',
  '-0',
  '"',
  '""',
  ',',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '\ufffd',
  'NE',
  '',
  ' ',
  "'=x",
  '1e-400',
  '0x1',
  'x'.repeat(5000),
  'ü',
];

describe('table inputs: seeded mutations never give "unexpected error"', () => {
  const random = createSeededRandom(20240612);
  const pick = <T>(a: readonly T[]) => a[Math.floor(random.uniform() * a.length)]!;
  const mutate = (b: Uint8Array): Uint8Array => {
    const a = [...b];
    for (let k = 0, n = 1 + Math.floor(random.uniform() * 4); k < n; k++) {
      const at = Math.floor(random.uniform() * (a.length + 1));
      const op = Math.floor(random.uniform() * 6);
      if (op === 0) a.splice(at, 1);
      else if (op === 1) a.splice(at, 0, Math.floor(random.uniform() * 256));
      else if (op === 2 || op === 5) a.splice(at, 0, ...encode(pick(cells)));
      else if (op === 3) a.length = Math.min(a.length, at);
      else a.splice(at, 0, ...a.slice(at, at + Math.floor(random.uniform() * 200)));
    }
    return Uint8Array.from(a);
  };
  const protocolOf = (bytes: Uint8Array) =>
    parseAgreementProtocol(readJsonFile(bytes, { maxBytes: maxTableBytes.protocolJson, what: 'a protocol file' }));
  const outcomes = encode(
    'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date\nC-001,2021-01-01,1,2020-06-01,,\nC-002,20210101,0,,,\n',
  );
  const studyCases = [
    { caseCode: 'C-001', baselineDate: '20200101' },
    { caseCode: 'C-002', baselineDate: '2020-01-01' },
  ];
  const pairs = [
    ['two-readers.csv', 'two-readers.protocol.json'],
    ['three-readers.csv', 'three-readers.protocol.json'],
    ['study-export.csv', 'study-export.protocol.json'],
  ] as const;
  const readers: Record<string, () => unknown> = {
    reads: () => {
      const [reads, protocol] = pick(pairs);
      return readsAgreement(mutate(fixture(reads)), protocolOf(fixture(protocol)));
    },
    protocol: () => {
      const [reads, protocol] = pick(pairs);
      return readsAgreement(fixture(reads), protocolOf(mutate(fixture(protocol))));
    },
    survival: () =>
      survivalByGroup(parseSurvivalCsv(mutate(fixture('lung.csv')), { time: 'time', event: 'dead', group: 'sex' })),
    outcomes: () => parseOutcomesCsv(mutate(outcomes), studyCases),
  };

  it.each(Object.keys(readers))('%s: 150 mutated files', (name) => {
    let accepted = 0;
    for (let n = 0; n < 150; n++) {
      try {
        const result = readers[name]!();
        expect(nonFinite(result), `run ${n}`).toBe(false);
        accepted++;
      } catch (err) {
        if (!(err instanceof InputDataError)) throw err;
        // An outcomes file lists up to 20 problems in one message, each a short line of its own.
        const lines = err.name === 'OutcomesCsvError' ? err.message.split(/; (?=line \d+|header)/) : [err.message];
        for (const line of lines) expect(line.length, line.slice(0, 80)).toBeLessThanOrEqual(maxErrorLineChars);
        expect(err.message).not.toMatch(/\n/);
      }
    }
    // Some mutations leave a valid file (a changed digit, a repeated row of another case).
    expect(accepted).toBeGreaterThan(0);
  });
});
