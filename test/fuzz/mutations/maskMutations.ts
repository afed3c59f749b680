import { ascii, concat, parseDoc, Tags, type DicomDoc } from '../dicom/dicomDoc';
import { gunzip, gzipMember, gzipZeroBomb, memberLayout, multiMember, trailer } from '../masks/gzip';
import { Nifti, niftiBigEndian, view } from '../masks/niftiHeader';
import type { Rng } from '../rng';
import { freshUid } from './dicomMutations';
import type { Expectation, Mutated } from './types';

/** A liver mask a mutation starts from, with the CT it belongs to (a key of the campaign's LETB contexts). */
export interface MaskSource {
  name: string;
  format: 'nifti' | 'seg' | 'nrrd';
  bytes: Uint8Array;
  /** File name suffix the mask is written with (".nii.gz", ".dcm", ".nrrd"). */
  suffix: string;
  context: string;
  doc?: DicomDoc;
  /** SEG: UIDs of what it refers to, for same-length substitutions. */
  references?: { seriesUid: string; frameOfReferenceUid: string; patientId: string };
}

export interface MaskMutated extends Mutated {
  suffix?: string;
}

export interface MaskMutation {
  kind: string;
  applies(source: MaskSource): boolean;
  mutate(source: MaskSource, rng: Rng): MaskMutated | undefined;
}

const result = (bytes: Uint8Array, variant: string, expect: Expectation, suffix?: string): MaskMutated =>
  suffix ? { bytes, variant, expect, suffix } : { bytes, variant, expect };

/** A gzip container: the bytes before the stream (a NRRD header) and what it inflates to. */
function gzipped(source: MaskSource): { prefix: Uint8Array; payload: Uint8Array; member: Uint8Array } | undefined {
  if (source.format === 'nifti' && source.bytes[0] === 0x1f && source.bytes[1] === 0x8b)
    return { prefix: new Uint8Array(0), payload: gunzip(source.bytes), member: source.bytes };
  if (source.format === 'nrrd') {
    const { header, data } = nrrdParts(source.bytes);
    if (!/^encoding:\s*(gzip|gz)\s*$/m.test(header)) return undefined;
    const prefix = source.bytes.subarray(0, source.bytes.length - data.length);
    return { prefix, payload: gunzip(data), member: data };
  }
  return undefined;
}

/** The uncompressed NIfTI-1 file of a .nii.gz / .nii source. */
function niftiFile(source: MaskSource): Uint8Array {
  return source.bytes[0] === 0x1f ? gunzip(source.bytes) : source.bytes;
}

function nrrdParts(bytes: Uint8Array): { header: string; data: Uint8Array } {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i + 1] === 0x0a)
      return { header: ascii(bytes.subarray(0, i + 1)), data: bytes.subarray(i + 2) };
  }
  throw new RangeError('NRRD without a blank line after its header');
}

/** Re-gzips a member, keeping a single clean member with optional fields stripped. */
const regzip = (payload: Uint8Array) => gzipMember(payload);

