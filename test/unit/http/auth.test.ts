/**
 * `authenticate` against a dev issuer whose JWKS a tiny loopback server publishes, Cognito's way.
 * Every broken token is a 401 (with WWW-Authenticate), a good one an Actor.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { authenticate, bearerToken, resetAuthForTests } from '#http/auth.ts';
import { on, serve } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { defineRoute } from '#http/route.ts';
import {
  createDevIssuer,
  DEV_CITIZEN_AUDIENCE,
  type DevIssuer,
  devIssuerRoutes,
} from '#infra/local/devIssuer.ts';
import { resetConfigForTests } from '#shared/config.ts';

let server: Server;
let issuer: DevIssuer;
/** Another key pair (RSA key generation is slow: made once). */
let otherKey: KeyObject;
let jwksHits = 0;

beforeAll(async () => {
  let routes: ReturnType<typeof devIssuerRoutes> | undefined;
  server = createServer((req, res) => {
    const response = routes?.(req.method ?? 'GET', req.url ?? '/');
    if (!response) {
      res.writeHead(404).end();
      return;
    }
    jwksHits += 1;
    res.writeHead(response.statusCode, Object.fromEntries(response.headers)).end(response.body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  issuer = createDevIssuer({ issuer: `http://127.0.0.1:${port}/local/issuer`, clientId: 'test-client' });
  routes = devIssuerRoutes(issuer);
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
});

/** An issuer with the same URL and client id, but another key. */
const impostor = (url = issuer.issuer) =>
  createDevIssuer({ issuer: url, clientId: issuer.clientId, privateKey: otherKey });

afterAll(async () => {
  await new Promise<void>((closed) => {
    server.close(() => closed());
    server.closeAllConnections();
  });
  delete process.env.AUTH_ISSUER;
  delete process.env.AUTH_CLIENT_ID;
  resetConfigForTests();
  resetAuthForTests();
});

beforeEach(() => {
  process.env.AUTH_ISSUER = issuer.issuer;
  process.env.AUTH_CLIENT_ID = issuer.clientId;
  resetConfigForTests();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Claims of a good access token, to be broken one at a time. */
function accessClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'b7d3f0a2-1111-4aaa-8bbb-000000000001',
    'cognito:groups': ['entity:MINTIC', 'role:officer', 'office:conectividad'],
    iss: issuer.issuer,
    client_id: issuer.clientId,
    token_use: 'access',
    iat: now,
    exp: now + 600,
    jti: 'j-1',
    ...overrides,
  };
}

async function refusal(headers: Record<string, string | undefined>): Promise<HttpProblem> {
  try {
    await authenticate(headers);
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('authenticate accepted the request');
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('authenticate: a good token', () => {
  it('gives the actor its groups describe', async () => {
    // Prepare
    const token = await issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: ['conectividad'] });
    // Act
    const actor = await authenticate(bearer(token));
    // Assess
    expect(actor).toEqual({
      subject: expect.any(String),
      entityId: 'MINTIC',
      roles: ['officer'],
      offices: ['conectividad'],
    });
  });

  it('accepts the scheme in any case and the header as received', async () => {
    const token = await issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] });
    expect((await authenticate({ authorization: `bearer ${token}` })).roles).toEqual(['supervisor']);
    expect((await authenticate({ Authorization: `Bearer ${token}` })).entityId).toBe('MINTIC');
  });

  it('fetches the key set once per process, not per request', async () => {
    resetAuthForTests();
    const before = jwksHits;
    const token = await issuer.issue({ entity: 'MINTIC', roles: ['admin'] });
    for (let i = 0; i < 5; i += 1) await authenticate(bearer(token));
    expect(jwksHits - before).toBe(1);
  });
});

