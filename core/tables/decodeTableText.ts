import { InputDataError } from '../agreement/inputDataError';
import { csvLocations, type CsvLocation } from './csvLocation';
import { excerpt } from './excerpt';
import { parseCsv } from './parseCsv';
import { maxProblemsListed } from './tableLimits';

/** Most line numbers an encoding error lists after the first problem. */
const maxLinesListed = 10;

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** "byte 0xFC (ü in Latin-1) is not UTF-8". */
export function describeByte(b: number | undefined): string {
  if (b === undefined) return 'the text is not UTF-8';
  return `byte ${hex(b)}${b >= 0xa0 ? ` (${String.fromCharCode(b)} in Latin-1)` : ''} is not UTF-8`;
}

/** "line 3, column 2 (group)": where a position is, with the header's name of the column when known. */
function place(loc: CsvLocation, header: readonly string[] | null): string {
  const name = loc.record > 0 ? header?.[loc.field] : undefined;
  return `line ${loc.line}, column ${loc.field + 1}${name !== undefined && name.trim() !== '' ? ` (${excerpt(name.trim(), 30)})` : ''}`;
}

/** The header's column names, when the header ends before `end` and parses; else null. */
function headerNames(prefix: (end: number) => string, headerEnd: number | null): string[] | null {
  if (headerEnd === null) return null;
  try {
    return parseCsv(prefix(headerEnd))[0]?.fields ?? null;
  } catch {
    // A header that does not parse or decode has no names to offer; the error is about something else.
    return null;
  }
}

/** The message for problems at `offsets` (sorted), the first described by `first`, every one counted. */
function problemMessage(
  length: number,
  codeAt: (i: number) => number,
  prefix: (end: number) => string,
  offsets: readonly number[],
  total: number,
  what: (offset: number) => string,
  noun: string,
  advice: string,
): InputDataError {
  const { locations, headerEnd } = csvLocations(length, codeAt, offsets);
  const header = headerNames(prefix, headerEnd);
  const first = locations[0]!;
  const lines = [...new Set(locations.slice(1).map((l) => l.line))].filter((l) => l !== first.line);
  const elsewhere =
    total === 1
      ? ''
      : `; ${total} ${noun} in all${lines.length > 0 ? `, also on line${lines.length === 1 ? '' : 's'} ${lines.slice(0, maxLinesListed).join(', ')}${lines.length > maxLinesListed || total > offsets.length ? ', …' : ''}` : ''}`;
  return new InputDataError(`${place(first, header)}: ${what(offsets[0]!)}${elsewhere}. ${advice}`, first.line);
}

/**
 * Checks that a table's text holds only what a text file can: no lone UTF-16 surrogate (a
 * string from a client can carry one), no NUL character (a UTF-16 file read as UTF-8, or a
 * binary file), and no U+FFFD replacement character (the mark of an earlier lossy conversion
 * from another encoding: "Grün" and "Grþn" in Latin-1 both become "Gr�n", so two groups merge).
 * A byte order mark U+FEFF at the start is allowed (`parseCsv` drops it).
 * @throws InputDataError naming the line and column (with the header's name of the column) of
 *   the first such character, and counting the others with their lines
 */
export function checkTableText(text: string): void {
  // eslint-disable-next-line no-control-regex -- NUL is what this pattern looks for
  const bad = /\u0000|\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  const offsets: number[] = [];
  let total = 0;
  for (let m = bad.exec(text); m !== null; m = bad.exec(text)) {
    if (offsets.length <= maxProblemsListed) offsets.push(m.index);
    total++;
  }
  if (total === 0) return;
  const describe = (i: number) => {
    const c = text.charCodeAt(i);
    if (c === 0)
      return 'a NUL character: this is not a UTF-8 text file (UTF-16 saved without a byte order mark, or a binary file?)';
    if (c === 0xfffd)
      return 'U+FFFD, the replacement character: the text was damaged by an earlier conversion from another encoding';
    return `a lone UTF-16 surrogate (U+${c.toString(16).toUpperCase()}): the text is not valid Unicode`;
  };
  throw problemMessage(
    text.length,
    (i) => text.charCodeAt(i),
    (end) => text.slice(0, end),
    offsets,
    total,
    describe,
    'such characters',
    'Export or save the original as UTF-8 and try again.',
  );
}

/**
 * The offsets of the bytes that are not part of a well-formed UTF-8 sequence (Unicode 15,
 * Table 3-7: overlong forms, surrogates ED A0..BF and code points above U+10FFFF are not
 * UTF-8), the first `maxProblemsListed` + 1 of them, and how many there are.
 */
