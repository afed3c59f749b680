/**
 * Why bytes cannot be read as a NIfTI-1 image. Callers branch on `kind`, never on the message:
 * - 'not-nifti': no NIfTI-1 header (another format, or header fields that make no sense);
 * - 'truncated': the file (or its gzip stream) ends early;
 * - 'corrupt': the gzip stream is damaged (CRC32 or length mismatch, invalid data);
 * - 'unsupported': a valid file Concord does not read (NIfTI-2, .hdr/.img pair, 4D, a datatype);
 * - 'too-large': more voxels or bytes than the caller allows (checked before they are inflated);
 * - 'invalid-geometry': a voxel size, origin or axis that cannot place the image in space
 *   (zero, negative or non-finite voxel sizes, a non-finite origin, a sheared sform).
 */
export type NiftiErrorKind = 'not-nifti' | 'truncated' | 'corrupt' | 'unsupported' | 'too-large' | 'invalid-geometry';

/** A file that cannot be read as a single-file NIfTI-1 image; `kind` says why. */
export class NiftiParseError extends Error {
  constructor(
    readonly kind: NiftiErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'NiftiParseError';
  }
}
