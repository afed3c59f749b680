import { InputDataError } from '../agreement/inputDataError';
import { decodeStrictUtf8, describeByte, invalidUtf8Offsets } from './decodeTableText';
import { excerptPlain } from './excerpt';
import { formatBytes } from './readCsvTable';

/** Line and character (both 1-based) of a position in text. */
function lineAndCharacter(text: string, position: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, character ${position - start + 1}`;
}

/**
 * Reads a JSON file a person wrote (an agreement or study protocol): the size cap, strict UTF-8
 * (an invalid byte is an error naming its line and character; a NUL or U+FFFD too, as in
 * `checkTableText`), a UTF-8 byte order mark allowed, then `JSON.parse` with its error cut to an
 * excerpt and placed by line and character. Numbers beyond the double range parse as ±Infinity
 * here; the caller's checks refuse them.
 * @param input the file's bytes, or its text
 * @param options maxBytes (see `maxTableBytes`), what ("a protocol file") for the size error
 * @throws InputDataError for a file over the cap, text that is not UTF-8, or JSON syntax errors
 * @returns the parsed value
 */
export function readJsonFile(input: Uint8Array | string, options: { maxBytes: number; what: string }): unknown {
  if (input.length > options.maxBytes) {
    throw new InputDataError(
      `${options.what} may have at most ${formatBytes(options.maxBytes)}; this one has ${String(input.length).replace(/\B(?=(\d{3})+$)/g, ',')} ${typeof input === 'string' ? 'characters' : 'bytes'}`,
    );
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    const decoded = decodeStrictUtf8(input);
    if (decoded === null) {
      const { offsets, total } = invalidUtf8Offsets(input);
      const at = offsets[0] ?? 0;
      const before = input.subarray(0, at);
      const line = 1 + before.filter((b) => b === 0x0a).length;
      const lineStart = before.lastIndexOf(0x0a) + 1;
      throw new InputDataError(
        `line ${line}, byte ${at - lineStart + 1}: ${describeByte(input[at])}${total > 1 ? ` (${total} invalid bytes in all)` : ''}; save the file as UTF-8`,
        line,
      );
    }
    text = decoded;
  }
  // eslint-disable-next-line no-control-regex -- NUL is what this pattern looks for
  const bad = /\u0000|\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  if (bad !== null) {
    const what =
      bad[0] === '\0'
        ? 'a NUL character'
        : bad[0] === '\ufffd'
          ? 'U+FFFD, the replacement character (the text was damaged by an earlier conversion)'
          : 'a lone UTF-16 surrogate';
    throw new InputDataError(`${lineAndCharacter(text, bad.index)}: ${what}; save the original as UTF-8`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineAndCharacter(body, Number(position[1]))})` : '';
    throw new InputDataError(`not JSON: ${excerptPlain(message, 150)}${where}`);
  }
}
