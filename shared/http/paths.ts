/**
 * Route paths as API Gateway HTTP APIs read them: `{param}` and greedy `{param+}` segments; among
 * several matches the most specific wins (static segment > parameter > greedy). The local API
 * routes with these, and a function names the methods of a path it does not serve (405).
 */
import type { HttpMethod } from './route.ts';

export type PathSegment =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

export function compilePath(path: string): PathSegment[] {
  return path
    .split('/')
    .slice(1)
    .map((part): PathSegment => {
      const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
      if (!param?.[1]) return { kind: 'static', value: part };
      return param[2] ? { kind: 'greedy', name: param[1] } : { kind: 'param', name: param[1] };
    });
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A raw path's segments, as matchPath reads them (split once when matching many routes). */
export const pathParts = (rawPath: string): readonly string[] => rawPath.split('/').slice(1);

/** The path parameters when the path (raw, or its pathParts) matches the segments, else undefined. */
export function matchPath(
  segments: readonly PathSegment[],
  path: string | readonly string[],
): Record<string, string> | undefined {
  const parts = typeof path === 'string' ? pathParts(path) : path;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'static') {
      if (segment.value !== part) return undefined;
    } else if (segment.kind === 'param') {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
    } else {
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      params[segment.name] = decode(rest);
      return params;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

const RANK = { static: 0, param: 1, greedy: 2 } as const;

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const sa = a[i];
    const sb = b[i];
    if (!sa || !sb) return sa ? -1 : 1;
    if (RANK[sa.kind] !== RANK[sb.kind]) return RANK[sa.kind] - RANK[sb.kind];
  }
  return 0;
}

/** The methods the routes take at this path (empty: no route has the path). */
export function allowedMethods(
  routes: readonly { method: HttpMethod; path: string }[],
  rawPath: string,
): HttpMethod[] {
  const methods = routes
    .filter((r) => matchPath(compilePath(r.path), rawPath) !== undefined)
    .map((r) => r.method);
  return [...new Set(methods)].sort();
}
