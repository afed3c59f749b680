import {
  niftiBytesPerVoxel,
  niftiDatatype,
  niftiHeaderOffset as H,
  niftiHeaderSize,
  type NiftiDatatypeName,
} from './niftiDatatypes';
import { NiftiParseError } from './niftiParseError';

/** What the first 348 bytes of a single-file NIfTI-1 image say about its layout. */
export interface NiftiHeaderLayout {
  littleEndian: boolean;
  dims: [number, number, number];
  datatype: NiftiDatatypeName;
  /** Byte offset of the first voxel. */
  voxOffset: number;
  voxelCount: number;
  /** vox_offset + voxels × bytes per voxel: the length of the whole file the header declares. */
  fileBytes: number;
}

/**
 * Reads and checks the layout fields of a NIfTI-1 header (sizeof_hdr in either byte order,
 * magic "n+1", dim, datatype, vox_offset): enough to know how long the file must be before any
 * voxel is read, so that a gzip stream can be refused before it inflates past that length.
 * Reference: NIfTI-1 header, nifti1.h (NIfTI DFWG, 2004).
 * @throws NiftiParseError: 'not-nifti' (no NIfTI-1 header, nonsensical dims or vox_offset),
 *   'truncated' (shorter than 348 bytes), 'unsupported' (NIfTI-2, a .hdr/.img pair, 4D data,
 *   an unsupported datatype)
 */
export function readNiftiHeader(bytes: Uint8Array): NiftiHeaderLayout {
  if (bytes.length < niftiHeaderSize)
    throw new NiftiParseError(
      bytes.length >= 4 ? 'truncated' : 'not-nifti',
      'Shorter than a NIfTI-1 header (348 bytes).',
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (view.getInt32(0, true) === niftiHeaderSize) le = true;
  else if (view.getInt32(0, false) === niftiHeaderSize) le = false;
  else if (view.getInt32(0, true) === 540 || view.getInt32(0, false) === 540)
    throw new NiftiParseError('unsupported', 'NIfTI-2 files are not supported.');
  else throw new NiftiParseError('not-nifti', 'Not a NIfTI-1 file (sizeof_hdr is not 348).');
  const magic = String.fromCharCode(bytes[H.magic]!, bytes[H.magic + 1]!, bytes[H.magic + 2]!);
  if (magic === 'ni1')
    throw new NiftiParseError(
      'unsupported',
      'A NIfTI-1 header of a .hdr/.img pair: open the single-file .nii instead.',
    );
  if (magic !== 'n+1')
    throw new NiftiParseError('not-nifti', 'No NIfTI-1 magic ("n+1"); ANALYZE 7.5 files are not supported.');

  const i16 = (o: number) => view.getInt16(o, le);
  const ndim = i16(H.dim);
  if (ndim < 1 || ndim > 7) throw new NiftiParseError('not-nifti', `dim[0] is ${ndim}, not 1-7.`);
  const dimAt = (n: number) => (n <= ndim ? i16(H.dim + 2 * n) : 1);
  const dims: [number, number, number] = [dimAt(1), dimAt(2), dimAt(3)];
  for (let n = 4; n <= ndim; n++) {
    if (dimAt(n) > 1)
      throw new NiftiParseError('unsupported', `Only 3D images are supported (dim[${n}] = ${dimAt(n)}).`);
  }
  if (dims.some((d) => d < 1)) throw new NiftiParseError('not-nifti', `Invalid dimensions ${dims.join('x')}.`);

  const code = i16(H.datatype);
  const datatype = (Object.keys(niftiDatatype) as NiftiDatatypeName[]).find((k) => niftiDatatype[k] === code);
  if (!datatype) throw new NiftiParseError('unsupported', `NIfTI datatype ${code} is not supported.`);
  const voxOffset = Math.round(view.getFloat32(H.voxOffset, le));
  if (!(voxOffset >= niftiHeaderSize))
    throw new NiftiParseError('not-nifti', `vox_offset ${voxOffset} is inside the header.`);
  if (!Number.isSafeInteger(voxOffset))
    throw new NiftiParseError('not-nifti', `vox_offset ${voxOffset} is not a byte offset.`);
  const voxelCount = dims[0] * dims[1] * dims[2];
  return {
    littleEndian: le,
    dims,
    datatype,
    voxOffset,
    voxelCount,
    fileBytes: voxOffset + voxelCount * niftiBytesPerVoxel[datatype],
  };
}
