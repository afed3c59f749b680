import { escapeXml } from './escapeXml';
import { blueRamp, ink, neutralGrey } from './palette';
import { coord, notEnoughData, svgDocument, svgLine, svgText, svgTextLines, textWidth, wrapLabel } from './svgDocument';

export interface ConfusionHeatmapOptions {
  /** Accessible title; default "<rowLabel> (rows) against <columnLabel> (columns)". */
  title?: string;
  /**
   * When given, every count's text carries `data-stat="<statPrefix>.<i>.<j>"` and `data-value`, the
   * way the HTML report marks its numbers (e.g. "burden@0|confusion.counts").
   */
  statPrefix?: string;
}

/** Level labels, px. */
const labelPx = 10;
const lineH = 11.5;

/**
 * The confusion table of two readers as a heat map: one row per level of `rowLabel`'s reader,
 * one column per level of `columnLabel`'s, every level shown even when nobody used it; cells
 * shaded by count on a single-hue blue ramp (darkest = largest count), each count printed, the
 * diagonal (agreement) outlined, row and column totals at the margins. Long level labels wrap
 * onto two lines; column labels that still do not fit their cell are set at 45°. With no cases at
 * all the empty grid carries a "not enough data" note; with no levels there is only the note.
 * @param levels the item's levels in protocol order
 * @param counts counts[i][j]: cases the row reader put in levels[i] and the column reader in levels[j]
 * @param rowLabel the row reader (axis title at the left)
 * @param columnLabel the column reader (axis title on top)
 * @throws RangeError when `counts` is not levels.length × levels.length or holds a count that is
 *   not a non-negative integer
 * @returns a standalone SVG document
 */
