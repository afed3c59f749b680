// One process of `npm run bench -- masks`: loads the mask file given (or nothing, for "-") onto
// the bench CT grid and prints the outcome and this process's peak RSS as JSON.
import { loadMask } from '../../electron/services/masks/loadMask';
import { benchGrid } from './maskMemory';

const path = process.argv[2]!;
const started = performance.now();
let outcome = 'modules only';
if (path !== '-') {
  try {
    const m = await loadMask(path, benchGrid);
    outcome = `loaded: ${m.voxels} voxels, ${m.volumeMl.toFixed(0)} mL, checks ${m.checks.status}`;
  } catch (err) {
    outcome = `refused (${(err as { code?: string }).code}): ${(err as Error).message.replace(/^Mask file \S+: /, '')}`;
  }
}
console.log(
  JSON.stringify({
    outcome,
    seconds: (performance.now() - started) / 1000,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
