/**
 * Why a file cannot be read as a mask. Callers branch on `kind`, never on the message (STYLE B4.2):
 * - 'not-a-mask': the bytes are not a segmentation, NRRD or label image at all (e.g. a CT image);
 * - 'unsupported': a valid file Concord does not read (detached NRRD data, a 4D image, frames
 *   that do not lie on one regular grid, a coordinate space without anatomical meaning);
 * - 'malformed': the file contradicts itself or ends early (sizes vs data length, bad numbers);
 * - 'no-such-segment': the segment asked for is not in the file, or the file holds several
 *   and none was chosen;
 * - 'too-large': more voxels or bytes than the caller allows (checked from the header, before
 *   the data is inflated or allocated).
 */
export type MaskReadErrorKind = 'not-a-mask' | 'unsupported' | 'malformed' | 'no-such-segment' | 'too-large';

export class MaskReadError extends Error {
  constructor(
    readonly kind: MaskReadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'MaskReadError';
  }
}
