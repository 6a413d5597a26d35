/** A citizen's comment: checked, given its reference, enqueued (202); the participation consumer writes it. */
import { submitComment } from '#app/commentSubmit.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { submitCommentRoute } from '#http/routes/participation.ts';
import { optional } from '#shared/config.ts';
import { clock, limits, pseudonyms } from '../deps.ts';
import { comments, consultations, participationQueue } from '../participationDeps.ts';

const deps = {
  consultations: consultations(),
  comments: comments(),
  queue: participationQueue(),
  clock,
  cacheMs: 5000,
  pseudonyms: await pseudonyms(),
  limits: limits(),
  commentsPerAuthorHour: optional('COMMENTS_PER_AUTHOR_HOUR'),
};

export const handler = serve([
  on(submitCommentRoute, async ({ citizen, params, headers, body }) => {
    const key = headers['idempotency-key'];
    const accepted = await submitComment(deps, {
      consultationId: params.id,
      input: body,
      identity: { citizen, deviceKey: headers['x-device-key'] },
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
    metrics.addMetric('CommentAccepted', 'Count', 1);
    return { status: 202, body: accepted };
  }),
]);
