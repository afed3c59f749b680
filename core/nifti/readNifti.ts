import { gunzip, gunzipDefaultMaxBytes, isGzip } from '../gzip/gunzip';
import { GzipError } from '../gzip/gzipError';
import type { Volume, VoxelArray } from '../imaging/volume';
import { gridProblem } from '../masks/gridProblem';
import {
  niftiBytesPerVoxel,
  niftiHeaderOffset as H,
  niftiHeaderSize,
  type NiftiDatatypeName,
  type NiftiXformCode,
} from './niftiDatatypes';
import { NiftiParseError } from './niftiParseError';
import { niftiQuaternionToMatrix, type Matrix3 } from './niftiQuaternion';
import { readNiftiHeader, type NiftiHeaderLayout } from './readNiftiHeader';

export { NiftiParseError, type NiftiErrorKind } from './niftiParseError';

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

export interface ReadNiftiOptions {
  /** Refuse images of more voxels than this (default 2^30), before any is inflated or copied. */
  maxVoxels?: number;
  /** Refuse files whose header declares more bytes than this (default 2 GiB), likewise. */
  maxBytes?: number;
}

/**
 * Reads a single-file NIfTI-1 image (.nii, or gzipped .nii.gz, recognised by its gzip magic),
 * little or big endian, 1-3 spatial dimensions (further dimensions must be 1).
 * Gzip: every member is inflated and its CRC32 and length checked (`gunzip`); once the 348-byte
 * header is inflated, the file length it declares (vox_offset + voxels × bytes per voxel) must be
 * within `maxVoxels` and `maxBytes`, and the stream may not inflate beyond it.
 * Voxels: uint8, int16, uint16, int32, float32 as they are; int8 widened to Int16Array, float64
 * narrowed to Float32Array. When scl_slope is finite, non-zero and (slope, inter) ≠ (1, 0),
 * the voxels are scaled (slope·x + inter) into a Float32Array.
 * Geometry (RAS+ in the file → LPS in the Volume, x and y rows negated): the sform when
 * sform_code > 0, else the qform (quaternion, qfac, pixdim, qoffset) when qform_code > 0, else
 * pixdim scaling with origin 0 (nifti1.h METHOD 1). spacingMm = column lengths of the affine,
 * direction = the unit columns. Unlike nifti1_io.c, which reads a voxel size ≤ 0 as 1 mm, a
 * voxel size (pixdim[1-3] for the qform and METHOD 1) that is not a positive finite number, a
 * non-finite origin, and an sform whose axes are not orthogonal (shear) are refused
 * (`gridProblem`): a mask on such a grid would be measured with a made-up geometry.
 * Reference: NIfTI-1 header, nifti1.h (NIfTI DFWG, 2004); nifti1_io.c (R. W. Cox).
 * @throws NiftiParseError: 'not-nifti' (no NIfTI-1 header), 'truncated', 'corrupt' (a damaged
 *   gzip stream), 'unsupported' (NIfTI-2, a .hdr/.img pair, 4D data, an unsupported datatype),
 *   'too-large', 'invalid-geometry'
 */
