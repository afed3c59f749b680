import { gunzip, gunzipDefaultMaxBytes } from '../gzip/gunzip';
import { GzipError } from '../gzip/gzipError';
import type { Volume, VoxelArray } from '../imaging/volume';
import { gridProblem } from './gridProblem';
import { MaskReadError } from './maskReadError';

/** Sample types, by the names the NRRD format allows for them (NRRD0004 "type"). */
export type NrrdType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** A NRRD image read into LPS patient space. */
export interface NrrdImage {
  /** Voxels in LPS millimetres, i fastest (NRRD's own order). */
  volume: Volume;
  type: NrrdType;
  encoding: 'raw' | 'gzip' | 'ascii';
  /** The "space" field as written, e.g. "left-posterior-superior". */
  space: string;
  /** Key/value pairs ("key:=value"), e.g. 3D Slicer's Segment0_Name, Segment0_LabelValue. */
  keyValues: Record<string, string>;
}

const typeNames: Readonly<Record<string, NrrdType>> = {
  'signed char': 'int8',
  int8: 'int8',
  int8_t: 'int8',
  uchar: 'uint8',
  'unsigned char': 'uint8',
  uint8: 'uint8',
  uint8_t: 'uint8',
  short: 'int16',
  'short int': 'int16',
  'signed short': 'int16',
  'signed short int': 'int16',
  int16: 'int16',
  int16_t: 'int16',
  ushort: 'uint16',
  'unsigned short': 'uint16',
  'unsigned short int': 'uint16',
  uint16: 'uint16',
  uint16_t: 'uint16',
  int: 'int32',
  'signed int': 'int32',
  int32: 'int32',
  int32_t: 'int32',
  uint: 'uint32',
  'unsigned int': 'uint32',
  uint32: 'uint32',
  uint32_t: 'uint32',
  float: 'float32',
  double: 'float64',
};
const bytesPerSample: Readonly<Record<NrrdType, number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

/** Sign of x, y, z when going from each anatomical space to LPS. */
const spaceToLps: Readonly<Record<string, readonly [number, number, number]>> = {
  'left-posterior-superior': [1, 1, 1],
  lps: [1, 1, 1],
  'right-anterior-superior': [-1, -1, 1],
  ras: [-1, -1, 1],
  'left-anterior-superior': [1, -1, 1],
  las: [1, -1, 1],
};

const maxHeaderBytes = 1 << 20;

export interface ReadNrrdOptions {
  /** Refuse images of more voxels than this (default 2^30), before any is inflated or allocated. */
  maxVoxels?: number;
  /** Refuse data longer than this once decoded (default 2 GiB), likewise. */
  maxBytes?: number;
}

/**
 * Reads a NRRD image with an attached header (NRRD0001-0005 magic, header lines up to the first
 * empty line, then the data): encodings raw, gzip and ascii (text); types int8/uint8 ("uchar"),
 * int16 ("short"), uint16 ("ushort"), int32 ("int"), uint32, float, double in the stated endian;
 * "byte skip" (≥ 0, or −1 for raw data at the end of the file) and "line skip".
 * Three axes must carry space directions; any other axis ("none") must have size 1.
 * Geometry: a space direction column is the step in mm from one sample to the next along that
 * axis; spacingMm = its length, direction = the unit vector; "space origin" is the first sample's
 * centre (0 when absent). Spaces right-anterior-superior (RAS) and left-anterior-superior (LAS)
 * are converted to LPS by negating x (RAS) and y (RAS, LAS).
 * Voxels: uint8 → Uint8Array, int8 and int16 → Int16Array, uint16 → Uint16Array, int32 →
 * Int32Array, uint32, float and double → Float32Array (exact for integers below 2^24).
 * Gzip data is inflated by `gunzip` (every member, CRC32 and length checked) and may not inflate
 * beyond what the header declares (byte skip + samples × bytes per sample); the header's sample
 * count must be within `maxVoxels` and `maxBytes` before anything is inflated or allocated.
 * The space directions must be orthogonal (`gridProblem`): a sheared grid is refused.
 * Reference: NRRD format definition, NRRD0004 (teem.sourceforge.net/nrrd/format.html).
 * @throws MaskReadError('not-a-mask') without the NRRD magic
 * @throws MaskReadError('unsupported') for detached data ("data file"), other encodings and
 *   types, spaces without anatomical meaning (scanner-xyz, 3D-right-handed…) or none at all,
 *   units other than mm, or more than three axes of size > 1
 * @throws MaskReadError('malformed') for missing or invalid fields, data shorter than the sizes,
 *   damaged gzip data, and space directions or an origin that cannot place the image
 * @throws MaskReadError('too-large') for more samples or bytes than allowed, or gzip data that
 *   inflates beyond what the header declares
 */
