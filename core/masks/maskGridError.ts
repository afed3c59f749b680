import type { Grid } from '../imaging/grid';

/**
 * Why a mask cannot be placed on a target grid. Callers branch on `kind`, never on the message:
 * - 'not-aligned': the mask's axes are rotated against the target's (not a permutation or flip);
 * - 'no-overlap': the two grids share no space;
 * - 'barely-overlaps': less of the mask's foreground lies inside the target than required;
 * - 'invalid-geometry': a grid has a voxel size, origin or axes that cannot place anything
 *   (non-finite, zero or negative sizes, a NaN origin, sheared axes);
 * - 'slices-mismatch': the image slices of a series do not match the mask grid slice for slice.
 * The message names both geometries (dims, spacing, origin, direction).
 */
export type MaskGridErrorKind =
  'not-aligned' | 'no-overlap' | 'barely-overlaps' | 'invalid-geometry' | 'slices-mismatch';

export class MaskGridError extends Error {
  constructor(
    readonly kind: MaskGridErrorKind,
    message: string,
    /** The mask's grid and the target grid, where the error concerns two grids. */
    readonly maskGrid?: Grid,
    readonly targetGrid?: Grid,
  ) {
    super(message);
    this.name = 'MaskGridError';
  }
}
