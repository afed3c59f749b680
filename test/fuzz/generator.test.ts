import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { crc32, gunzipSync } from 'node:zlib';
import { parseDicom } from '../../core/dicom/parseDicom';
import { runCli } from '../../electron/cli/run';
import { decodeFrames } from '../../electron/services/dicom/decodeFrame';
import { makeTempDir } from '../helpers/tempDir';
import { loadCorpus, sharedSources, type Corpus } from './corpus';
import { parseDoc, Tags } from './dicom/dicomDoc';
import { compressSlice } from './dicom/pixels';
import { generateCase, pixelDataOnly } from './generateCase';
import { crc32Combine, crc32OfZeros, gzipZeroBomb, multiMember } from './masks/gzip';
import { dicomMutation } from './mutations/dicomMutations';
import { createRng } from './rng';

// The instrument itself: if the generator were wrong, the campaign's verdicts would be too.

describe('dicomDoc', () => {
  it('takes every parseable shared DICOM file apart and puts it back byte for byte', () => {
    let checked = 0;
    for (const s of sharedSources()) {
      if (!s.doc || s.doc.deflated) continue; // deflated: the same data set, deflated again differently
      expect(Buffer.compare(Buffer.from(s.doc.toBytes()), Buffer.from(s.bytes)), s.name).toBe(0);
      checked++;
    }
    // 191 files in ../shared/data/dicom; only a few truncated or odd ones resist (they get byte-level mutations).
    expect(checked).toBeGreaterThan(170);
  });
});