const gzipMutation: MaskMutation = {
  kind: 'gzip',
  applies: (s) => gzipped(s) !== undefined,
  mutate(s, rng) {
    const { prefix, payload } = gzipped(s)!;
    const member = regzip(payload);
    const { bodyStart, trailerStart } = memberLayout(member);
    const variants: [string, Expectation][] = [
      ['bit flip in the deflate stream', 'refuse'],
      ['CRC-32 wrong', 'refuse'],
      ['ISIZE wrong', 'refuse'],
      ['stream cut', 'refuse'],
      ['trailer missing', 'refuse'],
      ['two members', 'same'],
      ['four members', 'same'],
      ['level 1', 'same'],
      ['level 9', 'same'],
      ['FNAME, FCOMMENT, FEXTRA and FHCRC fields', 'same'],
      ['empty member appended', 'same'],
      ['garbage after the member', 'either'],
    ];
    if (s.format === 'nifti') variants.push(['stored uncompressed (.nii)', 'same']);
    const [variant, expect] = rng.pick(variants);
    let out: Uint8Array;
    let suffix: string | undefined;
    switch (variant) {
      case 'bit flip in the deflate stream': {
        out = member.slice();
        const at = rng.range(bodyStart, trailerStart - 1);
        out[at]! ^= 1 << rng.int(8);
        break;
      }
      case 'CRC-32 wrong':
        out = member.slice();
        out[trailerStart + rng.int(4)]! ^= 1 << rng.int(8);
        break;
      case 'ISIZE wrong':
        out = member.slice();
        new DataView(out.buffer).setUint32(
          trailerStart + 4,
          rng.pick([0, payload.length - 1, payload.length + 1, 0xffffffff]) >>> 0,
          true,
        );
        break;
      case 'stream cut':
        out = member.slice(0, rng.range(bodyStart + 1, trailerStart - 1));
        break;
      case 'trailer missing':
        out = member.slice(0, trailerStart);
        break;
      case 'two members':
        out = multiMember(payload, 2);
        break;
      case 'four members':
        out = multiMember(payload, 4);
        break;
      case 'level 1':
      case 'level 9':
        out = gzipMember(payload, { level: variant === 'level 1' ? 1 : 9 });
        break;
      case 'FNAME, FCOMMENT, FEXTRA and FHCRC fields':
        out = gzipMember(payload, {
          name: 'liver.nii',
          comment: 'written by the Concord fuzz generator',
          extra: new Uint8Array([0x41, 0x42, 2, 0, 7, 7]),
          headerCrc: true,
        });
        break;
      case 'empty member appended':
        out = concat([member, gzipMember(new Uint8Array(0))]);
        break;
      case 'garbage after the member':
        out = concat([member, rng.bytes(rng.range(1, 64))]);
        break;
      case 'stored uncompressed (.nii)':
        out = payload;
        suffix = '.nii';
        break;
      default:
        throw new RangeError(variant);
    }
    return result(concat([prefix, out]), variant, expect, suffix);
  },
};