export function readNrrd(bytes: Uint8Array, options: ReadNrrdOptions = {}): NrrdImage {
  const maxVoxels = options.maxVoxels ?? 2 ** 30;
  const maxBytes = options.maxBytes ?? gunzipDefaultMaxBytes;
  const magic = ascii(bytes, 0, Math.min(bytes.length, 8));
  if (!/^NRRD000[1-5]$/.test(magic)) throw new MaskReadError('not-a-mask', 'Not a NRRD file (no "NRRD000x" magic).');
  const { lines, dataStart } = headerLines(bytes);
  const fields = new Map<string, string>();
  const keyValues: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const kv = line.indexOf(':=');
    const colon = line.indexOf(': ');
    if (kv >= 0 && (colon < 0 || kv < colon)) {
      keyValues[line.slice(0, kv)] = line.slice(kv + 2);
      continue;
    }
    if (colon < 0)
      throw new MaskReadError(
        'malformed',
        `NRRD header line "${line.slice(0, 60)}" is neither "field: value" nor "key:=value".`,
      );
    fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 2).trim());
  }
  const field = (name: string) => fields.get(name);
  const need = (name: string) => {
    const v = field(name);
    if (v === undefined) throw new MaskReadError('malformed', `The NRRD header has no "${name}" field.`);
    return v;
  };
  if (field('data file') !== undefined || field('datafile') !== undefined) {
    throw new MaskReadError(
      'unsupported',
      'Detached NRRD data ("data file") is not supported: save the image as a single .nrrd file.',
    );
  }

  const typeName = need('type');
  const type = typeNames[typeName.toLowerCase()];
  if (!type) throw new MaskReadError('unsupported', `NRRD type "${typeName}" is not supported.`);
  const encodingName = need('encoding').toLowerCase();
  const encoding =
    encodingName === 'raw'
      ? 'raw'
      : encodingName === 'gzip' || encodingName === 'gz'
        ? 'gzip'
        : ['ascii', 'text', 'txt'].includes(encodingName)
          ? 'ascii'
          : undefined;
  if (!encoding)
    throw new MaskReadError(
      'unsupported',
      `NRRD encoding "${encodingName}" is not supported (raw, gzip and ascii are).`,
    );

  const dimension = integer(need('dimension'), 'dimension');
  const sizes = need('sizes')
    .split(/\s+/)
    .map((s) => integer(s, 'sizes'));
  if (sizes.length !== dimension || sizes.some((s) => s < 1))
    throw new MaskReadError('malformed', `NRRD sizes "${field('sizes')}" do not give ${dimension} positive sizes.`);

  const spaceName = field('space');
  if (spaceName === undefined) {
    throw new MaskReadError(
      'unsupported',
      'The NRRD has no anatomical "space" (left-posterior-superior, right-anterior-superior…), so it cannot be placed on a CT.',
    );
  }
  const flip = spaceToLps[spaceName.toLowerCase()];
  if (!flip)
    throw new MaskReadError(
      'unsupported',
      `NRRD space "${spaceName}" is not an anatomical patient space (LPS, RAS or LAS).`,
    );
  const units = field('space units');
  if (units !== undefined && [...units.matchAll(/"([^"]*)"/g)].some((m) => m[1] !== 'mm' && m[1] !== '')) {
    throw new MaskReadError('unsupported', `NRRD space units ${units} are not millimetres.`);
  }

  const directionTokens = [...need('space directions').matchAll(/\(([^)]*)\)|none/g)].map((m) =>
    m[1] === undefined ? undefined : vector(m[1], 'space directions'),
  );
  if (directionTokens.length !== dimension)
    throw new MaskReadError(
      'malformed',
      `NRRD space directions give ${directionTokens.length} entries for ${dimension} axes.`,
    );
  const spatialAxes = directionTokens.map((d, axis) => (d ? axis : -1)).filter((axis) => axis >= 0);
  if (spatialAxes.length !== 3)
    throw new MaskReadError(
      'unsupported',
      `The NRRD has ${spatialAxes.length} spatial axes; only 3D images are supported.`,
    );
  directionTokens.forEach((d, axis) => {
    if (!d && sizes[axis]! > 1)
      throw new MaskReadError(
        'unsupported',
        `NRRD axis ${axis} is not spatial and has ${sizes[axis]} samples; only one 3D image per file is supported.`,
      );
  });
  const origin =
    field('space origin') === undefined
      ? [0, 0, 0]
      : vector(need('space origin').replace(/^\s*\(|\)\s*$/g, ''), 'space origin');

  const columns = spatialAxes.map((axis) => {
    const v = directionTokens[axis]!;
    return [v[0]! * flip[0], v[1]! * flip[1], v[2]! * flip[2]] as const;
  });
  const spacingMm = columns.map((v) => Math.hypot(v[0], v[1], v[2])) as [number, number, number];
  if (spacingMm.some((s) => !(s > 0))) throw new MaskReadError('malformed', 'A NRRD space direction has zero length.');
  const direction = columns.flatMap((v, c) => v.map((x) => (x === 0 ? 0 : x / spacingMm[c]!))) as Volume['direction'];
  const dims = spatialAxes.map((axis) => sizes[axis]!) as [number, number, number];
  const count = dims[0] * dims[1] * dims[2];
  const originMm = [origin[0]! * flip[0], origin[1]! * flip[1], origin[2]! * flip[2]].map((v) => (v === 0 ? 0 : v)) as [
    number,
    number,
    number,
  ];
  const problem = gridProblem({ dims, spacingMm, originMm, direction });
  if (problem)
    throw new MaskReadError('malformed', `The NRRD space directions and origin cannot place the image: ${problem}.`);
  if (count > maxVoxels)
    throw new MaskReadError(
      'too-large',
      `The NRRD sizes ${sizes.join(' ')} give ${count} samples; masks of at most ${maxVoxels} voxels are read.`,
    );

  const size = bytesPerSample[type];
  const endianName = field('endian')?.toLowerCase();
  if (encoding !== 'ascii' && size > 1 && endianName !== 'little' && endianName !== 'big') {
    throw new MaskReadError('malformed', `The NRRD header gives no valid endian for ${size}-byte samples.`);
  }
  let data = skipLines(
    bytes,
    dataStart,
    field('line skip') === undefined ? 0 : integer(need('line skip'), 'line skip'),
  );
  const byteSkip = field('byte skip') === undefined ? 0 : integer(need('byte skip'), 'byte skip');
  let voxels: VoxelArray;
  if (encoding === 'ascii') {
    voxels = fromText(data, count, type);
  } else {
    const needed = count * size;
    if (byteSkip < -1 || (byteSkip === -1 && encoding !== 'raw'))
      throw new MaskReadError(
        'malformed',
        `NRRD byte skip ${byteSkip} is not allowed for ${encoding} data (only -1 for raw data, or 0 and more).`,
      );
    if (Math.max(0, byteSkip) + needed > maxBytes)
      throw new MaskReadError(
        'too-large',
        `The NRRD header declares ${Math.max(0, byteSkip) + needed} bytes of data; at most ${maxBytes} are read.`,
      );
    if (encoding === 'gzip') {
      try {
        data = gunzip(data, { maxBytes: byteSkip + needed });
      } catch (err) {
        if (!(err instanceof GzipError)) throw err;
        if (err.kind === 'too-large')
          throw new MaskReadError(
            'too-large',
            `The NRRD gzip data inflates beyond the ${byteSkip + needed} bytes its header declares (${sizes.join('x')} ${type}).`,
          );
        throw new MaskReadError('malformed', `The NRRD gzip data is not intact: ${err.message}`);
      }
    }
    const start = byteSkip === -1 ? data.length - needed : byteSkip;
    if (start < 0 || start + needed > data.length) {
      throw new MaskReadError(
        'malformed',
        `The NRRD data holds ${Math.max(0, data.length - Math.max(0, start))} bytes, ${needed} expected for ${sizes.join('x')} ${type}.`,
      );
    }
    voxels = fromBinary(data.subarray(start, start + needed), count, type, endianName !== 'big');
  }
  return {
    volume: { dims, spacingMm, originMm, direction, voxels },
    type,
    encoding,
    space: spaceName,
    keyValues,
  };
}

