/** Powertools logger, metrics and tracer: one of each per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS } from '#shared/config.ts';

export const logger = new Logger({ serviceName: METRICS.service });

/**
 * Metrics report through our logger, less one notice: an invocation that records no metric (most
 * reads) is normal here, and Powertools would otherwise log a warning line for every one of them.
 */
const EMPTY_METRICS = 'No application metrics to publish';
export const metrics = new Metrics({
  namespace: METRICS.namespace,
  serviceName: METRICS.service,
  logger: {
    debug: (message: string, ...rest: unknown[]) => logger.debug(message, ...(rest as [])),
    info: (message: string, ...rest: unknown[]) => logger.info(message, ...(rest as [])),
    warn: (message: string, ...rest: unknown[]) => {
      if (!String(message).startsWith(EMPTY_METRICS)) logger.warn(message, ...(rest as []));
    },
    error: (message: string, ...rest: unknown[]) => logger.error(message, ...(rest as [])),
  },
});

/**
 * Whether X-Ray tracing can run here: Powertools' own test (in Lambda, not SAM local nor Amplify
 * mock, POWERTOOLS_TRACE_ENABLED not false). Our stack turns active tracing on for every function.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const runtime = env.AWS_EXECUTION_ENV ?? '';
  return (
    runtime !== '' &&
    runtime !== 'AWS_Lambda_amplify-mock' &&
    (env.AWS_SAM_LOCAL ?? '') === '' &&
    (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false'
  );
}

/** Stands in where tracing cannot run: every method a no-op, clients returned as they are. */
function disabledTracer(): Tracer {
  const noop = (): undefined => undefined;
  const methods: Record<string, unknown> = {
    isTracingEnabled: () => false,
    captureAWSv3Client: <T>(client: T): T => client,
  };
  // Not a thenable (`then` stays undefined), so that awaiting it by mistake cannot hang.
  return new Proxy(methods, {
    get: (target, name) => (typeof name === 'string' && name !== 'then' ? (target[name] ?? noop) : undefined),
  }) as unknown as Tracer;
}

/**
 * The X-Ray tracer, loaded only where it traces; elsewhere a no-op stand-in (loading it would
 * turn on aws-xray-sdk-core's process-wide async hook). Why: docs/adr/0006-bundling-shims.md
 */
export const tracer: Tracer = tracingWanted()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: 'urna' })
  : disabledTracer();

/**
 * What of an unexpected error may be logged: its name, code and where it happened — never its
 * message, which can quote the data being processed (personal data stays out of logs).
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: typeof error };
  const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  return {
    name: error.name,
    ...((error as { code?: unknown }).code !== undefined
      ? { code: String((error as { code?: unknown }).code) }
      : {}),
    ...(meta ? { httpStatusCode: meta.httpStatusCode, awsRequestId: meta.requestId } : {}),
    frames: (error.stack ?? '')
      .split('\n')
      .slice(1, 8)
      .map((l) => l.trim()),
  };
}
