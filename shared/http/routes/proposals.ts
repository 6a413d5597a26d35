/**
 * Citizens' proposals and supports (issue 6): make a proposal, support one (once per identified
 * citizen), read them publicly (no personal data; cacheable with ETag, If-None-Match → 304).
 */
import * as z from 'zod';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { ENTITY_ID } from '#domain/entity.ts';
import { PROPOSAL_ID, PROPOSAL_STATUSES, ProposalInputSchema } from '#domain/participation/proposal.ts';
import { defineRoute } from '../route.ts';

const IDENTITY =
  "Needs an identified citizen: `Authorization: Bearer <ID token>` of the citizens' identity provider (CITIZEN_AUTH_ISSUER); none or an invalid one → 401.";

const ProposalId = z.string().regex(PROPOSAL_ID);

export const PublicProposalSchema = z.object({
  id: z.string().regex(PROPOSAL_ID),
  entityId: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  status: z.enum(PROPOSAL_STATUSES),
  supports: z.number().int().min(0).describe('Identified citizens who support it (exact)'),
  threshold: z.number().int().min(1).describe('Supports that make it a petition to the entity'),
  createdAt: z.iso.datetime({ offset: true }),
  radicado: z.string().regex(RADICADO_PATTERN).nullable().describe('The case it became, once converted'),
  convertedAt: z.iso.datetime({ offset: true }).nullable(),
});

const SupportResultSchema = z.object({
  proposalId: z.string(),
  outcome: z.enum(['counted', 'already_counted']),
  status: z.enum(PROPOSAL_STATUSES),
  radicado: z.string().regex(RADICADO_PATTERN).nullable(),
});

const CACHE_HEADERS = {
  ETag: 'Hash of the body: send it back in If-None-Match for a 304',
  'Cache-Control': 'public, max-age=10',
};

export const createProposalRoute = defineRoute({
  operationId: 'createProposal',
  method: 'POST',
  path: '/v1/public/proposals',
  fn: 'CreateProposal',
  access: {
    public:
      "Citizens, not officers, make proposals: the citizen's OIDC ID token is verified (signature, CITIZEN_AUTH_ISSUER, audience, expiry), 401 without one; the officers' user pool authorizer does not know citizens.",
    citizen: 'required',
  },
  summary: 'Make a proposal to an entity',
  description: `${IDENTITY} The entity must receive petitions (and own the category, if one is given). \`author\` is the petitioner of the petition the proposal becomes when its supports reach the entity's threshold; it is never shown publicly.`,
  tags: ['participation'],
  body: ProposalInputSchema,
  responses: { 201: { description: 'Made', schema: PublicProposalSchema } },
  problems: [400, 401, 413, 415, 422, 500],
});

export const supportProposalRoute = defineRoute({
  operationId: 'supportProposal',
  method: 'POST',
  path: '/v1/public/proposals/{id}/supports',
  fn: 'SupportProposal',
  access: {
    public:
      "One support per identified citizen: the citizen's OIDC ID token is verified, 401 without one; only a hash of the citizen is stored.",
    citizen: 'required',
  },
  summary: 'Support a proposal (once per identified citizen)',
  description: `${IDENTITY} No body. The first support of a citizen → 201 \`counted\`; any later one (a retry, a second click) → 200 \`already_counted\`, counted once. The support that reaches the threshold files the proposal as a petition in the entity's inbox (radicado, legal clock); the answer then carries the radicado.`,
  tags: ['participation'],
  params: z.object({ id: ProposalId }),
  responses: {
    201: { description: 'Counted', schema: SupportResultSchema },
    200: { description: 'Already counted (this citizen supported it before)', schema: SupportResultSchema },
  },
  problems: [400, 401, 404, 500],
});

export const getProposalRoute = defineRoute({
  operationId: 'getProposal',
  method: 'GET',
  path: '/v1/public/proposals/{id}',
  fn: 'PublicProposals',
  access: {
    public:
      'Public view of a proposal with its support count and, once converted, its radicado; no personal data.',
  },
  summary: 'A proposal with its supports (public, no personal data)',
  tags: ['participation', 'public'],
  cacheSeconds: 10,
  params: z.object({ id: ProposalId }),
  responses: {
    200: { description: 'The proposal', schema: PublicProposalSchema, headers: CACHE_HEADERS },
    304: { description: 'Not modified (If-None-Match named the current ETag)' },
  },
  problems: [400, 404, 500],
});

export const listProposalsRoute = defineRoute({
  operationId: 'listProposals',
  method: 'GET',
  path: '/v1/public/proposals',
  fn: 'PublicProposals',
  access: {
    public:
      "Public list of an entity's proposals with their support counts; no personal data (authors and supporters are never shown).",
  },
  summary: "An entity's proposals, newest first, with their supports (public)",
  tags: ['participation', 'public'],
  cacheSeconds: 10,
  query: z.object({
    entityId: z.string().regex(ENTITY_ID),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(2048).optional(),
  }),
  responses: {
    200: {
      description: 'A page; pass `cursor` back for the next one',
      schema: z.object({ items: z.array(PublicProposalSchema), cursor: z.string().optional() }),
      headers: CACHE_HEADERS,
    },
    304: { description: 'Not modified (If-None-Match named the current ETag)' },
  },
  problems: [400, 500],
});

export const PROPOSAL_ROUTES = [
  createProposalRoute,
  supportProposalRoute,
  getProposalRoute,
  listProposalsRoute,
] as const;
