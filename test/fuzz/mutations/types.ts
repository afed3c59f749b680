import type { DicomDoc } from '../dicom/dicomDoc';
import type { Rng } from '../rng';

/**
 * What a correct program does with a mutated input, as far as the mutation itself tells. A
 * different result (LETB, liver volume, series volume) is "silently wrong" for every
 * expectation but `unknown`:
 * - `same`: a valid re-encoding of the clean input (another transfer syntax, the same values
 *   under another rescale, a multi-member gzip): the clean result is due (a refusal is reported
 *   as "refused though valid");
 * - `refuse`: invalid in a way a reader can see (NaN geometry, an unparseable rescale, a
 *   truncated codestream, a bad CRC): a named refusal is due (the clean result is reported as
 *   "accepted though invalid");
 * - `either`: the clean result or a named refusal, nothing else (e.g. a nonsense Instance
 *   Number, which a volume never depends on);
 * - `unknown`: blind corruption that may turn a value into another valid value (a bit flip in
 *   a digit of Rescale Intercept, in voxel data): a different result is reported, not counted.
 */
export type Expectation = 'same' | 'refuse' | 'either' | 'unknown';

export interface Mutated {
  bytes: Uint8Array;
  /** The precise variant, e.g. "Rows=0" or "flip 3 bits in the header". */
  variant: string;
  expect: Expectation;
  /**
   * The clean file the mutation was applied to, when it is not the source itself (a native
   * slice re-encoded as RLE, JPEG lossless or JPEG 2000 before its codestream was corrupted): what
   * "the header is intact" is judged against.
   */
  base?: Uint8Array;
}

/** A DICOM file a mutation starts from. */
export interface DicomSource {
  /** Corpus name, e.g. "shared:pydicom-test-files/CT_small.dcm" or "demo:DEMO-0002/pre/ART/IM0040.dcm". */
  name: string;
  bytes: Uint8Array;
  /** The file taken apart, when the generator's own parser can (undefined for broken sources). */
  doc: DicomDoc | undefined;
}

export interface DicomMutation {
  /** Row of the findings table. */
  kind: string;
  /** Whether the mutation has something to work on in this source. */
  applies(source: DicomSource): boolean;
  /** @returns undefined when the random choices led nowhere (the generator draws again) */
  mutate(source: DicomSource, rng: Rng): Promise<Mutated | undefined> | Mutated | undefined;
}
