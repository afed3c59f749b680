/**
 * Round tick values covering [min, max]: steps of 1, 2, 2.5 or 5 × 10^k giving about `count`
 * intervals (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990). A degenerate range
 * (min = max) is widened to ±1 around the value (±10 % when that is larger), so an axis always has
 * a positive span.
 * @throws RangeError when min or max is not finite, min > max or count < 1
 * @returns ascending ticks; the first ≤ min and the last ≥ max
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max)
    throw new RangeError(`bad axis range [${min}, ${max}]`);
  if (!(count >= 1)) throw new RangeError(`tick count must be at least 1, got ${count}`);
  if (min === max) {
    const pad = Math.max(1, Math.abs(min) * 0.1);
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    // Rounded to the step's decimals so 0.1 + 0.2 does not print as 0.30000000000000004.
    const v = Number((first + i * step).toFixed(Math.max(0, -Math.floor(Math.log10(step)) + 1)));
    ticks.push(Object.is(v, -0) ? 0 : v);
    if (v >= max - 1e-9 * step) break;
  }
  return ticks;
}

/** Decimals needed to print every tick of `ticks` exactly (0 for integers, at most 6). */
export function tickDecimals(ticks: readonly number[]): number {
  let decimals = 0;
  for (const t of ticks) {
    while (decimals < 6 && Math.abs(Number(t.toFixed(decimals)) - t) > 1e-9 * Math.max(1, Math.abs(t))) decimals++;
  }
  return decimals;
}
