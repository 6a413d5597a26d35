/**
 * A route is declared once, with its zod schemas: the handler validates with them and the
 * OpenAPI document is generated from them (shared/http/openapi.ts).
 */
import type * as z from 'zod';
import type { HttpMethod } from '#infra/catalog.ts';
import type { ProblemStatus } from './problem.ts';

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
> {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it: `officer` needs an officer's token; `officer-optional` reads one when sent; absent = anyone. */
  auth?: 'officer' | 'officer-optional';
  /** Public, cacheable responses get a Cache-Control max-age (seconds). */
  cacheSeconds?: number;
  body?: B;
  query?: Q;
  params?: P;
  headers?: H;
  responses: Record<number, ResponseSpec>;
  problems: ProblemStatus[];
}

export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<B, Q, P, H>): RouteSpec<B, Q, P, H> {
  return spec;
}

type Out<T> = [NonNullable<T>] extends [never]
  ? undefined
  : NonNullable<T> extends z.ZodType
    ? z.output<NonNullable<T>>
    : undefined;

export interface HttpRequest<R extends RouteSpec> {
  body: Out<R['body']>;
  query: Out<R['query']>;
  params: Out<R['params']>;
  headers: Out<R['headers']>;
  /** Lower-cased request headers, as received. */
  rawHeaders: Record<string, string | undefined>;
  requestId: string;
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
