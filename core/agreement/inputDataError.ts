/**
 * A data file (reads CSV, protocol, survival CSV) that cannot be analysed as given. The message
 * is one line and names where the problem is (`line 7 (case C03, reader B, item burden): …`),
 * so that a command-line tool can print it as it is; `line` is the 1-based line of the file on
 * which the offending record starts, or null when the problem is not on one line (e.g. a
 * missing column or a protocol field).
 */
export class InputDataError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'InputDataError';
  }
}
