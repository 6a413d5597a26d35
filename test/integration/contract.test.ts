/**
 * The published contract holds: every route's real responses (successes and problems) validate
 * against the schemas of /openapi.json, and every catalog route is documented.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#infra/catalog.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './cases/helpers.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }
    >
  >;
  components: Record<string, Record<string, unknown>>;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  doc = (await call(system.baseUrl, 'GET', '/openapi.json')).body as typeof doc;
  ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
});
afterAll(() => system?.stop());

function check(path: string, method: string, reply: Reply): void {
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op, `${method} ${path} is documented`).toBeDefined();
  let response = op!.responses[String(reply.status)];
  expect(response, `${method} ${path} documents status ${reply.status}`).toBeDefined();
  if (response!.$ref)
    response = doc.components.responses![response!.$ref.split('/').pop()!] as typeof response;
  const [type, media] = Object.entries(response!.content ?? {})[0] ?? [];
  expect(reply.headers.get('content-type')).toContain(type);
  const schema = JSON.parse(
    JSON.stringify(media!.schema).replaceAll('"#/components', '"openapi#/components'),
  );
  const validate = ajv.compile(schema);
  expect(validate(reply.json), `${method} ${path} ${reply.status}: ${ajv.errorsText(validate.errors)}`).toBe(
    true,
  );
}

describe('OpenAPI contract', () => {
  it('documents every route of the catalog', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const routes = FUNCTIONS.flatMap((f) =>
      f.trigger.type === 'http' ? f.trigger.routes.map((r) => `${r.method} ${r.path}`) : [],
    );
    expect(documented.sort()).toEqual(routes.sort());
    expect(doc).toMatchObject({ openapi: '3.1.0' });
  });

  it('real responses match the document', async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'digital_government' }),
    });
    check('/v1/cases', 'POST', filed);
    check(
      '/v1/cases',
      'POST',
      await call(system.baseUrl, 'POST', '/v1/cases', { body: petition({ kind: 'x' }) }),
    );
    check('/v1/cases', 'POST', await call(system.baseUrl, 'POST', '/v1/cases', { raw: '{' }));
    const code = { 'x-tracking-code': String(filed.body.trackingCode) };
    check(
      '/v1/cases/{radicado}',
      'GET',
      await call(system.baseUrl, 'GET', `/v1/cases/${filed.body.radicado}`, { headers: code }),
    );
    check(
      '/v1/cases/{radicado}',
      'GET',
      await call(system.baseUrl, 'GET', '/v1/cases/MINTIC-2026-999999', { headers: code }),
    );
    check(
      '/v1/cases/{radicado}',
      'GET',
      await call(system.baseUrl, 'GET', '/v1/cases/nope', { headers: code }),
    );
    await system.drain();
    const token = await system.issuer.issue({
      entity: 'MINTIC',
      roles: ['officer'],
      offices: ['gobierno-digital'],
    });
    const dev = { authorization: `Bearer ${token}` };
    check(
      '/v1/inbox',
      'GET',
      await call(system.baseUrl, 'GET', '/v1/inbox?office=gobierno-digital', { headers: dev }),
    );
    check('/v1/inbox', 'GET', await call(system.baseUrl, 'GET', '/v1/inbox?office=gobierno-digital'));
    check('/v1/inbox', 'GET', await call(system.baseUrl, 'GET', '/v1/inbox?office=BAD!', { headers: dev }));
    check(
      '/v1/inbox',
      'GET',
      await call(system.baseUrl, 'GET', '/v1/inbox?office=espectro', { headers: dev }),
    );
    check('/v1/public/entities', 'GET', await call(system.baseUrl, 'GET', '/v1/public/entities'));
    // Notices by publication: a page, an unknown entity, a bad id, a cursor not given by the API.
    for (const e of ['MINTIC/notices', 'NOPE/notices', 'bad!/notices', 'MINTIC/notices?cursor=x']) {
      const reply = await call(system.baseUrl, 'GET', `/v1/public/entities/${e}`);
      check('/v1/public/entities/{id}/notices', 'GET', reply);
    }
    check(
      '/v1/receipts/verify',
      'GET',
      await call(system.baseUrl, 'GET', `/v1/receipts/verify?receipt=${filed.body.receipt}`),
    );
    check('/v1/receipts/verify', 'GET', await call(system.baseUrl, 'GET', '/v1/receipts/verify?receipt=abc'));
    check('/v1/receipts/verify', 'GET', await call(system.baseUrl, 'GET', '/v1/receipts/verify'));
    check('/.well-known/jwks.json', 'GET', await call(system.baseUrl, 'GET', '/.well-known/jwks.json'));
    check('/openapi.json', 'GET', await call(system.baseUrl, 'GET', '/openapi.json'));
  });

  it("officers' case routes match the document", async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition({ kind: 'query' }) });
    await system.drain();
    const r = String(filed.body.radicado);
    const officer = {
      authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: ['atencion-ciudadano'] })}`,
    };
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${r}`, { headers: officer });
    check('/v1/cases/{radicado}', 'GET', view);
    const path = '/v1/cases/{radicado}/actions';
    const act = (body: unknown, etag?: string) =>
      call(system.baseUrl, 'POST', `/v1/cases/${r}/actions`, {
        body,
        headers: { ...officer, ...(etag ? { 'if-match': etag } : {}) },
      });
    const etag = view.headers.get('etag') ?? '';
    check(path, 'POST', await act({ type: 'close' }));
    check(path, 'POST', await act({ type: 'close' }, '"v1"'));
    check(path, 'POST', await act({ type: 'close' }, etag));
    check(path, 'POST', await act({ type: 'assign', office: 'nope' }, etag));
    const assigned = await act({ type: 'assign', office: 'atencion-ciudadano', officer: 'o-1' }, etag);
    check(path, 'POST', assigned);
    check(path, 'POST', await act({ type: 'close' }));
    check(
      path,
      'POST',
      await call(system.baseUrl, 'POST', `/v1/cases/${r}/actions`, { body: { type: 'close' } }),
    );
    check(
      '/v1/cases/{radicado}/history',
      'GET',
      await call(system.baseUrl, 'GET', `/v1/cases/${r}/history`, { headers: officer }),
    );
    check(
      '/v1/cases/{radicado}/history',
      'GET',
      await call(system.baseUrl, 'GET', '/v1/cases/MEDELLIN-2026-000001/history', { headers: officer }),
    );
    const verbal = (body: unknown) =>
      call(system.baseUrl, 'POST', '/v1/cases/verbal', { body, headers: officer });
    check('/v1/cases/verbal', 'POST', await verbal({ filing: petition(), record: { channel: 'phone' } }));
    check('/v1/cases/verbal', 'POST', await verbal({ filing: petition(), record: { channel: 'fax' } }));
  });
});
