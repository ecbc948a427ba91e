import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup-env.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real processes and PTYs: keep workers few so timing-sensitive tests are not starved on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    resolveSnapshotPath: (testPath, ext) =>
      new URL(`./__snapshots__/${testPath.split('/test/')[1]}${ext}`, import.meta.url).pathname,
  },
});
