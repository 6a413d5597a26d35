/**
 * The OpenAPI 3.1 document, generated from the route declarations (shared/http/routes): one
 * source for validation, access and contract.
 */
import * as z from 'zod';
import { ISSUE_CODES } from '#domain/issues.ts';
import { PROBLEM_TYPES } from './problem.ts';
import { type Access, problemsOf, type RouteSpec } from './route.ts';
import { ROUTES } from './routes/index.ts';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path' | 'header'): Json[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name:
      where === 'header'
        ? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
        : name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: schemaOf(field, 'input'),
  }));
}

/** The language rule of problems, said once for the document. */
const LANGUAGE_RULE =
  "Problems are in Spanish, the citizens' language, unless the request prefers English (`Accept-Language: en`, q-values honoured); `Content-Language` says which (`es` or `en`). `title`, `detail` and each `errors[].message` are in that language; `type`, `status`, `errors[].field` and `errors[].code` are the same in both, so a portal can switch on them and show its own wording.";

const ProblemSchema = {
  type: 'object',
  description: `RFC 9457 problem details. ${LANGUAGE_RULE}`,
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      pattern: '^urn:urna:problem:[a-z-]+$',
      description: `One per status (${Object.values(PROBLEM_TYPES).join(', ')}), or a more precise one: urn:urna:problem:illegal-transition (409, with caseStatus), too-late / too-early (422, citing the article), stale (412)`,
    },
    title: { type: 'string', description: 'The status in words, in the language of the answer' },
    status: { type: 'integer' },
    detail: {
      type: 'string',
      description:
        'What is wrong and how to fix it, in the language of the answer (the article cited in a legal refusal)',
    },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
    caseStatus: { type: 'string', description: 'The case status that refused the action (409)' },
    errors: {
      type: 'array',
      description: 'One item per field at fault',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: {
            type: 'string',
            description:
              'Where: a dotted path in the body (`petitioner.email`), or prefixed `query.`, `path.` or `header.`',
          },
          code: {
            type: 'string',
            enum: [...ISSUE_CODES],
            description:
              'What kind of fix the field needs, stable across languages and releases: required (missing or empty), too_long / too_short (text), too_large / too_small (number or size), too_many / too_few (list), invalid_format (does not have the form the field takes), invalid_type (another JSON type), not_allowed (not one of the values allowed: the message lists the ids), unknown_field (remove it), invalid_value (well formed but not acceptable), not_found (names something that does not exist), conflict (contradicts what is stored), too_late / too_early (a date or an act the law or the period does not allow then), mismatch (does not match what it must), unsupported (a kind of content not taken)',
          },
          message: {
            type: 'string',
            description:
              'Starts with the field, says how to fix it, in the language of the answer; enumeration values keep their ids',
          },
        },
      },
    },
  },
};

function operation(route: RouteSpec): Json {
  const responses: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.contentType
        ? { content: { [spec.contentType]: { schema: { type: 'string' } } } }
        : spec.schema
          ? { content: { 'application/json': { schema: schemaOf(spec.schema, 'output') } } }
          : {}),
    };
  }
  for (const status of problemsOf(route))
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...parameters(route.headers, 'header'),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    security: security(route.access),
    ...(route.access.public !== undefined ? { 'x-public': route.access.public } : {}),
  };
}

/**
 * Who may call: officers' tokens (the roles, as OpenAPI 3.1 lets non-OAuth schemes list them),
 * citizens' ID tokens, or anyone (`{}`); `x-public` says why a route is open.
 */
function security(access: Access): Json[] {
  const schemes: Json[] = [];
  if (access.public !== undefined && access.citizen !== 'required') schemes.push({});
  if (access.officer !== undefined) schemes.push({ officerAuth: [...access.officer] });
  if (access.citizen !== undefined) schemes.push({ citizenAuth: [] });
  return schemes;
}

const built = new WeakMap<readonly RouteSpec[], Json>();

/** The document of these routes (default: the API's), built once per list. */
export function openApiDocument(routes: readonly RouteSpec[] = ROUTES): Json {
  const cached = built.get(routes);
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  const problemResponses: Json = {};
  for (const status of Object.keys(PROBLEM_TYPES)) {
    problemResponses[`Problem${status}`] = {
      description: `Problem (RFC 9457), status ${status}`,
      headers: {
        'Content-Language': {
          description:
            'The language of title, detail and messages: es, or en when the request prefers English',
          schema: { type: 'string', enum: ['es', 'en'] },
        },
      },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const document: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Urna API',
      version: '0.1.0',
      description: `PQRSD (petitions, complaints, claims, suggestions, reports) for Colombian public bodies: filing, tracking, entity inboxes. Errors are RFC 9457 problem details. ${LANGUAGE_RULE}`,
    },
    paths,
    components: {
      schemas: { Problem: ProblemSchema },
      responses: problemResponses,
      securitySchemes: {
        officerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "An officer's access token (RS256 JWT): from the Cognito user pool on AWS, from the local dev issuer locally (`npm run -s token`). Its cognito:groups name the entity (entity:<ID>), the roles (role:officer|supervisor|communicator|admin) and the offices (office:<id>); an operation lists the roles that may call it.",
        },
        citizenAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A citizen's OIDC ID token from the citizens' identity provider (CITIZEN_AUTH_ISSUER, audience CITIZEN_AUTH_AUDIENCE); locally the dev issuer's. Only a keyed hash of the citizen is stored.",
        },
      },
    },
  };
  built.set(routes, document);
  return document;
}