const niftiMutation: MaskMutation = {
  kind: 'niftiHeader',
  applies: (s) => s.format === 'nifti',
  mutate(s, rng) {
    const file = niftiFile(s).slice();
    const v = view(file);
    const f32 = (at: number, x: number) => v.setFloat32(at, x, true);
    const i16 = (at: number, x: number) => v.setInt16(at, x, true);
    const dim = (i: number) => v.getInt16(Nifti.dim + 2 * i, true);
    type Edit = [string, () => unknown, Expectation]; // an edit may return replacement bytes
    const spacing = (x: number, dropSform: boolean): Edit => [
      `pixdim ${x}${dropSform ? ', sform_code 0' : ' (sform kept)'}`,
      () => {
        f32(Nifti.pixdim + 4 * rng.range(1, 3), x);
        if (dropSform) i16(Nifti.sformCode, 0);
      },
      dropSform ? 'refuse' : 'either',
    ];
    const edits: Edit[] = [
      spacing(Number.NaN, false),
      spacing(Number.NaN, true),
      spacing(0, true),
      spacing(-3, true),
      spacing(Number.POSITIVE_INFINITY, true),
      spacing(1e-30, true),
      spacing(1e30, true),
      ['srow origin NaN', () => f32(Nifti.srowX + 12, Number.NaN), 'refuse'],
      ['srow origin Infinity', () => f32(Nifti.srowZ + 12, Number.POSITIVE_INFINITY), 'refuse'],
      ['srow row zero', () => [0, 4, 8].forEach((o) => f32(Nifti.srowY + o, 0)), 'refuse'],
      ['srow skewed (non-orthogonal)', () => f32(Nifti.srowX + 4, 1.5), 'refuse'],
      ['srow NaN direction', () => f32(Nifti.srowZ + 8, Number.NaN), 'refuse'],
      ['qoffset NaN, sform_code 0', () => (f32(Nifti.qoffsetX, Number.NaN), i16(Nifti.sformCode, 0)), 'refuse'],
      [
        'quaternion not unit (b²+c²+d² > 1), sform_code 0',
        () => (f32(Nifti.quaternB, 0.9), f32(Nifti.quaternB + 4, 0.9), i16(Nifti.sformCode, 0)),
        'refuse',
      ],
      ['quaternion NaN, sform_code 0', () => (f32(Nifti.quaternB + 8, Number.NaN), i16(Nifti.sformCode, 0)), 'refuse'],
      ['dim[1] + 1', () => i16(Nifti.dim + 2, dim(1) + 1), 'refuse'],
      ['dim[3] x 2', () => i16(Nifti.dim + 6, dim(3) * 2), 'refuse'],
      ['dim[2] - 1', () => i16(Nifti.dim + 4, dim(2) - 1), 'unknown'],
      ['dim[1] = 0', () => i16(Nifti.dim + 2, 0), 'refuse'],
      ['dim[3] = -1', () => i16(Nifti.dim + 6, -1), 'refuse'],
      ['dim[0] = 0', () => i16(Nifti.dim, 0), 'refuse'],
      ['dim[0] = 8', () => i16(Nifti.dim, 8), 'refuse'],
      ['dim 32767 cube', () => [1, 2, 3].forEach((i) => i16(Nifti.dim + 2 * i, 32767)), 'refuse'],
      ['datatype int16 (data is uint8)', () => (i16(Nifti.datatype, 4), i16(Nifti.bitpix, 16)), 'refuse'],
      ['datatype float64 (data is uint8)', () => (i16(Nifti.datatype, 64), i16(Nifti.bitpix, 64)), 'refuse'],
      ['datatype unknown (999)', () => i16(Nifti.datatype, 999), 'refuse'],
      ['bitpix disagrees with datatype', () => i16(Nifti.bitpix, 16), 'either'],
      ['vox_offset NaN', () => f32(Nifti.voxOffset, Number.NaN), 'refuse'],
      ['vox_offset 1e9', () => f32(Nifti.voxOffset, 1e9), 'refuse'],
      ['vox_offset inside the header (100)', () => f32(Nifti.voxOffset, 100), 'refuse'],
      ['vox_offset + 4', () => f32(Nifti.voxOffset, v.getFloat32(Nifti.voxOffset, true) + 4), 'refuse'],
      ['scl_slope NaN', () => f32(Nifti.sclSlope, Number.NaN), 'either'],
      ['scl_slope 0', () => f32(Nifti.sclSlope, 0), 'either'],
      ['scl_slope -1', () => f32(Nifti.sclSlope, -1), 'either'],
      ['magic "ni1" (header-only pair)', () => file.set([0x6e, 0x69, 0x31, 0], Nifti.magic), 'refuse'],
      ['magic "n+2"', () => file.set([0x6e, 0x2b, 0x32, 0], Nifti.magic), 'refuse'],
      ['sizeof_hdr 540', () => v.setInt32(Nifti.sizeofHdr, 540, true), 'refuse'],
      ['written big endian', () => niftiBigEndian(file), 'same'],
      ['header bit flip', () => void (file[rng.range(0, 347)]! ^= 1 << rng.int(8)), 'unknown'],
    ];
    const [variant, apply, expect] = rng.pick(edits);
    const replaced = apply();
    const out = replaced instanceof Uint8Array ? replaced : file;
    return result(s.bytes[0] === 0x1f ? gzipMember(out) : out, variant, expect);
  },
};

