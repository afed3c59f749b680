import { Inflate } from 'fflate';
import type { Corpus } from './corpus';
import { parseDoc, Tags, tagOf, type DicomDoc } from './dicom/dicomDoc';
import { dicomMutation, freshUid } from './mutations/dicomMutations';
import { maskMutation, type MaskSource } from './mutations/maskMutations';
import type { DicomSource, Expectation } from './mutations/types';
import { caseRng, type Rng } from './rng';

/**
 * What a case exercises:
 * - `import`: one mutated file (fresh UIDs) among many in a batch `concord import`;
 * - `letb`: one slice of the demo arterial series replaced by a mutated copy, then `concord letb`;
 * - `join`: a file that carries the indexed arterial series' UID (or one of its SOP Instance
 *   UIDs) but does not belong to it, imported on its own into a copy of the baseline;
 * - `mask`: a mutated liver mask given to `concord letb --mask`;
 * - `hostile`: a file built to exhaust memory, imported (or used as a mask) alone in its own
 *   process so its peak memory is measured.
 */
export type Family = 'import' | 'letb' | 'join' | 'mask' | 'hostile';

export interface FuzzCase {
  /** "seed:index", what --case takes to re-make it. */
  id: string;
  index: number;
  family: Family;
  kind: string;
  variant: string;
  source: string;
  expect: Expectation;
  fileName: string;
  bytes: Uint8Array;
  /** letb: the arterial slice file replaced; mask and hostile masks: the LETB context. */
  slice?: string;
  context?: string;
  /** hostile: how the file is used. */
  use?: 'import' | 'mask';
  /**
   * Only the Pixel Data value changed (codestream, fragments, voxels): nothing a header-only
   * import reads differs from the source, so a named refusal when the series is loaded is the
   * right place for it (issue 12 item 2 asks header-visible defects at import, item 5 the rest
   * at decoding).
   */
  pixelDataOnly?: boolean;
}

export const familyWeights: readonly (readonly [Family, number])[] = [
  ['import', 66],
  ['letb', 14],
  ['join', 6],
  ['mask', 12],
  ['hostile', 2],
];

const importKinds: readonly (readonly [string, number])[] = [
  ['truncate', 3],
  ['bitflip', 4],
  ['byteSplat', 2],
  ['badLength', 3],
  ['wrongVr', 2],
  ['sequence', 2],
  ['deepNesting', 1],
  ['pixelLength', 2],
  ['dimensions', 3],
  ['transferSyntax', 2],
  ['rescale', 2],
  ['numbers', 2],
  ['geometry', 2],
  ['fragments', 2],
  ['codestream', 3],
  ['reencode', 1],
  ['deflate', 1],
  ['strings', 2],
];

const letbKinds: readonly (readonly [string, number])[] = [
  ['truncate', 1],
  ['bitflip', 1],
  ['badLength', 1],
  ['wrongVr', 0.5],
  ['sequence', 0.5],
  ['pixelLength', 2],
  ['dimensions', 3],
  ['transferSyntax', 2],
  ['rescale', 4],
  ['numbers', 1],
  ['geometry', 3],
  ['offAxis', 3],
  ['fragments', 2],
  ['codestream', 3],
  ['reencode', 3],
  ['deflate', 1],
  ['strings', 1],
];

const maskKinds: readonly (readonly [string, number])[] = [
  ['gzip', 4],
  ['niftiHeader', 4],
  ['nrrdHeader', 3],
  ['segHeader', 4],
  // The DICOM mutations also apply to the SEG masks.
  ['dicom:truncate', 1],
  ['dicom:bitflip', 1],
  ['dicom:badLength', 1],
  ['dicom:dimensions', 1],
  ['dicom:transferSyntax', 1],
  ['dicom:fragments', 1],
  ['dicom:codestream', 2],
  ['dicom:deflate', 0.5],
  ['dicom:wrongVr', 0.5],
];

const maskSourceWeights = (m: MaskSource): number =>
  m.context === 'demo' ? (m.format === 'nifti' ? 7 : m.format === 'seg' ? 4 : 3) : 1.2;

