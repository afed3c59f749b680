import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DicomDataError } from '../../core/dicom/dicomDataError';
import { DicomParseError, parseDicom } from '../../core/dicom/parseDicom';
import { AppException } from '../../core/ipc/result';
import { decodeFrames } from '../../electron/services/dicom/decodeFrame';
import { isUnexpectedMessage } from './run/outcomes';
// A type only (erased): the fixture maker's top-level code never runs here.
import type { Verdict } from './fixtures/codestreams/makeFixtures';

// Corrupt JPEG lossless, JPEG-LS, 12-bit JPEG and RLE codestreams, committed with what dcmtk's
// decoders (dcmdjpeg, dcmdjpls, dcmdrle) made of each (fixtures/codestreams/makeFixtures.ts;
// dcmtk only made the fixtures). Concord's decoders must refuse what dcmtk refuses or warns
// about, and otherwise refuse or give dcmtk's pixels exactly; never an unexpected error.

const dir = fileURLToPath(new URL('./fixtures/codestreams/', import.meta.url));
const verdicts = JSON.parse(readFileSync(join(dir, 'verdicts.json'), 'utf8')) as Verdict[];

type Concord =
  { kind: 'refused'; message: string } | { kind: 'decoded'; sha256: string } | { kind: 'unexpected'; message: string };

async function concordDecode(file: string): Promise<Concord> {
  try {
    const { frames } = await decodeFrames(parseDicom(new Uint8Array(readFileSync(join(dir, file)))));
    const hash = createHash('sha256');
    for (const f of frames) hash.update(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
    return { kind: 'decoded', sha256: hash.digest('hex') };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const named = err instanceof AppException || err instanceof DicomDataError || err instanceof DicomParseError;
    return named && !isUnexpectedMessage(message)
      ? { kind: 'refused', message }
      : { kind: 'unexpected', message: `${err instanceof Error ? err.name : typeof err}: ${message}` };
  }
}

describe('corrupt codestreams against dcmtk', () => {
  it('has the committed fixtures: intact ones dcmtk decodes, corrupt ones it refuses, warns about or decodes', () => {
    expect(verdicts.length).toBeGreaterThan(60);
    expect(verdicts.filter((v) => v.corruption === 'intact').every((v) => !v.refused && !v.warned)).toBe(true);
    expect(verdicts.filter((v) => v.refused).length).toBeGreaterThan(30);
  });

  it.each(
    verdicts.map(
      (v) =>
        [
          `${v.file}: ${v.corruption} (${v.source}); ${v.tool} ${v.refused ? 'refuses' : v.warned ? 'warns' : 'decodes'}${v.message ? `: ${v.message}` : ''}`,
          v,
        ] as const,
    ),
  )(
    '%s',
    async (_name, v) => {
      const got = await concordDecode(v.file);
      expect(got.kind === 'unexpected' ? got.message : '', 'no unexpected error').toBe('');
      if (v.refused || v.warned) {
        expect(got.kind, 'dcmtk refuses or warns: Concord refuses').toBe('refused');
      } else if (got.kind === 'decoded') {
        expect(got.sha256, "decoded: dcmtk's pixels").toBe(v.pixelSha256);
      }
      // A slow refusal is still a refusal here; the campaign's per-file timeout judges hangs.
    },
    120_000,
  );
});
