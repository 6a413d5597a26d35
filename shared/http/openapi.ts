/**
 * The OpenAPI 3.1 document, generated from the route declarations (shared/http/routes): one
 * source for validation, access and contract.
 */
import * as z from 'zod';
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

const ProblemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      pattern: '^urn:urna:problem:[a-z-]+$',
      description: `One per status (${Object.values(PROBLEM_TYPES).join(', ')}), or a more precise one: urn:urna:problem:illegal-transition (409, with caseStatus), too-late / too-early (422, citing the article), stale (412)`,
    },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
    caseStatus: { type: 'string', description: 'The case status that refused the action (409)' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
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
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const document: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Urna API',
      version: '0.1.0',
      description:
        'PQRSD (petitions, complaints, claims, suggestions, reports) for Colombian public bodies: filing, tracking, entity inboxes. Errors are RFC 9457 problem details.',
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
