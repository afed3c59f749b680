const numeric = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Order of reader ids, case ids and timepoints: numbers (as written, e.g. "2" < "10") by value
 * before other text; other text by UTF-16 code units (JavaScript's default sort: "B" < "a",
 * "r10" < "r2"), so the order never depends on the locale.
 * @returns negative when a comes first, positive when b does, 0 for the same text
 */
export function compareIds(a: string, b: string): number {
  const an = numeric.test(a);
  const bn = numeric.test(b);
  if (an && bn && Number(a) !== Number(b)) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
