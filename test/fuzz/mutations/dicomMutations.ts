import {
  allVrs,
  concat,
  encodeElement,
  longVrs,
  parseDoc,
  stringValue,
  tagOf,
  Tags,
  TransferSyntaxes,
  u32,
  valueOf,
  type DicomDoc,
  type RawElement,
} from '../dicom/dicomDoc';
import {
  compressSlice,
  encapsulatedPixelData,
  imagePixels,
  isPlain16BitSlice,
  reencodeNative,
  type SliceCodec,
} from '../dicom/pixels';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import type { Rng } from '../rng';
import type { DicomMutation, DicomSource, Expectation, Mutated } from './types';

/**
 * The DICOM mutations: each takes a real file apart (dicomDoc) where its structure matters and
 * bends one thing, or works on the raw bytes. Every variant names what it did; the expectation
 * says what a correct reader does with it (see Expectation).
 */

const result = (bytes: Uint8Array, variant: string, expect: Expectation): Mutated => ({ bytes, variant, expect });
const hasDoc = (s: DicomSource): s is DicomSource & { doc: DicomDoc } => s.doc !== undefined;
const editable = (s: DicomSource): s is DicomSource & { doc: DicomDoc } => s.doc !== undefined && !s.doc.deflated;

/** Where the pixel data element starts in the file (the file's end when there is none or it is deflated). */
export function pixelDataOffset(source: DicomSource): number {
  const doc = source.doc;
  if (!doc || doc.deflated) return source.bytes.length;
  let at = (doc.preamble?.length ?? 0) + doc.meta.reduce((n, e) => n + e.raw.length, 0);
  for (const e of doc.dataset) {
    if (e.tag === Tags.PixelData) return at;
    at += e.raw.length;
  }
  return at;
}

function datasetStart(doc: DicomDoc): number {
  return (doc.preamble?.length ?? 0) + doc.meta.reduce((n, e) => n + e.raw.length, 0);
}

/** Where the length field of an element's header is, and its size. */
function lengthField(doc: DicomDoc, el: RawElement): { at: number; size: 2 | 4 } {
  const enc = el.tag >>> 16 === 0x0002 ? { explicit: true } : doc.encoding;
  if (!enc.explicit) return { at: 4, size: 4 };
  return longVrs.has(el.vr ?? '') ? { at: 8, size: 4 } : { at: 6, size: 2 };
}

function writeUint(raw: Uint8Array, at: number, size: 2 | 4, value: number, le: boolean): void {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (size === 2) view.setUint16(at, value & 0xffff, le);
  else view.setUint32(at, value >>> 0, le);
}

/** A fresh UID under the 2.25 root (PS3.5 §B.2), drawn from the case's stream. */
export function freshUid(rng: Rng): string {
  let digits = String(rng.range(1, 9));
  for (let i = 0; i < 37; i++) digits += String(rng.int(10));
  return `2.25.${digits}`;
}

const flipBits = (bytes: Uint8Array, from: number, to: number, n: number, rng: Rng): Uint8Array => {
  const out = bytes.slice();
  for (let i = 0; i < n; i++) out[rng.range(from, Math.max(from, to - 1))]! ^= 1 << rng.int(8);
  return out;
};

const truncate: DicomMutation = {
  kind: 'truncate',
  applies: (s) => s.bytes.length > 140,
  mutate(s, rng) {
    const pixelAt = pixelDataOffset(s);
    const n = s.bytes.length;
    const where = rng.weighted<'header' | 'pixels' | 'tail' | 'boundary'>([
      ['header', 3],
      ['pixels', 3],
      ['tail', 2],
      ['boundary', 2],
    ]);
    let cut: number;
    if (where === 'header' || pixelAt >= n - 2) cut = rng.range(1, Math.max(1, pixelAt - 1));
    else if (where === 'pixels') cut = rng.range(pixelAt + 1, n - 2);
    else if (where === 'tail') cut = n - rng.range(1, 16);
    else {
      const boundaries: number[] = [];
      if (s.doc && !s.doc.deflated) {
        let at = datasetStart(s.doc);
        for (const e of s.doc.dataset) {
          boundaries.push(at);
          at += e.raw.length;
        }
      }
      cut = boundaries.length > 0 ? rng.pick(boundaries) : rng.range(1, n - 1);
    }
    cut = Math.max(1, Math.min(n - 1, cut));
    return result(s.bytes.slice(0, cut), `${where}: cut at byte ${cut} of ${n}`, 'refuse');
  },
};

const bitflip: DicomMutation = {
  kind: 'bitflip',
  applies: (s) => s.bytes.length > 140,
  mutate(s, rng) {
    const n = rng.pick([1, 1, 1, 2, 3, 5, 8, 32]);
    const header = rng.chance(0.75);
    const to = header ? pixelDataOffset(s) : s.bytes.length;
    const from = s.doc ? Math.min(s.doc.preamble?.length ?? 0, to - 1) : 0;
    return result(
      flipBits(s.bytes, from, to, n, rng),
      `flip ${n} bit(s) in the ${header ? 'header' : 'whole file'}`,
      'unknown',
    );
  },
};

const byteSplat: DicomMutation = {
  kind: 'byteSplat',
  applies: (s) => s.bytes.length > 140,
  mutate(s, rng) {
    const to = pixelDataOffset(s);
    const span = rng.range(1, 32);
    const at = rng.range(s.doc?.preamble ? 128 : 0, Math.max(0, to - 1));
    const fill = rng.pick(['random', 'ff', '00', 'space', 'nine'] as const);
    const out = s.bytes.slice();
    for (let i = at; i < Math.min(out.length, at + span); i++)
      out[i] = fill === 'random' ? rng.int(256) : { ff: 0xff, '00': 0, space: 0x20, nine: 0x39 }[fill];
    return result(out, `${span} byte(s) of ${fill} at ${at}`, 'unknown');
  },
};

const badLength: DicomMutation = {
  kind: 'badLength',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const pool = doc.dataset.filter((e) => e.tag !== Tags.PixelData || rng.chance(0.2));
    if (pool.length === 0) return undefined;
    const el = rng.pick(pool);
    const { at, size } = lengthField(doc, el);
    const old = el.length;
    const choices: [string, number][] = [
      ['zero', 0],
      ['plus one (odd)', old + 1],
      ['minus one', old - 1],
      ['plus two', old + 2],
      ['minus two', old - 2],
      ['0xFFFF', 0xffff],
      ['undefined (0xFFFFFFFF)', 0xffffffff],
      ['random', rng.int(0x100000000)],
      ['past the end', s.bytes.length + 2],
      ['512 MiB', 2 ** 29],
      ['2 GiB', 2 ** 31],
    ];
    const [name, value] = rng.pick(choices.filter(([, v]) => v >= 0 && (size === 4 || v <= 0xffff) && v !== old));
    const raw = el.raw.slice();
    writeUint(raw, at, size, value, el.tag >>> 16 === 0x0002 || doc.encoding.littleEndian);
    el.raw = raw;
    return result(doc.toBytes(), `length of ${tagName(el.tag)} ${old} -> ${name}`, 'unknown');
  },
};

