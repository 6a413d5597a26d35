/**
 * How a function serves its routes (docs/adr/0008-one-route-table.md):
 *
 *   export const handler = serve(on(someRoute, async (request) => ({ status: 200, body: … })), …);
 *
 * The Powertools middy stack runs first (injectLambdaContext → logMetrics → captureLambdaHandler)
 * with the problem mapper; @middy/http-router then dispatches by method and path (an unknown one
 * is a 404 or 405 problem); each route then runs, in the order its declaration gives,
 * authentication and roles (401, 403) before anything of the request is read, then validation
 * (415, 413, 400, 422), then its handler. Errors: an HttpProblem or a use case's refusal becomes
 * its problem+json; anything else a 500 with a correlation id, logged, never echoed.
 */
import { hash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { UseCaseError } from '#app/errors.ts';
import type { Actor, Citizen, Role } from '#domain/actor.ts';
import { fieldIssue, issuesOf, type Phrase } from '#domain/issues.ts';
import { checkJsonKeys, MAX_JSON_DEPTH } from '#domain/text.ts';
import { optional } from '#shared/config.ts';
import { authenticate } from './auth.ts';
import { authenticateCitizen } from './citizenAuth.ts';
import { logger, metrics, safeError, tracer } from './observability.ts';
import { allowedMethods } from './paths.ts';
import { HttpProblem, internalProblem, localeOf, validationProblem } from './problem.ts';
import { type Access, type HttpRequest, type HttpResult, officersOnly, type RouteSpec } from './route.ts';

/**
 * Largest request body accepted (bytes, decoded): 160 KiB, the worst legitimate filing (a
 * 20,000-character description written entirely as `\uXXXX` escapes is 120,000 bytes).
 */
export const MAX_BODY_BYTES = 160 * 1024;

/**
 * Where JSON.parse stopped, from V8's message ("… at position N", "(line L column C)"): digits
 * only, never the rest of the message, which quotes the input (personal data). '' if absent.
 */
export function jsonErrorWhere(error: unknown): Phrase {
  const message = error instanceof Error ? error.message : '';
  const line = /\bline (\d{1,9}) column (\d{1,9})\b/.exec(message);
  if (line) {
    const [l, c] = [Number(line[1]), Number(line[2])];
    return { es: ` en la línea ${l}, columna ${c}`, en: ` at line ${l}, column ${c}` };
  }
  const position = /\bat position (\d{1,9})\b/.exec(message);
  if (position)
    return { es: ` en la posición ${Number(position[1])}`, en: ` at position ${Number(position[1])}` };
  if (/^Unexpected end of JSON input$/.test(message)) {
    return { es: ': termina antes de completar el JSON', en: ': it ends before the JSON is complete' };
  }
  return { es: '', en: '' };
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route with its implementation, as `serve` takes it. */
export interface RouteBinding {
  readonly route: RouteSpec;
  readonly handle: HttpHandler;
}

/** The event, with its headers lower-cased once. */
interface RouteEvent extends APIGatewayProxyEventV2 {
  lowerHeaders?: Record<string, string | undefined>;
}

/** Who calls, per the route's access. */
interface Caller {
  actor?: Actor;
  citizen?: Citizen;
}

function lowerHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * The caller's address for the per-client limits: the connection's own, or, behind `hops` trusted
 * proxies (CloudFront), the address the outermost of them appended to X-Forwarded-For. Entries to
 * the left of it are whatever the client sent, and are never trusted.
 */
export function clientAddress(sourceIp: string, forwardedFor: string | undefined, hops: number): string {
  if (hops === 0) return sourceIp;
  const chain = (forwardedFor ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (chain.at(-1) !== sourceIp) chain.push(sourceIp);
  return chain[chain.length - 1 - hops] ?? sourceIp;
}

function headersOf(event: RouteEvent): Record<string, string | undefined> {
  event.lowerHeaders ??= lowerHeaders(event.headers);
  return event.lowerHeaders;
}

// ── Authentication and roles ──────────────────────────────────────────────────────────────────

function permitted(actor: Actor, roles: readonly Role[]): Actor {
  if (!actor.roles.some((r) => roles.includes(r))) {
    throw new HttpProblem(403, {
      es: `Esta ruta es para los roles ${roles.join(', ')}`,
      en: `this route is for the roles ${roles.join(', ')}`,
    });
  }
  return actor;
}

/** Which verifier a bearer token is for, when a route takes both: officers' tokens are access tokens. */
function tokenKind(headers: Record<string, string | undefined>): 'officer' | 'citizen' {
  try {
    // Unverified, only to pick the verifier (which then checks everything).
    const payload = /^Bearer +[^.\s]+\.([^.\s]+)\./i.exec(headers.authorization ?? '')?.[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { token_use?: unknown };
    return claims.token_use === 'access' ? 'officer' : 'citizen';
  } catch {
    return 'officer';
  }
}

/** The caller, per the route's access: a 401 or 403 problem before any part of the request is read. */
async function identify(access: Access, headers: Record<string, string | undefined>): Promise<Caller> {
  if (officersOnly(access)) return { actor: permitted(await authenticate(headers), access.officer) };
  const readsOfficer = access.officer !== undefined;
  const readsCitizen = access.citizen !== undefined;
  if (headers.authorization === undefined || !(readsOfficer || readsCitizen)) {
    // Without a token a citizen route still answers the citizen's 401 (with its challenge).
    if (access.citizen === 'required') return { citizen: await authenticateCitizen(headers) };
    return {};
  }
  const kind = readsOfficer && readsCitizen ? tokenKind(headers) : readsOfficer ? 'officer' : 'citizen';
  if (kind === 'officer' && access.officer !== undefined) {
    return { actor: permitted(await authenticate(headers), access.officer) };
  }
  return { citizen: await authenticateCitizen(headers) };
}

// ── Validation ────────────────────────────────────────────────────────────────────────────────

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string, status: 400 | 422): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw validationProblem(issuesOf(parsed.error, where === 'body' ? [] : [where], value), status);
  return parsed.data;
}

const optionalBodies = new WeakMap<z.ZodType, boolean>();

/** Whether a body schema takes `{}` (every field optional), judged once per schema. */
function bodyOptional(schema: z.ZodType): boolean {
  let optional = optionalBodies.get(schema);
  if (optional === undefined) {
    optional = schema.safeParse({}).success;
    optionalBodies.set(schema, optional);
  }
  return optional;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A base64 body's text, or null when its bytes are not UTF-8. */
function utf8(base64: string): string | null {
  try {
    return UTF8.decode(Buffer.from(base64, 'base64'));
  } catch {
    return null;
  }
}

function readBody(
  route: RouteSpec,
  event: APIGatewayProxyEventV2,
  headers: Record<string, string | undefined>,
): { raw: string | undefined; json: unknown } {
  if (!route.body) return { raw: undefined, json: undefined };
  // A body whose every field is optional (`{ reason? }`) may be left out altogether.
  if (!event.body && headers['content-type'] === undefined && bodyOptional(route.body)) {
    return { raw: undefined, json: {} };
  }
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new HttpProblem(415, {
      es: 'Envíe el cuerpo como application/json',
      en: 'send the body as application/json',
    });
  }
  // RFC 8259 §8.1: JSON is UTF-8. Another charset, or bytes that are not UTF-8 (which arrive as
  // U+FFFD when the body was passed as text), would file an altered text: refused, nothing changed.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpProblem(415, {
      es: `Envíe el cuerpo como application/json en UTF-8 (charset=utf-8), no en ${charset}`,
      en: `send the body as application/json in UTF-8 (charset=utf-8), not ${charset}`,
    });
  }
  const decoded = event.body === undefined ? '' : event.isBase64Encoded ? utf8(event.body) : event.body;
  if (decoded === null || decoded.includes('\uFFFD')) {
    throw new HttpProblem(
      400,
      {
        es: 'El cuerpo no está en UTF-8: guárdelo o envíelo con codificación UTF-8',
        en: 'the body is not UTF-8: save or send it encoded as UTF-8',
      },
      {
        errors: [
          fieldIssue(
            'body',
            'invalid_format',
            'no está en UTF-8: envíelo en UTF-8',
            'is not UTF-8: send it as UTF-8',
          ),
        ],
      },
    );
  }
  // A leading UTF-8 byte order mark (some Windows clients send one) is not JSON: drop it.
  const raw = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, {
      es: `El cuerpo admite como máximo ${MAX_BODY_BYTES} bytes`,
      en: `the body must be at most ${MAX_BODY_BYTES} bytes`,
    });
  }
  if (raw.trim() === '')
    throw new HttpProblem(
      400,
      { es: 'El cuerpo está vacío: envíe un objeto JSON', en: 'the body is empty: send a JSON object' },
      { errors: [fieldIssue('body', 'required', 'es obligatorio: envíe un objeto JSON', 'is required')] },
    );
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    // Never the parser's message: V8 quotes the input in it.
    const where = jsonErrorWhere(error);
    throw new HttpProblem(
      400,
      { es: `El cuerpo no es JSON válido${where.es}`, en: `the body is not valid JSON${where.en}` },
      { errors: [fieldIssue('body', 'invalid_format', 'no es JSON válido', 'is not valid JSON')] },
    );
  }
  const problem = checkJsonKeys(json, MAX_JSON_DEPTH);
  if (problem?.kind === 'too_deep') {
    const message = `is nested deeper than ${MAX_JSON_DEPTH} levels`;
    throw new HttpProblem(
      400,
      {
        es: `El cuerpo tiene más de ${MAX_JSON_DEPTH} niveles de anidación`,
        en: `the body ${message}`,
      },
      {
        errors: [
          fieldIssue(
            'body',
            'invalid_format',
            `tiene más de ${MAX_JSON_DEPTH} niveles de anidación`,
            message,
          ),
        ],
      },
    );
  }
  if (problem) {
    throw new HttpProblem(
      400,
      { es: `La clave ${problem.path} no está permitida`, en: `the key ${problem.path} is not allowed` },
      {
        errors: [
          fieldIssue(problem.path, 'not_allowed', 'no es una clave permitida', 'is not an allowed key'),
        ],
      },
    );
  }
  return { raw, json };
}

