import { defineConfig } from 'vitest/config';

const report = process.env.URNA_TEST_REPORT;

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/infra/**/*.test.ts',
      'test/reliability/**/*.test.ts',
    ],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
