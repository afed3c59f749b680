import type { ResponseCategory } from './responseCategory';

/**
 * Objective response: the (best overall) response is CR or PR.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.4 and §4.6
 * (objective response rate); Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST, same
 * definition on the mRECIST categories).
 *
 * @param category a response category (usually the best overall response)
 * @returns true for CR and PR; false for SD, PD and NE (not evaluable is not a response)
 * @throws never
 */
export function isObjectiveResponse(category: ResponseCategory): boolean {
  return category === 'CR' || category === 'PR';
}
