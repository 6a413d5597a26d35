/** Documents: upload targets, and short-lived download links to a case's documents. */
import { documentLink } from '#app/documentLink.ts';
import { requestUpload, uploaderKey } from '#app/requestUpload.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import { downloadDocumentRoute, requestUploadRoute } from '#http/routes/documents.ts';
import { documents, petitionerDeps } from '../deps.ts';

const deps = { ...(await petitionerDeps()), documents };

export const handler = serve([
  on(requestUploadRoute, async ({ actor, citizen, headers, body }) => {
    const owner = uploaderKey(
      { actor, citizen, trackingCode: headers['x-tracking-code'], deviceKey: headers['x-device-key'] },
      deps.pseudonyms,
    );
    const granted = await requestUpload(await documents(), owner, body);
    metrics.addMetric('UploadGranted', 'Count', 1);
    return { status: 201, body: granted };
  }),
  on(downloadDocumentRoute, async ({ actor, citizen, client, headers, params }) => ({
    status: 200,
    body: await documentLink(deps, params.radicado, params.documentId, {
      actor,
      citizen,
      client,
      trackingCode: headers['x-tracking-code'],
    }),
  })),
]);
