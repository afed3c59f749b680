/** Days since 1970-01-01 of a DICOM DA date (YYYYMMDD) or ISO date (YYYY-MM-DD); NaN if unreadable. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date.trim());
  if (!m) return Number.NaN;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  // Reject dates that do not exist (e.g. 2024-02-30 rolls over).
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
    return Number.NaN;
  return t / 86_400_000;
}

/**
 * What a blinded reader sees instead of an exam date (SPEC §3, issue: dates shown relative to
 * baseline): "baseline" for the baseline itself, then "+N days" under two weeks, "+N weeks"
 * (rounded) up to 26 weeks, "+N months" (30.44 days, rounded) beyond; a negative offset with
 * "−". Unreadable dates give "date unknown" (never the raw date).
 */
export function relativeTimepointLabel(baselineDate: string, date: string): string {
  const a = dayNumber(baselineDate);
  const b = dayNumber(date);
  if (Number.isNaN(a) || Number.isNaN(b)) return 'date unknown';
  const days = b - a;
  if (days === 0) return 'baseline';
  const sign = days < 0 ? '−' : '+';
  const n = Math.abs(days);
  const plural = (v: number, unit: string) => `${sign}${v} ${unit}${v === 1 ? '' : 's'}`;
  if (n < 14) return plural(n, 'day');
  if (n <= 26 * 7) return plural(Math.round(n / 7), 'week');
  return plural(Math.round(n / 30.44), 'month');
}
