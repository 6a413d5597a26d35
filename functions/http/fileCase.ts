import { fileCase } from '#app/fileCase.ts';
import { httpHandler } from '#http/handler.ts';
import { logger, metrics } from '#http/observability.ts';
import { fileCaseRoute } from '#http/routes.ts';
import { optional } from '#shared/config.ts';
import { cases, clock, entities, routingQueue, signer } from '../deps.ts';

const deps = {
  cases: cases(),
  entities: entities(),
  routing: routingQueue(),
  signer: await signer(),
  clock,
  idempotencyTtlHours: optional('IDEMPOTENCY_TTL_HOURS'),
  onRoutingDeferred: (radicado: string, error: unknown) =>
    logger.warn('routing deferred to the outbox sweep', { radicado, error: (error as Error).name }),
};

export const handler = httpHandler(fileCaseRoute, async (request) => {
  const key = request.headers['idempotency-key'];
  const filed = await fileCase(deps, {
    filing: request.body,
    ...(key ? { idempotency: { scope: 'http', key, request: JSON.parse(request.rawBody ?? 'null') } } : {}),
  });
  metrics.addMetric('CaseFiled', 'Count', 1);
  return { status: 201, body: filed, headers: { location: `/v1/cases/${filed.radicado}` } };
});
