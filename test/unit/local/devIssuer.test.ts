/**
 * The local dev issuer: a key pair kept between runs, Cognito-shaped access tokens, its JWKS route,
 * and the `npm run -s token` command against a stand-in for a running system.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, resetAuthForTests } from '#http/auth.ts';
import {
  createDevIssuer,
  DEV_CLIENT_ID,
  DEV_ISSUER_KEY_FILE,
  DevIssuerError,
  devIssuerRoutes,
  devIssuerUrl,
  loadDevIssuerKey,
} from '#infra/local/devIssuer.ts';
import { main, parseTokenArgs, TokenCliError } from '#infra/local/token.ts';
import { resetConfigForTests } from '#shared/config.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'urna-issuer-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the key pair', () => {
  it('is generated once, kept private (0600), and read back the same', () => {
    // Prepare
    const dir = tempDir();
    // Act
    const first = createDevIssuer({ issuer: 'http://127.0.0.1:1/local/issuer', keyDir: dir });
    const second = createDevIssuer({ issuer: 'http://127.0.0.1:1/local/issuer', keyDir: dir });
    // Assess
    expect(second.kid).toBe(first.kid);
    expect(second.jwks()).toEqual(first.jwks());
    expect(statSync(join(dir, DEV_ISSUER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, DEV_ISSUER_KEY_FILE), 'utf8'))).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      kid: first.kid,
    });
  });

  it('is not created when only reading, and a broken file says what to do', () => {
    const dir = tempDir();
    expect(() => loadDevIssuerKey(dir, { create: false })).toThrow(/npm start/);
    writeFileSync(join(dir, DEV_ISSUER_KEY_FILE), '{"kty":"oct"}');
    expect(() => loadDevIssuerKey(dir)).toThrow(/delete it/);
  });
});

describe('tokens', () => {
  const issuer = createDevIssuer({
    issuer: 'http://127.0.0.1:3000/local/issuer/',
    now: () => 1_800_000_000_000,
  });

  it('look like Cognito access tokens', async () => {
    // Act
    const token = await issuer.issue({
      entity: 'MINTIC',
      roles: ['officer', 'supervisor'],
      offices: ['conectividad'],
      ttlSeconds: 900,
    });
    // Assess
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'http://127.0.0.1:3000/local/issuer',
      client_id: DEV_CLIENT_ID,
      token_use: 'access',
      'cognito:groups': ['entity:MINTIC', 'role:officer', 'role:supervisor', 'office:conectividad'],
      iat: 1_800_000_000,
      exp: 1_800_000_900,
    });
    expect(claims.aud).toBeUndefined();
    expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof claims.jti).toBe('string');
  });

  it('name the same subject for the same request, another for another', async () => {
    const sub = async (offices: string[]) =>
      decodeJwt(await issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices })).sub;
    expect(await sub(['conectividad'])).toBe(await sub(['conectividad']));
    expect(await sub(['conectividad'])).not.toBe(await sub(['espectro']));
    expect(decodeJwt(await issuer.issue({ entity: 'MINTIC', roles: ['admin'], subject: 'ana' })).sub).toBe(
      'ana',
    );
  });

  it.each([
    ['an entity id that is not one', { entity: 'mintic', roles: ['officer'] }, /entity/],
    ['no role', { entity: 'MINTIC', roles: [] }, /at least one role/],
    ['an unknown role', { entity: 'MINTIC', roles: ['janitor'] }, /janitor/],
    ['a malformed office', { entity: 'MINTIC', roles: ['officer'], offices: ['A B'] }, /office/],
    ['a zero ttl', { entity: 'MINTIC', roles: ['officer'], ttlSeconds: 0 }, /ttl/],
    ['a ttl over a day', { entity: 'MINTIC', roles: ['officer'], ttlSeconds: 86_401 }, /ttl/],
  ])('refuses %s', async (_what, request, message) => {
    await expect(issuer.issue(request as Parameters<typeof issuer.issue>[0])).rejects.toThrow(message);
    await expect(issuer.issue(request as Parameters<typeof issuer.issue>[0])).rejects.toBeInstanceOf(
      DevIssuerError,
    );
  });
});

describe('devIssuerRoutes', () => {
  const issuer = createDevIssuer({ issuer: devIssuerUrl('http://127.0.0.1:3000/') });
  const route = devIssuerRoutes(issuer);

  it("serves the JWKS and the discovery document under the issuer's path, like Cognito", () => {
    const jwks = route('GET', '/local/issuer/.well-known/jwks.json');
    expect(jwks?.statusCode).toBe(200);
    expect(jwks?.headers).toContainEqual(['content-type', 'application/json']);
    expect(JSON.parse(String(jwks?.body))).toEqual({
      keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: issuer.kid, n: expect.any(String), e: 'AQAB' }],
    });
    expect(JSON.stringify(issuer.jwks())).not.toContain('"d"');
    const discovery = JSON.parse(
      String(route('GET', '/local/issuer/.well-known/openid-configuration')?.body),
    );
    expect(discovery).toMatchObject({
      issuer: 'http://127.0.0.1:3000/local/issuer',
      jwks_uri: 'http://127.0.0.1:3000/local/issuer/.well-known/jwks.json',
    });
  });

  it('leaves every other request to the catalog routes', () => {
    expect(route('POST', '/local/issuer/.well-known/jwks.json')).toBeUndefined();
    expect(route('GET', '/.well-known/jwks.json')).toBeUndefined();
    expect(route('GET', '/local/issuer')).toBeUndefined();
  });
});

describe('npm run -s token', () => {
  it('parses repeated roles and offices, and a ttl', () => {
    expect(
      parseTokenArgs([
        '--entity',
        'MINTIC',
        '--office',
        'conectividad',
        '--role',
        'officer',
        '--role',
        'supervisor',
        '--office',
        'espectro',
        '--ttl',
        '600',
      ]),
    ).toEqual({
      entity: 'MINTIC',
      roles: ['officer', 'supervisor'],
      offices: ['conectividad', 'espectro'],
      ttlSeconds: 600,
    });
  });

  it.each([
    [['--role', 'officer'], /--entity/],
    [['--entity', 'MINTIC'], /--role/],
    [['--entity', 'MINTIC', '--role', 'officer', '--bogus'], /usage/],
  ])('refuses %j', (args, message) => {
    expect(() => parseTokenArgs(args)).toThrow(message);
    expect(() => parseTokenArgs(args)).toThrow(TokenCliError);
  });

  describe('against a running system', () => {
    let server: Server;
    let stateFile: string;
    let served: ReturnType<typeof devIssuerRoutes> | undefined;

    beforeAll(async () => {
      server = createServer((req, res) => {
        const response = served?.(req.method ?? 'GET', req.url ?? '/');
        if (!response) res.writeHead(404).end();
        else res.writeHead(response.statusCode, Object.fromEntries(response.headers)).end(response.body);
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const address = server.address();
      const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      // What `npm start` leaves behind: its state file, and the issuer key next to it.
      const dir = tempDir();
      stateFile = join(dir, 'env.json');
      const running = createDevIssuer({ issuer: devIssuerUrl(baseUrl), keyDir: dir });
      served = devIssuerRoutes(running);
      writeFileSync(
        stateFile,
        JSON.stringify({
          pid: process.pid,
          baseUrl,
          startedAt: new Date().toISOString(),
          env: { AUTH_ISSUER: running.issuer, AUTH_CLIENT_ID: running.clientId },
        }),
      );
    });
    afterAll(async () => {
      await new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      });
    });
    afterEach(() => {
      delete process.env.AUTH_ISSUER;
      delete process.env.AUTH_CLIENT_ID;
      resetConfigForTests();
      resetAuthForTests();
    });

    it('prints a token the running system accepts', async () => {
      // Act
      const token = await main(['--entity', 'MINTIC', '--office', 'conectividad', '--role', 'officer'], {
        stateFile,
      });
      // Assess: verified by shared/http/auth.ts, as a handler would
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { env: Record<string, string> };
      Object.assign(process.env, state.env);
      resetConfigForTests();
      expect(await authenticate({ authorization: `Bearer ${token}` })).toMatchObject({
        entityId: 'MINTIC',
        roles: ['officer'],
        offices: ['conectividad'],
      });
    });

    it('refuses when the running system serves another key', async () => {
      const dir = tempDir();
      const otherState = join(dir, 'env.json');
      writeFileSync(otherState, readFileSync(stateFile));
      loadDevIssuerKey(dir); // a fresh key the server does not publish
      await expect(
        main(['--entity', 'MINTIC', '--role', 'officer'], { stateFile: otherState }),
      ).rejects.toThrow(/another key/);
    });

    it('refuses when nothing is running', async () => {
      await expect(
        main(['--entity', 'MINTIC', '--role', 'officer'], { stateFile: join(tempDir(), 'env.json') }),
      ).rejects.toThrow(/not running/);
    });
  });
});
