import { describe, expect, it } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { daysPerMonth } from '../../../core/outcomes/outcomeEndpoints';
import { OutcomesCsvError, parseOutcomesCsv, type OutcomesProblem } from '../../../core/outcomes/parseOutcomesCsv';

const header =
  'case_code,last_followup_date,death,hepatic_progression_date,progression_date,untreatable_progression_date';
const cases = [
  { caseCode: 'C-001', baselineDate: '20200101' },
  { caseCode: 'C-002', baselineDate: '20200101' },
  { caseCode: 'C-003', baselineDate: '20200101' },
  { caseCode: 'C-004', baselineDate: '20200101' },
  { caseCode: 'C-005', baselineDate: '20200101' },
  { caseCode: 'C-006', baselineDate: '20200101' },
  { caseCode: 'C-007', baselineDate: '20200101' },
  { caseCode: 'C-008', baselineDate: '' },
];
const csv = (...rows: string[]) => [header, ...rows].join('\r\n');

function problemsOf(text: string, refs = cases): OutcomesProblem[] {
  try {
    parseOutcomesCsv(text, refs);
  } catch (err) {
    if (err instanceof OutcomesCsvError) return [...err.problems];
    throw err;
  }
  throw new Error('expected an OutcomesCsvError');
}

describe('parseOutcomesCsv', () => {
  it('reads ISO and DICOM dates, 1/0/yes/no, empty events, any column order and extra columns', () => {
    const text = [
      'death,Case_Code ,untreatable_progression_date,progression_date,hepatic_progression_date,last_followup_date,note',
      '1,C-001,,,2020-07-01,20210101,died',
      'no, c-002 ,,,,2020-12-31,',
      'YES,C-003,,,,2020-06-30,',
    ].join('\n');
    const out = parseOutcomesCsv(text, cases);
    expect(out.map((o) => [o.line, o.caseCode])).toEqual([
      [2, 'C-001'],
      [3, 'C-002'],
      [4, 'C-003'],
    ]);
    expect(out[0]!.dates).toEqual({
      lastFollowupDate: '2021-01-01',
      death: true,
      hepaticProgressionDate: '2020-07-01',
      progressionDate: null,
      untreatableProgressionDate: null,
    });
    // 2020-01-01 → 2021-01-01 is 366 days; → 2020-07-01 is 182 days (hand count, leap year).
    expect(out[0]!.endpoints.overallSurvival).toEqual({ timeMonths: 366 / daysPerMonth, event: true });
    expect(out[0]!.endpoints.hepaticPfs).toEqual({ timeMonths: 182 / daysPerMonth, event: true });
    expect(out[1]!.endpoints.overallSurvival).toEqual({ timeMonths: 365 / daysPerMonth, event: false });
    expect(out[2]!.endpoints.timeToUntreatableProgression).toEqual({ timeMonths: 181 / daysPerMonth, event: false });
  });

  it('accepts an event on the baseline date and on the last follow-up date', () => {
    const [o] = parseOutcomesCsv(csv('C-001,2020-03-01,1,2020-01-01,2020-03-01,2020-03-01'), cases);
    expect(o!.endpoints.hepaticPfs).toEqual({ timeMonths: 0, event: true });
    expect(o!.endpoints.timeToUntreatableProgression).toEqual({ timeMonths: 60 / daysPerMonth, event: true });
  });

  it('lists every bad row with its line and reason, not just the first', () => {
    const problems = problemsOf(
      csv(
        'C-001,2021-01-01,1,,,', // line 2: fine
        'C-999,2021-01-01,0,,,', // 3
        'c-001,2021-02-01,0,,,', // 4
        'C-002,,0,,,', // 5
        'C-003,2019-12-01,1,,,', // 6
        'C-004,2020-06-01,0,2020-08-01,,', // 7
        'C-005,01/02/2020,0,2020-13-01,,', // 8
        'C-006,2020-06-01,maybe,,,', // 9
        ',2020-06-01,0,,,', // 10
        'C-007,2020-06-01,,,,', // 11
        'C-008,2020-06-01,0,,,', // 12
      ),
    );
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [3, 'no case "C-999" in this study'],
      [4, 'case C-001 already has a row on line 2'],
      [
        5,
        'last_followup_date is empty: every case needs the date of death or of its last follow-up (the censoring date)',
      ],
      [6, 'last_followup_date 2019-12-01 is before the baseline exam (2020-01-01)'],
      [7, 'hepatic_progression_date 2020-08-01 is after last_followup_date 2020-06-01'],
      [8, 'last_followup_date "01/02/2020" is not a date (YYYY-MM-DD or YYYYMMDD)'],
      [8, 'hepatic_progression_date "2020-13-01" is not a date (YYYY-MM-DD or YYYYMMDD)'],
      [9, 'death "maybe" is not 1/0, yes/no or true/false'],
      [10, 'case_code is empty'],
      [11, 'death is empty: write 1 (died on last_followup_date) or 0 (alive then)'],
      [12, 'the baseline exam of case C-008 has no readable date, so times cannot be computed'],
    ]);
    expect(problems.find((p) => p.line === 4)!.caseCode).toBe('c-001');
  });

  it('puts every problem in the one-line message', () => {
    let error: unknown;
    try {
      parseOutcomesCsv(csv('C-999,2021-01-01,0,,,', 'C-001,2019-01-01,0,2018-01-01,,'), cases);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputDataError);
    expect((error as InputDataError).line).toBe(2);
    expect((error as Error).message).toBe(
      'The outcomes file has 3 problems: line 2 (C-999): no case "C-999" in this study; ' +
        'line 3 (C-001): last_followup_date 2019-01-01 is before the baseline exam (2020-01-01); ' +
        'line 3 (C-001): hepatic_progression_date 2018-01-01 is before the baseline exam (2020-01-01)',
    );
    expect((error as Error).message).not.toMatch(/\n/);
  });

  it('refuses a header without the required columns, naming all of them', () => {
    expect(problemsOf('case_code,death\nC-001,1')).toEqual([
      {
        line: null,
        caseCode: null,
        reason:
          'missing columns last_followup_date, hepatic_progression_date, progression_date, untreatable_progression_date (header: case_code, death)',
      },
    ]);
  });

  it('refuses a file with a header only', () => {
    expect(problemsOf(`${header}\r\n`)[0]!.reason).toMatch(/no data rows/);
  });

  it('passes CSV syntax errors on with their line', () => {
    expect(() => parseOutcomesCsv(csv('C-001,"2021-01-01,1,,,'), cases)).toThrow(InputDataError);
    expect(() => parseOutcomesCsv(csv('C-001,2021-01-01,1,,'), cases)).toThrow(
      /line 2: 5 fields, the header has 6 columns/,
    );
    expect(() => parseOutcomesCsv('', cases)).toThrow(/empty/);
  });

  it('does not require a row for every case of the study', () => {
    expect(parseOutcomesCsv(csv('C-002,2021-01-01,0,,,'), cases).map((o) => o.caseCode)).toEqual(['C-002']);
  });
});
