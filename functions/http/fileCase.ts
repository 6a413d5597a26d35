import { fileCase } from '#app/fileCase.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { fileCaseRoute } from '#http/routes/filing.ts';
import { fileCaseDeps } from '../deps.ts';

const deps = await fileCaseDeps();

export const handler = serve([
  on(fileCaseRoute, async (request) => {
    const key = request.headers['idempotency-key'];
    const filed = await fileCase(deps, {
      filing: request.body,
      actor: { kind: 'citizen' },
      ...(key ? { idempotency: { scope: 'http', key, request: JSON.parse(request.rawBody ?? 'null') } } : {}),
    });
    metrics.addMetric('CaseFiled', 'Count', 1);
    return { status: 201, body: filed, headers: { location: `/v1/cases/${filed.radicado}` } };
  }),
]);