describe('authenticate: 401 for every bad token', () => {
  it('no Authorization header: a challenge without an error code', async () => {
    const problem = await refusal({});
    expect(problem.status).toBe(401);
    expect(problem.headers['www-authenticate']).toBe('Bearer realm="urna"');
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
    ['not a JWT', 'Bearer abc'],
    ['two tokens', 'Bearer a.b.c, Bearer d.e.f'],
  ])('%s', async (_what, value) => {
    const problem = await refusal({ authorization: value });
    expect(problem.status).toBe(401);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => issuer.sign(accessClaims({ exp: Math.floor(Date.now() / 1000) - 120 })), /expired/],
    [
      'from another issuer',
      () => issuer.sign(accessClaims({ iss: 'https://evil.example/issuer' })),
      /issuer/,
    ],
    ['for another client', () => issuer.sign(accessClaims({ client_id: 'someone-else' })), /another client/],
    [
      'an id token (aud, no client_id)',
      () => {
        const { client_id: _, ...rest } = accessClaims({ token_use: 'id', aud: issuer.clientId });
        return issuer.sign(rest);
      },
      /client_id/,
    ],
    [
      'an id token carrying client_id',
      () => issuer.sign(accessClaims({ token_use: 'id', aud: issuer.clientId })),
      /not one/,
    ],
    [
      'without token_use',
      () => {
        const { token_use: _, ...rest } = accessClaims();
        return issuer.sign(rest);
      },
      /token_use/,
    ],
    [
      'without exp',
      () => {
        const { exp: _, ...rest } = accessClaims();
        return issuer.sign(rest);
      },
      /exp/,
    ],
    [
      'tampered (claims changed after signing)',
      async () => {
        const [header, , signature] = (await issuer.sign(accessClaims())).split('.');
        const forged = b64(accessClaims({ 'cognito:groups': ['entity:SUPERSALUD', 'role:admin'] }));
        return `${header}.${forged}.${signature}`;
      },
      /signature/,
    ],
    [
      'signed by another key under the same kid',
      () =>
        impostor().sign(accessClaims(), {
          kid: issuer.kid,
        }),
      /signature/,
    ],
    ['signed by a key the issuer does not publish', () => impostor().sign(accessClaims()), /unknown key/],
    [
      'alg none',
      async () => `${b64({ alg: 'none', kid: issuer.kid })}.${b64(accessClaims())}.`,
      /algorithm|malformed/,
    ],
    [
      'HS256 with the public key as secret (algorithm confusion)',
      () => {
        const secret = new TextEncoder().encode(JSON.stringify(issuer.jwks().keys[0]));
        return new SignJWT(accessClaims()).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).sign(secret);
      },
      /algorithm/,
    ],
    [
      'RS512 (not the algorithm Cognito uses)',
      () => issuer.sign(accessClaims(), { alg: 'RS512' }),
      /algorithm/,
    ],
    [
      'ES256 from a key of its own',
      () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return new SignJWT(accessClaims())
          .setProtectedHeader({ alg: 'ES256', kid: issuer.kid })
          .sign(privateKey);
      },
      /algorithm/,
    ],
  ];

  it.each(cases)('%s', async (_what, make, detail) => {
    // Prepare
    const token = await make();
    // Act
    const problem = await refusal(bearer(token));
    // Assess
    expect(problem.status).toBe(401);
    expect(problem.message).toMatch(detail);
    expect(problem.headers['www-authenticate']).toBe('Bearer realm="urna", error="invalid_token"');
    expect(problem.message).not.toContain(token);
  });
});

