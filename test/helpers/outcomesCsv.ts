import type { CoordinatorCase } from '../../core/ipc/contract';
import { outcomesCsvColumns } from '../../core/outcomes/parseOutcomesCsv';

/**
 * An outcomes file for a study's cases: the n-th case (by code) followed for 300 + 250·n days from
 * its baseline, dying at the end of it when n is odd, with a hepatic progression at 200 days for
 * the first two.
 */
export function outcomesCsv(cases: readonly CoordinatorCase[]): string {
  const rows = [...cases]
    .sort((a, b) => a.caseCode.localeCompare(b.caseCode))
    .map((c, n) => {
      const base = c.timepoints[0]!.studyDate;
      const day = (d: number) =>
        new Date(
          Date.UTC(Number(base.slice(0, 4)), Number(base.slice(4, 6)) - 1, Number(base.slice(6, 8))) + d * 86_400_000,
        )
          .toISOString()
          .slice(0, 10);
      return [c.caseCode, day(300 + 250 * n), n % 2, n < 2 ? day(200) : '', '', ''].join(',');
    });
  return [outcomesCsvColumns.join(','), ...rows].join('\n');
}