const nrrdMutation: MaskMutation = {
  kind: 'nrrdHeader',
  applies: (s) => s.format === 'nrrd',
  mutate(s, rng) {
    const { header, data } = nrrdParts(s.bytes);
    const line = (name: string) => new RegExp(`^${name}:.*$`, 'm');
    const sizes = /^sizes:\s*(.*)$/m.exec(header)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
    const edits: [string, (h: string) => string, Expectation][] = [
      [
        'sizes + 1',
        (h) => h.replace(line('sizes'), `sizes: ${sizes.map((x, i) => (i === 0 ? x + 1 : x)).join(' ')}`),
        'refuse',
      ],
      [
        'sizes - 1',
        (h) => h.replace(line('sizes'), `sizes: ${sizes.map((x, i) => (i === 1 ? x - 1 : x)).join(' ')}`),
        'unknown',
      ],
      ['sizes 0', (h) => h.replace(line('sizes'), `sizes: 0 ${sizes.slice(1).join(' ')}`), 'refuse'],
      ['sizes huge', (h) => h.replace(line('sizes'), 'sizes: 100000 100000 100000'), 'refuse'],
      ['sizes removed', (h) => h.replace(line('sizes'), ''), 'refuse'],
      [
        'space directions NaN',
        (h) => h.replace(line('space directions'), 'space directions: (nan,0,0) (0,1,0) (0,0,1)'),
        'refuse',
      ],
      [
        'space directions zero',
        (h) => h.replace(line('space directions'), 'space directions: (0,0,0) (0,1,0) (0,0,1)'),
        'refuse',
      ],
      [
        'space directions skewed',
        (h) =>
          h.replace(
            /^space directions:\s*\(([^)]*)\)/m,
            (_m, first: string) =>
              `space directions: (${first
                .split(',')
                .map((x, i) => (i === 1 ? String(Number(x) + 0.5) : x))
                .join(',')})`,
          ),
        'refuse',
      ],
      [
        'space origin NaN',
        (h) =>
          line('space origin').test(h)
            ? h.replace(line('space origin'), 'space origin: (nan,0,0)')
            : `${h}space origin: (nan,0,0)\n`,
        'refuse',
      ],
      [
        'space origin Infinity',
        (h) =>
          line('space origin').test(h)
            ? h.replace(line('space origin'), 'space origin: (inf,0,0)')
            : `${h}space origin: (inf,0,0)\n`,
        'refuse',
      ],
      ['type int32 (data is uint8)', (h) => h.replace(line('type'), 'type: int32'), 'refuse'],
      ['type unknown', (h) => h.replace(line('type'), 'type: quaternion'), 'refuse'],
      ['encoding raw on gzip data', (h) => h.replace(line('encoding'), 'encoding: raw'), 'refuse'],
      ['encoding bzip2', (h) => h.replace(line('encoding'), 'encoding: bzip2'), 'refuse'],
      ['dimension 4', (h) => h.replace(line('dimension'), 'dimension: 4'), 'refuse'],
      ['detached data file', (h) => `${h}data file: liver.raw.gz\n`, 'refuse'],
      ['space scanner-xyz', (h) => h.replace(line('space'), 'space: scanner-xyz'), 'refuse'],
      ['endian big (uint8: no effect)', (h) => h.replace(line('endian'), 'endian: big'), 'same'],
      ['line skip 1', (h) => `${h}line skip: 1\n`, 'unknown'],
      ['byte skip -1', (h) => `${h}byte skip: -1\n`, 'unknown'],
      ['header 2 MB of comments', (h) => h.replace('\n', `\n${'# padding\n'.repeat(200_000)}`), 'either'],
    ];
    const [variant, edit, expect] = rng.pick(edits);
    const edited = edit(header);
    return result(concat([new Uint8Array(Buffer.from(`${edited}\n`, 'latin1')), data]), variant, expect);
  },
};

/** Same-length replacement of every occurrence of `from` (ASCII) in a file. */
function replaceAll(bytes: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new RangeError('same-length replacement only');
  const out = bytes.slice();
  const needle = Buffer.from(from, 'latin1');
  const hay = Buffer.from(out.buffer, out.byteOffset, out.length);
  let at = hay.indexOf(needle);
  let count = 0;
  while (at >= 0) {
    out.set(Buffer.from(to, 'latin1'), at);
    count++;
    at = hay.indexOf(needle, at + needle.length);
  }
  if (count === 0) throw new RangeError(`"${from}" not found`);
  return out;
}

