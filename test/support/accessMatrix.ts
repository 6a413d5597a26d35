import { type RouteSpec, readsOfficerToken } from '#http/route.ts';

/** The routes the access matrix must have a row for: every route that reads an officer's token. */
export function routesNeedingRows(routes: readonly RouteSpec[]): string[] {
  return routes
    .filter((r) => readsOfficerToken(r.access))
    .map((r) => `${r.method} ${r.path}`)
    .sort();
}
