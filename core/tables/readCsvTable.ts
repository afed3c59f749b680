import { InputDataError } from '../agreement/inputDataError';
import { checkTableText, decodeTableText } from './decodeTableText';
import { parseCsvTable, type CsvTable } from './parseCsv';

export interface ReadCsvTableOptions {
  /** Largest file accepted, in bytes (a string: in characters); see `maxTableBytes`. */
  maxBytes: number;
  /** What the file is, for the size error: "a reads file", "an outcomes file". */
  what: string;
}

/** A size in the unit a person reads: "900 KiB", "32 MiB", "12,345 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${String(bytes).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`;
}

/**
 * The shared reader of every CSV table Concord takes in (reads files, survival and outcomes
 * CSVs, covariate CSVs): the size cap, strict UTF-8 (`decodeTableText`: an invalid byte, a NUL or
 * a U+FFFD is an error naming its line and column), then RFC 4180 with a header
 * (`parseCsvTable`: cells of at most 4,096 characters, at most 1,000 columns, every record as
 * long as the header, header names unique). Every message names the place and quotes at most
 * an excerpt.
 * @param input the file's bytes, or its text when a client already decoded it (then checked by
 *   `checkTableText`: no lone surrogate, NUL or U+FFFD)
 * @throws InputDataError for a file over the cap, invalid text, or CSV errors
 */
export function readCsvTable(input: Uint8Array | string, options: ReadCsvTableOptions): CsvTable {
  const size = input.length;
  if (size > options.maxBytes) {
    const unit = typeof input === 'string' ? 'characters' : 'bytes';
    throw new InputDataError(
      `${options.what} may have at most ${formatBytes(options.maxBytes)}; this one has ${String(size).replace(/\B(?=(\d{3})+$)/g, ',')} ${unit}`,
    );
  }
  let text: string;
  if (typeof input === 'string') {
    checkTableText(input);
    text = input;
  } else {
    text = decodeTableText(input);
  }
  return parseCsvTable(text);
}
