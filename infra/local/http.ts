/**
 * A local stand-in for the API Gateway HTTP API: each request becomes a payload-format-2.0
 * `APIGatewayProxyEventV2` for the catalog function that owns the route, and the handler's result
 * is turned back into an HTTP response by the same rules API Gateway applies.
 *
 * - Routes: `{param}` and greedy `{param+}` templates; the most specific route wins (static
 *   segment > parameter > greedy: shared/http/paths.ts). No route → the `$default` route's
 *   function (the catalog's `fallback`: a 404/405 problem), or a plain 404 without one.
 * - Request: lower-cased headers, duplicates joined with commas; `cookie` moved to `cookies`;
 *   query parameters decoded, duplicates joined with commas; body as text for textual content
 *   types, base64 otherwise; bodies over 10 MB → 413. The x-forwarded-* and x-amzn-trace-id
 *   headers API Gateway adds are added.
 * - Response: a structured result (`statusCode` present) is used as is, `cookies` become
 *   set-cookie headers, `isBase64Encoded` bodies are decoded; any other value is sent as a 200
 *   application/json whose body is the string itself or the value's JSON. `multiValueHeaders`
 *   belongs to payload 1.0 and is ignored, as on AWS.
 * - A handler that throws, times out or returns something API Gateway would reject → 500
 *   application/problem+json with a correlation id (the `apigw-requestid` header) and no stack;
 *   the cause goes to the local log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  compareSpecificity,
  compilePath,
  matchPath,
  type PathSegment,
  pathParts,
} from '../../shared/http/paths.ts';
import type { HttpMethod } from '../../shared/http/route.ts';
import type { FunctionSpec } from '../catalog.ts';
import { type LocalLog, LocalSystemError, oneLine } from './errors.ts';
import { type FunctionRunner, LambdaTimeoutError, LOCAL_ACCOUNT_ID } from './lambda.ts';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** HTTP API's integration timeout. */
export const INTEGRATION_TIMEOUT_SECONDS = 30;
/** Past this much, an oversized body is no longer drained but the connection cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface HttpRoute {
  method: HttpMethod;
  path: string;
  fn: FunctionSpec;
  routeKey: string;
  segments: readonly PathSegment[];
}

export function compileRoutes(functions: readonly FunctionSpec[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    if (fn.trigger.type !== 'http') continue;
    for (const { method, path } of fn.trigger.routes) {
      routes.push({ method, path, fn, routeKey: `${method} ${path}`, segments: compilePath(path) });
    }
  }
  // Most specific first: the first route that matches is the one API Gateway picks.
  return routes.sort((a, b) => compareSpecificity(a.segments, b.segments));
}

export function matchRoute(
  routes: readonly HttpRoute[],
  method: string,
  rawPath: string,
): { route: HttpRoute; pathParameters: Record<string, string> } | undefined {
  const parts = pathParts(rawPath);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pathParameters = matchPath(route.segments, parts);
    if (pathParameters) return { route, pathParameters };
  }
  return undefined;
}

/** The function behind the `$default` route, as a route of its own: what no declared route takes. */
function fallbackRoute(functions: readonly FunctionSpec[]): HttpRoute | undefined {
  const fn = functions.find((f) => f.trigger.type === 'http' && f.trigger.fallback === true);
  return fn ? { method: 'GET', path: '$default', fn, routeKey: '$default', segments: [] } : undefined;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(?:json|javascript|xml|x-www-form-urlencoded|graphql|yaml|x-yaml)$/,
  /\+(?:json|xml)$/,
];

/** Whether API Gateway would pass a body of this content type as text (else base64). */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return TEXT_TYPES.some((re) => re.test(type));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's requestContext.time. */
export function apiGatewayTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}

export interface RequestInput {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  /** Node's rawHeaders: name, value, name, value … */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
  localPort: number;
  route: HttpRoute;
  pathParameters: Record<string, string>;
  requestId: string;
  timeEpoch: number;
}

