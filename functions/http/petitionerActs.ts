/** The petitioner acts on their case: reply to a request, withdraw, insist, rate the answer. */
import { insistOnCase } from '#app/insistOnCase.ts';
import { rateCase } from '#app/rateCase.ts';
import { replyToCase } from '#app/replyToCase.ts';
import { withdrawPetition } from '#app/withdrawPetition.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { insistenceRoute, replyRoute, satisfactionRoute, withdrawalRoute } from '#http/routes/petitioner.ts';
import { citizens, documents, petitionerDeps } from '../deps.ts';

const deps = { ...(await petitionerDeps()), ratings: citizens(), documents };

export const handler = serve([
  on(replyRoute, async ({ citizen, client, params, headers, body }) => {
    const result = await replyToCase(
      deps,
      params.radicado,
      { trackingCode: headers['x-tracking-code'], citizen, client },
      { text: body.text, attachments: body.attachments, idempotencyKey: headers['idempotency-key'] },
    );
    metrics.addMetric('PetitionerReplied', 'Count', 1);
    return { status: 201, body: result };
  }),
  on(withdrawalRoute, async ({ citizen, client, params, headers, body }) => ({
    status: 201,
    body: await withdrawPetition(
      deps,
      params.radicado,
      { trackingCode: headers['x-tracking-code'], citizen, client },
      { reason: body.reason, idempotencyKey: headers['idempotency-key'] },
    ),
  })),
  on(insistenceRoute, async ({ citizen, client, params, headers }) => ({
    status: 201,
    body: await insistOnCase(
      deps,
      params.radicado,
      { trackingCode: headers['x-tracking-code'], citizen, client },
      { idempotencyKey: headers['idempotency-key'] },
    ),
  })),
  on(satisfactionRoute, async ({ citizen, client, params, headers, body }) => {
    const result = await rateCase(
      deps,
      params.radicado,
      { trackingCode: headers['x-tracking-code'], citizen, client },
      body,
      headers['idempotency-key'],
    );
    metrics.addMetric('AnswerRated', 'Count', 1);
    return { status: 201, body: result };
  }),
]);
