/**
 * `authenticate` against a dev issuer whose JWKS a tiny loopback server publishes, Cognito's way.
 * Every broken token is a 401 (with WWW-Authenticate), a good one an Actor.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, bearerToken, resetAuthForTests } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { defineRoute } from '#http/route.ts';
import { ROUTES } from '#http/routes.ts';
import { FUNCTIONS } from '#infra/catalog.ts';
import { createDevIssuer, type DevIssuer, devIssuerRoutes } from '#infra/local/devIssuer.ts';
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

describe('through the HTTP stack', () => {
  const route = defineRoute({
    operationId: 'probe',
    method: 'GET',
    path: '/probe',
    summary: 'probe',
    tags: [],
    auth: 'officer',
    responses: { 200: { description: 'ok' } },
    problems: [401, 403, 500],
  });
  const handler = httpHandler(route, async (request) => ({
    status: 200,
    body: await authenticate(request.rawHeaders),
  }));
  const event = (headers: Record<string, string>): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'GET /probe',
      rawPath: '/probe',
      rawQueryString: '',
      headers,
      isBase64Encoded: false,
      requestContext: { requestId: 'req-auth', http: { method: 'GET', path: '/probe' } },
    }) as APIGatewayProxyEventV2;
  const context = {
    awsRequestId: 'a',
    functionName: 'probe',
    getRemainingTimeInMillis: () => 1000,
  } as Context;

  it('answers 401 problem+json with WWW-Authenticate, and 200 with a token', async () => {
    const refused = await handler(event({}), context);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(refused.headers?.['www-authenticate']).toBe('Bearer realm="urna"');
    expect(JSON.parse(String(refused.body))).toMatchObject({
      status: 401,
      type: 'urn:urna:problem:unauthorized',
    });

    const token = await issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: ['espectro'] });
    const ok = await handler(event({ Authorization: `Bearer ${token}` }), context);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(String(ok.body))).toMatchObject({ entityId: 'MINTIC', offices: ['espectro'] });
  });
});

describe('bearerToken', () => {
  it('takes the compact JWS from the header, nothing else', () => {
    expect(bearerToken({ authorization: 'Bearer a.b.c' })).toBe('a.b.c');
    expect(bearerToken({ authorization: 'Bearer a.b.c extra' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });
});

describe('route declarations and the catalog agree on who needs a token', () => {
  it('every officer route is behind the JWT authorizer, and only those', () => {
    const officer = (ROUTES as readonly { method: string; path: string; auth?: string }[])
      .filter((r) => r.auth === 'officer')
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const jwt = FUNCTIONS.flatMap((f) =>
      f.trigger.type === 'http'
        ? f.trigger.routes.filter((r) => r.auth === 'jwt').map((r) => `${r.method} ${r.path}`)
        : [],
    ).sort();
    expect(officer).toEqual(jwt);
    expect(jwt).toContain('GET /v1/inbox');
  });
});
