import type { Volume } from '../imaging/volume';
import { writeNifti } from '../nifti/writeNifti';

/**
 * A mask as a gzipped single-file NIfTI-1 image (.nii.gz): uint8 voxels as they are (0/1),
 * intent NIFTI_INTENT_LABEL, the grid's geometry as sform and qform (RAS+, `writeNifti`), so
 * nibabel, ITK-SNAP or 3D Slicer place it on the CT it was drawn on.
 * Reference: NIfTI-1 (nifti1.h); see `writeNifti`.
 * @throws RangeError from `writeNifti` (voxels not matching dims, bad spacing, description not
 *   printable ASCII or over 79 characters)
 */
export function maskToNifti(mask: Volume<Uint8Array>, description = 'Concord mask'): Uint8Array {
  return writeNifti(mask, { gzip: true, intent: 'label', description });
}