const wrongVr: DicomMutation = {
  kind: 'wrongVr',
  applies: (s) => editable(s) && s.doc.encoding.explicit,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const pool = doc.dataset.filter((e) => e.tag !== Tags.PixelData || rng.chance(0.15));
    const el = rng.pick(pool);
    const oldVr = el.vr ?? '??';
    const mode = rng.pick(['same length form', 'other length form', 'not a VR'] as const);
    let vr: string;
    if (mode === 'not a VR') vr = rng.pick(['ZZ', '\0\0', 'ds', '??', '  ', 'S']) + ' ';
    else {
      const wantLong = mode === 'other length form' ? !longVrs.has(oldVr) : longVrs.has(oldVr);
      vr = rng.pick(allVrs.filter((v) => longVrs.has(v) === wantLong && v !== oldVr));
    }
    const raw = el.raw.slice();
    raw[4] = vr.charCodeAt(0);
    raw[5] = vr.charCodeAt(1);
    el.raw = raw;
    return result(
      doc.toBytes(),
      `${tagName(el.tag)} VR ${oldVr} -> ${JSON.stringify(vr.slice(0, 2))} (${mode})`,
      'unknown',
    );
  },
};

const sqTags = [tagOf(0x0008, 0x1140), tagOf(0x0008, 0x1110), tagOf(0x0008, 0x1111), tagOf(0x0040, 0x0275)];
const u32le = (tag: number, length: number, le: boolean) => {
  const b = new Uint8Array(8);
  const view = new DataView(b.buffer);
  view.setUint16(0, tag >>> 16, le);
  view.setUint16(2, tag & 0xffff, le);
  view.setUint32(4, length >>> 0, le);
  return b;
};

/** The header of a sequence element with the given length (explicit: SQ, long form). */
function sqHeader(doc: DicomDoc, tag: number, length: number): Uint8Array {
  return encodeElement(tag, 'SQ', new Uint8Array(0), doc.encoding, length);
}

const sequences: DicomMutation = {
  kind: 'sequence',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const le = doc.encoding.littleEndian;
    const tag = sqTags.find((t) => !doc.find(t));
    if (tag === undefined) return undefined;
    const inner = encodeElement(
      tagOf(0x0008, 0x1150),
      'UI',
      stringValue('UI', '1.2.840.10008.5.1.4.1.1.2'),
      doc.encoding,
    );
    const item = (length: number) => u32le(Tags.Item, length, le);
    const itemEnd = u32le(Tags.ItemDelimitation, 0, le);
    const seqEnd = u32le(Tags.SequenceDelimitation, 0, le);
    const variant = rng.pick([
      'unclosed item',
      'unclosed sequence',
      'stray item delimiter',
      'stray sequence delimiter',
      'item overruns sequence',
      'non-item in sequence',
      'empty sequence',
      'empty item',
      'UN of undefined length',
    ] as const);
    let raw: Uint8Array;
    let expect: Expectation = 'unknown';
    switch (variant) {
      case 'unclosed item':
        raw = concat([sqHeader(doc, tag, 0xffffffff), item(0xffffffff), inner]);
        break;
      case 'unclosed sequence':
        raw = concat([sqHeader(doc, tag, 0xffffffff), item(inner.length), inner]);
        break;
      case 'stray item delimiter':
        raw = itemEnd;
        break;
      case 'stray sequence delimiter':
        raw = seqEnd;
        break;
      case 'item overruns sequence':
        raw = concat([sqHeader(doc, tag, 8 + inner.length), item(inner.length + 100), inner]);
        break;
      case 'non-item in sequence':
        raw = concat([sqHeader(doc, tag, 0xffffffff), inner, seqEnd]);
        break;
      case 'empty sequence':
        raw = concat([sqHeader(doc, tag, 0xffffffff), seqEnd]);
        expect = 'same';
        break;
      case 'empty item':
        raw = concat([sqHeader(doc, tag, 0xffffffff), item(0xffffffff), itemEnd, seqEnd]);
        expect = 'same';
        break;
      case 'UN of undefined length':
        if (!doc.encoding.explicit) return undefined;
        raw = concat([
          encodeElement(tag, 'UN', new Uint8Array(0), doc.encoding, 0xffffffff),
          rng.bytes(rng.range(4, 40)),
        ]);
        break;
    }
    // The stray delimiters go between two elements; the sequences in tag order.
    doc.setRaw(variant.startsWith('stray') ? tagOf(0x0008, 0x1141) : tag, raw);
    return result(doc.toBytes(), `${variant} (${tagName(tag)})`, expect);
  },
};

const deepNesting: DicomMutation = {
  kind: 'deepNesting',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const le = doc.encoding.littleEndian;
    const depth = rng.pick([17, 33, 100, 1000, 5000]);
    const defined = rng.chance(0.5);
    const tag = tagOf(0x0008, 0x1140);
    if (doc.find(tag)) return undefined;
    let body = encodeElement(tagOf(0x0008, 0x1150), 'UI', stringValue('UI', '1.2.3'), doc.encoding);
    if (defined) {
      // Defined lengths nest as headers only: built inside out, written outside in.
      const headers: Uint8Array[] = [];
      let inner = body.length;
      for (let d = 0; d < depth; d++) {
        const item = u32le(Tags.Item, inner, le);
        const sq = sqHeader(doc, tag, item.length + inner);
        headers.push(item, sq);
        inner += item.length + sq.length;
      }
      body = concat([...headers.reverse(), body]);
    } else {
      const open: Uint8Array[] = [];
      const close: Uint8Array[] = [];
      for (let d = 0; d < depth; d++) {
        open.push(sqHeader(doc, tag, 0xffffffff), u32le(Tags.Item, 0xffffffff, le));
        close.push(u32le(Tags.ItemDelimitation, 0, le), u32le(Tags.SequenceDelimitation, 0, le));
      }
      body = concat([...open, body, ...close]);
    }
    doc.setRaw(tag, body);
    return result(doc.toBytes(), `${depth} levels of ${defined ? 'defined' : 'undefined'}-length sequences`, 'either');
  },
};

const pixelLength: DicomMutation = {
  kind: 'pixelLength',
  applies: (s) => editable(s) && !!imagePixels(s.doc)?.native,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const p = imagePixels(doc)!;
    const el = doc.find(Tags.PixelData)!;
    const native = p.native!;
    const rowBytes = p.columns * Math.max(1, p.bitsAllocated / 8) * p.samplesPerPixel;
    const variant = rng.pick([
      'short by a row',
      'half the image',
      'odd length',
      'extra bytes',
      'an extra frame',
      'empty',
      'removed',
      'VR OB',
      'VR UN',
    ] as const);
    const vr = el.vr ?? 'OW';
    let value: Uint8Array = native;
    let newVr = vr;
    let expect: Expectation = 'refuse';
    switch (variant) {
      case 'short by a row':
        value = native.subarray(0, Math.max(0, native.length - rowBytes));
        break;
      case 'half the image':
        value = native.subarray(0, Math.floor(native.length / 4) * 2);
        break;
      case 'odd length':
        value = native.subarray(0, native.length - 1);
        break;
      case 'extra bytes':
        value = concat([native, rng.bytes(rng.pick([2, 8, 1024]))]);
        expect = 'unknown';
        break;
      case 'an extra frame':
        value = concat([native, native]);
        expect = 'either';
        break;
      case 'empty':
        value = new Uint8Array(0);
        break;
      case 'removed':
        doc.remove(Tags.PixelData);
        return result(doc.toBytes(), variant, 'refuse');
      case 'VR OB':
        newVr = 'OB';
        expect = p.bitsAllocated <= 8 || doc.encoding.littleEndian ? 'same' : 'unknown';
        break;
      case 'VR UN':
        newVr = 'UN';
        expect = 'either';
        break;
    }
    if (!doc.encoding.explicit && variant.startsWith('VR')) return undefined;
    doc.set(Tags.PixelData, newVr, value);
    return result(doc.toBytes(), `${variant} (${native.length} -> ${value.length} bytes)`, expect);
  },
};

