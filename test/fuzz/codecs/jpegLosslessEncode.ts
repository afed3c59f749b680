/**
 * JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, selection value 1; the
 * DICOM transfer syntax 1.2.840.10008.1.2.4.70) for one grey-scale frame of 16-bit samples.
 * ITU-T T.81 Annex H: predictor Ra (left), Rb (above) on the first column, 2^(P-1) for the first
 * sample; differences modulo 2^16 coded as a Huffman category (SSSS, Table H.2) plus SSSS extra
 * bits. One fixed Huffman table gives every category a 5-bit code (valid, not optimal).
 * @param samples rows × columns unsigned 16-bit samples (the stored bit patterns)
 */
export function jpegLosslessEncode(samples: Uint16Array, rows: number, columns: number): Uint8Array {
  if (samples.length !== rows * columns) throw new RangeError('samples do not fill the frame');
  const out: number[] = [];
  const marker = (m: number) => out.push(0xff, m);
  const u16 = (v: number) => out.push((v >>> 8) & 0xff, v & 0xff);
  marker(0xd8);
  // SOF3: precision 16, Y, X, one component (id 1, 1x1 sampling, no quantisation table).
  marker(0xc3);
  u16(11);
  out.push(16);
  u16(rows);
  u16(columns);
  out.push(1, 1, 0x11, 0);
  // DHT: DC table 0; 17 codes (categories 0..16) of 5 bits each.
  marker(0xc4);
  u16(2 + 1 + 16 + 17);
  out.push(0x00);
  for (let len = 1; len <= 16; len++) out.push(len === 5 ? 17 : 0);
  for (let s = 0; s <= 16; s++) out.push(s);
  // SOS: one component, table 0, Ss = 1 (predictor Ra), Se = 0, Ah/Al = 0.
  marker(0xda);
  u16(8);
  out.push(1, 1, 0x00, 1, 0, 0);

  let acc = 0;
  let bits = 0;
  const put = (value: number, n: number) => {
    for (let b = n - 1; b >= 0; b--) {
      acc = (acc << 1) | ((value >>> b) & 1);
      if (++bits === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0x00);
        acc = 0;
        bits = 0;
      }
    }
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = samples[r * columns + c]!;
      const predicted =
        r === 0 && c === 0 ? 0x8000 : c === 0 ? samples[(r - 1) * columns]! : samples[r * columns + c - 1]!;
      let diff = (x - predicted) & 0xffff;
      if (diff > 0x8000) diff -= 0x10000;
      const magnitude = Math.abs(diff);
      const ssss = diff === 0x8000 ? 16 : magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
      put(ssss, 5);
      if (ssss > 0 && ssss < 16) put(diff > 0 ? diff : diff + (1 << ssss) - 1, ssss);
    }
  }
  if (bits > 0) put(0x7f, 8 - bits); // pad with 1-bits (T.81 F.1.2.3)
  marker(0xd9);
  return new Uint8Array(out);
}
