import { excerpt } from './excerpt';
import { maxTableMagnitude } from './tableLimits';

/** A plain decimal number as tables write it: optional sign, digits with an optional point, optional exponent. */
export const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type TableNumber = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Reads a number from a table cell (already trimmed): a plain decimal (`12`, `-3.5`, `.5`,
 * `1e-3`; no hex, no digit separators, no `Infinity` or `NaN`) whose value is finite and at most
 * `maxTableMagnitude` (1e15) in magnitude. `1e999` is refused as not finite and `1e308` as too
 * large, rather than left to overflow the statistics; a value that underflows (`1e-400`) is 0.
 * @param cell the cell's text
 * @returns the value, or the problem in words quoting an excerpt of the cell
 *   (`"1e308" is beyond ±1e15, the largest magnitude a table may hold`)
 */
export function tableNumber(cell: string): TableNumber {
  if (!decimalPattern.test(cell)) return { ok: false, problem: `${excerpt(cell)} is not a number` };
  const value = Number(cell);
  if (!Number.isFinite(value)) return { ok: false, problem: `${excerpt(cell)} is not a finite number` };
  if (Math.abs(value) > maxTableMagnitude)
    return { ok: false, problem: `${excerpt(cell)} is beyond ±1e15, the largest magnitude a table may hold` };
  return { ok: true, value };
}