const dims: DicomMutation = {
  kind: 'dimensions',
  applies: (s) => editable(s) && !!imagePixels(s.doc),
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const p = imagePixels(doc)!;
    type Edit = [string, () => void, Expectation];
    const us = (tag: number, v: number) => () => void doc.setUs(tag, v);
    const str = (tag: number, vr: string, v: string) => () => void doc.setString(tag, vr, v);
    const edits: Edit[] = [
      ['Rows=0', us(Tags.Rows, 0), 'refuse'],
      ['Columns=0', us(Tags.Columns, 0), 'refuse'],
      ['Rows=1', us(Tags.Rows, 1), 'refuse'],
      ['Rows+1', us(Tags.Rows, p.rows + 1), 'refuse'],
      ['Columns-1', us(Tags.Columns, p.columns - 1), 'refuse'],
      ['Rows x2', us(Tags.Rows, Math.min(0xffff, p.rows * 2)), 'refuse'],
      ['Rows=Columns=65535', () => void (doc.setUs(Tags.Rows, 65535), doc.setUs(Tags.Columns, 65535)), 'refuse'],
      [
        'reshaped (Rows/2, Columns x2)',
        () =>
          void (
            doc.setUs(Tags.Rows, Math.max(1, p.rows >> 1)),
            doc.setUs(Tags.Columns, Math.min(0xffff, p.columns * 2))
          ),
        'refuse',
      ],
      ['BitsAllocated=0', us(Tags.BitsAllocated, 0), 'refuse'],
      ['BitsAllocated=12', us(Tags.BitsAllocated, 12), 'refuse'],
      ['BitsAllocated=64', us(Tags.BitsAllocated, 64), 'refuse'],
      ['BitsAllocated=8', us(Tags.BitsAllocated, 8), p.bitsAllocated === 8 ? 'same' : 'refuse'],
      ['BitsAllocated=32', us(Tags.BitsAllocated, 32), p.bitsAllocated === 32 ? 'same' : 'refuse'],
      ['BitsStored=0', us(Tags.BitsStored, 0), 'refuse'],
      ['BitsStored=17', us(Tags.BitsStored, 17), 'refuse'],
      ['BitsStored=12', us(Tags.BitsStored, 12), 'unknown'],
      ['HighBit=31', us(Tags.HighBit, 31), 'refuse'],
      ['HighBit=0', us(Tags.HighBit, 0), 'unknown'],
      ['PixelRepresentation=2', us(Tags.PixelRepresentation, 2), 'refuse'],
      ['PixelRepresentation flipped', us(Tags.PixelRepresentation, p.signed ? 0 : 1), 'unknown'],
      ['SamplesPerPixel=0', us(Tags.SamplesPerPixel, 0), 'refuse'],
      ['SamplesPerPixel=3', us(Tags.SamplesPerPixel, 3), 'refuse'],
      ['SamplesPerPixel=4', us(Tags.SamplesPerPixel, 4), 'refuse'],
      ['Photometric=RGB', str(Tags.PhotometricInterpretation, 'CS', 'RGB'), 'refuse'],
      ['Photometric=PALETTE COLOR', str(Tags.PhotometricInterpretation, 'CS', 'PALETTE COLOR'), 'refuse'],
      ['Photometric=YBR_FULL', str(Tags.PhotometricInterpretation, 'CS', 'YBR_FULL'), 'refuse'],
      ['Photometric=XYZ', str(Tags.PhotometricInterpretation, 'CS', 'XYZ'), 'refuse'],
      ['Photometric empty', str(Tags.PhotometricInterpretation, 'CS', ''), 'either'],
      ['NumberOfFrames=0', str(Tags.NumberOfFrames, 'IS', '0'), 'refuse'],
      ['NumberOfFrames=-1', str(Tags.NumberOfFrames, 'IS', '-1'), 'refuse'],
      ['NumberOfFrames=2', str(Tags.NumberOfFrames, 'IS', String(p.frames + 1)), 'refuse'],
      ['NumberOfFrames=1.5', str(Tags.NumberOfFrames, 'IS', '1.5'), 'refuse'],
      ['NumberOfFrames=abc', str(Tags.NumberOfFrames, 'IS', 'abc'), 'refuse'],
      ['NumberOfFrames=2147483647', str(Tags.NumberOfFrames, 'IS', '2147483647'), 'refuse'],
      ['PlanarConfiguration=1', us(Tags.PlanarConfiguration, 1), 'either'],
      ['Rows removed', () => void doc.remove(Tags.Rows), 'refuse'],
      ['BitsAllocated removed', () => void doc.remove(Tags.BitsAllocated), 'refuse'],
    ];
    const [name, apply, expect] = rng.pick(edits);
    apply();
    return result(doc.toBytes(), name, expect);
  },
};

const unknownSyntaxes: [string, string][] = [
  ['unknown UID', '1.2.3.4.5'],
  ['empty', ''],
  ['retired JPEG (.53)', '1.2.840.10008.1.2.4.53'],
  ['JPIP referenced', '1.2.840.10008.1.2.4.94'],
  ['MPEG-2', '1.2.840.10008.1.2.4.100'],
  ['80-digit UID', `1.2.840.10008.1.2.${'9'.repeat(62)}`],
  ['trailing space', '1.2.840.10008.1.2.1 '],
  ['garbage bytes', '\u00ff\u00fe\u0001\u0002ABC'],
];

