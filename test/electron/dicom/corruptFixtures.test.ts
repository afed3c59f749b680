import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../../../core/dicom/parseDicom';
import { TS } from '../../../core/dicom/transferSyntax';
import { AppException } from '../../../core/ipc/result';
import { decodeFrames } from '../../../electron/services/dicom/decodeFrame';
import { projectRoot } from '../../../electron/platform/paths';
import { valuesDigest } from '../../fixtures/dicom/sharedData';
import oracles from '../../fixtures/dicom/corrupt/oracles.json';

// Every fixture is one mutation of a file in ../shared/data, made by
// test/fixtures/dicom/corrupt/make_corrupt.py, which also recorded what an independent decoder
// says of it: dcmtk 3.6.7 (dcmdjpeg, dcmdjpls, dcmdrle, dcm2pnm) and, for JPEG 2000 (which
// dcmtk 3.6.7 cannot decode), OpenJPEG's opj_decompress 2.5.0. Concord must refuse exactly the
// fixtures the oracle refuses, plus those listed as `concordStricter` (pixel data that does not
// match its header, which the oracle decodes anyway), and decode every other one to the pixels
// the oracle decoded.

interface OracleVerdict {
  tool: string;
  exitCode: number | null;
  firstLine: string;
  refused: boolean;
  pixels?: { sha256: string; frames: number; sum: number; min: number; max: number };
}
interface FixtureRecord {
  source: string;
  mutation: string;
  transferSyntax: string;
  oracle: OracleVerdict;
  concordStricter?: string;
}

const fixtures = (oracles as unknown as { fixtures: Record<string, FixtureRecord> }).fixtures;
const dir = join(projectRoot, 'test', 'fixtures', 'dicom', 'corrupt');
const names = Object.keys(fixtures).sort();

type Outcome = { refused: false; digest: string; sum: number; frames: number } | { refused: true; error: unknown };

async function decodeFixture(name: string): Promise<Outcome> {
  try {
    const { frames } = await decodeFrames(parseDicom(new Uint8Array(readFileSync(join(dir, `${name}.dcm`)))));
    let sum = 0;
    for (const f of frames) for (let i = 0; i < f.length; i++) sum += f[i]!;
    return { refused: false, digest: valuesDigest(frames), sum, frames: frames.length };
  } catch (error) {
    return { refused: true, error };
  }
}

describe('corrupt pixel data: Concord refuses what the independent decoders refuse', () => {
  it('has the fixtures the script made', () => {
    expect(names.length).toBeGreaterThanOrEqual(100);
  });

  it.each(names)('%s', async (name) => {
    const record = fixtures[name]!;
    const outcome = await decodeFixture(name);
    const shouldRefuse = record.oracle.refused || record.concordStricter !== undefined;
    const context = `${record.mutation}; ${record.oracle.tool} said: ${record.oracle.firstLine || 'nothing'}`;
    if (shouldRefuse) {
      expect(outcome.refused, context).toBe(true);
      const error = (outcome as { error: unknown }).error;
      // A clear DICOM error naming the frame, never an unexpected (INTERNAL) one.
      expect(error, context).toBeInstanceOf(AppException);
      expect((error as AppException).code).toBe('DICOM');
      expect((error as AppException).message).toMatch(/[Ff]rame|[Ff]ragment|Pixel Data|Rows/);
      return;
    }
    expect(outcome, context).toMatchObject({ refused: false });
    const decoded = outcome as Extract<Outcome, { refused: false }>;
    const pixels = record.oracle.pixels!;
    expect(decoded.frames).toBe(pixels.frames);
    if (record.transferSyntax === TS.JPEGBaseline8Bit) {
      // libjpeg-turbo and dcmtk's IJG decoder round the IDCT and colour conversion differently
      // (see decodeFrames.test.ts): the mean differs by less than half a grey level.
      expect(Math.abs(decoded.sum - pixels.sum) / (100 * 100 * 3 * pixels.frames)).toBeLessThan(0.5);
    } else {
      expect(decoded.digest, context).toBe(pixels.sha256);
    }
  });
});
