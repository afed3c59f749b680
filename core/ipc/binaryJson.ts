import { decodeUtf8, encodeUtf8 } from '../text/utf8';

/**
 * A JSON value whose typed arrays travel as raw bytes, for transports that cannot carry them
 * (HTTP; Electron IPC clones typed arrays itself). Layout: "CBJ1", uint32 LE JSON length, the
 * JSON (UTF-8), zero padding to 8 bytes, then each array's bytes, each starting 8-aligned.
 * In the JSON an array is {"$typed": "<constructor name>", "offset": bytes, "length": elements}.
 * Byte order is the machine's: both ends run on the same computer.
 */
const magic = [0x43, 0x42, 0x4a, 0x31]; // "CBJ1"

const constructors = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof constructors;
type Typed = InstanceType<(typeof constructors)[TypedName]>;

function typedName(value: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = value.constructor.name as TypedName;
  return name in constructors ? name : undefined;
}

/** True when `value` holds at least one typed array (then HTTP sends it as binary JSON). */
export function containsTypedArray(value: unknown, depth = 0): boolean {
  if (typedName(value)) return true;
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => containsTypedArray(v, depth + 1));
}

export function encodeBinaryJson(value: unknown): Uint8Array {
  const arrays: Typed[] = [];
  let offset = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (!name) return v;
    const arr = v as Typed;
    const entry = { $typed: name, offset, length: arr.length };
    arrays.push(arr);
    offset += align8(arr.byteLength);
    return entry;
  });
  const jsonBytes = encodeUtf8(json);
  const head = align8(8 + jsonBytes.length);
  const out = new Uint8Array(head + offset);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(4, jsonBytes.length, true);
  out.set(jsonBytes, 8);
  let at = head;
  for (const arr of arrays) {
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), at);
    at += align8(arr.byteLength);
  }
  return out;
}

/**
 * @throws RangeError when the bytes are not binary JSON written by `encodeBinaryJson`
 */
export function decodeBinaryJson(bytes: Uint8Array): unknown {
  if (bytes.length < 8 || magic.some((m, i) => bytes[i] !== m)) throw new RangeError('Not binary JSON (bad magic).');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (8 + jsonLength > bytes.length) throw new RangeError('Binary JSON is truncated.');
  const json = decodeUtf8(bytes.subarray(8, 8 + jsonLength));
  if (json === undefined) throw new RangeError('Binary JSON text is not UTF-8.');
  const head = align8(8 + jsonLength);
  // Copy the tail once into an aligned buffer so every array can be a view on it.
  const tail = bytes.slice(head);
  return JSON.parse(json, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || !('$typed' in v)) return v;
    const { $typed, offset, length } = v as { $typed: string; offset: number; length: number };
    const Ctor = constructors[$typed as TypedName];
    if (!Ctor || !Number.isInteger(offset) || !Number.isInteger(length) || offset % 8 !== 0)
      throw new RangeError(`Bad typed array entry ${$typed}.`);
    if (offset + length * Ctor.BYTES_PER_ELEMENT > tail.length)
      throw new RangeError('Binary JSON array runs past the end.');
    return new Ctor(tail.buffer, tail.byteOffset + offset, length);
  });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

export const binaryJsonContentType = 'application/x-concord-binary-json';