export function readNifti(fileBytes: Uint8Array, options: ReadNiftiOptions = {}): NiftiImage {
  const maxVoxels = options.maxVoxels ?? 2 ** 30;
  const maxBytes = options.maxBytes ?? gunzipDefaultMaxBytes;
  const checkSize = (layout: NiftiHeaderLayout): NiftiHeaderLayout => {
    if (layout.voxelCount > maxVoxels) {
      throw new NiftiParseError(
        'too-large',
        `The header declares ${layout.dims.join('x')} = ${layout.voxelCount} voxels; masks of at most ${maxVoxels} voxels are read.`,
      );
    }
    if (layout.fileBytes > maxBytes) {
      throw new NiftiParseError(
        'too-large',
        `The header declares ${layout.fileBytes} bytes (${layout.dims.join('x')} ${layout.datatype} voxels from byte ${layout.voxOffset}); at most ${maxBytes} are read.`,
      );
    }
    return layout;
  };

  let bytes = fileBytes;
  let owned = false;
  if (isGzip(bytes)) {
    try {
      bytes = gunzip(bytes, {
        maxBytes,
        declaredSize: {
          headerBytes: niftiHeaderSize,
          fromHeader: (header) => checkSize(readNiftiHeader(header)).fileBytes,
        },
      });
    } catch (err) {
      if (err instanceof GzipError && err.kind === 'too-large') throw new NiftiParseError('too-large', err.message);
      if (err instanceof GzipError)
        throw new NiftiParseError(
          err.kind === 'truncated' ? 'truncated' : 'corrupt',
          `The gzip stream is not intact: ${err.message}`,
        );
      throw err;
    }
    owned = true;
  }
  const layout = checkSize(readNiftiHeader(bytes));
  const { littleEndian: le, dims, datatype: type, voxOffset, voxelCount: count } = layout;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byteLength = count * niftiBytesPerVoxel[type];
  if (voxOffset + byteLength > bytes.length) {
    throw new NiftiParseError(
      'truncated',
      `The file holds ${Math.max(0, bytes.length - voxOffset)} voxel bytes, ${byteLength} expected.`,
    );
  }

  const i16 = (o: number) => view.getInt16(o, le);
  const f32 = (o: number) => view.getFloat32(o, le);
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
  } else {
    pixdim.forEach((v, n) => {
      if (!(Number.isFinite(v) && v > 0))
        throw new NiftiParseError(
          'invalid-geometry',
          `pixdim[${n + 1}], the voxel size along axis ${n + 1}, is ${v}: it must be a positive number of millimetres.`,
        );
    });
    if (qformCode > 0) {
      const qfac = f32(H.pixdim) < 0 ? -1 : 1;
      ras = niftiQuaternionToMatrix({ b: f32(H.quaternB), c: f32(H.quaternC), d: f32(H.quaternD), qfac }, pixdim);
      originRas = [f32(H.qoffsetX), f32(H.qoffsetY), f32(H.qoffsetZ)];
      geometryFrom = 'qform';
    } else {
      ras = [
        [pixdim[0], 0, 0],
        [0, pixdim[1], 0],
        [0, 0, pixdim[2]],
      ];
      originRas = [0, 0, 0];
      geometryFrom = 'pixdim';
    }
  }
  const column = (c: 0 | 1 | 2): [number, number, number] => [ras[0][c], ras[1][c], ras[2][c]];
  const columns = [column(0), column(1), column(2)];
  const spacingMm = columns.map((v) => Math.hypot(...v)) as [number, number, number];
  // LPS = diag(−1, −1, 1) · RAS, column by column (direction is column-major).
  const direction = columns
    .flatMap((v, c) => [-v[0] / spacingMm[c]!, -v[1] / spacingMm[c]!, v[2] / spacingMm[c]!])
    .map((v) => (v === 0 ? 0 : v)) as Volume['direction'];
  const originMm: [number, number, number] = [-originRas[0], -originRas[1], originRas[2]];
  const problem = gridProblem({ dims, spacingMm, originMm, direction });
  if (problem)
    throw new NiftiParseError(
      'invalid-geometry',
      `The ${geometryFrom === 'sform' ? 'sform (srow_x/y/z)' : geometryFrom === 'qform' ? 'qform (quatern_b/c/d, qoffset, pixdim)' : 'pixdim'} geometry cannot place the image: ${problem}.`,
    );

  let voxels: VoxelArray = readVoxels(bytes, voxOffset, count, type, le, owned);
  const sclSlope = f32(H.sclSlope);
  const sclInter = f32(H.sclInter);
  if (
    Number.isFinite(sclSlope) &&
    sclSlope !== 0 &&
    !(sclSlope === 1 && (sclInter === 0 || !Number.isFinite(sclInter)))
  ) {
    const inter = Number.isFinite(sclInter) ? sclInter : 0;
    const scaled = new Float32Array(count);
    for (let n = 0; n < count; n++) scaled[n] = voxels[n]! * sclSlope + inter;
    voxels = scaled;
  }

  let description = '';
  for (let n = H.descrip; n < H.descrip + 80 && bytes[n] !== 0; n++) description += String.fromCharCode(bytes[n]!);
  return {
    volume: { dims, spacingMm, originMm, direction, voxels },
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

/**
 * The voxels as a typed array. When the bytes are our own (inflated here), in the host's byte
 * order and aligned, the array is a view on them rather than a copy: a large mask then costs its
 * inflated size once, not twice.
 */
function readVoxels(
  bytes: Uint8Array,
  offset: number,
  count: number,
  type: NiftiDatatypeName,
  le: boolean,
  owned: boolean,
): VoxelArray {
  const size = niftiBytesPerVoxel[type];
  const start = bytes.byteOffset + offset;
  if (owned && (size === 1 || (le === hostLittleEndian && start % size === 0))) {
    switch (type) {
      case 'uint8':
        return new Uint8Array(bytes.buffer, start, count);
      case 'int16':
        return new Int16Array(bytes.buffer, start, count);
      case 'uint16':
        return new Uint16Array(bytes.buffer, start, count);
      case 'int32':
        return new Int32Array(bytes.buffer, start, count);
      case 'float32':
        return new Float32Array(bytes.buffer, start, count);
      default:
        break; // int8 and float64 are converted below, whoever owns the bytes
    }
  }
  if (type === 'int8') return Int16Array.from(new Int8Array(bytes.buffer, start, count));
  if (type === 'float64') {
    // Narrowed value by value: no float64 copy of a large image on the way.
    const view = new DataView(bytes.buffer, start, count * 8);
    const out = new Float32Array(count);
    for (let n = 0; n < count; n++) out[n] = view.getFloat64(8 * n, le);
    return out;
  }
  const src = bytes.subarray(offset, offset + count * size);
  const copy = (): ArrayBuffer => {
    // A fresh, aligned copy in the host's byte order.
    const buf = new Uint8Array(count * size);
    buf.set(src);
    if (le !== hostLittleEndian && size > 1)
      for (let p = 0; p < buf.length; p += size) buf.subarray(p, p + size).reverse();
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
  }
}
