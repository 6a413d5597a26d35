import { UseCaseError } from '#app/errors.ts';
import { fileCase } from '#app/fileCase.ts';
import { fileCaseRoute } from '#http/filingRoutes.ts';
import { httpHandler } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { fileCaseDeps } from '../deps.ts';

const deps = await fileCaseDeps();

/** Over the web API a citizen files as `web`, or through the gov.co portal as `portal`; other
 * channels arrive through intake, and in-person or phone petitions are registered by officers. */
const HTTP_CHANNELS = new Set(['web', 'portal']);

export const handler = httpHandler(fileCaseRoute, async (request) => {
  if (!HTTP_CHANNELS.has(request.body.channel)) {
    throw new UseCaseError('invalid', 'invalid channel: over the web API use web or portal', [
      {
        field: 'channel',
        message: 'must be web or portal here: other channels file through intake or an officer',
      },
    ]);
  }
  const key = request.headers['idempotency-key'];
  const filed = await fileCase(deps, {
    filing: request.body,
    actor: { kind: 'citizen' },
    ...(key ? { idempotency: { scope: 'http', key, request: JSON.parse(request.rawBody ?? 'null') } } : {}),
  });
  metrics.addMetric('CaseFiled', 'Count', 1);
  return { status: 201, body: filed, headers: { location: `/v1/cases/${filed.radicado}` } };
});
