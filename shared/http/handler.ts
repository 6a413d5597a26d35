/**
 * The middy stack every HTTP function uses, in the Powertools order:
 * injectLambdaContext → logMetrics → captureLambdaHandler → contract (parse, validate, shape) → handler.
 * Errors: an HttpProblem becomes its problem+json; anything else a 500 with a correlation id, logged,
 * never echoed (no stack, no message).
 */
import { hash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { UseCaseError } from '#app/errors.ts';
import type { FieldIssue } from '#domain/case/filing.ts';
import { checkJsonKeys, MAX_JSON_DEPTH } from '#domain/text.ts';
import { InvalidCursorError, RadicadoBusyError } from '#ports/index.ts';
import { logger, metrics, safeError, tracer } from './observability.ts';
import { HttpProblem, internalProblem, validationProblem } from './problem.ts';
import type { HttpRequest, HttpResult, RouteSpec } from './route.ts';

/**
 * Largest request body accepted (bytes, decoded): 160 KiB. Sized for the worst legitimate filing,
 * not the typical one: a 20,000-character description (the schema's limit, in UTF-16 units) that a
 * client writes entirely as `\uXXXX` escapes takes 6 bytes a unit, 120,000 bytes, and subject,
 * petitioner and whitespace add a few KB more. Far larger bodies (1 MB) are still refused (413).
 */
export const MAX_BODY_BYTES = 160 * 1024;

/**
 * Where JSON.parse stopped, from V8's message ("… at position N", "(line L column C)"): digits
 * only, never the rest of the message, which quotes the input (personal data). '' if absent.
 */
export function jsonErrorWhere(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const line = /\bline (\d{1,9}) column (\d{1,9})\b/.exec(message);
  if (line) return ` at line ${Number(line[1])}, column ${Number(line[2])}`;
  const position = /\bat position (\d{1,9})\b/.exec(message);
  if (position) return ` at position ${Number(position[1])}`;
  if (/^Unexpected end of JSON input$/.test(message)) return ': it ends before the JSON is complete';
  return '';
}

const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function issuesOf(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map(String)];
    if (i.code === 'unrecognized_keys') {
      return {
        field: [...path, i.keys[0] ?? ''].join('.'),
        message: `unknown field(s): ${i.keys.join(', ')}`,
      };
    }
    return { field: path.join('.') || prefix.join('.') || 'body', message: i.message };
  });
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string, status: 400 | 422): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw validationProblem(issuesOf(parsed.error, where === 'body' ? [] : [where]), status);
  return parsed.data;
}

function readBody(
  route: RouteSpec,
  event: APIGatewayProxyEventV2,
): { raw: string | undefined; json: unknown } {
  if (!route.body) return { raw: undefined, json: undefined };
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    throw new HttpProblem(415, 'send the body as application/json');
  }
  const decoded =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  // A leading UTF-8 byte order mark (some Windows clients send one) is not JSON: drop it.
  const raw = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (raw.trim() === '')
    throw new HttpProblem(400, 'the body is empty: send a JSON object', {
      errors: [{ field: 'body', message: 'is required' }],
    });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    // Never the parser's message: V8 quotes the input in it.
    throw new HttpProblem(400, `the body is not valid JSON${jsonErrorWhere(error)}`, {
      errors: [{ field: 'body', message: 'is not valid JSON' }],
    });
  }
  const problem = checkJsonKeys(json, MAX_JSON_DEPTH);
  if (problem?.kind === 'too_deep') {
    const message = `is nested deeper than ${MAX_JSON_DEPTH} levels`;
    throw new HttpProblem(400, `the body ${message}`, { errors: [{ field: 'body', message }] });
  }
  if (problem) {
    throw new HttpProblem(400, `the key ${problem.path} is not allowed`, {
      errors: [{ field: problem.path, message: 'is not an allowed key' }],
    });
  }
  return { raw, json };
}

function lowerHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function json(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  problem = false,
): APIGatewayProxyStructuredResultV2 {
  // A literal, then the route's headers on top (not spread after a spread: on Node 20 V8 defines
  // each of those through its slow runtime path).
  const all: Record<string, string> = {
    'x-content-type-options': BASE_HEADERS['x-content-type-options'],
    'referrer-policy': BASE_HEADERS['referrer-policy'],
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

const USE_CASE_STATUS = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  precondition_failed: 412,
  precondition_required: 428,
} as const;

/** Refusals from the layers below, as the problem a client should see. */
function asProblem(error: unknown): unknown {
  if (error instanceof UseCaseError)
    return new HttpProblem(USE_CASE_STATUS[error.code], error.message, {
      ...(error.issues.length ? { errors: error.issues } : {}),
      ...(error.problem.type ? { type: `urn:urna:problem:${error.problem.type}` } : {}),
      ...(error.problem.extensions ? { extensions: error.problem.extensions } : {}),
    });
  if (error instanceof RadicadoBusyError) {
    return new HttpProblem(
      503,
      'too many filings for this entity right now: retry with the same Idempotency-Key',
      {
        headers: { 'retry-after': '1' },
      },
    );
  }
  if (error instanceof InvalidCursorError) {
    return new HttpProblem(400, error.message, {
      errors: [{ field: 'query.cursor', message: error.message }],
    });
  }
  return error;
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpHandler<R extends RouteSpec>(
  route: R,
  impl: (request: HttpRequest<R>) => Promise<HttpResult>,
): HttpHandler {
  const base = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const rawHeaders = lowerHeaders(event.headers);
    const body = readBody(route, event);
    const request = {
      body: parsePart(route.body, body.json, 'body', 422),
      query: parsePart(route.query, event.queryStringParameters ?? {}, 'query', 400),
      params: parsePart(route.params, event.pathParameters ?? {}, 'path', 400),
      headers: parsePart(route.headers, rawHeaders, 'header', 400),
      rawHeaders,
      rawBody: body.raw,
      requestId: event.requestContext.requestId,
    } as HttpRequest<R>;
    const result = await impl(request);
    const cache = route.cacheSeconds !== undefined ? `public, max-age=${route.cacheSeconds}` : 'no-store';
    const response = json(result.status, result.text ?? result.body, {
      'cache-control': cache,
      'x-correlation-id': event.requestContext.requestId,
      ...result.headers,
    });
    if (result.text !== undefined) response.body = result.text;
    return route.cacheSeconds !== undefined ? withEtag(response, rawHeaders['if-none-match']) : response;
  };

  const contract: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
    before: (request) => {
      logger.setCorrelationId(request.event.requestContext?.requestId);
    },
    onError: (request) => {
      const correlationId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const error = asProblem(request.error);
      if (error instanceof HttpProblem) {
        logger.info('request refused', {
          status: error.status,
          type: error.type,
          fields: error.errors?.map((e) => e.field),
        });
        request.response = json(
          error.status,
          error.toProblem(request.event.rawPath, correlationId),
          {
            ...error.headers,
            'cache-control': 'no-store',
            'x-correlation-id': correlationId,
          },
          true,
        );
      } else {
        logger.error('unexpected error', { error: safeError(error), correlationId });
        metrics.addMetric('UnexpectedError', 'Count', 1);
        request.response = json(
          500,
          internalProblem(correlationId),
          {
            'cache-control': 'no-store',
            'x-correlation-id': correlationId,
          },
          true,
        );
      }
    },
  };

  return middy(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(contract) as unknown as HttpHandler;
}
