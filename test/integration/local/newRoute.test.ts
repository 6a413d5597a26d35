/**
 * Adding an endpoint is one declaration and one handler (README, "Adding an endpoint"): a route
 * declared in a fixture, served by a function whose trigger is derived from the declaration as the
 * catalog's are, is routed by the local API with its access rules, documented by OpenAPI, and
 * demanded a row by the access matrix — with no other edit anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';
import { ROUTES } from '#http/routes/index.ts';
import { catalogProblems, FUNCTIONS, type FunctionSpec, httpTrigger, PIPES } from '#infra/catalog.ts';
import { routesNeedingRows } from '#test/support/accessMatrix.ts';
import { call } from '#test/support/client.ts';
import { probeRoute } from '#test/support/fixtures/probe.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

const routes = [...ROUTES, probeRoute];
const PROBE: FunctionSpec = {
  name: 'Probe',
  entry: 'test/support/fixtures/probe.ts',
  trigger: httpTrigger('Probe', { routes }),
};
const functions = [...FUNCTIONS, PROBE];

let system: LocalSystem;
beforeAll(async () => {
  system = await useLocalSystem({ functions, schedulers: false });
});
afterAll(() => system?.stop());

const as = async (roles: ('officer' | 'supervisor')[]) => ({
  authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles, offices: ['espectro'] })}`,
});

describe('a newly declared route', () => {
  it('is served by the local API with the access its declaration gives: 401, 403, 400, 200', async () => {
    const anonymous = await call(system.baseUrl, 'GET', '/v1/probe/7');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(
      (await call(system.baseUrl, 'GET', '/v1/probe/7', { headers: await as(['officer']) })).status,
    ).toBe(403);
    const supervisor = await as(['supervisor']);
    expect((await call(system.baseUrl, 'GET', '/v1/probe/x', { headers: supervisor })).status).toBe(400);
    const ok = await call(system.baseUrl, 'GET', '/v1/probe/7', { headers: supervisor });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: '7' });
  });

  it('is documented in OpenAPI with its roles and the problems the stack gives', () => {
    const operation = (
      openApiDocument(routes).paths as Record<string, Record<string, Record<string, unknown>>>
    )['/v1/probe/{id}']?.get;
    expect(operation?.security).toEqual([{ officerAuth: ['supervisor', 'admin'] }]);
    expect(Object.keys(operation?.responses as object)).toEqual(['200', '400', '401', '403', '500', '503']);
  });

  it('needs a row in the access matrix, and fits the catalog', () => {
    expect(routesNeedingRows(routes)).toContain('GET /v1/probe/{id}');
    expect(routesNeedingRows(ROUTES)).not.toContain('GET /v1/probe/{id}');
    expect(catalogProblems(PIPES, functions, routes)).toEqual([]);
  });
});
