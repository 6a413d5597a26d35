import { defineConfig } from 'vitest/config';

const report = process.env.URNA_TEST_REPORT;

/**
 * Three projects (`npm test` runs them all; `npm run test:<name>` one):
 *  - unit: no I/O beyond the machine (in-memory ports, the real domain): seconds;
 *  - integration: DynamoDB Local + fauxqs, started once by the global setup, only here;
 *  - infra: the CDK app synthesized and asserted.
 * The root options below are shared (`extends: true`); reporters are the run's, so the JSON
 * report (URNA_TEST_REPORT, CI) counts every project run.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        extends: true,
        // Worker threads start faster than forks (measured: 25 s against 33 s on 2 cores).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'] },
      },
    ],
  },
});
