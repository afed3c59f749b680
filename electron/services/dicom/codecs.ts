import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * Adapters over the compressed-pixel codecs: OpenJPEG, CharLS and libjpeg-turbo as WebAssembly
 * builds from Cornerstone (each instantiated once, on first use) and jpeg-lossless-decoder-js.
 * Each returns the decoded samples as little-endian bytes plus what the codestream says about
 * them, so the caller can apply the DICOM pixel description.
 */
export interface CodecOutput {
  width: number;
  height: number;
  components: number;
  /** Sample precision declared by the codestream. */
  bitsPerSample: number;
  /** Bytes per sample in `data`: 1 for precision ≤ 8, else 2. */
  bytesPerSample: 1 | 2;
  /** The codestream declares signed samples (JPEG 2000 only). */
  signed: boolean;
  /** Samples are stored component by component (all of sample 0 first), not pixel-interleaved. */
  planar: boolean;
  data: Uint8Array;
}

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** The decoder classes the Cornerstone codec builds export (embind objects: call delete()). */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}
interface CharlsDecoder extends WasmDecoder {
  /** 0 = none (planar), 1 = line, 2 = sample interleaved. */
  getInterleaveMode(): number;
}
interface OpenJpegModule {
  J2KDecoder: new () => WasmDecoder;
}
interface CharlsModule {
  JpegLSDecoder: new () => CharlsDecoder;
}
interface LibJpegTurboModule {
  JPEGDecoder: new () => WasmDecoder;
}
interface EmscriptenOptions {
  wasmBinary: Uint8Array;
  print(text: string): void;
  printErr(text: string): void;
}
type EmscriptenFactory<M> = (options: EmscriptenOptions) => Promise<M>;
interface JpegLosslessModule {
  Decoder: new () => { decode(buffer: ArrayBuffer, offset: number, length: number): Uint8Array | Uint16Array; precision: number; numComp: number; xDim: number; yDim: number };
}

const require = createRequire(import.meta.url);

/** One promise per codec module: the WASM is compiled once and shared by every decode. */
function lazyModule<M>(packageName: string): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () => {
    loading ??= (async () => {
      const factory = require(`${packageName}/decodewasmjs`) as EmscriptenFactory<M>;
      const wasmBinary = await readFile(require.resolve(`${packageName}/decodewasm`));
      // The builds log progress ("[INFO] …") on stdout; decoding errors surface as exceptions.
      return factory({ wasmBinary, print: () => undefined, printErr: () => undefined });
    })().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

const openJpeg = lazyModule<OpenJpegModule>('@cornerstonejs/codec-openjpeg');
const charls = lazyModule<CharlsModule>('@cornerstonejs/codec-charls');
const libJpegTurbo = lazyModule<LibJpegTurboModule>('@cornerstonejs/codec-libjpeg-turbo-8bit');

/** JPEG 2000 Part 1 codestream or JP2 file (PS3.5 §8.2.4) with OpenJPEG. */
export async function decodeJpeg2000(encoded: Uint8Array): Promise<CodecOutput> {
  const { J2KDecoder } = await openJpeg();
  return runWasmDecoder(new J2KDecoder(), encoded, () => false);
}

/** JPEG-LS lossless or near-lossless (PS3.5 §8.2.3) with CharLS. */
export async function decodeJpegLs(encoded: Uint8Array): Promise<CodecOutput> {
  const { JpegLSDecoder } = await charls();
  return runWasmDecoder(new JpegLSDecoder(), encoded, (d) => (d as CharlsDecoder).getInterleaveMode() === 0);
}

/** 8-bit JPEG baseline/extended (PS3.5 §8.2.1) with libjpeg-turbo; YCbCr comes back as RGB. */
export async function decodeJpegBaseline(encoded: Uint8Array): Promise<CodecOutput> {
  const { JPEGDecoder } = await libJpegTurbo();
  return runWasmDecoder(new JPEGDecoder(), encoded, () => false);
}

/** JPEG lossless, process 14, any selection value (PS3.5 §8.2.1) with jpeg-lossless-decoder-js. */
export function decodeJpegLossless(encoded: Uint8Array): CodecOutput {
  const { Decoder } = require('jpeg-lossless-decoder-js') as JpegLosslessModule;
  const decoder = new Decoder();
  const samples = decoder.decode(encoded.buffer as ArrayBuffer, encoded.byteOffset, encoded.length);
  const bytesPerSample = samples.BYTES_PER_ELEMENT as 1 | 2;
  return {
    width: decoder.xDim,
    height: decoder.yDim,
    components: decoder.numComp,
    bitsPerSample: decoder.precision,
    bytesPerSample,
    signed: false,
    planar: false,
    data: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
  };
}

/**
 * Sample precision of a JPEG stream, from its first SOF marker (ITU-T T.81 §B.2.2), or
 * undefined when none is found before the first scan.
 */
export function jpegPrecision(encoded: Uint8Array): number | undefined {
  let pos = 2;
  while (pos + 4 <= encoded.length) {
    if (encoded[pos] !== 0xff) return undefined;
    const marker = encoded[pos + 1]!;
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === 0xda) return undefined;
    const length = (encoded[pos + 2]! << 8) | encoded[pos + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return encoded[pos + 4];
    pos += 2 + length;
  }
  return undefined;
}

function runWasmDecoder(decoder: WasmDecoder, encoded: Uint8Array, isPlanar: (d: WasmDecoder) => boolean): CodecOutput {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width === 0 || info.height === 0) throw new Error('the codestream could not be decoded');
    // The decoded buffer is a view into WASM memory that delete() frees: copy it out first.
    const data = new Uint8Array(decoder.getDecodedBuffer());
    return {
      width: info.width,
      height: info.height,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      bytesPerSample: info.bitsPerSample <= 8 ? 1 : 2,
      signed: info.isSigned === true,
      planar: info.componentCount > 1 && isPlanar(decoder),
      data,
    };
  } catch (err) {
    // C++ exceptions reach JavaScript as bare numbers (pointers), not Errors.
    throw err instanceof Error ? err : new Error('the codec rejected the data');
  } finally {
    decoder.delete();
  }
}
