import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface J2KEncoder {
  getDecodedBuffer(info: {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }): Uint8Array;
  setDecompositions(n: number): void;
  setQuality(lossless: boolean, quality: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}
interface OpenJpegModule {
  J2KEncoder: new () => J2KEncoder;
}

const require = createRequire(import.meta.url);
let module: Promise<OpenJpegModule> | undefined;

/**
 * Lossless JPEG 2000 codestream (J2C, as DICOM 1.2.840.10008.1.2.4.90 carries it) of one
 * grey-scale 16-bit frame, through the OpenJPEG WebAssembly build's encoder (the full build of
 * the package Concord decodes with; the generator only needs a valid codestream to corrupt).
 * @param samples rows × columns 16-bit samples, little-endian
 */
export async function j2kEncode(
  samples: Uint8Array,
  rows: number,
  columns: number,
  signed: boolean,
): Promise<Uint8Array> {
  module ??= (async () => {
    const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<OpenJpegModule>;
    const wasmBinary = readFileSync(require.resolve('@cornerstonejs/codec-openjpeg/wasm'));
    return factory({ wasmBinary, print: () => undefined, printErr: () => undefined });
  })();
  const m = await module;
  const encoder = new m.J2KEncoder();
  try {
    encoder
      .getDecodedBuffer({
        width: columns,
        height: rows,
        bitsPerSample: 16,
        componentCount: 1,
        isSigned: signed,
        isUsingColorTransform: false,
      })
      .set(samples);
    encoder.setDecompositions(Math.max(1, Math.min(5, Math.floor(Math.log2(Math.min(rows, columns))) - 2)));
    encoder.setQuality(true, 0);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}
