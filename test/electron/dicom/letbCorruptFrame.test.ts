import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCoreFrame } from '../../../core/dicom/decodeCoreFrame';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { getEncodedFrames, getPixelInfo } from '../../../core/dicom/pixelData';
import { TS } from '../../../core/dicom/transferSyntax';
import type { DemoGroundTruth } from '../../../core/demo/demoGroundTruth';
import type { Volume } from '../../../core/imaging/volume';
import { evaluatePlacement, timepointLetb } from '../../../core/letb/evaluatePlacement';
import { buildLetbField } from '../../../core/letb/letbField';
import { readNifti } from '../../../core/nifti/readNifti';
import { AppException } from '../../../core/ipc/result';
import { writeDemoStudy } from '../../../electron/services/demo/writeDemoStudy';
import { loadSeriesVolume } from '../../../electron/services/dicom/loadSeriesVolume';
import { encodeJpegLosslessSv1, withEncapsulatedPixelData } from '../../helpers/encapsulate';
import { makeTempDir } from '../../helpers/tempDir';

// Issue 12 item 5: the LETB of a clean series is unchanged when a slice arrives JPEG-lossless
// compressed, and a series with a corrupt compressed slice is refused, naming the file and the
// frame, never measured silently different.
let temp: ReturnType<typeof makeTempDir>;
let truth: DemoGroundTruth;
let root: string;
let mask: Volume<Uint8Array>;

beforeAll(async () => {
  temp = makeTempDir();
  const demo = await writeDemoStudy(join(temp.path, 'demo'), { size: 'small' });
  truth = demo.patientTruths[1]!; // DEMO-0002: 128 x 128 x 72
  const tp = truth.timepoints[0]!;
  root = join(demo.out, tp.folder);
  mask = readNifti(new Uint8Array(readFileSync(join(demo.out, tp.liverMaskNifti)))).volume as Volume<Uint8Array>;
}, 120_000);
afterAll(() => temp.cleanup());

async function letbOf(arterialFolder: string) {
  const load = async (folder: string) =>
    (
      await loadSeriesVolume(
        readdirSync(folder).map((f) => join(folder, f)),
        folder,
      )
    ).volume;
  const field = buildLetbField(await load(arterialFolder), await load(join(root, 'PRE')), mask);
  const placements = truth.timepoints[0]!.roiCentresLpsMm.map((c) =>
    evaluatePlacement(field, { centerLps: c, volumeMl: 1, shape: 'sphere' }),
  );
  return { placements, letbPercent: timepointLetb(placements) };
}

/** A copy of the arterial series with its middle slice re-encoded as JPEG lossless, `damage`d. */
function arterialWithJpegSlice(name: string, damage: (codestream: Uint8Array) => Uint8Array = (c) => c) {
  const folder = join(temp.path, name);
  cpSync(join(root, 'ART'), folder, { recursive: true });
  const files = readdirSync(folder).sort();
  const file = files[Math.floor(files.length / 2)]!;
  const native = new Uint8Array(readFileSync(join(folder, file)));
  const parsed = parseDicom(native);
  const info = getPixelInfo(parsed);
  const pixels = decodeCoreFrame(getEncodedFrames(parsed, info)[0]!, info, parsed.transferSyntax.uid);
  const codestream = encodeJpegLosslessSv1(pixels, info.rows, info.columns, 16);
  writeFileSync(join(folder, file), withEncapsulatedPixelData(native, TS.JPEGLosslessSV1, [damage(codestream)]));
  return { folder, file, pixels };
}

/** The codestream with the sample precision of its SOF3 frame header set to 8. */
function lowerPrecision(c: Uint8Array): Uint8Array {
  const out = c.slice();
  for (let i = 0; i + 4 < out.length; i++) {
    if (out[i] === 0xff && out[i + 1] === 0xc3) {
      out[i + 4] = 8; // FF C3, 2-byte length, then P
      return out;
    }
  }
  throw new Error('no SOF3 marker');
}

describe('LETB with a compressed slice', () => {
  it('is unchanged when the slice is JPEG lossless and intact', async () => {
    const clean = await letbOf(join(root, 'ART'));
    const { folder, file } = arterialWithJpegSlice('art-jpeg');
    expect(parseDicom(new Uint8Array(readFileSync(join(folder, file)))).transferSyntax.uid).toBe(TS.JPEGLosslessSV1);
    const load = async (dir: string) =>
      (
        await loadSeriesVolume(
          readdirSync(dir).map((f) => join(dir, f)),
          'ART',
        )
      ).volume;
    expect((await load(folder)).voxels).toEqual((await load(join(root, 'ART'))).voxels);
    const compressed = await letbOf(folder);
    expect(clean.letbPercent).toBeGreaterThan(0);
    expect(compressed).toEqual(clean);
  }, 60_000);

  it.each([
    [
      'cut short',
      (c: Uint8Array) => new Uint8Array([...c.subarray(0, c.length >> 1), 0xff, 0xd9]),
      /JPEG lossless: the entropy-coded data of scan 1 ends before the last sample/,
    ],
    [
      'without EOI',
      (c: Uint8Array) => c.subarray(0, c.length - 2),
      /JPEG codestream: it ends at byte \d+ without an EOI marker/,
    ],
    [
      'with a second codestream',
      (c: Uint8Array) => new Uint8Array([...c, ...c]),
      /follow EOI .*holding a second codestream/,
    ],
    // The 5,000-file fuzz campaign's find: a lowered SOF precision decoded to other values (LETB 7.13 % -> 6.82 %).
    [
      'with its SOF precision lowered to 8 bits',
      lowerPrecision,
      /JPEG frame header \(SOF\) says 8-bit samples, but the header stores \d+ bits \(Bits Stored\)/,
    ],
  ])(
    'is refused when that slice is %s, naming the series, file and frame',
    async (_name, damage, detail) => {
      const { folder, file } = arterialWithJpegSlice(`art-${_name.replace(/\W/g, '-')}`, damage);
      const err = await letbOf(folder).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppException);
      expect(err).toMatchObject({ code: 'DICOM' });
      const message = (err as AppException).message;
      expect(
        message.startsWith(
          `Series "${folder}": file ${file}: Frame 1 of 1 (JPEG Lossless SV1 (Process 14, selection value 1)): `,
        ),
      ).toBe(true);
      expect(message).toMatch(detail);
    },
    60_000,
  );
});