export function confusionHeatmap(
  levels: readonly string[],
  counts: readonly (readonly number[])[],
  rowLabel: string,
  columnLabel: string,
  options: ConfusionHeatmapOptions = {},
): string {
  const k = levels.length;
  if (counts.length !== k || counts.some((row) => row.length !== k))
    throw new RangeError(`confusion counts must be ${k} × ${k}`);
  for (const row of counts)
    for (const c of row)
      if (!Number.isInteger(c) || c < 0) throw new RangeError(`confusion count ${c} is not a non-negative integer`);
  const title = options.title ?? `${rowLabel} (rows) against ${columnLabel} (columns)`;
  if (k === 0)
    return svgDocument(
      { width: 320, height: 80, title },
      notEnoughData(160, 40, 'Not enough data: the item has no levels'),
    );

  const widest = (lines: readonly string[][]) => Math.max(...lines.flat().map((l) => textWidth(l, labelPx)));
  const columnLines = levels.map((l) => wrapLabel(l, 80, labelPx));
  const rowLines = levels.map((l) => wrapLabel(l, 84, labelPx));
  const columnLabelW = widest(columnLines);
  const cellW = Math.min(96, Math.max(38, columnLabelW + 10));
  const cellH = Math.max(26, Math.max(...rowLines.map((l) => l.length)) * lineH + 8);
  const rotated = columnLabelW > cellW - 4;
  const totalW = 38;
  const rowTitleX = 10;
  const gridLeft = 22 + Math.max(widest(rowLines), textWidth('Total', labelPx)) + 6;
  const columnRows = Math.max(...columnLines.map((l) => l.length));
  const columnLabelsH = rotated
    ? Math.max(...levels.map((l) => textWidth(l, labelPx))) * Math.SQRT1_2 + 12
    : columnRows * lineH + 6;
  const gridTop = 22 + columnLabelsH;
  const gridRight = gridLeft + k * cellW;
  const gridBottom = gridTop + k * cellH;
  const total = counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const noteH = total === 0 ? 24 : 0;
  const titleW = textWidth(columnLabel, 11, true);
  const width = Math.max(gridRight + totalW + 6, (gridLeft + gridRight) / 2 + titleW / 2 + 6, 200);
  const height = gridBottom + 24 + noteH + 4;

  const max = Math.max(...counts.flat());
  const parts: string[] = [];
  parts.push(svgText((gridLeft + gridRight) / 2, 13, columnLabel, { anchor: 'middle', sizePx: 11, weight: 'bold' }));
  parts.push(
    svgText(rowTitleX, (gridTop + gridBottom) / 2, rowLabel, {
      anchor: 'middle',
      rotate: -90,
      sizePx: 11,
      weight: 'bold',
      baseline: 'middle',
    }),
  );
  levels.forEach((level, j) => {
    const cx = gridLeft + (j + 0.5) * cellW;
    const lines = columnLines[j]!;
    parts.push(
      rotated
        ? svgText(cx - 3, gridTop - 6, level, { rotate: -45, sizePx: labelPx })
        : svgTextLines(cx, gridTop - 6 - (lines.length - 1) * lineH, lines, lineH, {
            anchor: 'middle',
            sizePx: labelPx,
          }),
    );
  });
  parts.push(
    svgText(gridRight + totalW / 2, gridTop - 6, 'Total', { anchor: 'middle', sizePx: labelPx, fill: '#555555' }),
  );
  levels.forEach((_, i) => {
    const y = gridTop + i * cellH;
    parts.push(
      svgTextLines(gridLeft - 6, y + cellH / 2, rowLines[i]!, lineH, {
        anchor: 'end',
        baseline: 'middle',
        sizePx: labelPx,
      }),
    );
    counts[i]!.forEach((c, j) => {
      const x = gridLeft + j * cellW;
      const { fill, lightText } = blueRamp(max === 0 ? 0 : c / max);
      parts.push(
        `<rect x="${coord(x)}" y="${coord(y)}" width="${coord(cellW)}" height="${coord(cellH)}" fill="${fill}" stroke="#bdbdbd" stroke-width="0.6"/>`,
      );
      const text = svgText(x + cellW / 2, y + cellH / 2, String(c), {
        anchor: 'middle',
        baseline: 'middle',
        sizePx: 12,
        weight: c > 0 ? 'bold' : 'normal',
        fill: lightText ? '#ffffff' : c === 0 ? '#8c8c8c' : ink,
      });
      parts.push(
        options.statPrefix === undefined
          ? text
          : text.replace(
              '<text ',
              `<text data-stat="${escapeXml(`${options.statPrefix}.${i}.${j}`)}" data-value="${c}" `,
            ),
      );
    });
    const rowTotal = counts[i]!.reduce((a, b) => a + b, 0);
    parts.push(
      svgText(gridRight + totalW / 2, y + cellH / 2, String(rowTotal), {
        anchor: 'middle',
        baseline: 'middle',
        sizePx: 10,
        fill: '#555555',
      }),
    );
  });
  // The diagonal drawn after every cell so no neighbour paints over its outline.
  for (let i = 0; i < k; i++) {
    parts.push(
      `<rect x="${coord(gridLeft + i * cellW + 1)}" y="${coord(gridTop + i * cellH + 1)}" width="${coord(cellW - 2)}" height="${coord(cellH - 2)}" fill="none" stroke="${ink}" stroke-width="2"/>`,
    );
  }
  const totalsY = gridBottom + 13;
  parts.push(
    svgLine(gridLeft, gridBottom + 2, gridRight + totalW - 4, gridBottom + 2, { stroke: neutralGrey, width: 0.6 }),
  );
  parts.push(
    svgText(gridLeft - 6, totalsY, 'Total', { anchor: 'end', baseline: 'middle', sizePx: labelPx, fill: '#555555' }),
  );
  for (let j = 0; j < k; j++) {
    const columnTotal = counts.reduce((s, row) => s + row[j]!, 0);
    parts.push(
      svgText(gridLeft + (j + 0.5) * cellW, totalsY, String(columnTotal), {
        anchor: 'middle',
        baseline: 'middle',
        sizePx: 10,
        fill: '#555555',
      }),
    );
  }
  parts.push(
    svgText(gridRight + totalW / 2, totalsY, String(total), {
      anchor: 'middle',
      baseline: 'middle',
      sizePx: 10,
      weight: 'bold',
      fill: '#555555',
    }),
  );
  if (total === 0)
    parts.push(
      notEnoughData((gridLeft + gridRight) / 2, gridBottom + 36, 'Not enough data: no case rated by both readers'),
    );

  const description = levels.map((l, i) => `${l}: ${counts[i]!.join(', ')}`).join('; ');
  return svgDocument(
    {
      width,
      height,
      title,
      description: `Rows ${rowLabel}, columns ${columnLabel}, levels ${levels.join(', ')}. Counts by row: ${description}.`,
    },
    parts.join(''),
  );
}