const transferSyntax: DicomMutation = {
  kind: 'transferSyntax',
  applies: (s) => hasDoc(s) && s.doc.transferSyntaxUid !== undefined,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const ts = doc.transferSyntaxUid!;
    const encapsulated = doc.encapsulated;
    const options: [string, string | undefined, Expectation][] = unknownSyntaxes.map(([n, v]) => [
      n,
      v,
      n === 'trailing space' ? 'either' : 'refuse',
    ]);
    if (!doc.deflated && !encapsulated) {
      options.push(['labelled deflated', TransferSyntaxes.deflatedLE, 'refuse']);
      if (doc.encoding.littleEndian) options.push(['labelled big endian', TransferSyntaxes.explicitBE, 'refuse']);
      if (doc.encoding.explicit) options.push(['labelled implicit', TransferSyntaxes.implicitLE, 'refuse']);
      else options.push(['labelled explicit', TransferSyntaxes.explicitLE, 'either']);
      options.push(
        ['labelled JPEG lossless', TransferSyntaxes.jpegLosslessSV1, 'refuse'],
        ['labelled RLE', TransferSyntaxes.rle, 'refuse'],
        ['labelled JPEG 2000', TransferSyntaxes.j2kLossless, 'refuse'],
      );
    }
    if (encapsulated) {
      options.push(['encapsulated labelled explicit native', TransferSyntaxes.explicitLE, 'refuse']);
      for (const [n, v] of [
        ['RLE', TransferSyntaxes.rle],
        ['JPEG lossless', TransferSyntaxes.jpegLosslessSV1],
        ['JPEG 2000', TransferSyntaxes.j2kLossless],
        ['JPEG baseline', TransferSyntaxes.jpegBaseline],
        ['JPEG-LS', TransferSyntaxes.jpegLsLossless],
      ] as const) {
        if (v !== ts) options.push([`codestream labelled ${n}`, v, 'refuse']);
      }
    }
    options.push(['removed', undefined, 'either']);
    const [name, uid, expect] = rng.pick(options);
    if (uid === undefined) doc.remove(Tags.TransferSyntaxUID);
    else
      doc.set(
        Tags.TransferSyntaxUID,
        'UI',
        uid === '' ? new Uint8Array(0) : new Uint8Array(Buffer.from(uid.length % 2 ? `${uid}\0` : uid, 'latin1')),
      );
    return result(doc.toBytes(), `${ts} -> ${name}`, expect);
  },
};

const rescale: DicomMutation = {
  kind: 'rescale',
  applies: (s) =>
    editable(s) && (s.doc.find(Tags.RescaleSlope) !== undefined || s.doc.find(Tags.RescaleIntercept) !== undefined),
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const which = rng.pick(['slope', 'intercept'] as const);
    const tag = which === 'slope' ? Tags.RescaleSlope : Tags.RescaleIntercept;
    const current = doc.string(tag);
    const values: [string, string | undefined, Expectation][] = [
      ['1.2.3', '1.2.3', 'refuse'],
      ['+', '+', 'refuse'],
      ['empty', '', 'refuse'],
      ['-', '-', 'refuse'],
      ['NaN', 'NaN', 'refuse'],
      ['Infinity', 'Infinity', 'refuse'],
      ['-Infinity', '-Infinity', 'refuse'],
      ['1e999', '1e999', 'refuse'],
      ['abc', 'abc', 'refuse'],
      ['0x10', '0x10', 'refuse'],
      ['1,5', '1,5', 'refuse'],
      ['two values', '1\\2', 'refuse'],
      ['removed', undefined, which === 'slope' && current !== undefined && Number(current) === 1 ? 'either' : 'refuse'],
    ];
    if (which === 'slope')
      values.push(
        ['1e-320', '1e-320', 'refuse'],
        ['1e-7', '1e-7', 'refuse'],
        ['0', '0', 'refuse'],
        ['-0', '-0', 'refuse'],
      );
    if (current !== undefined && Number.isFinite(Number(current))) {
      values.push(
        [`padded " ${current} "`, ` ${current} `, 'same'],
        [`${current} with zeros`, Number(current).toFixed(6), 'same'],
      );
    }
    const [name, value, expect] = rng.pick(values);
    if (value === undefined) doc.remove(tag);
    else doc.setString(tag, 'DS', value);
    return result(doc.toBytes(), `${which} ${current ?? '(none)'} -> ${name}`, expect);
  },
};

const numbers: DicomMutation = {
  kind: 'numbers',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const [label, tag] = rng.pick([
      ['InstanceNumber', Tags.InstanceNumber],
      ['SeriesNumber', Tags.SeriesNumber],
      ['AcquisitionNumber', Tags.AcquisitionNumber],
    ] as const);
    const value = rng.pick([
      '1e999',
      '-Infinity',
      'Infinity',
      'NaN',
      '99999999999999999999',
      '1.5',
      '-',
      '',
      '0x10',
      '-2147483649',
      '2147483648',
      ' 7 ',
      '1e308',
      '12345678901234567890123456789',
    ]);
    doc.setString(tag, 'IS', value);
    return result(doc.toBytes(), `${label}=${JSON.stringify(value)}`, 'either');
  },
};

const geometry: DicomMutation = {
  kind: 'geometry',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const set = (tag: number, v: string | undefined) =>
      v === undefined ? doc.remove(tag) : doc.setString(tag, 'DS', v);
    const edits: [string, number, string | undefined, Expectation][] = [
      ['position NaN', Tags.ImagePositionPatient, 'NaN\\NaN\\NaN', 'refuse'],
      ['position x NaN', Tags.ImagePositionPatient, 'NaN\\0\\0', 'refuse'],
      ['position Infinity', Tags.ImagePositionPatient, 'Infinity\\0\\0', 'refuse'],
      ['position 1e999', Tags.ImagePositionPatient, '1e999\\0\\0', 'refuse'],
      ['position removed', Tags.ImagePositionPatient, undefined, 'refuse'],
      ['position with two values', Tags.ImagePositionPatient, '0\\0', 'refuse'],
      ['position not numbers', Tags.ImagePositionPatient, 'a\\b\\c', 'refuse'],
      ['position empty', Tags.ImagePositionPatient, '', 'refuse'],
      ['orientation zeros', Tags.ImageOrientationPatient, '0\\0\\0\\0\\0\\0', 'refuse'],
      ['orientation parallel', Tags.ImageOrientationPatient, '1\\0\\0\\1\\0\\0', 'refuse'],
      ['orientation not unit', Tags.ImageOrientationPatient, '2\\0\\0\\0\\2\\0', 'refuse'],
      ['orientation NaN', Tags.ImageOrientationPatient, 'NaN\\0\\0\\0\\1\\0', 'refuse'],
      ['orientation removed', Tags.ImageOrientationPatient, undefined, 'refuse'],
      ['orientation five values', Tags.ImageOrientationPatient, '1\\0\\0\\0\\1', 'refuse'],
      ['spacing zero', Tags.PixelSpacing, '0\\0', 'refuse'],
      ['spacing negative', Tags.PixelSpacing, '-3\\-3', 'refuse'],
      ['spacing NaN', Tags.PixelSpacing, 'NaN\\NaN', 'refuse'],
      ['spacing removed', Tags.PixelSpacing, undefined, 'refuse'],
      ['spacing 1e-300', Tags.PixelSpacing, '1e-300\\1e-300', 'refuse'],
      ['spacing 1e300', Tags.PixelSpacing, '1e300\\1e300', 'refuse'],
      ['spacing one value', Tags.PixelSpacing, '3', 'refuse'],
      ['slice thickness NaN', Tags.SliceThickness, 'NaN', 'either'],
      ['slice thickness zero', Tags.SliceThickness, '0', 'either'],
      ['slice thickness negative', Tags.SliceThickness, '-2.5', 'either'],
    ];
    const [name, tag, value, expect] = rng.pick(edits);
    set(tag, value);
    return result(doc.toBytes(), name, expect);
  },
};