describe('the generator on the demo cohort', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let corpus: Corpus;
  beforeAll(async () => {
    temp = makeTempDir('concord-fuzz-gen-');
    const out = join(temp.path, 'demo');
    const io = { out: () => undefined, err: () => undefined };
    expect(await runCli(['demo', '--out', out, '--size', 'small'], io)).toBe(0);
    corpus = loadCorpus(out);
  }, 120_000);
  afterAll(() => temp.cleanup());

  it('re-makes a case from (seed, index) alone, byte for byte', async () => {
    for (const index of [0, 7, 123, 999]) {
      const a = await generateCase(corpus, 42, index);
      const b = await generateCase(corpus, 42, index);
      expect(b.variant).toBe(a.variant);
      expect(createHash('sha256').update(b.bytes).digest('hex')).toBe(
        createHash('sha256').update(a.bytes).digest('hex'),
      );
    }
    const other = await generateCase(corpus, 43, 7);
    const first = await generateCase(corpus, 42, 7);
    expect(`${other.family}/${other.variant}/${other.bytes.length}`).not.toBe(
      `${first.family}/${first.variant}/${first.bytes.length}`,
    );
  }, 60_000);

  it('re-encodes a CT slice losslessly: every codec decodes to the same stored values', async () => {
    const slice = corpus.arterial.find((s) => s.roi)!.source;
    const clean = (await decodeFrames(parseDicom(slice.bytes))).frames[0]!;
    for (const codec of ['rle', 'jpegLossless', 'j2k'] as const) {
      const bytes = (await compressSlice(slice.doc!, codec)).doc.toBytes();
      const frame = (await decodeFrames(parseDicom(bytes))).frames[0]!;
      expect([...frame], codec).toEqual([...clean]);
    }
  });

  it('keeps every HU value in the "same" re-encodings (values and rescale change together)', async () => {
    const slice = corpus.arterial.find((s) => s.roi)!.source;
    // HU read by the generator's own parser; compressed frames decoded by Concord's decoders
    // (checked against dcmtk's dcmdjpeg/dcmdrle when the encoders were written).
    const hu = async (bytes: Uint8Array) => {
      const doc = parseDoc(bytes);
      const slope = Number(doc.string(Tags.RescaleSlope) ?? '1');
      const intercept = Number(doc.string(Tags.RescaleIntercept) ?? '0');
      const signed = doc.us(Tags.PixelRepresentation) === 1;
      let stored: number[];
      if (doc.encapsulated) stored = [...(await decodeFrames(parseDicom(bytes))).frames[0]!];
      else {
        const v = doc.value(Tags.PixelData)!;
        const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
        stored = Array.from({ length: v.length / 2 }, (_, i) =>
          signed ? view.getInt16(2 * i, doc.encoding.littleEndian) : view.getUint16(2 * i, doc.encoding.littleEndian),
        );
      }
      return stored.map((x) => x * slope + intercept);
    };
    const clean = await hu(slice.bytes);
    const m = dicomMutation('reencode');
    const seen = new Set<string>();
    for (let seed = 0; seen.size < 9 && seed < 400; seed++) {
      const r = await m.mutate(slice, createRng(seed));
      if (!r || seen.has(r.variant)) continue;
      seen.add(r.variant);
      expect(r.expect).toBe('same');
      expect(await hu(r.bytes), r.variant).toEqual(clean);
    }
    expect(seen.size).toBe(9);
  });

  it('tells a pixel-data-only mutation (which a header-only import cannot see) from a header one', async () => {
    const slice = corpus.arterial.find((s) => s.roi)!.source;
    const rle = parseDoc((await compressSlice(slice.doc!, 'rle')).doc.toBytes());
    const source = { name: 'rle', bytes: rle.toBytes(), doc: rle };
    const flipped = source.bytes.slice();
    flipped[flipped.length - 20]! ^= 1;
    expect(pixelDataOnly(source, flipped)).toBe(true);
    const relabelled = parseDoc(source.bytes).setString(Tags.RescaleIntercept, 'DS', '-1000').toBytes();
    expect(pixelDataOnly(source, relabelled)).toBe(false);
    // A deflated data set: judged on what the stream inflates to.
    const deflated = parseDoc(slice.bytes).setString(Tags.TransferSyntaxUID, 'UI', '1.2.840.10008.1.2.1.99');
    deflated.deflated = true;
    const dSource = { name: 'deflated', bytes: deflated.toBytes(), doc: parseDoc(deflated.toBytes()) };
    const cut = dSource.bytes.slice(0, dSource.bytes.length - 50);
    expect(pixelDataOnly(dSource, cut)).toBe(true);
    const headerCut = dSource.bytes.slice(0, 400);
    expect(pixelDataOnly(dSource, headerCut)).toBe(false);
  });

  it('judges a corrupted re-encoding (RLE, JPEG, JPEG 2000, deflate of a native slice) against the clean re-encoding, not the native source', async () => {
    let checked = 0;
    for (let i = 0; i < 400 && checked < 20; i++) {
      const c = await generateCase(corpus, 11, i);
      // The demo's native slices are re-encoded before their codestream is corrupted: the
      // header of the re-encoding is untouched.
      if (c.kind === 'codestream' && c.source.startsWith('demo:')) {
        expect(c.pixelDataOnly, `${c.kind} ${c.variant} [${c.source}]`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('makes every family and a spread of kinds', async () => {
    const kinds = new Set<string>();
    const families = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const c = await generateCase(corpus, 5, i);
      families.add(c.family);
      kinds.add(`${c.family}/${c.kind}`);
      expect(c.bytes.length).toBeGreaterThan(0);
      expect(c.variant).not.toBe('');
    }
    expect([...families].sort()).toEqual(['hostile', 'import', 'join', 'letb', 'mask']);
    expect(kinds.size).toBeGreaterThan(40);
  }, 120_000);
});

describe('gzip helpers', () => {
  it('combines CRC-32s as zlib does', () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([9, 8, 7, 6]);
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(new Uint8Array([1, 2, 3, 9, 8, 7, 6])));
    let zeros = 0;
    for (let i = 0; i < 3; i++) zeros = crc32(new Uint8Array(2 ** 20), zeros);
    expect(crc32OfZeros(3 * 2 ** 20)).toBe(zeros);
  });

  it('writes bombs and multi-member files that zlib reads back whole (CRC and ISIZE checked)', () => {
    const head = new Uint8Array([5, 6, 7]);
    const out = gunzipSync(gzipZeroBomb(head, 2 * 2 ** 20, new Uint8Array([1])));
    expect(out.length).toBe(3 + 2 * 2 ** 20 + 1);
    expect([out[0], out[2], out[3], out[out.length - 1]]).toEqual([5, 7, 0, 1]);
    const data = new Uint8Array(1000).map((_, i) => i % 251);
    expect([...gunzipSync(multiMember(data, 4))]).toEqual([...data]);
  });
});

describe('dicomDoc on generated files', () => {
  it('parses what it writes', async () => {
    const src = sharedSources().find((s) => s.name.endsWith('CT_small.dcm'))!;
    const doc = parseDoc(src.bytes);
    doc.setString(0x00100010, 'PN', 'FUZZ^NAME');
    expect(parseDoc(doc.toBytes()).string(0x00100010)).toBe('FUZZ^NAME');
  });
});
