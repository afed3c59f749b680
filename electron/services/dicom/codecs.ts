import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * Adapters over the compressed-pixel codecs: OpenJPEG, CharLS and libjpeg-turbo as WebAssembly
 * builds from Cornerstone, each instantiated once, on first use, and again after a WebAssembly
 * trap (an abort or out-of-bounds access leaves the instance unusable). Each returns the decoded
 * samples as little-endian bytes plus what the codestream says about them, so the caller can
 * apply the DICOM pixel description. JPEG lossless is decoded in core/ (decodeJpegLosslessFrame).
 */
/** A codec refused or failed on a codestream; the message says which codec and how. */
export class CodecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CodecError';
  }
}

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

const require = createRequire(import.meta.url);

interface LazyModule<M> {
  (): Promise<M>;
  /** Drops the instance so the next call instantiates the module afresh. */
  reset(): void;
}

/** One promise per codec module: the WASM is compiled once and shared by every decode. */
function lazyModule<M>(packageName: string): LazyModule<M> {
  let loading: Promise<M> | undefined;
  const get = () => {
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
  return Object.assign(get, { reset: () => void (loading = undefined) });
}

const openJpeg = lazyModule<OpenJpegModule>('@cornerstonejs/codec-openjpeg');
const charls = lazyModule<CharlsModule>('@cornerstonejs/codec-charls');
const libJpegTurbo = lazyModule<LibJpegTurboModule>('@cornerstonejs/codec-libjpeg-turbo-8bit');

/** JPEG 2000 Part 1 codestream or JP2 file (PS3.5 §8.2.4) with OpenJPEG. */
export async function decodeJpeg2000(encoded: Uint8Array): Promise<CodecOutput> {
  const { J2KDecoder } = await openJpeg();
  return runWasmDecoder('OpenJPEG', new J2KDecoder(), encoded, () => false, openJpeg.reset);
}

/** JPEG-LS lossless or near-lossless (PS3.5 §8.2.3) with CharLS. */
export async function decodeJpegLs(encoded: Uint8Array): Promise<CodecOutput> {
  const { JpegLSDecoder } = await charls();
  return runWasmDecoder(
    'CharLS',
    new JpegLSDecoder(),
    encoded,
    (d) => (d as CharlsDecoder).getInterleaveMode() === 0,
    charls.reset,
  );
}

/** 8-bit JPEG baseline/extended (PS3.5 §8.2.1) with libjpeg-turbo; YCbCr comes back as RGB. */
export async function decodeJpegBaseline(encoded: Uint8Array): Promise<CodecOutput> {
  const { JPEGDecoder } = await libJpegTurbo();
  return runWasmDecoder('libjpeg-turbo', new JPEGDecoder(), encoded, () => false, libJpegTurbo.reset);
}

/**
 * Runs one decode. Failures come back as Errors with a reason: C++ exceptions reach JavaScript
 * as bare numbers (pointers), WebAssembly traps (abort(), out-of-bounds) as RuntimeErrors,
 * after which the module instance is dropped.
 */
function runWasmDecoder(
  codec: string,
  decoder: WasmDecoder,
  encoded: Uint8Array,
  isPlanar: (d: WasmDecoder) => boolean,
  reset: () => void,
): CodecOutput {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.width === 0 || info.height === 0)
      throw new CodecError(`${codec} cannot decode the codestream: it is corrupt or truncated.`);
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
    if (err instanceof CodecError) throw err;
    // WebAssembly.RuntimeError (Node's types do not declare it as a value).
    if (err instanceof Error && err.name === 'RuntimeError') {
      reset();
      throw new CodecError(`${codec} stopped on the codestream (WebAssembly: ${err.message}).`, { cause: err });
    }
    // A C++ exception arrives as a bare number (a pointer to the exception object).
    if (!(err instanceof Error))
      throw new CodecError(`${codec} cannot decode the codestream: it is corrupt or not what the header says.`, {
        cause: err,
      });
    throw new CodecError(`${codec} cannot decode the codestream (${err.name}: ${err.message}).`, { cause: err });
  } finally {
    try {
      decoder.delete();
    } catch {
      // A trapped instance may not even free its decoder; it has been dropped above.
      reset();
    }
  }
}
