/**
 * What is wrong with a parsed DICOM object or series that keeps it from becoming pixels or a
 * volume. Callers branch on `kind`, never on the message (STYLE B4.2):
 * - 'missing-attribute' / 'invalid-attribute': a required attribute is absent or out of range;
 * - 'unsupported': valid DICOM that Concord does not decode (e.g. 12-bit JPEG, colour volumes);
 * - 'malformed-pixel-data': the pixel data does not match its description (too short, bad RLE);
 * - 'inconsistent-series', 'missing-slice', 'duplicate-slice', 'gantry-tilt': the slices of a
 *   series cannot be stacked into one regular grid.
 */
export type DicomDataErrorKind =
  | 'missing-attribute'
  | 'invalid-attribute'
  | 'unsupported'
  | 'malformed-pixel-data'
  | 'inconsistent-series'
  | 'missing-slice'
  | 'duplicate-slice'
  | 'gantry-tilt';

export class DicomDataError extends Error {
  constructor(
    readonly kind: DicomDataErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DicomDataError';
  }
}
