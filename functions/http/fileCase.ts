import { withDocuments } from '#app/acceptDocuments.ts';
import { fileCase } from '#app/fileCase.ts';
import { citizenCases } from '#app/petitioner.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { fileCaseRoute } from '#http/routes/filing.ts';
import { documents, fileCaseDeps, pseudonyms } from '../deps.ts';

const deps = await fileCaseDeps();
const keyed = await pseudonyms();

export const handler = serve([
  on(fileCaseRoute, async (request) => {
    const { citizen } = request;
    const key = request.headers['idempotency-key'];
    const filing = request.body;
    const filed = await withDocuments(documents, filing.entityId, filing.attachments, (docs) =>
      fileCase(deps, {
        filing,
        actor: { kind: 'citizen' },
        ...(key
          ? { idempotency: { scope: 'http', key, request: JSON.parse(request.rawBody ?? 'null') } }
          : {}),
        documents: docs,
        ...(citizen ? { follower: citizenCases(keyed, citizen)[0]! } : {}),
      }),
    );
    metrics.addMetric('CaseFiled', 'Count', 1);
    return { status: 201, body: filed, headers: { location: `/v1/cases/${filed.radicado}` } };
  }),
]);
