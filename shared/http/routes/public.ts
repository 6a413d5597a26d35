/** Public routes of the API itself: the entity directory, receipts, the contract. */
import * as z from 'zod';
import { CATEGORY_IDS } from '#domain/categories.ts';
import { KINDS } from '#domain/vocabulary.ts';
import { defineRoute } from '../route.ts';

const PublicEntitySchema = z.object({
  id: z.string(),
  name: z.string(),
  kinds: z.array(z.enum(KINDS)),
  categories: z.array(z.enum(CATEGORY_IDS as [string, ...string[]])),
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const listEntitiesRoute = defineRoute({
  operationId: 'listEntities',
  method: 'GET',
  path: '/v1/public/entities',
  fn: 'PublicEntities',
  access: {
    public:
      'Public directory of entities, the kinds and categories they accept, shown by a portal before filing; no personal data.',
  },
  summary: 'The entities that receive PQRSD, with the kinds and categories they accept',
  tags: ['public'],
  cacheSeconds: 300,
  responses: { 200: { description: 'Entities', schema: z.object({ items: z.array(PublicEntitySchema) }) } },
  problems: [500],
});

export const verifyReceiptRoute = defineRoute({
  operationId: 'verifyReceipt',
  method: 'GET',
  path: '/v1/receipts/verify',
  fn: 'Receipts',
  access: {
    public:
      'Anyone holding a filing receipt (a third party included) must be able to check its Ed25519 signature; the route only says whether the signed claims are valid.',
  },
  summary: 'Verify a filing receipt',
  tags: ['receipts'],
  query: z.object({ receipt: z.string().min(1).max(4096) }),
  responses: {
    200: {
      description: 'Whether the signature holds and the receipt matches the registry',
      schema: z.union([
        z.object({ valid: z.literal(false), reason: z.string() }),
        z.object({
          valid: z.literal(true),
          registered: z.boolean(),
          receipt: z.object({
            radicado: z.string(),
            entityId: z.string(),
            receivedAt: z.string(),
            dueDate: z.string(),
            contentSha256: z.string(),
            issuedAt: z.string().nullable(),
          }),
        }),
      ]),
    },
  },
  problems: [400, 500],
});

export const jwksRoute = defineRoute({
  operationId: 'jwks',
  method: 'GET',
  path: '/.well-known/jwks.json',
  fn: 'Receipts',
  access: {
    public: 'Publishes the public half of the receipt signing key (RFC 7517 JWKS), public by design.',
  },
  summary: 'The public keys that verify receipts',
  tags: ['receipts'],
  cacheSeconds: 3600,
  responses: {
    200: {
      description: 'JWK Set',
      schema: z.object({
        keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string() }).loose()),
      }),
    },
  },
  problems: [500],
});

export const openApiRoute = defineRoute({
  operationId: 'openapi',
  method: 'GET',
  path: '/openapi.json',
  fn: 'OpenApi',
  access: {
    public:
      'The public API contract (the OpenAPI 3.1 document generated from the route declarations): static, no data.',
  },
  summary: 'This document',
  tags: ['meta'],
  cacheSeconds: 3600,
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  problems: [500],
});

export const PUBLIC_ROUTES = [listEntitiesRoute, verifyReceiptRoute, jwksRoute, openApiRoute] as const;
