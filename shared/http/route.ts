/**
 * A route is declared once (docs/adr/0008-one-route-table.md): method, path, the function that
 * serves it, who may call it, its schemas and problems. The CDK routes and their authorizer, the
 * local API, the OpenAPI document, the access-matrix test and the dispatch inside a function are
 * all derived from these declarations (shared/http/routes/).
 */
import type * as z from 'zod';
import type { Actor, Citizen, Role } from '#domain/actor.ts';
import type { ProblemStatus } from './problem.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Who may call a route.
 * - `{ officer: roles }`: an officer's access token with one of these roles. On AWS the HTTP
 *   API's JWT authorizer checks the token first; the function checks it again and reads the roles.
 * - `{ public: why }`: no authorizer, and `why` says why that is safe. Such a route may still
 *   read an identity: `officer` (an officer's token is verified when sent: the officer's view of
 *   what the public also reads) and `citizen` (a citizen's ID token, `required` or `optional`).
 */
export type Access =
  | { readonly officer: readonly Role[]; readonly public?: never; readonly citizen?: never }
  | {
      readonly public: string;
      readonly officer?: readonly Role[];
      readonly citizen?: 'required' | 'optional';
    };

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** The media type when it is not JSON (CSV, HTML): the body is then `HttpResult.text`. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  H extends z.ZodType | undefined = z.ZodType | undefined,
  A extends Access = Access,
> {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** The catalog function (infra/catalog.ts FUNCTIONS) that serves it. */
  fn: string;
  access: A;
  summary: string;
  description?: string;
  tags: string[];
  /** Public, cacheable responses get a Cache-Control max-age (seconds), an ETag and 304s. */
  cacheSeconds?: number;
  body?: B;
  query?: Q;
  params?: P;
  headers?: H;
  responses: Record<number, ResponseSpec>;
  /**
   * The refusals of the route's own rules (404, 409, 412…). Those the stack itself gives are
   * added by `problemsOf`: 401/403 from `access`, 400/413/415/422 from the schemas, 429 when a
   * tracking code is read (wrong ones are limited), 500, and 503 (a dependency failed for a moment).
   */
  problems: ProblemStatus[];
}

export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
  const A extends Access = Access,
>(spec: RouteSpec<B, Q, P, H, A>): RouteSpec<B, Q, P, H, A> {
  return spec;
}

/** Whether only officers may call it: the routes behind the HTTP API's JWT authorizer. */
export function officersOnly(access: Access): access is { officer: readonly Role[] } {
  return access.public === undefined;
}

/** Whether the route reads an officer's token (required or optional). */
export function readsOfficerToken(access: Access): boolean {
  return access.officer !== undefined;
}

/** Whether the route reads a citizen's ID token (required or optional). */
export function readsCitizenToken(access: Access): boolean {
  return access.citizen !== undefined;
}

/** Every status a route can answer with a problem: its own and those of the stack. */
export function problemsOf(route: RouteSpec): ProblemStatus[] {
  const all = new Set<ProblemStatus>(route.problems);
  if (readsOfficerToken(route.access) || readsCitizenToken(route.access)) all.add(401);
  // A valid officer token whose groups name no actor, or a role the route does not allow.
  if (readsOfficerToken(route.access)) all.add(403);
  if (route.params || route.query || route.headers || route.body) all.add(400);
  if (route.body) {
    all.add(413);
    all.add(415);
    all.add(422);
  }
  // Wrong tracking codes are limited per radicado and client (petitioner.ts): 429 with Retry-After.
  const headers = (route.headers as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (headers && 'x-tracking-code' in headers) all.add(429);
  all.add(500);
  all.add(503);
  return [...all].sort((a, b) => a - b);
}

type Out<T> = [NonNullable<T>] extends [never]
  ? undefined
  : NonNullable<T> extends z.ZodType
    ? z.output<NonNullable<T>>
    : undefined;

/** The officer a route's handler gets: always there on officer routes, maybe on public ones. */
type ActorOf<A> = A extends { public: string }
  ? A extends { officer: readonly Role[] }
    ? Actor | undefined
    : undefined
  : Actor;

type CitizenOf<A> = A extends { citizen: 'required' }
  ? Citizen
  : A extends { citizen: 'optional' }
    ? Citizen | undefined
    : undefined;

export interface HttpRequest<R extends RouteSpec = RouteSpec> {
  body: Out<R['body']>;
  query: Out<R['query']>;
  params: Out<R['params']>;
  headers: Out<R['headers']>;
  /** Who is calling, authenticated (and authorized by role) before anything else was read. */
  actor: ActorOf<R['access']>;
  citizen: CitizenOf<R['access']>;
  /** Lower-cased request headers, as received. */
  rawHeaders: Record<string, string | undefined>;
  requestId: string;
  /** The caller's network address (API Gateway's sourceIp): limits per client. Personal data: never logged. */
  client: string;
  /** The body exactly as received (decoded), for hashing. */
  rawBody: string | undefined;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  /** A body sent as is (CSV, HTML…); give its content-type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}