/** The request as the route declares it, once its caller is known; a 4xx problem otherwise. */
function validated(route: RouteSpec, event: RouteEvent, caller: Caller): HttpRequest {
  const headers = headersOf(event);
  const body = readBody(route, event, headers);
  return {
    body: parsePart(route.body, body.json, 'body', 422),
    query: parsePart(route.query, event.queryStringParameters ?? {}, 'query', 400),
    params: parsePart(route.params, event.pathParameters ?? {}, 'path', 400),
    headers: parsePart(route.headers, headers, 'header', 400),
    actor: caller.actor,
    citizen: caller.citizen,
    rawHeaders: headers,
    rawBody: body.raw,
    requestId: event.requestContext.requestId,
    client: clientAddress(
      event.requestContext.http?.sourceIp ?? '',
      headers['x-forwarded-for'],
      optional('TRUSTED_PROXY_HOPS'),
    ),
  } as HttpRequest;
}

// ── Responses ─────────────────────────────────────────────────────────────────────────────────

function json(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  problem = false,
): APIGatewayProxyStructuredResultV2 {
  // A literal, then the route's headers on top (not spread after a spread: Node 20's slow path).
  // Security headers on every answer; a page (HTML) sets its own CSP, frame-ancestors kept.
  const all: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'content-type': problem ? 'application/problem+json' : 'application/json; charset=utf-8',
  };
  return {
    statusCode: status,
    headers: Object.assign(all, headers),
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * Cacheable responses (routes with cacheSeconds) carry a strong ETag, the hash of the body; a
 * request whose If-None-Match names it (or `*`) gets a 304 with no body (RFC 9110 §13.1.2).
 */
export function withEtag(
  response: APIGatewayProxyStructuredResultV2,
  ifNoneMatch: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  if (response.statusCode !== 200) return response;
  const etag = `"${hash('sha256', String(response.body ?? ''), 'base64url').slice(0, 27)}"`;
  const headers: Record<string, string | number | boolean> = { ...response.headers, etag };
  const tags = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(etag) || tags.includes('*')) {
    const { 'content-type': _type, ...rest } = headers;
    return { statusCode: 304, headers: rest, body: '' };
  }
  return { ...response, headers };
}

