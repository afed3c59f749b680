import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // Set-up builds whole demo studies and databases; on a loaded 2-core machine that can pass 10 s.
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/{core,electron,architecture,renderer,fuzz}/**/*.test.ts'],
          exclude: ['test/fuzz/campaign.test.ts', 'test/fuzz/codestreamVerdicts.test.ts'],
        },
      },
      // Issue 12 item 9: the fuzz campaign keeps a few processes busy for minutes, so it runs on
      // its own (npm run test:fuzz) and neither it nor the time-sensitive tests slow the other;
      // with it, Concord's decoders against dcmtk's verdicts on the corrupt codestream fixtures.
      {
        extends: true,
        test: { name: 'fuzz', include: ['test/fuzz/campaign.test.ts', 'test/fuzz/codestreamVerdicts.test.ts'] },
      },
    ],
  },
});