/** Numbers of a DS value, e.g. ImagePositionPatient. */
function dsNumbers(doc: DicomDoc, tag: number): number[] | undefined {
  const s = doc.string(tag);
  if (s === undefined) return undefined;
  const v = s.split('\\').map(Number);
  return v.every(Number.isFinite) ? v : undefined;
}

const offAxis: DicomMutation = {
  kind: 'offAxis',
  applies: (s) => editable(s) && dsNumbers(s.doc, Tags.ImagePositionPatient)?.length === 3,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const [x, y, z] = dsNumbers(doc, Tags.ImagePositionPatient)!;
    const variant = rng.pick([
      'x + 500 mm',
      'z + 500 mm',
      'x + 1.5 mm (half a pixel)',
      'z + 0.3 mm',
      'tilted 5 degrees',
    ] as const);
    const expect: Expectation = variant === 'z + 0.3 mm' ? 'unknown' : 'refuse';
    if (variant === 'tilted 5 degrees') {
      const a = (5 * Math.PI) / 180;
      doc.setString(
        Tags.ImageOrientationPatient,
        'DS',
        `1\\0\\0\\0\\${Math.cos(a).toFixed(6)}\\${Math.sin(a).toFixed(6)}`,
      );
    } else {
      const p = variant.startsWith('x + 500')
        ? [x! + 500, y!, z!]
        : variant.startsWith('z + 500')
          ? [x!, y!, z! + 500]
          : variant.startsWith('x + 1.5')
            ? [x! + 1.5, y!, z!]
            : [x!, y!, z! + 0.3];
      doc.setString(Tags.ImagePositionPatient, 'DS', p.map((v) => String(Math.round(v * 1e4) / 1e4)).join('\\'));
    }
    return result(doc.toBytes(), variant, expect);
  },
};

/** Makes an encapsulated version of a plain slice first when the source is native. */
async function encapsulatedDoc(
  s: DicomSource,
  rng: Rng,
): Promise<{ doc: DicomDoc; codec: string; base?: Uint8Array } | undefined> {
  if (!s.doc || s.doc.deflated) return undefined;
  if (s.doc.encapsulated) return { doc: s.doc.clone(), codec: s.doc.transferSyntaxUid ?? '?' };
  if (!isPlain16BitSlice(s.doc)) return undefined;
  const codec = rng.pick<SliceCodec>(['rle', 'jpegLossless', 'j2k']);
  // Parsed again so the pixel data element carries its fragment layout.
  const base = (await compressSlice(s.doc, codec)).doc.toBytes();
  return { doc: parseDoc(base), codec, base };
}

const canEncapsulate = (s: DicomSource) => editable(s) && (s.doc.encapsulated || isPlain16BitSlice(s.doc));

function fragmentsOf(doc: DicomDoc): Uint8Array[] {
  const el = doc.find(Tags.PixelData)!;
  return el.fragments!.map((f) => el.raw.subarray(f.valueOffset, f.valueOffset + f.length));
}

const fragments: DicomMutation = {
  kind: 'fragments',
  applies: canEncapsulate,
  async mutate(s, rng) {
    const made = await encapsulatedDoc(s, rng);
    if (!made) return undefined;
    const { doc, codec } = made;
    const el = doc.find(Tags.PixelData)!;
    if (!el.fragments || el.fragments.length < 2) return undefined;
    const frames = imagePixels(doc)?.frames ?? 1;
    const [bot, ...frags] = fragmentsOf(doc);
    const items = (list: Uint8Array[], table: Uint8Array = bot!) => encapsulatedPixelData(list, table);
    const variant = rng.pick([
      'no offset table item',
      'bad offset table',
      'fragment overruns',
      'no sequence delimiter',
      'empty fragment added',
      'split in two',
      'split in ten',
      'last fragment dropped',
      'fragment duplicated',
      'item tag wrong',
      'one frame more declared',
    ] as const);
    let raw: Uint8Array;
    let expect: Expectation = 'refuse';
    const joined = concat(frags);
    const cut = (i: number, n: number) => (i === n ? joined.length : Math.floor((i * joined.length) / n / 2) * 2);
    const splitInto = (n: number) =>
      Array.from({ length: n }, (_, i) => joined.subarray(cut(i, n), cut(i + 1, n))).filter((f) => f.length > 0);
    switch (variant) {
      case 'no offset table item': {
        const full = items(frags);
        const botLength = 8 + bot!.length;
        raw = concat([full.subarray(0, 12), full.subarray(12 + botLength)]);
        expect = frames === 1 ? 'either' : 'unknown';
        break;
      }
      case 'bad offset table': {
        const table = new Uint8Array(4 * (frames + 2));
        const view = new DataView(table.buffer);
        for (let i = 0; i < frames + 2; i++) view.setUint32(4 * i, rng.int(0x100000000), true);
        raw = items(frags, table);
        expect = 'either';
        break;
      }
      case 'fragment overruns': {
        raw = items(frags);
        const at = 12 + 8 + bot!.length; // first fragment item header
        new DataView(raw.buffer, raw.byteOffset).setUint32(
          at + 4,
          frags[0]!.length + rng.pick([2, 1000, 0x7ffffff0]),
          true,
        );
        break;
      }
      case 'no sequence delimiter':
        raw = items(frags).slice(0, -8);
        break;
      case 'empty fragment added':
        raw = items([...frags, new Uint8Array(0)]);
        expect = frames === 1 ? 'either' : 'unknown';
        break;
      case 'split in two':
        if (frames !== 1) return undefined;
        raw = items(splitInto(2));
        expect = 'same';
        break;
      case 'split in ten':
        if (frames !== 1) return undefined;
        raw = items(splitInto(10));
        expect = 'same';
        break;
      case 'last fragment dropped':
        if (frames !== 1) return undefined;
        raw = items(splitInto(3).slice(0, 2));
        break;
      case 'fragment duplicated':
        raw = items([...frags, frags[frags.length - 1]!]);
        expect = frames === 1 ? 'either' : 'unknown';
        break;
      case 'item tag wrong': {
        raw = items(frags);
        const at = 12 + 8 + bot!.length;
        raw[at + 2] = 0x0d; // (FFFE,E00D) instead of (FFFE,E000)
        break;
      }
      case 'one frame more declared':
        doc.setString(Tags.NumberOfFrames, 'IS', String(frames + 1));
        raw = items(frags);
        break;
    }
    doc.setRaw(Tags.PixelData, raw);
    return {
      ...result(doc.toBytes(), `${variant} (${codecName(codec)})`, expect),
      ...(made.base ? { base: made.base } : {}),
    };
  },
};

/** Where the entropy-coded data of a codestream starts (after the headers), so flips hit the data. */
function entropyStart(codestream: Uint8Array, ts: string): number {
  if (ts === TransferSyntaxes.rle) return Math.min(codestream.length - 1, 64);
  const marker = ts === TransferSyntaxes.j2kLossless || ts === TransferSyntaxes.j2k ? 0x93 : 0xda; // SOD or SOS
  for (let i = 0; i + 1 < codestream.length; i++) {
    if (codestream[i] === 0xff && codestream[i + 1] === marker) {
      if (marker === 0x93) return i + 2;
      const length = (codestream[i + 2]! << 8) | codestream[i + 3]!;
      return i + 2 + length;
    }
  }
  return Math.floor(codestream.length / 2);
}

