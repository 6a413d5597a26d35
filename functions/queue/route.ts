import * as z from 'zod';
import { routeCase } from '#app/routeCase.ts';
import { logger, metrics } from '#http/observability.ts';
import { sqsConsumer } from '#shared/queue/consumer.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };
const RoutingMessageSchema = z.object({ radicado: z.string().min(1) });

export const handler = sqsConsumer(async (record) => {
  const { radicado } = RoutingMessageSchema.parse(JSON.parse(record.body));
  const outcome = await routeCase(deps, radicado);
  if (outcome === 'unknown_case') {
    // A case is written before its routing message is sent: this one is poison. Fail it so the
    // redrive policy moves it to the DLQ, where the alarm sees it.
    throw new Error('routing message for an unknown case');
  }
  logger.info('routing', { radicado, outcome });
  if (outcome === 'routed') metrics.addMetric('CaseRouted', 'Count', 1);
});
