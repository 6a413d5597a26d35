/**
 * The X-Ray tracer is loaded only where it can trace (in Lambda); elsewhere a stand-in that does
 * nothing, so that aws-xray-sdk-core (and its process-wide async hook) is never loaded locally.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tracer, tracingWanted } from '#http/observability.ts';

const LAMBDA = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' };

describe('tracingWanted (Powertools rules)', () => {
  it('is on in Lambda only, off when disabled, under SAM local or the Amplify mock', () => {
    expect(tracingWanted(LAMBDA)).toBe(true);
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: '' })).toBe(false);
    expect(tracingWanted({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingWanted({ ...LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(true);
    expect(tracingWanted({ ...LAMBDA, AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });
});

describe('tracer outside Lambda', () => {
  it('does nothing: clients pass through, tracing reported off, any other method a no-op', () => {
    const client = { send: () => 1 };
    expect(tracer.captureAWSv3Client(client)).toBe(client);
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(tracer.putAnnotation('k', 'v')).toBeUndefined();
    expect(tracer.getSegment()).toBeUndefined();
    expect((tracer as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it('never loads the X-Ray SDK (no cls-hooked namespace), and does in Lambda', () => {
    const probe = (env: Record<string, string>) => {
      const out = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          "await import('#http/observability.ts'); process.stdout.write(JSON.stringify(Object.keys(process.namespaces ?? {})));",
        ],
        { cwd: process.cwd(), env: { ...process.env, ...env }, encoding: 'utf8' },
      );
      return JSON.parse(out.stdout) as string[];
    };
    expect(probe({ AWS_EXECUTION_ENV: '' })).toEqual([]);
    expect(probe({ ...LAMBDA, AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' })).toEqual(['AWSXRay']);
  });
});
