import { incompleteGammaTails } from './incompleteGamma';

/**
 * Both tails at |z| through the incomplete gamma function: for Z ~ N(0, 1),
 * P(|Z| > |z|) = Q(½, z²/2) (Z² is chi-square with 1 df), so Φ(−|z|) = Q(½, z²/2) / 2.
 */
function absoluteTail(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('normal deviate is NaN');
  return incompleteGammaTails(0.5, (z * z) / 2).upper;
}

/**
 * Standard normal cumulative distribution function Φ(z) = P(Z ≤ z), R `pnorm(z)`, from
 * Φ(−|z|) = Q(½, z²/2)/2 (`incompleteGammaTails`): the lower tail keeps its relative accuracy for
 * z ≪ 0 (about 1e−14 at z = −10).
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.2.2 and 26.4.19.
 * @param z standard normal deviate
 * @throws RangeError when z is NaN
 * @returns probability in [0, 1]; 0 at −∞, 1 at +∞
 */
export function normalCdf(z: number): number {
  const both = absoluteTail(z);
  return z < 0 ? both / 2 : 1 - both / 2;
}

/**
 * Standard normal upper tail P(Z > z) = Φ(−z), R `pnorm(z, lower.tail = FALSE)`.
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.2.2.
 * @throws RangeError when z is NaN
 * @returns probability in [0, 1]
 */
export function normalSurvival(z: number): number {
  return normalCdf(-z);
}

/**
 * Two-sided p-value of a z statistic, P(|Z| ≥ |z|) = 2Φ(−|z|) = Q(½, z²/2), R
 * `2 * pnorm(-abs(z))`. Keeps its relative accuracy when tiny (R's irr computes
 * 2 * (1 − pnorm(|z|)), which is 0 below about 1e−16).
 * Reference: Abramowitz M, Stegun IA. Handbook of Mathematical Functions, 1964, 26.2.2.
 * @throws RangeError when z is NaN
 * @returns probability in [0, 1]; 1 at z = 0
 */
export function normalTwoSidedPValue(z: number): number {
  return absoluteTail(z);
}

/**
 * Evaluates the rational function num(r)/den(r) with coefficients listed from the constant term
 * up (Horner's scheme from the top).
 */
function rational(r: number, numerator: readonly number[], denominator: readonly number[]): number {
  let n = 0;
  for (let i = numerator.length - 1; i >= 0; i--) n = n * r + numerator[i]!;
  let d = 0;
  for (let i = denominator.length - 1; i >= 0; i--) d = d * r + denominator[i]!;
  return n / d;
}

/* eslint-disable no-loss-of-precision -- the coefficients as Wichura published them (20 digits),
   read into the nearest doubles. */
// Wichura's AS 241 (PPND16) coefficients, constant term first: the central region |p − ½| ≤ 0.425
// in r = 0.425² − (p − ½)², then two tail regions in r = √(−ln min(p, 1 − p)).
const centralNumerator = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const centralDenominator = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const nearNumerator = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const nearDenominator = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const farNumerator = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const farDenominator = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/**
 * Standard normal quantile function Φ⁻¹(p), R `qnorm(p)`: Wichura's algorithm AS 241 (PPND16),
 * minimax rational approximations accurate to about 1 part in 10¹⁶ (the algorithm R uses), in
 * three regions: |p − ½| ≤ 0.425; min(p, 1 − p) ≥ e⁻²⁵; and beyond.
 * Reference: Wichura MJ. Algorithm AS 241: the percentage points of the normal distribution.
 * Appl Stat 1988;37:477–484.
 * @param p probability in [0, 1]
 * @throws RangeError when p is outside [0, 1] or NaN
 * @returns z with Φ(z) = p; −∞ at p = 0, +∞ at p = 1; e.g. 1.959963984540054 at p = 0.975
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return q * rational(0.180625 - q * q, centralNumerator, centralDenominator);
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value =
    r <= 5 ? rational(r - 1.6, nearNumerator, nearDenominator) : rational(r - 5, farNumerator, farDenominator);
  return q < 0 ? -value : value;
}
