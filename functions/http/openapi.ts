/**
 * The API's contract, and its `$default` route: a request no declared route takes ends here and
 * answers the 404 (or 405, naming the methods the path takes) problem.
 */
import { on, serve } from '#http/handler.ts';
import { openApiDocument } from '#http/openapi.ts';
import { ROUTES } from '#http/routes/index.ts';
import { openApiRoute } from '#http/routes/public.ts';

export const handler = serve([on(openApiRoute, async () => ({ status: 200, body: openApiDocument() }))], {
  known: ROUTES,
});
