/** A citizen's comment: checked, given its reference, enqueued (202); the participation consumer writes it. */
import { submitComment } from '#app/commentSubmit.ts';
import { authorHash } from '#domain/participation/comment.ts';
import { citizenHash, optionalCitizen } from '#http/citizenAuth.ts';
import { httpHandler } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { submitCommentRoute } from '#http/participationRoutes.ts';
import { HttpProblem } from '#http/problem.ts';
import { clock, serviceSecret } from '../deps.ts';
import { comments, consultations, participationQueue } from '../participationDeps.ts';

const deps = {
  consultations: consultations(),
  comments: comments(),
  queue: participationQueue(),
  clock,
  cacheMs: 5000,
};
/** Keys the authors' hashes (citizenHash, authorHash). */
const secret = await serviceSecret();

export const handler = httpHandler(submitCommentRoute, async (request) => {
  const id = request.params.id;
  const citizen = await optionalCitizen(request.rawHeaders);
  const deviceKey = request.headers['x-device-key'];
  if (!citizen && deviceKey === undefined) {
    throw new HttpProblem(400, 'send X-Device-Key to comment anonymously, or an identity token', {
      errors: [{ field: 'header.x-device-key', message: 'is required without an identity token' }],
    });
  }
  const author = citizen
    ? { kind: 'citizen' as const, hash: citizenHash(secret, `consultation:${id}`, citizen) }
    : { kind: 'device' as const, hash: authorHash(secret, 'device', id, deviceKey!) };
  const key = request.headers['idempotency-key'];
  const accepted = await submitComment(deps, {
    consultationId: id,
    input: request.body,
    author,
    ...(key !== undefined ? { idempotencyKey: key } : {}),
  });
  metrics.addMetric('CommentAccepted', 'Count', 1);
  return { status: 202, body: accepted };
});
