/**
 * How the printed report writes numbers. One rule per kind of number, used by the tables and the
 * figures alike, so a value is printed the same way wherever it appears:
 * - agreement coefficients (Cohen's, weighted and Fleiss' kappa, ICC) and their limits: 2
 *   decimals, the precision of the Landis & Koch bands (`landisKochBand` places a kappa by its
 *   two-decimal value, so the printed kappa and its band always agree);
 * - percentages (agreement, change from baseline): 1 decimal;
 * - measurements in the item's unit (Bland–Altman bias and limits, mm): 1 decimal;
 * - survival times (Kaplan–Meier medians, their limits and differences, months): 1 decimal;
 * - p-values: 3 decimals, below 0.001 as "<0.001".
 * Negative numbers get a typographic minus sign (U+2212), as journals print them. The full
 * precision values go to agreement.json and into the report's `data-value` attributes.
 */

/** The typographic minus sign. */
export const minusSign = '\u2212';

/**
 * `value.toFixed(digits)` with U+2212 for the minus sign. A value that rounds to zero keeps its
 * sign as toFixed does (−0.004 → "−0.00"), like `landisKochBand`, which calls it "poor" only from
 * −0.01.
 * @throws RangeError for NaN or ±Infinity: the report never prints them
 */
export function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot print ${value} in the report`);
  return value.toFixed(digits).replace('-', minusSign);
}

/** A kappa or ICC (or a limit of its interval): 2 decimals. */
export function formatCoefficient(value: number): string {
  return fixed(value, 2);
}

/** A percentage without the % sign: 1 decimal. */
export function formatPercent(value: number): string {
  return fixed(value, 1);
}

/** A signed percentage change with the % sign: "+24.0 %", "−30.0 %", "0.0 %". */
export function formatChangePercent(value: number): string {
  const text = fixed(value, 1);
  return `${value > 0 && text !== '0.0' ? '+' : ''}${text} %`;
}

/** A measurement in the item's unit (Bland–Altman bias and limits): 1 decimal. */
export function formatMeasurement(value: number): string {
  return fixed(value, 1);
}

/** A survival time in months (a Kaplan–Meier median, a limit, a difference of medians): 1 decimal. */
export function formatMonths(value: number): string {
  return fixed(value, 1);
}

/** A two-sided p-value: 3 decimals, "<0.001" below 0.001. */
export function formatP(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot print the p-value ${value} in the report`);
  return value < 0.001 ? '<0.001' : fixed(value, 3);
}

/**
 * A timestamp of the study (ISO 8601) as "2025-03-14 09:26 UTC"; text that is not a date is
 * returned unchanged, null as "not yet".
 */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return 'not yet';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}
