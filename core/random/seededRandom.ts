/**
 * A deterministic pseudo-random stream: the same seed gives the same numbers wherever Math.log and
 * Math.exp round alike (every Node / V8 build: they are fdlibm ports, not the C library).
 */
export interface SeededRandom {
  /** Uniform on [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

/**
 * A seeded generator for synthetic data and randomized tests (STYLE B7): sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes PractRand) seeded through
 * splitmix32, with standard normals from the 128-layer ziggurat of Marsaglia and Tsang (fast
 * enough for tens of millions of noisy voxels; the tail beyond 3.4426 is sampled exactly).
 * References: Doty-Humphrey C, PractRand (sfc32); Marsaglia G, Tsang WW. J Stat Softw 2000;5(8).
 * @param seed any number; its integer part mod 2^32 selects the stream
 */
export function createSeededRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32() | 0;
  let b = splitmix32() | 0;
  let c = splitmix32() | 0;
  let d = splitmix32() | 0;
  /** Next sfc32 output as a signed 32-bit integer. */
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t;
  };
  // Discard the first outputs, as the sfc32 reference seeding does.
  for (let n = 0; n < 12; n++) next();
  const uniform = (): number => (next() >>> 0) / 4294967296;

  return {
    uniform,
    normal(): number {
      let hz = next();
      let iz = hz & 127;
      if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
      for (;;) {
        const x = hz * wn[iz]!;
        if (iz === 0) {
          // Base strip: sample the tail beyond r exactly (Marsaglia 1964).
          let tx: number;
          let ty: number;
          do {
            tx = -Math.log(1 - uniform()) / zigguratR;
            ty = -Math.log(1 - uniform());
          } while (ty + ty < tx * tx);
          return hz > 0 ? zigguratR + tx : -zigguratR - tx;
        }
        if (fn[iz]! + uniform() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
        hz = next();
        iz = hz & 127;
        if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
      }
    },
  };
}

// Ziggurat tables for 128 layers (Marsaglia & Tsang 2000, RNOR): r = 3.442619855899 and
// v = 9.91256303526217e-3 the common area of the layers.
const zigguratR = 3.442619855899;
const kn = new Int32Array(128);
const wn = new Float64Array(128);
const fn = new Float64Array(128);
{
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = zigguratR;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * m1);
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
}