const codestream: DicomMutation = {
  kind: 'codestream',
  applies: canEncapsulate,
  async mutate(s, rng) {
    const made = await encapsulatedDoc(s, rng);
    if (!made) return undefined;
    const { doc, codec } = made;
    const ts = doc.transferSyntaxUid ?? '';
    const frags = fragmentsOf(doc);
    const [bot, ...data] = frags;
    if (data.length === 0) return undefined;
    const which = rng.int(data.length);
    const stream = data[which]!.slice();
    const start = Math.min(stream.length - 1, entropyStart(stream, ts));
    const isJpeg =
      ts.startsWith('1.2.840.10008.1.2.4.5') ||
      ts.startsWith('1.2.840.10008.1.2.4.7') ||
      ts.startsWith('1.2.840.10008.1.2.4.8');
    const isJ2k = ts === TransferSyntaxes.j2kLossless || ts === TransferSyntaxes.j2k;
    const variants: [string, Expectation][] = [
      ['flip bits in the coded data', 'unknown'],
      ['cut to half', 'refuse'],
      ['cut to 90 %', 'refuse'],
      ['last 2 bytes cut', isJpeg || isJ2k ? 'either' : 'refuse'],
      ['last quarter zeroed', 'unknown'],
      ['garbage appended', 'either'],
    ];
    if (isJpeg)
      variants.push(
        ['SOF rows changed', 'refuse'],
        ['SOF precision changed', 'refuse'],
        ['SOI removed', 'refuse'],
        ['Huffman table counts wrong', 'refuse'],
      );
    if (isJ2k) variants.push(['SIZ width changed', 'refuse'], ['SOC removed', 'refuse']);
    if (ts === TransferSyntaxes.rle)
      variants.push(
        ['RLE segment count 0', 'refuse'],
        ['RLE segment count 15', 'refuse'],
        ['RLE offset past the end', 'refuse'],
        ['RLE segments swapped', 'unknown'],
      );
    const [variant, expect] = rng.pick(variants);
    let out: Uint8Array = stream;
    const find = (a: number, b: number) => {
      for (let i = 0; i + 1 < stream.length; i++) if (stream[i] === a && stream[i + 1] === b) return i;
      return -1;
    };
    switch (variant) {
      case 'flip bits in the coded data':
        out = flipBits(stream, start, stream.length - 2, rng.range(1, 4), rng);
        break;
      case 'cut to half':
        out = stream.slice(0, Math.max(start + 1, Math.floor(stream.length / 2)));
        break;
      case 'cut to 90 %':
        out = stream.slice(0, Math.floor(stream.length * 0.9));
        break;
      case 'last 2 bytes cut':
        out = stream.slice(0, stream.length - 2);
        break;
      case 'last quarter zeroed':
        out.fill(0, Math.max(start, Math.floor(stream.length * 0.75)));
        break;
      case 'garbage appended':
        out = concat([stream, rng.bytes(rng.range(2, 64))]);
        break;
      case 'SOF rows changed': {
        const at = [0xc0, 0xc1, 0xc3, 0xf7].map((m) => find(0xff, m)).find((i) => i >= 0) ?? -1;
        if (at < 0) return undefined;
        const rows = (out[at + 5]! << 8) | out[at + 6]!;
        const nrows = rng.pick([0, 1, rows + 1, rows - 1, 65535].filter((v) => v >= 0 && v !== rows));
        out[at + 5] = nrows >>> 8;
        out[at + 6] = nrows & 0xff;
        break;
      }
      case 'SOF precision changed': {
        const at = [0xc0, 0xc1, 0xc3, 0xf7].map((m) => find(0xff, m)).find((i) => i >= 0) ?? -1;
        if (at < 0) return undefined;
        out[at + 4] = rng.pick([2, 8, 12, 16, 17].filter((p) => p !== out[at + 4]));
        break;
      }
      case 'SOI removed':
        out = stream.slice(2);
        break;
      case 'Huffman table counts wrong': {
        const at = find(0xff, 0xc4);
        if (at < 0) return undefined;
        out[at + 5 + rng.int(16)] = rng.range(1, 255);
        break;
      }
      case 'SIZ width changed': {
        const at = find(0xff, 0x51);
        if (at < 0) return undefined;
        const view = new DataView(out.buffer, out.byteOffset);
        view.setUint32(at + 6, rng.pick([0, 1, view.getUint32(at + 6) + 1, 0xffffff]));
        break;
      }
      case 'SOC removed':
        out = stream.slice(2);
        break;
      case 'RLE segment count 0':
      case 'RLE segment count 15':
        new DataView(out.buffer, out.byteOffset).setUint32(0, variant.endsWith('0') ? 0 : 15, true);
        break;
      case 'RLE offset past the end':
        new DataView(out.buffer, out.byteOffset).setUint32(
          4 + 4 * rng.int(Math.max(1, u32(out, 0, true) || 1)),
          stream.length + rng.pick([2, 1000, 0x7fffff00]),
          true,
        );
        break;
      case 'RLE segments swapped': {
        const view = new DataView(out.buffer, out.byteOffset);
        const a = view.getUint32(4, true);
        view.setUint32(4, view.getUint32(8, true), true);
        view.setUint32(8, a, true);
        break;
      }
    }
    const list = data.slice();
    list[which] = out;
    doc.setRaw(Tags.PixelData, encapsulatedPixelData(list, bot));
    return {
      ...result(doc.toBytes(), `${variant} (${codecName(codec)})`, expect),
      ...(made.base ? { base: made.base } : {}),
    };
  },
};