/** A copy of a file with fresh SOP Instance, Series and Study UIDs, so it is indexed as its own series. */
export function withFreshUids(source: DicomSource, rng: Rng): DicomSource {
  if (!source.doc) return source;
  const doc = source.doc.clone();
  const sop = freshUid(rng);
  for (const [tag, uid] of [
    [Tags.SOPInstanceUID, sop],
    [Tags.SeriesInstanceUID, freshUid(rng)],
    [Tags.StudyInstanceUID, freshUid(rng)],
  ] as const) {
    if (doc.find(tag)) doc.setString(tag, 'UI', uid);
  }
  if (doc.find(Tags.MediaStorageSOPInstanceUID)) doc.setString(Tags.MediaStorageSOPInstanceUID, 'UI', sop);
  const bytes = doc.toBytes();
  return { name: source.name, bytes, doc: reparse(bytes) ?? doc };
}

function reparse(bytes: Uint8Array): DicomDoc | undefined {
  try {
    return parseDoc(bytes);
  } catch {
    return undefined;
  }
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

/**
 * Case `index` of the campaign with `seed`: the family, source and mutation are drawn from the
 * case's own random stream (rng.caseRng), so it is re-made from (seed, index) alone.
 */
export async function generateCase(corpus: Corpus, seed: number, index: number): Promise<FuzzCase> {
  const rng = caseRng(seed, index);
  const family = rng.weighted(familyWeights);
  const id = `${seed}:${index}`;
  const prefix = String(index).padStart(6, '0');
  for (let attempt = 0; attempt < 50; attempt++) {
    const made = await tryFamily(corpus, family, rng);
    if (!made) continue;
    return { id, index, family, ...made, fileName: `${prefix}-${safeName(made.kind)}${made.suffix ?? '.dcm'}` };
  }
  throw new Error(`case ${id}: no mutation applied in 50 draws (family ${family})`);
}

type Made = Omit<FuzzCase, 'id' | 'index' | 'family' | 'fileName'> & { suffix?: string };

async function tryFamily(corpus: Corpus, family: Family, rng: Rng): Promise<Made | undefined> {
  switch (family) {
    case 'import': {
      const src = withFreshUids(rng.chance(0.5) ? rng.pick(corpus.shared) : rng.pick(corpus.demo), rng);
      const kind = rng.weighted(importKinds);
      return dicomCase(kind, src, rng);
    }
    case 'letb': {
      const liver = corpus.arterial.filter((s) => s.liver);
      const slice = rng.chance(0.5) ? rng.pick(corpus.arterial.filter((s) => s.roi)) : rng.pick(liver);
      const made = await dicomCase(rng.weighted(letbKinds), slice.source, rng);
      return made && { ...made, slice: slice.fileName, context: 'demo' };
    }
    case 'join':
      return joinCase(corpus, rng);
    case 'mask': {
      const source = rng.weighted(corpus.masks.map((m) => [m, maskSourceWeights(m)] as const));
      const kind = rng.weighted(maskKinds);
      if (kind.startsWith('dicom:')) {
        if (source.format !== 'seg') return undefined;
        const made = await dicomCase(kind.slice(6), { name: source.name, bytes: source.bytes, doc: source.doc }, rng);
        return made && { ...made, kind: `seg/${made.kind}`, context: source.context, suffix: source.suffix };
      }
      const m = maskMutation(kind);
      if (!m.applies(source)) return undefined;
      const r = m.mutate(source, rng);
      return (
        r && {
          kind,
          variant: r.variant,
          source: source.name,
          expect: r.expect,
          bytes: r.bytes,
          context: source.context,
          suffix: r.suffix ?? source.suffix,
        }
      );
    }
    case 'hostile': {
      if (rng.chance(0.5)) {
        const source = rng.pick(corpus.masks.filter((m) => m.context === 'demo'));
        const r = maskMutation('maskBomb').mutate(source, rng);
        return (
          r && {
            kind: 'maskBomb',
            variant: r.variant,
            source: source.name,
            expect: r.expect,
            bytes: r.bytes,
            context: source.context,
            use: 'mask',
            suffix: r.suffix ?? source.suffix,
          }
        );
      }
      const pool = [
        ...corpus.demo.filter((d) => !d.name.includes('/SEG/')),
        ...corpus.shared.filter((s) => /693_UNCI|CT_small|ct-3slice\/01/.test(s.name)),
      ];
      const made = await dicomCase('hugeElement', withFreshUids(rng.pick(pool), rng), rng);
      return made && { ...made, use: 'import' };
    }
  }
}

async function dicomCase(kind: string, src: DicomSource, rng: Rng): Promise<Made | undefined> {
  const m = dicomMutation(kind);
  if (!m.applies(src)) return undefined;
  const r = await m.mutate(src, rng);
  if (!r || sameBytes(r.bytes, src.bytes)) return undefined;
  const base = r.base ? { name: src.name, bytes: r.base, doc: parseDoc(r.base) } : src;
  return {
    kind,
    variant: r.variant,
    source: src.name,
    expect: r.expect,
    bytes: r.bytes,
    pixelDataOnly: pixelDataOnly(base, r.bytes),
  };
}

/**
 * True when `mutated` has the source's bytes up to the Pixel Data value (see
 * FuzzCase.pixelDataOnly); for a deflated data set, the inflated bytes (as far as the mutated
 * stream still inflates).
 */
export function pixelDataOnly(source: DicomSource, mutated: Uint8Array): boolean {
  const doc = source.doc;
  if (!doc) return false;
  const metaEnd = (doc.preamble?.length ?? 0) + doc.meta.reduce((n, e) => n + e.raw.length, 0);
  let data: Uint8Array;
  let clean: Uint8Array;
  if (doc.deflated) {
    if (!sameBytes(mutated.subarray(0, metaEnd), source.bytes.subarray(0, metaEnd))) return false;
    data = inflatablePrefix(mutated.subarray(metaEnd));
    clean = doc.datasetBytes();
  } else {
    data = mutated.subarray(metaEnd);
    clean = source.bytes.subarray(metaEnd);
    if (!sameBytes(mutated.subarray(0, metaEnd), source.bytes.subarray(0, metaEnd))) return false;
  }
  let at = 0;
  for (const e of doc.dataset) {
    if (e.tag === Tags.PixelData) {
      // Everything up to the pixel data value but the element's VR (a re-serialised
      // encapsulated element is written OB where the source said OW); its length is compared.
      const end = at + e.headerLength;
      const vrFree =
        e.headerLength === 12
          ? [
              [0, at + 4],
              [at + 8, end],
            ]
          : [[0, end]];
      return (
        data.length > end && vrFree.every(([from, to]) => sameBytes(data.subarray(from, to), clean.subarray(from, to)))
      );
    }
    at += e.raw.length;
  }
  return false;
}

/**
 * What a raw deflate stream inflates to before it ends or breaks. Fed in 256-byte steps; when a
 * step breaks, the stream is inflated again byte by byte up to that step, so the output decoded
 * just before the break (which a streaming reader has seen) is not lost with the step.
 */
function inflatablePrefix(stream: Uint8Array): Uint8Array {
  const run = (step: number, upTo: number): { out: Uint8Array[]; brokeAt?: number } => {
    const out: Uint8Array[] = [];
    const inflater = new Inflate((chunk) => void out.push(chunk));
    for (let at = 0; at < upTo; at += step) {
      try {
        inflater.push(stream.subarray(at, Math.min(upTo, at + step)), at + step >= stream.length);
      } catch {
        return { out, brokeAt: at };
      }
    }
    return { out };
  };
  const first = run(256, stream.length);
  const out = first.brokeAt === undefined ? first.out : run(1, Math.min(stream.length, first.brokeAt + 256)).out;
  const total = out.reduce((n, c) => n + c.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const c of out) {
    joined.set(c, at);
    at += c.length;
  }
  return joined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length &&
    Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0
  );
}

