/** Powertools logger, metrics and tracer: one of each per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ serviceName: 'urna' });

/**
 * Metrics report through our logger, less one notice: an invocation that records no metric (most
 * reads) is normal here, and Powertools would otherwise log a warning line for every one of them.
 */
const EMPTY_METRICS = 'No application metrics to publish';
export const metrics = new Metrics({
  namespace: 'Urna',
  serviceName: 'urna',
  logger: {
    debug: (message: string, ...rest: unknown[]) => logger.debug(message, ...(rest as [])),
    info: (message: string, ...rest: unknown[]) => logger.info(message, ...(rest as [])),
    warn: (message: string, ...rest: unknown[]) => {
      if (!String(message).startsWith(EMPTY_METRICS)) logger.warn(message, ...(rest as []));
    },
    error: (message: string, ...rest: unknown[]) => logger.error(message, ...(rest as [])),
  },
});
export const tracer = new Tracer({ serviceName: 'urna' });

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