export function buildEvent(input: RequestInput): APIGatewayProxyEventV2 {
  const queryAt = input.url.indexOf('?');
  const rawPath = queryAt === -1 ? input.url : input.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : input.url.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const name = (input.rawHeaders[i] ?? '').toLowerCase();
    const value = input.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${input.sourceIp}`
    : input.sourceIp;
  headers['x-forwarded-port'] = String(input.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(input.timeEpoch / 1000).toString(16)}-${uniqueBytes(12).toString('hex')}`;

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString !== '') {
    queryStringParameters = {};
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      const previous = queryStringParameters[key];
      queryStringParameters[key] = previous === undefined ? value : `${previous},${value}`;
    }
  }

  const hostname = (headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: hostname,
      domainPrefix: hostname.split('.')[0] ?? hostname,
      http: {
        method: input.method,
        path: rawPath,
        protocol: `HTTP/${input.httpVersion}`,
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.route.routeKey,
      stage: '$default',
      time: apiGatewayTime(input.timeEpoch),
      timeEpoch: input.timeEpoch,
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (Object.keys(input.pathParameters).length > 0) event.pathParameters = input.pathParameters;
  if (input.body.length > 0) {
    const text = isTextContentType(headers['content-type']);
    event.body = text ? input.body.toString('utf8') : input.body.toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

export interface HttpResponse {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/** Thrown for a handler result API Gateway would answer with a 500. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies payload-format-2.0 response rules to a handler's result. */
export function toHttpResponse(result: unknown): HttpResponse {
  if (!isRecord(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null');
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(body, 'utf8'),
    };
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedResponseError('statusCode is not an HTTP status');
  }
  const out: [string, string][] = [];
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) throw new MalformedResponseError('headers is not an object');
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new MalformedResponseError(`header ${name} is not a string, number or boolean`);
      }
      out.push([name.toLowerCase(), String(value)]);
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string')) {
      throw new MalformedResponseError('cookies is not an array of strings');
    }
    for (const cookie of cookies as string[]) out.push(['set-cookie', cookie]);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedResponseError('body is not a string');
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: out,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

export function problemResponse(
  status: number,
  title: string,
  detail: string,
  extra: Record<string, string> = {},
): HttpResponse {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, ...extra });
  return {
    statusCode: status,
    headers: [['content-type', 'application/problem+json']],
    body: Buffer.from(body),
  };
}

/** The 500 for anything unexpected: a correlation id (also in x-correlation-id), nothing else. */
export function internalError(correlationId: string): HttpResponse {
  const response = problemResponse(
    500,
    'Internal Server Error',
    'An unexpected error occurred. Quote the correlation id if you report it.',
    { correlationId },
  );
  response.headers.push(['x-correlation-id', correlationId]);
  return response;
}

export interface LocalHttpServer {
  readonly port: number;
  readonly baseUrl: string;
  readonly routes: readonly HttpRoute[];
  /** Starts routing to handlers (until then every request gets 503: the system is starting). */
  open(): void;
  /** Requests being handled right now. */
  inFlight(): number;
  stop(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  functions: readonly FunctionSpec[];
  runner: FunctionRunner;
  log: LocalLog;
  /**
   * Routes the local runtime answers itself, tried before the catalog's (the dev issuer's JWKS,
   * infra/local/devIssuer.ts): the response, or undefined to go on to the catalog routes. They
   * get the whole body, even past the 10 MB that catalog routes refuse (S3-like uploads).
   */
  localRoutes?: (request: LocalRequest) => HttpResponse | undefined | Promise<HttpResponse | undefined>;
}

export interface LocalRequest {
  method: string;
  rawPath: string;
  /** Path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Headers API Gateway sets itself: a handler's own are dropped. */
const GATEWAY_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'apigw-requestid']);

