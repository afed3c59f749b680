import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/{core,electron,architecture,renderer,fuzz}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // Set-up builds whole demo studies and databases; on a loaded 2-core machine that can pass 10 s.
    hookTimeout: 60_000,
  },
});
