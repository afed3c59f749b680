/**
 * DICOM RLE Lossless encoding of one frame (PS3.5 Annex G): one PackBits segment per byte of
 * each sample, most significant byte first, behind the 64-byte header (segment count and
 * fifteen offsets). Only what the fuzz generator needs to re-encode a CT slice.
 * @param samples one frame, `bytesPerSample` little-endian bytes per sample, one sample per pixel
 */
export function rleEncodeFrame(samples: Uint8Array, pixels: number, bytesPerSample: 1 | 2): Uint8Array {
  const segments: Uint8Array[] = [];
  for (let b = bytesPerSample - 1; b >= 0; b--) {
    const plane = new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) plane[i] = samples[i * bytesPerSample + b]!;
    const packed = packBits(plane);
    segments.push(packed.length % 2 === 0 ? packed : concatBytes(packed, new Uint8Array([0x80])));
  }
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, n) => {
    view.setUint32(4 + 4 * n, offset, true);
    offset += s.length;
  });
  return concatBytes(header, ...segments);
}

/** PackBits (Apple TN1023) as DICOM RLE uses it: runs of 2-128 equal bytes, literals of 1-128. */
function packBits(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    let run = 1;
    while (i + run < input.length && run < 128 && input[i + run] === input[i]) run++;
    if (run >= 2) {
      out.push(257 - run, input[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < input.length && i - start < 128 && !(i + 1 < input.length && input[i + 1] === input[i])) i++;
    if (i === start) i++; // a single byte before a run
    out.push(i - start - 1, ...input.subarray(start, i));
  }
  return new Uint8Array(out);
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
