/**
 * The code readers see for case number n (1-based): C-001 … C-999, then C-1000 … @throws RangeError for n < 1
 * or not an integer
 */
export function caseCode(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`case number must be a positive integer, got ${n}`);
  return `C-${String(n).padStart(3, '0')}`;
}
