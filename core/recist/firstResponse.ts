import { responseCategories, type ResponseCategory } from './responseCategory';

/**
 * First response: the 1-based number of the first follow-up whose overall response is CR or PR,
 * looking only until the first PD (as for the best overall response). The time to response is
 * measured to this follow-up.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.4.2 and §4.6
 * (duration of response starts when CR or PR is first met); Lencioni R, Llovet JM. Semin Liver Dis
 * 2010;30:52–60 (mRECIST).
 *
 * @param overallResponses the overall response at each follow-up, in time order (baseline excluded)
 * @returns the follow-up number (1 = first follow-up), or null when there is no CR/PR before PD
 * @throws RangeError if an entry is not a response category
 */
export function firstResponse(overallResponses: readonly ResponseCategory[]): number | null {
  for (let n = 0; n < overallResponses.length; n++) {
    const r = overallResponses[n]!;
    if (!responseCategories.includes(r)) throw new RangeError(`Unknown response category "${String(r)}"`);
    if (r === 'CR' || r === 'PR') return n + 1;
    if (r === 'PD') return null;
  }
  return null;
}
