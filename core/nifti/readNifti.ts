import { gunzipSync } from 'fflate';
import type { Volume, VoxelArray } from '../imaging/volume';
import {
  niftiBytesPerVoxel,
  niftiDatatype,
  niftiHeaderOffset as H,
  niftiHeaderSize,
  type NiftiDatatypeName,
  type NiftiXformCode,
} from './niftiDatatypes';
import { niftiQuaternionToMatrix, type Matrix3 } from './niftiQuaternion';

export type NiftiErrorKind = 'not-nifti' | 'truncated' | 'unsupported';

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

/** A NIfTI-1 image read into LPS patient space. */
export interface NiftiImage {
  volume: Volume;
  /** The datatype stored in the file (the voxels may be widened, see `readNifti`). */
  datatype: NiftiDatatypeName;
  /** Which header mapping set the geometry: sform (METHOD 3), qform (METHOD 2) or pixdim only (METHOD 1). */
  geometryFrom: 'sform' | 'qform' | 'pixdim';
  qformCode: NiftiXformCode;
  sformCode: NiftiXformCode;
  intentCode: number;
  description: string;
  /** scl_slope and scl_inter as stored (already applied to the voxels when they scale). */
  sclSlope: number;
  sclInter: number;
}

/**
 * Reads a single-file NIfTI-1 image (.nii, or gzipped .nii.gz, recognised by its gzip magic),
 * little or big endian, 1-3 spatial dimensions (further dimensions must be 1).
 * Voxels: uint8, int16, uint16, int32, float32 as they are; int8 widened to Int16Array, float64
 * narrowed to Float32Array. When scl_slope is finite, non-zero and (slope, inter) ≠ (1, 0),
 * the voxels are scaled (slope·x + inter) into a Float32Array.
 * Geometry (RAS+ in the file → LPS in the Volume, x and y rows negated): the sform when
 * sform_code > 0, else the qform (quaternion, qfac, pixdim, qoffset) when qform_code > 0, else
 * pixdim scaling with origin 0 (nifti1.h METHOD 1). spacingMm = column lengths of the affine,
 * direction = the unit columns (an sform with shear keeps non-orthogonal columns).
 * Reference: NIfTI-1 header, nifti1.h (NIfTI DFWG, 2004); nifti1_io.c (R. W. Cox).
 * @throws NiftiParseError: 'not-nifti' (no NIfTI-1 header), 'truncated', 'unsupported'
 *   (NIfTI-2, a .hdr/.img pair, 4D data, an unsupported datatype)
 */