const sameLengthUid = (uid: string, rng: Rng) => {
  let out = uid.slice(0, uid.lastIndexOf('.') + 1);
  while (out.length < uid.length) out += String(rng.range(out.endsWith('.') ? 1 : 0, 9));
  return out === uid ? `${uid.slice(0, -1)}${(Number(uid.slice(-1)) + 1) % 10}` : out;
};

const segMutation: MaskMutation = {
  kind: 'segHeader',
  applies: (s) => s.format === 'seg' && s.doc !== undefined && !s.doc.deflated,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const rows = doc.us(Tags.Rows) ?? 0;
    const columns = doc.us(Tags.Columns) ?? 0;
    const frames = Number(doc.string(Tags.NumberOfFrames) ?? '1');
    const pixel = doc.find(Tags.PixelData);
    type Edit = [string, () => unknown, Expectation]; // an edit may return replacement bytes
    const refs = s.references;
    const edits: Edit[] = [
      ['Rows + 1', () => void doc.setUs(Tags.Rows, rows + 1), 'refuse'],
      ['Columns - 1', () => void doc.setUs(Tags.Columns, columns - 1), 'refuse'],
      ['Rows x 2', () => void doc.setUs(Tags.Rows, rows * 2), 'refuse'],
      [
        'reshaped (Rows/2, Columns x 2)',
        () => void (doc.setUs(Tags.Rows, rows >> 1), doc.setUs(Tags.Columns, columns * 2)),
        'refuse',
      ],
      ['NumberOfFrames + 1', () => void doc.setString(Tags.NumberOfFrames, 'IS', String(frames + 1)), 'refuse'],
      ['NumberOfFrames - 1', () => void doc.setString(Tags.NumberOfFrames, 'IS', String(frames - 1)), 'refuse'],
      ['NumberOfFrames 0', () => void doc.setString(Tags.NumberOfFrames, 'IS', '0'), 'refuse'],
      ['NumberOfFrames 2147483647', () => void doc.setString(Tags.NumberOfFrames, 'IS', '2147483647'), 'refuse'],
      [
        'BitsAllocated 8 (data is 1-bit)',
        () => void doc.setUs(Tags.BitsAllocated, 8),
        doc.us(Tags.BitsAllocated) === 8 ? 'same' : 'refuse',
      ],
      ['Rows = Columns = 65535', () => void (doc.setUs(Tags.Rows, 65535), doc.setUs(Tags.Columns, 65535)), 'refuse'],
    ];
    if (pixel && pixel.length !== 0xffffffff) {
      const value = pixel.raw.subarray(pixel.headerLength);
      edits.push(
        [
          'pixel data cut by half',
          () => void doc.set(Tags.PixelData, pixel.vr ?? 'OB', value.subarray(0, Math.floor(value.length / 4) * 2)),
          'refuse',
        ],
        [
          'pixel data with extra bytes',
          () =>
            void doc.set(Tags.PixelData, pixel.vr ?? 'OB', concat([value, new Uint8Array(rng.pick([2, 64, 4096]))])),
          'either',
        ],
      );
    }
    if (refs) {
      edits.push(
        [
          'referenced series UID of another series',
          () => replaceAll(doc.toBytes(), refs.seriesUid, sameLengthUid(refs.seriesUid, rng)),
          'refuse',
        ],
        [
          'Frame of Reference UID of another frame',
          () => replaceAll(doc.toBytes(), refs.frameOfReferenceUid, sameLengthUid(refs.frameOfReferenceUid, rng)),
          'refuse',
        ],
        [
          'PatientID of another patient',
          () =>
            replaceAll(
              doc.toBytes(),
              refs.patientId,
              refs.patientId.slice(0, -1) +
                String.fromCharCode(refs.patientId.charCodeAt(refs.patientId.length - 1) ^ 1),
            ),
          'refuse',
        ],
      );
    }
    const positions = [...ascii(doc.toBytes()).matchAll(/-?\d+(\.\d+)?\\-?\d+(\.\d+)?\\-?\d+(\.\d+)?/g)]
      .map((m) => m[0])
      .filter((p) => p.split('\\').length === 3);
    if (positions.length > 0) {
      const p = rng.pick(positions);
      const [x, y, z] = p.split('\\');
      const nan = `NaN\\${y}\\${z}`.padEnd(p.length, ' ');
      if (nan.length === p.length)
        edits.push(['a frame position NaN', () => replaceAll(doc.toBytes(), p, nan), 'refuse']);
      const moved = `${x}\\${y}\\${String(Number(z) + 100)}`;
      if (moved.length <= p.length)
        edits.push([
          'a frame moved 100 mm',
          () => replaceAll(doc.toBytes(), p, moved.padEnd(p.length, ' ')),
          'unknown',
        ]);
    }
    edits.push(['a new SOP Instance UID', () => void doc.setString(Tags.SOPInstanceUID, 'UI', freshUid(rng)), 'same']);
    const [variant, apply, expect] = rng.pick(edits);
    const replaced = apply();
    return result(replaced instanceof Uint8Array ? replaced : doc.toBytes(), variant, expect);
  },
};

