import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/{core,electron,architecture,renderer}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
  },
});