export function invalidUtf8Offsets(bytes: Uint8Array): { offsets: number[]; total: number } {
  const n = bytes.length;
  const offsets: number[] = [];
  let total = 0;
  for (let i = 0; i < n;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const follow = utf8Follow(lead);
    if (follow === 0 || !wellFormedAt(bytes, i, lead, follow)) {
      if (offsets.length <= maxProblemsListed) offsets.push(i);
      total++;
      i++;
      continue;
    }
    i += follow + 1;
  }
  return { offsets, total };
}

/** Bytes following a UTF-8 lead byte; 0 for a byte that cannot lead a sequence. */
function utf8Follow(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return 0;
}

/** Whether the `follow` bytes after the lead at `i` complete a well-formed sequence (Table 3-7). */
function wellFormedAt(bytes: Uint8Array, i: number, lead: number, follow: number): boolean {
  if (i + follow >= bytes.length) return false;
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  const b1 = bytes[i + 1]!;
  if (b1 < low || b1 > high) return false;
  for (let k = 2; k <= follow; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
  return true;
}

/** Well-formed UTF-8 to text without TextDecoder (core runs where it may be absent); slow but exact. */
function decodeWellFormedUtf8(bytes: Uint8Array): string {
  const chunks: string[] = [];
  let units: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const follow = lead < 0x80 ? 0 : utf8Follow(lead);
    let cp = lead & (0x7f >> (follow === 0 ? 0 : follow + 1));
    for (let k = 1; k <= follow; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
    if (cp < 0x10000) units.push(cp);
    else units.push(0xd800 | ((cp - 0x10000) >> 10), 0xdc00 | ((cp - 0x10000) & 0x3ff));
    i += follow + 1;
    if (units.length >= 8192) {
      chunks.push(String.fromCharCode(...units));
      units = [];
    }
  }
  chunks.push(String.fromCharCode(...units));
  return chunks.join('');
}

interface FatalDecoder {
  decode(bytes: Uint8Array): string;
}

/** The platform's WHATWG TextDecoder in fatal mode (Node and every browser have one), else null. */
function nativeDecoder(): FatalDecoder | null {
  const ctor = (
    globalThis as { TextDecoder?: new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => FatalDecoder }
  ).TextDecoder;
  return ctor ? new ctor('utf-8', { fatal: true, ignoreBOM: true }) : null;
}

/**
 * Decodes strict UTF-8 (WHATWG "fatal"): the platform's TextDecoder when there is one (native
 * speed), else `invalidUtf8Offsets` and a decoder of its own. A byte order mark is kept as U+FEFF.
 * @returns the text, or null when the bytes are not well-formed UTF-8
 */
export function decodeStrictUtf8(bytes: Uint8Array): string | null {
  const decoder = nativeDecoder();
  if (decoder !== null) {
    try {
      return decoder.decode(bytes);
    } catch {
      return null;
    }
  }
  return invalidUtf8Offsets(bytes).total === 0 ? decodeWellFormedUtf8(bytes) : null;
}

/**
 * Decodes a table file as strict UTF-8 (RFC 3629; WHATWG "fatal" decoding): every byte must be
 * part of a well-formed sequence; nothing is replaced, so two different names can never decode
 * to the same text. A UTF-8 byte order mark at the start is kept as U+FEFF (`parseCsv` drops it).
 * The text is then held to `checkTableText` (no NUL, no U+FFFD). Uses the platform's
 * TextDecoder when there is one (`decodeStrictUtf8`), `invalidUtf8Offsets` to say where the file
 * breaks.
 * @param bytes the whole file
 * @throws InputDataError naming the line and column (with the header's name of the column) of
 *   the first invalid byte and counting the others with their lines (a Latin-1 or Windows-1252
 *   file), or saying the file is UTF-16 (its byte order mark)
 * @returns the text
 */
export function decodeTableText(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputDataError(
      'line 1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 (CSV UTF-8) and try again.',
      1,
    );
  }
  const text = decodeStrictUtf8(bytes);
  if (text === null) {
    const { offsets, total } = invalidUtf8Offsets(bytes);
    // The prefix before the first bad byte is valid UTF-8: decode it for the header's names.
    const prefix = (end: number) => decodeTableText(bytes.subarray(0, Math.min(end, offsets[0] ?? 0)));
    throw problemMessage(
      n,
      (i) => (i < n ? bytes[i]! : -1),
      prefix,
      offsets.length > 0 ? offsets : [0],
      Math.max(total, 1),
      (i) => describeByte(bytes[i]),
      'invalid bytes',
      'The file is not UTF-8 (Latin-1 or Windows-1252?): save it as UTF-8 (CSV UTF-8) and try again.',
    );
  }
  checkTableText(text);
  return text;
}