/** Masks that would exhaust memory if read naively (one per process, peak memory measured). */
const maskBombMutation: MaskMutation = {
  kind: 'maskBomb',
  applies: (s) => s.format === 'nifti' || s.format === 'nrrd' || (s.format === 'seg' && !!s.doc && !s.doc.encapsulated),
  mutate(s, rng) {
    const gib = 2 ** 31;
    if (s.format === 'nifti') {
      const file = niftiFile(s);
      const variant = rng.pick([
        '2 GiB of zeros after the image',
        'header declares 2 GiB and the data is there',
        'ISIZE says 1 kB on a 2 GiB stream',
      ] as const);
      if (variant === '2 GiB of zeros after the image') return result(gzipZeroBomb(file, gib), variant, 'either');
      const header = file.slice(0, 352);
      const v = view(header);
      [2048, 2048, 512].forEach((n, i) => v.setInt16(Nifti.dim + 2 + 2 * i, n, true));
      if (variant === 'header declares 2 GiB and the data is there')
        return result(gzipZeroBomb(header, gib), variant, 'refuse');
      const bomb = gzipZeroBomb(header, gib);
      bomb.set(trailer(new DataView(bomb.buffer).getUint32(bomb.length - 8, true), 1024), bomb.length - 8);
      return result(bomb, variant, 'refuse');
    }
    if (s.format === 'nrrd') {
      const { header } = nrrdParts(s.bytes);
      const gz = header.replace(/^encoding:.*$/m, 'encoding: gzip').replace(/^sizes:.*$/m, 'sizes: 2048 2048 512');
      return result(
        concat([new Uint8Array(Buffer.from(`${gz}\n`, 'latin1')), gzipZeroBomb(new Uint8Array(0), gib)]),
        'sizes 2048x2048x512 and a 2 GiB gzip stream',
        'refuse',
      );
    }
    const doc = s.doc!.clone();
    const variant = rng.pick(['NumberOfFrames 2^31-1', 'Rows = Columns = 65535, frames unchanged'] as const);
    if (variant === 'NumberOfFrames 2^31-1') doc.setString(Tags.NumberOfFrames, 'IS', '2147483647');
    else doc.setUs(Tags.Rows, 65535).setUs(Tags.Columns, 65535);
    return result(doc.toBytes(), variant, 'refuse');
  },
};

export const maskMutations: readonly MaskMutation[] = [
  gzipMutation,
  niftiMutation,
  nrrdMutation,
  segMutation,
  maskBombMutation,
];

export function maskMutation(kind: string): MaskMutation {
  const m = maskMutations.find((x) => x.kind === kind);
  if (!m) throw new RangeError(`no mask mutation "${kind}"`);
  return m;
}

/** Parses a SEG source's own doc (kept with the source so mutations clone it). */
export function segDoc(bytes: Uint8Array): DicomDoc | undefined {
  try {
    return parseDoc(bytes);
  } catch {
    return undefined;
  }
}

export { freshUid };