function respond(route: RouteSpec, event: RouteEvent, result: HttpResult): APIGatewayProxyStructuredResultV2 {
  const cache = route.cacheSeconds !== undefined ? `public, max-age=${route.cacheSeconds}` : 'no-store';
  const response = json(result.status, result.text ?? result.body, {
    'cache-control': cache,
    'x-correlation-id': event.requestContext.requestId,
    ...result.headers,
  });
  if (result.text !== undefined) response.body = result.text;
  return route.cacheSeconds !== undefined ? withEtag(response, headersOf(event)['if-none-match']) : response;
}

// ── Errors ────────────────────────────────────────────────────────────────────────────────────

const USE_CASE_STATUS = {
  bad_request: 400,
  invalid: 422,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  precondition_failed: 412,
  precondition_required: 428,
  too_large: 413,
  unsupported_media: 415,
  too_many: 429,
  busy: 503,
} as const;

/** Seconds a client is told to wait after a dependency failed for a moment. */
const UNAVAILABLE_RETRY_SECONDS = 2;

/**
 * A dependency's failure that a retry can cure (throttling, a 5xx, a timeout, a refused or reset
 * connection), by the SDK's own classification, after the SDK's retries: 503, not a 500.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}

/** Refusals from the layers below, as the problem a client should see. */
function asProblem(error: unknown): unknown {
  if (isTransient(error))
    return new HttpProblem(
      503,
      {
        es: 'Un servicio del que depende esta solicitud no respondió a tiempo; no se guardó nada a medias: reinténtelo en unos segundos (con la misma Idempotency-Key, si la envió, no se duplica)',
        en: 'a service this request depends on did not answer in time; nothing was half-saved: retry in a few seconds (with the same Idempotency-Key, if you sent one, nothing is duplicated)',
      },
      {
        type: 'urn:urna:problem:unavailable',
        headers: { 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) },
      },
    );
  if (error instanceof UseCaseError)
    return new HttpProblem(USE_CASE_STATUS[error.code], error.detail, {
      ...(error.issues.length ? { errors: error.issues } : {}),
      ...(error.problem.type ? { type: `urn:urna:problem:${error.problem.type}` } : {}),
      ...(error.problem.extensions ? { extensions: error.problem.extensions } : {}),
      headers: {
        ...(error.problem.currentTag !== undefined ? { etag: error.problem.currentTag } : {}),
        ...(error.problem.retryAfterSeconds !== undefined
          ? { 'retry-after': String(error.problem.retryAfterSeconds) }
          : {}),
      },
    });
  return error;
}

