const unescapeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** Every `data-stat` / `data-value` pair of a report, in document order, with the printed text. */
export function dataStats(html: string): { scope: string; path: string; value: string; text: string }[] {
  return [...html.matchAll(/<(\w+) data-stat="([^"]*)" data-value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => {
    const [scope, path] = unescapeHtml(m[2]!).split('|') as [string, string];
    return { scope, path, value: unescapeHtml(m[3]!), text: unescapeHtml(m[4]!) };
  });
}

/**
 * The value at a dotted path (`groupings.4.comparison.endpoints.overallSurvival.logRank.p`,
 * `casesWithoutOutcome.length`).
 */
export function valueAt(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (o, key) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[key]),
      object,
    );
}
