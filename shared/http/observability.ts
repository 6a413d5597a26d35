/** Powertools logger, metrics and tracer: one of each per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ serviceName: 'urna' });
export const metrics = new Metrics({ namespace: 'Urna', serviceName: 'urna' });
export const tracer = new Tracer({ serviceName: 'urna' });
