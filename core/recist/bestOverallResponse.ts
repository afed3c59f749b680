import type { ResponseCategory } from './responseCategory';

/** Rank on the response ladder: lower is better. NE ranks below PD (PD is at least an assessment). */
const rank: Record<ResponseCategory, number> = { CR: 0, PR: 1, SD: 2, PD: 3, NE: 4 };

/**
 * Best overall response over the follow-ups: the best category on the ladder
 * CR > PR > SD > PD > NE, recorded from the first follow-up until progression — follow-ups after
 * the first PD do not count (a response after progression is not a response on study).
 * Not modelled: confirmation of CR/PR by a later assessment (required in non-randomised trials)
 * and the minimum interval for SD; the caller applies them when the protocol asks for them.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.4.2 and Table 3;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST, same rule on its categories).
 *
 * @param overallResponses the overall response at each follow-up, in time order (baseline excluded)
 * @returns the best overall response; `'NE'` when there is no follow-up or none was evaluable
 * @throws RangeError if an entry is not a response category
 */
export function bestOverallResponse(overallResponses: readonly ResponseCategory[]): ResponseCategory {
  let best: ResponseCategory = 'NE';
  for (const r of overallResponses) {
    if (!Object.hasOwn(rank, r)) throw new RangeError(`Unknown response category "${String(r)}"`);
    if (rank[r] < rank[best]) best = r;
    if (r === 'PD') break;
  }
  return best;
}