const problems: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  before: (request) => {
    logger.setCorrelationId(request.event.requestContext?.requestId);
  },
  onError: (request) => {
    const correlationId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    const error = asProblem(request.error);
    const locale = localeOf(headersOf(request.event)['accept-language']);
    const language = { 'content-language': locale, vary: 'Accept-Language' };
    if (isTransient(request.error)) {
      logger.warn('dependency unavailable', { error: safeError(request.error), correlationId });
      metrics.addMetric('DependencyUnavailable', 'Count', 1);
    }
    if (error instanceof HttpProblem) {
      logger.info('request refused', {
        status: error.status,
        type: error.type,
        fields: error.errors?.map((e) => e.field),
      });
      request.response = json(
        error.status,
        error.toProblem(locale, request.event.rawPath, correlationId),
        { ...error.headers, ...language, 'cache-control': 'no-store', 'x-correlation-id': correlationId },
        true,
      );
      return;
    }
    logger.error('unexpected error', { error: safeError(error), correlationId });
    metrics.addMetric('UnexpectedError', 'Count', 1);
    request.response = json(
      500,
      internalProblem(locale, correlationId),
      { ...language, 'cache-control': 'no-store', 'x-correlation-id': correlationId },
      true,
    );
  },
};

// ── Serving ───────────────────────────────────────────────────────────────────────────────────

/** A route and what it does: authentication, validation and the response shape come from the route. */
export function on<R extends RouteSpec>(
  route: R,
  impl: (request: HttpRequest<R>) => Promise<HttpResult>,
): RouteBinding {
  // Who calls, then what they sent, then the use case; serve's middy stack turns errors into problems.
  const handle = async (event: RouteEvent) => {
    const caller = await identify(route.access, headersOf(event));
    return respond(route, event, await impl(validated(route, event, caller) as HttpRequest<R>));
  };
  return { route, handle: handle as unknown as HttpHandler };
}

function noRoute(method: string, path: string, known: readonly RouteSpec[]): never {
  const allow = allowedMethods(known, path);
  if (allow.length > 0) {
    throw new HttpProblem(
      405,
      {
        es: `${path} no admite ${method}: admite ${allow.join(', ')}`,
        en: `${path} does not take ${method}: it takes ${allow.join(', ')}`,
      },
      {
        headers: { allow: allow.join(', ') },
      },
    );
  }
  throw new HttpProblem(404, {
    es: `Ninguna ruta atiende ${method} ${path}`,
    en: `no route matches ${method} ${path}`,
  });
}

/**
 * The Lambda handler of a function that serves these routes. `known`: the routes whose methods a
 * 405 names (default: these); the function behind the API's `$default` route passes them all.
 */
export function serve(
  bindings: readonly RouteBinding[],
  options: { known?: readonly RouteSpec[] } = {},
): HttpHandler {
  const known = options.known ?? bindings.map((b) => b.route);
  const router = httpRouterHandler({
    routes: bindings.map((b) => ({ method: b.route.method, path: b.route.path, handler: b.handle })),
    notFoundResponse: ({ method, path }: { method: string; path: string }) => noRoute(method, path, known),
  });
  return middy(router as unknown as HttpHandler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(problems) as unknown as HttpHandler;
}