const reencode: DicomMutation = {
  kind: 'reencode',
  applies: (s) => editable(s) && isPlain16BitSlice(s.doc) && s.doc.encoding.explicit,
  async mutate(s, rng) {
    const doc = s.doc!;
    const variant = rng.pick([
      'RLE',
      'JPEG lossless',
      'JPEG 2000 lossless',
      'implicit VR',
      'big endian',
      'deflated',
      'slope 0.5, values doubled',
      'intercept shifted by 1000',
      'unsigned',
    ] as const);
    const p = imagePixels(doc)!;
    const samples = () => {
      const n = p.rows * p.columns;
      const view = new DataView(p.native!.buffer, p.native!.byteOffset, n * 2);
      return Array.from({ length: n }, (_, i) => (p.signed ? view.getInt16(2 * i, true) : view.getUint16(2 * i, true)));
    };
    const withSamples = (values: number[], signed: boolean) => {
      const out = doc.clone();
      const bytes = new Uint8Array(values.length * 2);
      const view = new DataView(bytes.buffer);
      values.forEach((v, i) => (signed ? view.setInt16(2 * i, v, true) : view.setUint16(2 * i, v, true)));
      out.set(Tags.PixelData, doc.find(Tags.PixelData)!.vr ?? 'OW', bytes);
      return out;
    };
    let out: DicomDoc | undefined;
    switch (variant) {
      case 'RLE':
        out = (await compressSlice(doc, 'rle')).doc;
        break;
      case 'JPEG lossless':
        out = (await compressSlice(doc, 'jpegLossless')).doc;
        break;
      case 'JPEG 2000 lossless':
        out = (await compressSlice(doc, 'j2k')).doc;
        break;
      case 'implicit VR':
        out = reencodeNative(doc, 'implicitLE');
        break;
      case 'big endian':
        out = reencodeNative(doc, 'explicitBE');
        break;
      case 'deflated':
        out = doc.clone();
        out.setString(Tags.TransferSyntaxUID, 'UI', TransferSyntaxes.deflatedLE);
        out.deflated = true;
        break;
      case 'slope 0.5, values doubled': {
        const v = samples();
        const slope = Number(doc.string(Tags.RescaleSlope) ?? '1');
        if (!p.signed || v.some((x) => Math.abs(2 * x) > 32767) || !Number.isFinite(slope)) return undefined;
        out = withSamples(
          v.map((x) => 2 * x),
          true,
        );
        out.setString(Tags.RescaleSlope, 'DS', String(slope / 2));
        break;
      }
      case 'intercept shifted by 1000': {
        const v = samples();
        const intercept = Number(doc.string(Tags.RescaleIntercept) ?? 'x');
        const slope = Number(doc.string(Tags.RescaleSlope) ?? '1');
        if (!p.signed || slope !== 1 || !Number.isFinite(intercept) || v.some((x) => x - 1000 < -32768))
          return undefined;
        out = withSamples(
          v.map((x) => x - 1000),
          true,
        );
        out.setString(Tags.RescaleIntercept, 'DS', String(intercept + 1000));
        break;
      }
      case 'unsigned': {
        const v = samples();
        if (!p.signed || v.some((x) => x < 0)) return undefined;
        out = withSamples(v, false);
        out.setUs(Tags.PixelRepresentation, 0);
        break;
      }
    }
    if (!out) return undefined;
    return result(out.toBytes(), variant, 'same');
  },
};

const deflate: DicomMutation = {
  kind: 'deflate',
  applies: (s) =>
    hasDoc(s) && (s.doc.deflated || (!s.doc.encapsulated && s.doc.encoding.explicit && s.doc.encoding.littleEndian)),
  mutate(s, rng) {
    const doc = s.doc!.clone();
    if (!doc.deflated) {
      doc.setString(Tags.TransferSyntaxUID, 'UI', TransferSyntaxes.deflatedLE);
      doc.deflated = true;
    }
    const bytes = doc.toBytes();
    const start = datasetStart(doc); // the deflated stream starts right after the meta group
    const variant = rng.pick(['flip bits in the stream', 'stream cut', 'garbage appended', 'stream zeroed'] as const);
    let out: Uint8Array;
    if (variant === 'flip bits in the stream') out = flipBits(bytes, start, bytes.length, rng.range(1, 4), rng);
    else if (variant === 'stream cut') out = bytes.slice(0, rng.range(start + 1, bytes.length - 1));
    else if (variant === 'garbage appended') out = concat([bytes, rng.bytes(rng.range(1, 100))]);
    else {
      out = bytes.slice();
      out.fill(0, start + rng.int(Math.max(1, bytes.length - start)));
    }
    // Judged against the clean deflated encoding, not the source (which may be undeflated).
    return { ...result(out, variant, variant === 'garbage appended' ? 'either' : 'unknown'), base: bytes };
  },
};

const strings: DicomMutation = {
  kind: 'strings',
  applies: editable,
  mutate(s, rng) {
    const doc = s.doc!.clone();
    const variant = rng.pick([
      'PatientName 60 kB',
      'PatientID with control bytes',
      'SOP Instance UID 200 characters',
      'Series Instance UID with letters',
      'Study Instance UID empty',
      'Modality 40 characters',
      'SpecificCharacterSet unknown',
      'invalid UTF-8 under ISO_IR 192',
      'duplicate Rows element',
      'elements out of order',
    ] as const);
    let expect: Expectation = 'either';
    switch (variant) {
      case 'PatientName 60 kB':
        doc.setString(Tags.PatientName, 'PN', 'A'.repeat(60_000));
        break;
      case 'PatientID with control bytes':
        doc.setString(Tags.PatientID, 'LO', 'ID\u0000\u0007\u001b[2J\u00ff');
        break;
      case 'SOP Instance UID 200 characters':
        doc.setString(Tags.SOPInstanceUID, 'UI', `1.2.${'3'.repeat(196)}`);
        break;
      case 'Series Instance UID with letters':
        doc.setString(Tags.SeriesInstanceUID, 'UI', `1.2.abc.${rng.range(1, 1e9)}`);
        break;
      case 'Study Instance UID empty':
        doc.setString(Tags.StudyInstanceUID, 'UI', '');
        expect = 'refuse';
        break;
      case 'Modality 40 characters':
        doc.setString(Tags.Modality, 'CS', 'CT'.repeat(20));
        break;
      case 'SpecificCharacterSet unknown':
        doc.setString(tagOf(0x0008, 0x0005), 'CS', 'ISO_IR 999');
        break;
      case 'invalid UTF-8 under ISO_IR 192':
        doc.setString(tagOf(0x0008, 0x0005), 'CS', 'ISO_IR 192');
        doc.set(Tags.PatientName, 'PN', new Uint8Array([0x47, 0x72, 0xfc, 0x6e, 0xc3, 0x28]));
        break;
      case 'duplicate Rows element': {
        const rows = doc.find(Tags.Rows);
        if (!rows) return undefined;
        const at = doc.dataset.indexOf(rows);
        const copy = rows.raw.slice();
        copy[rows.raw.length - 2] = (copy[rows.raw.length - 2]! + 1) & 0xff;
        doc.dataset.splice(at + 1, 0, { ...rows, raw: copy });
        expect = 'refuse';
        break;
      }
      case 'elements out of order': {
        if (doc.dataset.length < 4) return undefined;
        const a = rng.int(doc.dataset.length - 2);
        [doc.dataset[a], doc.dataset[a + 1]] = [doc.dataset[a + 1]!, doc.dataset[a]!];
        expect = 'unknown';
        break;
      }
    }
    return result(doc.toBytes(), variant, expect);
  },
};

