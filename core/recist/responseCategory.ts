/**
 * Response categories of RECIST 1.1 and mRECIST, shared by the target, overall and best response:
 * CR complete response, PR partial response, SD stable disease, PD progressive disease,
 * NE not evaluable (an expected clinical outcome, returned as a value, never thrown).
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §4.3–4.4;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST), Table 2.
 */
export type ResponseCategory = 'CR' | 'PR' | 'SD' | 'PD' | 'NE';

/**
 * Which rules turn the sums of diameters into a target response:
 * - `'recist'`: RECIST 1.1 on the longest diameters (lymph nodes: short axis), PD needs ≥ 20 %
 *   over the nadir and ≥ 5 mm absolute increase;
 * - `'mrecist'`: mRECIST on the longest diameters of the viable (arterially enhancing) part,
 *   PD needs ≥ 20 % over the nadir with no absolute minimum.
 */
export type ResponseCriteria = 'recist' | 'mrecist';

/**
 * Status of the non-target lesions at one follow-up (RECIST 1.1 §4.3.2, Table 1):
 * - `'CR'`: all non-target lesions absent (also the status of a patient without non-target lesions);
 * - `'non-CR/non-PD'`: one or more still present, no unequivocal progression;
 * - `'PD'`: unequivocal progression of existing non-target lesions;
 * - `'NE'`: not (all) evaluated.
 */
export type NonTargetStatus = 'CR' | 'non-CR/non-PD' | 'PD' | 'NE';

/** Every response category, in the order of the response ladder used for the best response. */
export const responseCategories: readonly ResponseCategory[] = ['CR', 'PR', 'SD', 'PD', 'NE'];

/** Every non-target status. */
export const nonTargetStatuses: readonly NonTargetStatus[] = ['CR', 'non-CR/non-PD', 'PD', 'NE'];
