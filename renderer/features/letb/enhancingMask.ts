/**
 * Display overlay of enhancing tumour for one threshold: liver voxels whose subtraction
 * exceeds T (SPEC §2 step 4). The numbers shown come from the services (core/letb); this
 * only paints them, from the int16 subtraction the session sends.
 */
export function fillEnhancingMask(
  out: Uint8Array,
  liverMask: Uint8Array,
  subtraction: Int16Array,
  thresholdHu: number,
): void {
  for (let i = 0; i < out.length; i++) out[i] = liverMask[i] !== 0 && subtraction[i]! > thresholdHu ? 1 : 0;
}