/** Mutations of the "huge" sort, run one file per process so each one's peak memory is measured. */
const hugeElement: DicomMutation = {
  kind: 'hugeElement',
  applies: (s) => editable(s) && !!imagePixels(s.doc),
  async mutate(s, rng) {
    const doc = s.doc!.clone();
    const variant = rng.pick([
      '512 MiB private element declared',
      '4 GiB private element declared',
      'pixel data declares 2 GiB',
      '64 MiB private element present',
      '4 MiB text value',
      'NumberOfFrames 2^31-1',
      'Rows=Columns=65535 native',
      'Rows=Columns=65535 RLE',
      '20000-level nesting',
      'deflated 1 GiB of padding',
    ] as const);
    const creator = encodeElement(tagOf(0x0009, 0x0010), 'LO', stringValue('LO', 'CONCORD FUZZ'), doc.encoding);
    const privateOb = (declared: number, present: Uint8Array) =>
      concat([encodeElement(tagOf(0x0009, 0x1001), 'OB', new Uint8Array(0), doc.encoding, declared), present]);
    let bytes: Uint8Array;
    let expect: Expectation = 'refuse';
    switch (variant) {
      case '512 MiB private element declared':
      case '4 GiB private element declared': {
        doc.setRaw(tagOf(0x0009, 0x0010), creator);
        doc.setRaw(
          tagOf(0x0009, 0x1001),
          privateOb(variant.startsWith('512') ? 2 ** 29 : 0xfffffff0, rng.bytes(rng.range(0, 64))),
        );
        // The file ends inside the declared value: the elements after it are gone.
        const at = doc.dataset.findIndex((e) => e.tag === tagOf(0x0009, 0x1001));
        doc.dataset.splice(at + 1);
        bytes = doc.toBytes();
        break;
      }
      case 'pixel data declares 2 GiB': {
        const el = doc.find(Tags.PixelData)!;
        if (el.length === 0xffffffff) return undefined;
        const raw = el.raw.slice();
        const { at, size } = lengthField(doc, el);
        writeUint(raw, at, size, size === 4 ? 2 ** 31 : 0xfffe, doc.encoding.littleEndian);
        el.raw = raw;
        bytes = doc.toBytes();
        break;
      }
      case '64 MiB private element present':
        doc.setRaw(tagOf(0x0009, 0x0010), creator);
        doc.setRaw(tagOf(0x0009, 0x1001), privateOb(64 * 2 ** 20, new Uint8Array(64 * 2 ** 20)));
        bytes = doc.toBytes();
        expect = 'same';
        break;
      case '4 MiB text value':
        if (!doc.encoding.explicit) return undefined;
        doc.setRaw(tagOf(0x0009, 0x0010), creator);
        doc.setRaw(
          tagOf(0x0009, 0x1002),
          encodeElement(tagOf(0x0009, 0x1002), 'UT', stringValue('UT', 'x'.repeat(4 * 2 ** 20)), doc.encoding),
        );
        bytes = doc.toBytes();
        expect = 'same';
        break;
      case 'NumberOfFrames 2^31-1':
        doc.setString(Tags.NumberOfFrames, 'IS', '2147483647');
        bytes = doc.toBytes();
        break;
      case 'Rows=Columns=65535 native':
        doc.setUs(Tags.Rows, 65535).setUs(Tags.Columns, 65535);
        bytes = doc.toBytes();
        break;
      case 'Rows=Columns=65535 RLE': {
        if (!isPlain16BitSlice(doc)) return undefined;
        const rle = (await compressSlice(doc, 'rle')).doc;
        rle.setUs(Tags.Rows, 65535).setUs(Tags.Columns, 65535);
        bytes = rle.toBytes();
        break;
      }
      case '20000-level nesting': {
        const depth = 20000;
        const le = doc.encoding.littleEndian;
        const tag = tagOf(0x0008, 0x1140);
        const open: Uint8Array[] = [];
        const close: Uint8Array[] = [];
        for (let d = 0; d < depth; d++) {
          open.push(sqHeader(doc, tag, 0xffffffff), u32le(Tags.Item, 0xffffffff, le));
          close.push(u32le(Tags.ItemDelimitation, 0, le), u32le(Tags.SequenceDelimitation, 0, le));
        }
        doc.setRaw(tag, concat([...open, ...close]));
        bytes = doc.toBytes();
        expect = 'either';
        break;
      }
      case 'deflated 1 GiB of padding': {
        if (!doc.encoding.explicit || !doc.encoding.littleEndian || doc.encapsulated) return undefined;
        // A valid deflated file whose data set holds a 1 GiB private element of zeros (1 MiB
        // compressed): a header-only import must not inflate it all.
        const header = parseDoc(doc.toBytes());
        header.setRaw(tagOf(0x0009, 0x0010), creator);
        const padTag = tagOf(0x0009, 0x1001);
        header.setRaw(padTag, encodeElement(padTag, 'OB', new Uint8Array(0), header.encoding, 2 ** 30));
        const at = header.dataset.findIndex((e) => e.tag === padTag);
        const before = concat(header.dataset.slice(0, at + 1).map((e) => e.raw));
        const after = concat(header.dataset.slice(at + 1).map((e) => e.raw));
        header.setString(Tags.TransferSyntaxUID, 'UI', TransferSyntaxes.deflatedLE);
        header.dataset = [];
        header.trailing = new Uint8Array(0);
        const prefix = header.toBytes(); // preamble and meta, group length recomputed
        bytes = concat([prefix, deflateZeroPadded(before, 2 ** 30, after)]);
        expect = 'either';
        break;
      }
    }
    return result(bytes, variant, expect);
  },
};

/**
 * Raw deflate of `before`, `zeros` zero bytes and `after`, built without holding the zeros: one
 * full-flushed block of 1 MiB of zeros is repeated (each copy is self-contained after a full
 * flush, so the copies concatenate to a valid stream).
 */
function deflateZeroPadded(before: Uint8Array, zeros: number, after: Uint8Array): Uint8Array {
  const chunk = 2 ** 20;
  const head = deflateRawSync(before, { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const block = deflateRawSync(new Uint8Array(chunk), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const tail = deflateRawSync(after);
  const parts: Uint8Array[] = [head];
  for (let n = 0; n < zeros / chunk; n++) parts.push(block);
  parts.push(tail);
  return concat(parts);
}

function codecName(ts: string): string {
  return (
    (
      {
        rle: 'RLE',
        jpegLossless: 'JPEG lossless',
        j2k: 'JPEG 2000',
        [TransferSyntaxes.rle]: 'RLE',
        [TransferSyntaxes.jpegLosslessSV1]: 'JPEG lossless',
        [TransferSyntaxes.jpegLossless]: 'JPEG lossless',
        [TransferSyntaxes.j2kLossless]: 'JPEG 2000',
        [TransferSyntaxes.j2k]: 'JPEG 2000',
        [TransferSyntaxes.jpegBaseline]: 'JPEG baseline',
        [TransferSyntaxes.jpegExtended]: 'JPEG extended',
        [TransferSyntaxes.jpegLsLossless]: 'JPEG-LS',
        [TransferSyntaxes.deflatedFrames]: 'deflated frames',
      } as Record<string, string>
    )[ts] ?? ts
  );
}

export function tagName(tag: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(tag >>> 16)},${hex(tag & 0xffff)})`;
}

/** Every DICOM mutation by kind; `hugeElement` is the hostile one (one file per process). */
export const dicomMutations: readonly DicomMutation[] = [
  truncate,
  bitflip,
  byteSplat,
  badLength,
  wrongVr,
  sequences,
  deepNesting,
  pixelLength,
  dims,
  transferSyntax,
  rescale,
  numbers,
  geometry,
  offAxis,
  fragments,
  codestream,
  reencode,
  deflate,
  strings,
  hugeElement,
];

export function dicomMutation(kind: string): DicomMutation {
  const m = dicomMutations.find((x) => x.kind === kind);
  if (!m) throw new RangeError(`no DICOM mutation "${kind}"`);
  return m;
}

export { valueOf };