function headerLines(bytes: Uint8Array): { lines: string[]; dataStart: number } {
  const limit = Math.min(bytes.length, maxHeaderBytes);
  let lineStart = 0;
  const lines: string[] = [];
  for (let p = 0; p < limit; p++) {
    if (bytes[p] !== 0x0a) continue;
    const line = ascii(bytes, lineStart, p - lineStart).replace(/\r$/, '');
    lineStart = p + 1;
    if (line === '') return { lines, dataStart: lineStart };
    lines.push(line);
  }
  throw new MaskReadError('malformed', 'The NRRD header has no empty line before the data.');
}

function skipLines(bytes: Uint8Array, start: number, count: number): Uint8Array {
  let p = start;
  for (let n = 0; n < count; n++) {
    const next = bytes.indexOf(0x0a, p);
    if (next < 0) throw new MaskReadError('malformed', `The NRRD data has fewer than ${count} lines to skip.`);
    p = next + 1;
  }
  return bytes.subarray(p);
}

function fromBinary(bytes: Uint8Array, count: number, type: NrrdType, littleEndian: boolean): VoxelArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'uint8':
      return new Uint8Array(bytes); // a copy, also when `bytes` is a view into a Node Buffer
    case 'int8':
      return Int16Array.from({ length: count }, (_, n) => view.getInt8(n));
    case 'int16': {
      const out = new Int16Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getInt16(2 * n, littleEndian);
      return out;
    }
    case 'uint16': {
      const out = new Uint16Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getUint16(2 * n, littleEndian);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getInt32(4 * n, littleEndian);
      return out;
    }
    case 'uint32': {
      const out = new Float32Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getUint32(4 * n, littleEndian);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getFloat32(4 * n, littleEndian);
      return out;
    }
    case 'float64': {
      const out = new Float32Array(count);
      for (let n = 0; n < count; n++) out[n] = view.getFloat64(8 * n, littleEndian);
      return out;
    }
  }
}

