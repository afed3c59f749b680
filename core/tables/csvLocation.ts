/** Where a character (or byte) of a CSV file is: its line, its record and the field within it. */
export interface CsvLocation {
  /** 1-based line of the file the character is on (line breaks inside quoted fields count, as in `parseCsv`). */
  line: number;
  /** 0-based record (0 = the header), counting empty lines as `parseCsv` does (they are no record). */
  record: number;
  /** 0-based field of the record. */
  field: number;
}

const quote = 0x22;
const comma = 0x2c;
const cr = 0x0d;
const lf = 0x0a;

/**
 * The lines, records and fields of positions in a CSV file, by the rules of `parseCsv` (RFC 4180
 * quoting, CRLF / LF / CR line breaks, empty lines skipped), reading only the ASCII quote, comma
 * and line breaks. Works on code units of a string and on UTF-8 bytes alike (those delimiters are
 * single bytes in UTF-8 and never part of a multi-byte sequence), so it can place an invalid byte
 * in a file that cannot be decoded. A file with broken quoting gives approximate answers, which
 * is all an error message about another problem needs.
 * @param length code units (or bytes) in the file
 * @param codeAt the code unit (or byte) at a position
 * @param offsets positions to locate, in increasing order
 * @returns one location per offset, and `headerEnd`, the position just past the header record
 *   (the position of its line break), or null when the header does not end before the last offset
 */
export function csvLocations(
  length: number,
  codeAt: (i: number) => number,
  offsets: readonly number[],
): { locations: CsvLocation[]; headerEnd: number | null } {
  const locations: CsvLocation[] = [];
  let line = 1;
  let record = 0;
  let field = 0;
  let quoted = false;
  let atFieldStart = true;
  let recordHasContent = false;
  let headerEnd: number | null = null;
  let next = 0;
  const last = offsets.length > 0 ? Math.min(offsets[offsets.length - 1]!, length - 1) : -1;
  for (let i = 0; i <= last; i++) {
    while (next < offsets.length && offsets[next]! <= i) {
      locations.push({ line, record, field });
      next++;
    }
    const c = codeAt(i);
    if (quoted) {
      if (c === quote) {
        if (codeAt(i + 1) === quote) i++;
        else quoted = false;
      } else if (c === lf || (c === cr && codeAt(i + 1) !== lf)) {
        line++;
      }
      continue;
    }
    if (c === cr || c === lf) {
      if (recordHasContent) {
        if (record === 0) headerEnd = i;
        record++;
      }
      if (c === cr && codeAt(i + 1) === lf) i++;
      line++;
      field = 0;
      atFieldStart = true;
      recordHasContent = false;
      continue;
    }
    recordHasContent = true;
    if (c === comma) {
      field++;
      atFieldStart = true;
      continue;
    }
    if (c === quote && atFieldStart) quoted = true;
    atFieldStart = false;
  }
  // Offsets past the end (or repeated beyond `last`) are placed where the scan stopped.
  while (locations.length < offsets.length) locations.push({ line, record, field });
  return { locations, headerEnd };
}
