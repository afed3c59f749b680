import { benchImport } from './import';
import { benchLetb } from './letb';
import { benchMasks } from './maskMemory';
import { benchReport } from './report';

/** `npm run bench -- <name>`: performance comparisons against named peers, as ratios. */
const benches: Record<string, () => Promise<void>> = {
  import: benchImport,
  letb: benchLetb,
  report: benchReport,
  masks: benchMasks,
};
const name = process.argv[2];
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
bench().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