/**
 * A file that must not silently join the indexed arterial series: same Series Instance UID but
 * another patient, study, frame of reference, geometry or size; or a reused SOP Instance UID
 * with other content. Positions "next" continue the series by one slice, so a file that joins
 * it changes the volume.
 */
function joinCase(corpus: Corpus, rng: Rng): Made | undefined {
  const slices = corpus.arterial;
  const slice = rng.pick(slices);
  const doc = slice.source.doc!.clone();
  const zs = slices.map((s) => s.z);
  const step = Math.abs(zs[1]! - zs[0]!);
  const zNext = Math.max(...zs) + step;
  const [x, y] = doc.string(Tags.ImagePositionPatient)!.split('\\').map(Number) as [number, number];
  const at = (z: number, dx = 0) => doc.setString(Tags.ImagePositionPatient, 'DS', `${x + dx}\\${y}\\${z}`);
  const newSop = () => {
    const sop = freshUid(rng);
    doc.setString(Tags.SOPInstanceUID, 'UI', sop).setString(Tags.MediaStorageSOPInstanceUID, 'UI', sop);
  };
  const changePixels = () => {
    const el = doc.find(Tags.PixelData)!;
    const value = el.raw.slice(el.headerLength);
    for (let i = 0; i < value.length; i += 2) value[i + 1] = (value[i + 1]! + 1) & 0x7f; // +256 stored units
    doc.set(Tags.PixelData, el.vr ?? 'OW', value);
  };
  const variant = rng.pick([
    'another patient, next position',
    'another study, next position',
    'another frame of reference, next position',
    'slice 500 mm away',
    'next position, 500 mm off axis',
    'duplicate position, other pixels',
    'next position, other size',
    'next position, other pixel spacing',
    'next position, tilted',
    'next position, modality MR',
    'gap of five slices',
    'SOP UID reused, other pixels',
    'SOP UID reused, other header',
    'SOP UID reused in a new series',
    'SOP UID reused by another patient',
  ] as const);
  switch (variant) {
    case 'another patient, next position':
      newSop();
      doc.setString(Tags.PatientID, 'LO', 'FUZZ-OTHER').setString(Tags.PatientName, 'PN', 'OTHER^PATIENT');
      at(zNext);
      break;
    case 'another study, next position':
      newSop();
      doc.setString(Tags.StudyInstanceUID, 'UI', freshUid(rng));
      at(zNext);
      break;
    case 'another frame of reference, next position':
      newSop();
      doc.setString(Tags.FrameOfReferenceUID, 'UI', freshUid(rng));
      at(zNext);
      break;
    case 'slice 500 mm away':
      newSop();
      at(zNext + 500);
      break;
    case 'next position, 500 mm off axis':
      newSop();
      at(zNext, 500);
      break;
    case 'duplicate position, other pixels':
      newSop();
      changePixels();
      break;
    case 'next position, other size': {
      newSop();
      at(zNext);
      const rows = doc.us(Tags.Rows)!;
      const columns = doc.us(Tags.Columns)!;
      const el = doc.find(Tags.PixelData)!;
      const value = el.raw.subarray(el.headerLength);
      const half = new Uint8Array((rows >> 1) * (columns >> 1) * 2);
      for (let r = 0; r < rows >> 1; r++)
        for (let c = 0; c < columns >> 1; c++)
          half.set(
            value.subarray((2 * r * columns + 2 * c) * 2, (2 * r * columns + 2 * c) * 2 + 2),
            (r * (columns >> 1) + c) * 2,
          );
      doc
        .setUs(Tags.Rows, rows >> 1)
        .setUs(Tags.Columns, columns >> 1)
        .set(Tags.PixelData, el.vr ?? 'OW', half);
      doc.setString(
        Tags.PixelSpacing,
        'DS',
        doc
          .string(Tags.PixelSpacing)!
          .split('\\')
          .map((v) => String(Number(v) * 2))
          .join('\\'),
      );
      break;
    }
    case 'next position, other pixel spacing':
      newSop();
      at(zNext);
      doc.setString(Tags.PixelSpacing, 'DS', '2\\2');
      break;
    case 'next position, tilted':
      newSop();
      at(zNext);
      doc.setString(Tags.ImageOrientationPatient, 'DS', '1\\0\\0\\0\\0.996195\\0.087156');
      break;
    case 'next position, modality MR':
      newSop();
      at(zNext);
      doc.setString(Tags.Modality, 'CS', 'MR').setString(Tags.SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.4');
      break;
    case 'gap of five slices':
      newSop();
      at(zNext + 5 * step);
      break;
    case 'SOP UID reused, other pixels':
      changePixels();
      break;
    case 'SOP UID reused, other header':
      doc.setString(tagSeriesDescription, 'LO', 'CHANGED BY FUZZ');
      break;
    case 'SOP UID reused in a new series':
      doc.setString(Tags.SeriesInstanceUID, 'UI', freshUid(rng));
      break;
    case 'SOP UID reused by another patient':
      doc.setString(Tags.SeriesInstanceUID, 'UI', freshUid(rng)).setString(Tags.StudyInstanceUID, 'UI', freshUid(rng));
      doc.setString(Tags.PatientID, 'LO', 'FUZZ-OTHER');
      break;
  }
  return {
    kind: variant.startsWith('SOP') ? 'sopCollision' : 'seriesCollision',
    variant,
    source: slice.source.name,
    expect: 'either',
    bytes: doc.toBytes(),
  };
}

const tagSeriesDescription = tagOf(0x0008, 0x103e);