export function readNifti(fileBytes: Uint8Array): NiftiImage {
  let bytes = fileBytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new NiftiParseError('truncated', 'The gzip stream ends early or is corrupt.');
    }
  }
  if (bytes.length < niftiHeaderSize) throw new NiftiParseError(bytes.length >= 4 ? 'truncated' : 'not-nifti', 'Shorter than a NIfTI-1 header (348 bytes).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (view.getInt32(0, true) === niftiHeaderSize) le = true;
  else if (view.getInt32(0, false) === niftiHeaderSize) le = false;
  else if (view.getInt32(0, true) === 540 || view.getInt32(0, false) === 540) throw new NiftiParseError('unsupported', 'NIfTI-2 files are not supported.');
  else throw new NiftiParseError('not-nifti', 'Not a NIfTI-1 file (sizeof_hdr is not 348).');
  const magic = String.fromCharCode(bytes[H.magic]!, bytes[H.magic + 1]!, bytes[H.magic + 2]!);
  if (magic === 'ni1') throw new NiftiParseError('unsupported', 'A NIfTI-1 header of a .hdr/.img pair: open the single-file .nii instead.');
  if (magic !== 'n+1') throw new NiftiParseError('not-nifti', 'No NIfTI-1 magic ("n+1"); ANALYZE 7.5 files are not supported.');

  const i16 = (o: number) => view.getInt16(o, le);
  const f32 = (o: number) => view.getFloat32(o, le);
  const ndim = i16(H.dim);
  if (ndim < 1 || ndim > 7) throw new NiftiParseError('not-nifti', `dim[0] is ${ndim}, not 1-7.`);
  const dimAt = (n: number) => (n <= ndim ? i16(H.dim + 2 * n) : 1);
  const dims: [number, number, number] = [dimAt(1), dimAt(2), dimAt(3)];
  for (let n = 4; n <= ndim; n++) {
    if (dimAt(n) > 1) throw new NiftiParseError('unsupported', `Only 3D images are supported (dim[${n}] = ${dimAt(n)}).`);
  }
  if (dims.some((d) => d < 1)) throw new NiftiParseError('not-nifti', `Invalid dimensions ${dims.join('x')}.`);

  const code = i16(H.datatype);
  const type = (Object.keys(niftiDatatype) as NiftiDatatypeName[]).find((k) => niftiDatatype[k] === code);
  if (!type) throw new NiftiParseError('unsupported', `NIfTI datatype ${code} is not supported.`);
  const voxOffset = Math.round(f32(H.voxOffset));
  if (!(voxOffset >= niftiHeaderSize)) throw new NiftiParseError('not-nifti', `vox_offset ${voxOffset} is inside the header.`);
  const count = dims[0] * dims[1] * dims[2];
  const byteLength = count * niftiBytesPerVoxel[type];
  if (voxOffset + byteLength > bytes.length) {
    throw new NiftiParseError('truncated', `The file holds ${bytes.length - voxOffset} voxel bytes, ${byteLength} expected.`);
  }
  let voxels: VoxelArray = readVoxels(view, voxOffset, count, type, le);

  const sclSlope = f32(H.sclSlope);
  const sclInter = f32(H.sclInter);
  if (Number.isFinite(sclSlope) && sclSlope !== 0 && !(sclSlope === 1 && (sclInter === 0 || !Number.isFinite(sclInter)))) {
    const inter = Number.isFinite(sclInter) ? sclInter : 0;
    const scaled = new Float32Array(count);
    for (let n = 0; n < count; n++) scaled[n] = voxels[n]! * sclSlope + inter;
    voxels = scaled;
  }

  const qformCode = i16(H.qformCode) as NiftiXformCode;
  const sformCode = i16(H.sformCode) as NiftiXformCode;
  const pixdim: [number, number, number] = [f32(H.pixdim + 4), f32(H.pixdim + 8), f32(H.pixdim + 12)];
  let ras: Matrix3;
  let originRas: [number, number, number];
  let geometryFrom: NiftiImage['geometryFrom'];
  if (sformCode > 0) {
    const rows = [H.srowX, H.srowY, H.srowZ];
    ras = rows.map((o) => [f32(o), f32(o + 4), f32(o + 8)]) as Matrix3;
    originRas = rows.map((o) => f32(o + 12)) as [number, number, number];
    geometryFrom = 'sform';
  } else if (qformCode > 0) {
    const qfac = f32(H.pixdim) < 0 ? -1 : 1;
    ras = niftiQuaternionToMatrix({ b: f32(H.quaternB), c: f32(H.quaternC), d: f32(H.quaternD), qfac }, pixdim);
    originRas = [f32(H.qoffsetX), f32(H.qoffsetY), f32(H.qoffsetZ)];
    geometryFrom = 'qform';
  } else {
    const p = pixdim.map((v) => (v > 0 ? v : 1));
    ras = [
      [p[0]!, 0, 0],
      [0, p[1]!, 0],
      [0, 0, p[2]!],
    ];
    originRas = [0, 0, 0];
    geometryFrom = 'pixdim';
  }
  const column = (c: 0 | 1 | 2): [number, number, number] => [ras[0][c], ras[1][c], ras[2][c]];
  const columns = [column(0), column(1), column(2)];
  const spacingMm = columns.map((v) => Math.hypot(...v)) as [number, number, number];
  if (spacingMm.some((s) => !(s > 0) || !Number.isFinite(s))) throw new NiftiParseError('not-nifti', 'The spatial transform has a zero or invalid axis.');
  // LPS = diag(−1, −1, 1) · RAS, column by column (direction is column-major).
  const direction = columns.flatMap((v, c) => [-v[0] / spacingMm[c]!, -v[1] / spacingMm[c]!, v[2] / spacingMm[c]!]) as Volume['direction'];
  const originMm: [number, number, number] = [-originRas[0], -originRas[1], originRas[2]];

  let description = '';
  for (let n = H.descrip; n < H.descrip + 80 && bytes[n] !== 0; n++) description += String.fromCharCode(bytes[n]!);
  return {
    volume: { dims, spacingMm, originMm, direction: direction.map((v) => (v === 0 ? 0 : v)) as Volume['direction'], voxels },
    datatype: type,
    geometryFrom,
    qformCode,
    sformCode,
    intentCode: i16(H.intentCode),
    description: description.trimEnd(),
    sclSlope,
    sclInter,
  };
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function readVoxels(view: DataView, offset: number, count: number, type: NiftiDatatypeName, le: boolean): VoxelArray {
  const size = niftiBytesPerVoxel[type];
  const src = new Uint8Array(view.buffer, view.byteOffset + offset, count * size);
  const copy = (): ArrayBuffer => {
    // A fresh, aligned copy in the host's byte order.
    const buf = new Uint8Array(count * size);
    buf.set(src);
    if (le !== hostLittleEndian && size > 1) for (let p = 0; p < buf.length; p += size) buf.subarray(p, p + size).reverse();
    return buf.buffer;
  };
  switch (type) {
    case 'uint8':
      return new Uint8Array(copy());
    case 'int16':
      return new Int16Array(copy());
    case 'uint16':
      return new Uint16Array(copy());
    case 'int32':
      return new Int32Array(copy());
    case 'float32':
      return new Float32Array(copy());
    case 'int8':
      return Int16Array.from(new Int8Array(copy()));
    case 'float64':
      return Float32Array.from(new Float64Array(copy()));
  }
}
