import { describe, expect, it } from 'vitest';
import { containsTypedArray, decodeBinaryJson, encodeBinaryJson } from '../../core/ipc/binaryJson';
import { decodeUtf8, encodeUtf8 } from '../../core/text/utf8';

describe('binary JSON', () => {
  it('round-trips nested typed arrays of every kind with plain values around them', () => {
    const value = {
      ok: true,
      value: {
        name: 'Leber arteriell — µ',
        dims: [3, 2, 1],
        voxels: Int16Array.from([-1024, 0, 1, 32767, -32768, 55]),
        mask: Uint8Array.from([1, 0, 1]),
        more: [
          Float32Array.from([0.5, -2.25]),
          Float64Array.from([Math.PI]),
          Uint16Array.from([65535]),
          Int32Array.from([-7]),
        ],
      },
    };
    const decoded = decodeBinaryJson(encodeBinaryJson(value)) as typeof value;
    expect(decoded).toEqual(value);
    expect(decoded.value.voxels).toBeInstanceOf(Int16Array);
    expect(decoded.value.more[0]).toBeInstanceOf(Float32Array);
  });

  it('handles a subarray view (offset into a larger buffer) and an empty array', () => {
    const big = Int16Array.from([9, 8, 7, 6, 5]);
    const decoded = decodeBinaryJson(encodeBinaryJson({ a: big.subarray(1, 4), b: new Float32Array(0) })) as {
      a: Int16Array;
      b: Float32Array;
    };
    expect([...decoded.a]).toEqual([8, 7, 6]);
    expect(decoded.b.length).toBe(0);
  });

  it('rejects bytes that are not binary JSON', () => {
    expect(() => decodeBinaryJson(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(RangeError);
    const ok = encodeBinaryJson({ v: Int16Array.from([1, 2, 3, 4]) });
    expect(() => decodeBinaryJson(ok.subarray(0, ok.length - 8))).toThrow(/runs past the end/);
  });

  it('detects typed arrays anywhere in a value', () => {
    expect(containsTypedArray({ a: [{ b: new Uint8Array(1) }] })).toBe(true);
    expect(containsTypedArray({ a: [1, 'x', null] })).toBe(false);
  });
});

describe('utf8', () => {
  it.each(['', 'ascii', 'Portalvenös', '日本語', '𝔘𝔫𝔦'])('round-trips %s like TextEncoder', (s) => {
    expect([...encodeUtf8(s)]).toEqual([...new TextEncoder().encode(s)]);
    expect(decodeUtf8(encodeUtf8(s))).toBe(s);
  });
  it('rejects invalid UTF-8', () => {
    expect(decodeUtf8(Uint8Array.from([0xc3, 0x28]))).toBeUndefined();
  });
});