function send(res: ServerResponse, response: HttpResponse, requestId: string, close = false): void {
  // One flat [name, value, ...] list to writeHead (Node's cheapest path): repeated names are joined
  // with commas as API Gateway does, except set-cookie, which stays one line per cookie.
  const joined = new Map<string, string>();
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    if (GATEWAY_HEADERS.has(name)) continue;
    if (name === 'set-cookie') flat.push(name, value);
    else joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
  }
  for (const [name, value] of joined) flat.push(name, value);
  flat.push('apigw-requestid', requestId, 'content-length', String(response.body.length));
  if (close) flat.push('connection', 'close');
  res.writeHead(response.statusCode, flat);
  res.end(response.body);
}

/**
 * Ids that must be unique, not secret (request ids, trace roots): a random prefix drawn once and a
 * counter, as many bytes as asked (≥ 5); no random draw per request.
 */
const ID_PREFIX = randomBytes(16);
let idCounter = 0;
function uniqueBytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  ID_PREFIX.copy(out, 0, 0, size - 4);
  idCounter = (idCounter + 1) >>> 0;
  out.writeUInt32BE(idCounter, size - 4);
  return out;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return oneLine(error);
}

export async function startHttpServer(options: HttpServerOptions): Promise<LocalHttpServer> {
  const routes = compileRoutes(options.functions);
  const fallback = fallbackRoute(options.functions);
  let ready = false;
  let inFlight = 0;

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    requestId: string,
    tooLarge: boolean,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0] ?? '/';
    if (!ready) {
      send(
        res,
        problemResponse(503, 'Service Unavailable', 'The local system is still starting.'),
        requestId,
      );
      return;
    }
    const local = await options.localRoutes?.({ method, rawPath, url, headers: req.headers, body });
    if (local) {
      send(res, local, requestId);
      return;
    }
    if (tooLarge) {
      const detail = 'The request body is larger than the 10 MB API Gateway accepts.';
      send(res, problemResponse(413, 'Content Too Large', detail), requestId, true);
      return;
    }
    const match =
      matchRoute(routes, method, rawPath) ?? (fallback ? { route: fallback, pathParameters: {} } : undefined);
    if (!match) {
      send(res, problemResponse(404, 'Not Found', `No route matches ${method} ${rawPath}.`), requestId);
      return;
    }
    const event = buildEvent({
      method,
      url,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      httpVersion: req.httpVersion,
      localPort: req.socket.localPort ?? 0,
      route: match.route,
      pathParameters: match.pathParameters,
      requestId,
      timeEpoch: Date.now(),
    });
    const awsRequestId = randomUUID();
    let response: HttpResponse;
    try {
      const result = await options.runner.invoke(match.route.fn, event, {
        maxSeconds: INTEGRATION_TIMEOUT_SECONDS,
        requestId: awsRequestId,
      });
      response = toHttpResponse(result);
    } catch (error) {
      const what =
        error instanceof MalformedResponseError
          ? `returned a response API Gateway rejects (${error.message})`
          : error instanceof LambdaTimeoutError
            ? 'timed out'
            : `failed: ${describe(error)}`;
      options.log(
        `${match.route.fn.name} ${match.route.routeKey} ${what} [correlation id ${requestId}, request id ${awsRequestId}]`,
      );
      response = internalError(requestId);
    }
    send(res, response, requestId);
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    const requestId = uniqueBytes(10).toString('base64');
    const declared = Number(req.headers['content-length'] ?? '0');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks), requestId, tooLarge).catch((error: unknown) => {
        options.log(`local HTTP server failed on a request: ${oneLine(error)} [correlation id ${requestId}]`);
        if (!res.headersSent) {
          send(res, internalError(requestId), requestId);
        } else {
          res.destroy();
        }
      });
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new LocalSystemError(
            `port ${options.port} is already in use: stop what is using it or choose another with PORT=<port>`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new LocalSystemError(`port ${options.port} needs privileges: choose another with PORT=<port>`),
        );
      } else {
        reject(error);
      }
    });
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    routes,
    open: () => {
      ready = true;
    },
    inFlight: () => inFlight,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