describe('authenticate: valid tokens that name no actor, and broken configuration', () => {
  it('a valid token whose groups name no entity is a 403', async () => {
    const token = await issuer.sign(accessClaims({ 'cognito:groups': ['role:officer'] }));
    const problem = await refusal(bearer(token));
    expect(problem.status).toBe(403);
  });

  it('an unreachable issuer is a server error (500), not the client’s 401', async () => {
    process.env.AUTH_ISSUER = 'http://127.0.0.1:9/local/issuer';
    resetConfigForTests();
    const token = await impostor(process.env.AUTH_ISSUER).issue({ entity: 'MINTIC', roles: ['officer'] });
    const error = await authenticate(bearer(token)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(HttpProblem);
  });

  it('missing AUTH_* configuration fails loudly, naming the variable', async () => {
    delete process.env.AUTH_CLIENT_ID;
    resetConfigForTests();
    const token = await issuer.issue({ entity: 'MINTIC', roles: ['officer'] });
    await expect(authenticate(bearer(token))).rejects.toThrow(/AUTH_CLIENT_ID/);
  });
});

describe('through the HTTP stack: access from the declaration, before anything is read', () => {
  const body = z.strictObject({ n: z.number() });
  const officerRoute = defineRoute({
    operationId: 'probe',
    method: 'POST',
    path: '/probe/{id}',
    fn: 'Probe',
    access: { officer: ['supervisor', 'admin'] },
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    body,
    summary: 'probe',
    tags: [],
    responses: { 200: { description: 'ok' } },
    problems: [],
  });
  const publicRoute = defineRoute({
    operationId: 'look',
    method: 'GET',
    path: '/probe/{id}',
    fn: 'Probe',
    access: { public: 'a test route', officer: ['officer'], citizen: 'optional' },
    summary: 'look',
    tags: [],
    responses: { 200: { description: 'ok' } },
    problems: [],
  });
  const citizenRoute = defineRoute({
    operationId: 'mine',
    method: 'GET',
    path: '/mine',
    fn: 'Probe',
    access: { public: 'a test route', citizen: 'required' },
    summary: 'mine',
    tags: [],
    responses: { 200: { description: 'ok' } },
    problems: [],
  });
  const handler = serve([
    on(officerRoute, async ({ actor, body: b }) => ({ status: 200, body: { actor, n: b.n } })),
    on(publicRoute, async ({ actor, citizen }) => ({
      status: 200,
      body: { actor: actor ?? null, citizen: citizen ?? null },
    })),
    on(citizenRoute, async ({ citizen }) => ({ status: 200, body: { subject: citizen.subject } })),
  ]);
  const event = (
    method: string,
    path: string,
    headers: Record<string, string>,
    payload?: string,
  ): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: `${method} ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers,
      isBase64Encoded: false,
      ...(payload !== undefined ? { body: payload } : {}),
      requestContext: { requestId: 'req-auth', http: { method, path } },
    }) as APIGatewayProxyEventV2;
  const context = {
    awsRequestId: 'a',
    functionName: 'probe',
    getRemainingTimeInMillis: () => 1000,
  } as Context;
  const call = async (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    payload?: string,
  ) => {
    const res = await handler(event(method, path, headers, payload), context);
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(String(res.body || '{}')) };
  };
  const citizenEnv = () => {
    process.env.CITIZEN_AUTH_ISSUER = issuer.issuer;
    process.env.CITIZEN_AUTH_AUDIENCE = DEV_CITIZEN_AUDIENCE;
    resetConfigForTests();
  };
  afterAll(() => {
    delete process.env.CITIZEN_AUTH_ISSUER;
    delete process.env.CITIZEN_AUTH_AUDIENCE;
    resetConfigForTests();
  });

  it('answers 401 with WWW-Authenticate whatever the body, path or media type', async () => {
    for (const [headers, payload, path] of [
      [{}, undefined, '/probe/1'],
      [{ 'content-type': 'text/plain' }, 'not json', '/probe/x'],
      [{ 'content-type': 'application/json' }, '{"n":"wrong"}', '/probe/1'],
      [{ authorization: 'Bearer not.a.token', 'content-type': 'application/json' }, '{', '/probe/1'],
    ] as const) {
      const refused = await call('POST', path, headers, payload);
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(String(refused.headers['www-authenticate'])).toMatch(/^Bearer realm="urna"/);
      expect(refused.body).toMatchObject({ status: 401, type: 'urn:urna:problem:unauthorized' });
    }
  });

  it('then 403 for a role the declaration does not name, still before the body is read', async () => {
    const officer = bearer(
      await issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: ['espectro'] }),
    );
    const refused = await call('POST', '/probe/1', { ...officer, 'content-type': 'text/plain' }, 'x');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('supervisor, admin');
  });

  it('then validation: 415, 400 for the path, 422 for the body; then the handler gets the actor', async () => {
    const supervisor = bearer(await issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] }));
    expect(
      (await call('POST', '/probe/1', { ...supervisor, 'content-type': 'text/plain' }, 'x')).status,
    ).toBe(415);
    const json = { ...supervisor, 'content-type': 'application/json' };
    expect((await call('POST', '/probe/x', json, '{"n":1}')).status).toBe(400);
    expect((await call('POST', '/probe/1', json, '{"n":"one"}')).status).toBe(422);
    const ok = await call('POST', '/probe/1', json, '{"n":1}');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ n: 1, actor: { entityId: 'MINTIC', roles: ['supervisor'] } });
  });

  it('a public route reads an officer or a citizen token when sent, and checks it', async () => {
    citizenEnv();
    expect((await call('GET', '/probe/1')).body).toEqual({ actor: null, citizen: null });
    const officer = await call(
      'GET',
      '/probe/1',
      bearer(await issuer.issue({ entity: 'MINTIC', roles: ['officer'] })),
    );
    expect(officer.body.actor).toMatchObject({ entityId: 'MINTIC' });
    const citizen = await call('GET', '/probe/1', bearer(await issuer.issueCitizen({ subject: 'c-1' })));
    expect(citizen.body).toMatchObject({ actor: null, citizen: { subject: 'c-1' } });
    const communicator = bearer(await issuer.issue({ entity: 'MINTIC', roles: ['communicator'] }));
    expect((await call('GET', '/probe/1', communicator)).status).toBe(403);
    expect((await call('GET', '/probe/1', { authorization: 'Bearer a.b.c' })).status).toBe(401);
  });

  it('a citizen route answers the citizen challenge without a token, and refuses an officer token', async () => {
    citizenEnv();
    const none = await call('GET', '/mine');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="urna-citizens"');
    const officer = bearer(await issuer.issue({ entity: 'MINTIC', roles: ['officer'] }));
    expect((await call('GET', '/mine', officer)).status).toBe(401);
    const ok = await call('GET', '/mine', bearer(await issuer.issueCitizen({ subject: 'c-2' })));
    expect(ok).toMatchObject({ status: 200, body: { subject: 'c-2' } });
  });

  it('an unknown path is a 404 problem; a known path with another method a 405 naming the methods', async () => {
    const missing = await call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    const wrong = await call('DELETE', '/probe/1');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST');
    expect(wrong.body).toMatchObject({ status: 405, type: 'urn:urna:problem:method-not-allowed' });
  });
});

describe('bearerToken', () => {
  it('takes the compact JWS from the header, nothing else', () => {
    expect(bearerToken({ authorization: 'Bearer a.b.c' })).toBe('a.b.c');
    expect(bearerToken({ authorization: 'Bearer a.b.c extra' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });
});
