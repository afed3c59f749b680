import { nonTargetStatuses, responseCategories, type NonTargetStatus, type ResponseCategory } from './responseCategory';

/**
 * Overall response at one follow-up for a patient with target disease, from the target response,
 * the non-target status and new lesions — RECIST 1.1 Table 1:
 *
 * | target | non-target              | new lesion | overall |
 * |--------|-------------------------|------------|---------|
 * | CR     | CR                      | no         | CR      |
 * | CR     | non-CR/non-PD           | no         | PR      |
 * | CR     | NE (not evaluated)      | no         | PR      |
 * | PR     | non-PD or NE            | no         | PR      |
 * | SD     | non-PD or NE            | no         | SD      |
 * | NE     | non-PD                  | no         | NE      |
 * | PD     | any                     | any        | PD      |
 * | any    | PD                      | any        | PD      |
 * | any    | any                     | yes        | PD      |
 *
 * mRECIST combines its own target response (viable diameters) with the same table: a new lesion
 * or unequivocal non-target progression is PD (Lencioni & Llovet 2010, Table 2 and "new lesions").
 * A patient without non-target lesions has non-target status `'CR'` (nothing present).
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.4.1 Table 1;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST).
 *
 * @param targetResponse the target response at this follow-up (`targetResponses`)
 * @param nonTarget the non-target status at this follow-up
 * @param newLesion whether an unequivocal new lesion is present at this follow-up
 * @returns the overall response; NE only when the target response is NE and nothing is PD
 * @throws RangeError if a category or status is not one of the allowed strings
 */
export function overallResponse(
  targetResponse: ResponseCategory,
  nonTarget: NonTargetStatus,
  newLesion: boolean,
): ResponseCategory {
  if (!responseCategories.includes(targetResponse))
    throw new RangeError(`Unknown target response "${String(targetResponse)}"`);
  if (!nonTargetStatuses.includes(nonTarget)) throw new RangeError(`Unknown non-target status "${String(nonTarget)}"`);
  if (typeof newLesion !== 'boolean') throw new RangeError('newLesion must be true or false');
  if (newLesion || nonTarget === 'PD' || targetResponse === 'PD') return 'PD';
  // From here nothing is PD: Table 1 rows with "non-PD" hold.
  if (targetResponse === 'CR') return nonTarget === 'CR' ? 'CR' : 'PR';
  return targetResponse;
}
