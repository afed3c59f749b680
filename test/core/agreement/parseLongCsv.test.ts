import { describe, expect, it } from 'vitest';
import { InputDataError } from '../../../core/agreement/inputDataError';
import { parseLongCsv } from '../../../core/agreement/parseLongCsv';
import { longColumns, toLongCsv } from '../../../core/studies/exportReads';

describe('parseLongCsv', () => {
  it('reads case_id, reader_id, item, value without timepoints', () => {
    const parsed = parseLongCsv('case_id,reader_id,item,value\r\nC1,A,burden,<25%\r\nC1,B,burden,"25-50%"\r\n');
    expect(parsed).toEqual({
      layout: 'long',
      hasTimepoint: false,
      rows: [
        { line: 2, caseId: 'C1', readerId: 'A', item: 'burden', timepoint: null, value: '<25%' },
        { line: 3, caseId: 'C1', readerId: 'B', item: 'burden', timepoint: null, value: '25-50%' },
      ],
    });
  });

  it('takes the columns in any order and any case, trims cells and ignores other columns', () => {
    const parsed = parseLongCsv(
      'Value,comment,ITEM,Timepoint,Reader_ID,case_id\n PR ,"x, y",response, 1 , B ,C9\n,,response,,A,C9\n',
    );
    expect(parsed.hasTimepoint).toBe(true);
    expect(parsed.rows).toEqual([
      { line: 2, caseId: 'C9', readerId: 'B', item: 'response', timepoint: '1', value: 'PR' },
      { line: 3, caseId: 'C9', readerId: 'A', item: 'response', timepoint: null, value: '' },
    ]);
  });

  it("reads the study export's layout (case_code → case, reader → reader), an empty timepoint as case-level", () => {
    const csv = toLongCsv([
      { case_code: 'K101', reader: 'alice', timepoint: 1, item: 'recist.overall_response', value: 'PR' },
      { case_code: 'K101', reader: 'alice', timepoint: '', item: 'recist.best_response', value: 'PR' },
    ]);
    expect(csv.split('\r\n')[0]).toBe(longColumns.join(','));
    expect(parseLongCsv(csv)).toEqual({
      layout: 'studyExport',
      hasTimepoint: true,
      rows: [
        { line: 2, caseId: 'K101', readerId: 'alice', item: 'recist.overall_response', timepoint: '1', value: 'PR' },
        { line: 3, caseId: 'K101', readerId: 'alice', item: 'recist.best_response', timepoint: null, value: 'PR' },
      ],
    });
  });

  it("takes off the export's formula-guard apostrophes in its own layout only", () => {
    const csv = toLongCsv([
      { case_code: 'K1', reader: '=HYPERLINK("x")', timepoint: 0, item: 'burden', value: '@SUM(1)' },
      { case_code: 'K1', reader: "'=quoted", timepoint: 0, item: 'level', value: '-1' },
    ]);
    expect(csv).toBe(
      'case_code,reader,timepoint,item,value\r\nK1,"\'=HYPERLINK(""x"")",0,burden,\'@SUM(1)\r\nK1,\'\'=quoted,0,level,-1\r\n',
    );
    expect(parseLongCsv(csv).rows.map((r) => [r.readerId, r.value])).toEqual([
      ['=HYPERLINK("x")', '@SUM(1)'],
      ["'=quoted", '-1'],
    ]);
    // A file of the other layout is somebody else's: its apostrophes are data.
    expect(parseLongCsv("case_id,reader_id,item,value\nK1,'=A,x,'+1\n").rows[0]).toMatchObject({
      readerId: "'=A",
      value: "'+1",
    });
  });

  it.each([
    [
      'a header of neither layout',
      'case,rater,item,value\n',
      /the header needs case_id, reader_id, item, value .* it has: case, rater, item, value/,
    ],
    ['no value column', 'case_id,reader_id,item\n', /no "value" column/],
    ['the export layout without timepoint', 'case_code,reader,item,value\n', /no "timepoint" column/],
    ['an empty reader', 'case_id,reader_id,item,value\nC1,A,x,1\nC1, ,x,2\n', /^line 3: the reader_id cell is empty$/],
    ['an empty item', 'case_code,reader,timepoint,item,value\nK1,a,0,,1\n', /^line 2: the item cell is empty$/],
  ])('rejects %s', (_, text, message) => {
    expect(() => parseLongCsv(text)).toThrow(message);
    expect(() => parseLongCsv(text)).toThrow(InputDataError);
  });
});
