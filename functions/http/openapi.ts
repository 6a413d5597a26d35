import { httpHandler } from '#http/handler.ts';
import { openApiDocument } from '#http/openapi.ts';
import { openApiRoute } from '#http/routes.ts';

export const handler = httpHandler(openApiRoute, async () => ({ status: 200, body: openApiDocument() }));
