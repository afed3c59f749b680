import type { AgreementItemSpec } from './agreementProtocol';
import { bootstrapItemAgreement, type ItemBootstrap } from './bootstrapAgreement';
import { groupRatings } from './groupRatings';
import { itemAgreement, type ItemAgreement, type ItemAgreementOptions } from './itemAgreement';
import { parseLongCsv } from './parseLongCsv';

/**
 * The readers' agreement on every protocol item of a long reads file: `parseLongCsv` (either
 * layout, including the study export), `groupRatings` (per item and timepoint; complete cases
 * only) and `itemAgreement` of each. What `concord agreement` prints.
 * @param readsCsv the reads file: its bytes (strict UTF-8, at most 16 MiB) or its text
 * @param items the protocol's items (`parseAgreementProtocol`)
 * @param options confidenceLevel (default 0.95)
 * @throws InputDataError for anything wrong with the file, the message naming the line
 * @returns one `ItemAgreement` per item (and timepoint), in protocol order, then timepoint order
 */
export function readsAgreement(
  readsCsv: Uint8Array | string,
  items: readonly AgreementItemSpec[],
  options: ItemAgreementOptions = {},
): ItemAgreement[] {
  const { rows } = parseLongCsv(readsCsv);
  return groupRatings(rows, items).map((ratings) => itemAgreement(ratings, options));
}

/**
 * `readsAgreement` with percentile bootstrap intervals of every item's statistics
 * (`bootstrapItemAgreement`, cases resampled with the given seed) in each item's `bootstrap`.
 */
export function readsAgreementWithBootstrap(
  readsCsv: Uint8Array | string,
  items: readonly AgreementItemSpec[],
  bootstrap: { seed: number; replicates: number },
  options: ItemAgreementOptions = {},
): (ItemAgreement & { bootstrap: ItemBootstrap })[] {
  const { rows } = parseLongCsv(readsCsv);
  return groupRatings(rows, items).map((ratings) => {
    const agreement = itemAgreement(ratings, options);
    return {
      ...agreement,
      bootstrap: bootstrapItemAgreement(ratings, agreement, {
        ...bootstrap,
        ...(options.confidenceLevel === undefined ? {} : { confidenceLevel: options.confidenceLevel }),
      }),
    };
  });
}