function fromText(bytes: Uint8Array, count: number, type: NrrdType): VoxelArray {
  const out: VoxelArray =
    type === 'uint8'
      ? new Uint8Array(count)
      : type === 'int8' || type === 'int16'
        ? new Int16Array(count)
        : type === 'uint16'
          ? new Uint16Array(count)
          : type === 'int32'
            ? new Int32Array(count)
            : new Float32Array(count);
  let n = 0;
  let token = '';
  const flush = () => {
    if (token === '') return;
    if (n < count) {
      const v = Number(token);
      if (!Number.isFinite(v))
        throw new MaskReadError('malformed', `NRRD ascii data holds "${token.slice(0, 20)}", not a number.`);
      out[n] = v;
    }
    n++;
    token = '';
  };
  for (let p = 0; p < bytes.length && n < count; p++) {
    const c = bytes[p]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c) flush();
    else token += String.fromCharCode(c);
  }
  flush();
  if (n < count) throw new MaskReadError('malformed', `The NRRD ascii data holds ${n} values, ${count} expected.`);
  return out;
}

function vector(text: string, name: string): number[] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v)))
    throw new MaskReadError('malformed', `NRRD ${name} "(${text})" is not three numbers.`);
  return parts;
}

function integer(text: string, name: string): number {
  const v = Number(text);
  if (!Number.isInteger(v)) throw new MaskReadError('malformed', `NRRD ${name} "${text}" is not an integer.`);
  return v;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let p = offset; p < offset + length; p++) s += String.fromCharCode(bytes[p]!);
  return s;
}
