// Preloaded (node --import) into the real `concord` command by the fuzz campaign: at exit it
// writes the process's peak resident memory (process.resourceUsage().maxRSS, kB on Linux) to
// the file named by CONCORD_FUZZ_RUSAGE. It changes nothing else.
import { writeFileSync } from 'node:fs';

const target = process.env.CONCORD_FUZZ_RUSAGE;
if (target) {
  process.on('exit', () => {
    try {
      writeFileSync(target, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
    } catch {
      // the campaign then uses its own sampled peak
    }
  });
}
