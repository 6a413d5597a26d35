/**
 * The local stand-in for the officers' Cognito user pool: an RS256 key pair and tokens shaped
 * like Cognito access tokens, so shared/http/auth.ts verifies them with exactly the code that
 * verifies Cognito's. The local HTTP server serves its keys where Cognito serves a pool's:
 *
 *   issuer  <baseUrl>/local/issuer
 *   JWKS    <baseUrl>/local/issuer/.well-known/jwks.json
 *
 * The key pair is generated once and kept (private JWK, mode 600) in `<keyDir>/dev-issuer-key.json`
 * so that `npm run -s token` (infra/local/token.ts) can sign for the running system; without a
 * keyDir (tests) it lives in memory only. For local development only: nothing here is deployed.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JWTPayload, SignJWT } from 'jose';
import { actorFromClaims, GROUPS_CLAIM, groupsFor, ROLES, type Role } from '../../shared/domain/actor.ts';
import { ENTITY_ID, OFFICE_ID } from '../../shared/domain/entity.ts';

/** Where the issuer lives on the local HTTP server. */
export const DEV_ISSUER_PATH = '/local/issuer';
/** The app client id the local system accepts (AUTH_CLIENT_ID). */
export const DEV_CLIENT_ID = 'urna-local-officers';
/** The audience of citizens' ID tokens the local system accepts (CITIZEN_AUTH_AUDIENCE). */
export const DEV_CITIZEN_AUDIENCE = 'urna-local-citizens';
export const DEV_ISSUER_KEY_FILE = 'dev-issuer-key.json';
export const DEFAULT_TTL_SECONDS = 3600;
/** Cognito's longest access token validity. */
export const MAX_TTL_SECONDS = 24 * 3600;
const ALG = 'RS256';

/** `<baseUrl>/local/issuer`: the issuer URL (AUTH_ISSUER) of a local system at baseUrl. */
export function devIssuerUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${DEV_ISSUER_PATH}`;
}

export interface DevTokenRequest {
  entity: string;
  roles: readonly Role[];
  offices?: readonly string[];
  /** Default: derived from entity, roles and offices, so the same request names the same person. */
  subject?: string;
  /** Default 3600; at most 86 400 (Cognito's maximum). */
  ttlSeconds?: number;
}

/** An RFC 7517 public key as Cognito publishes it. */
export interface PublicJwk {
  kty: 'RSA';
  alg: typeof ALG;
  use: 'sig';
  kid: string;
  n: string;
  e: string;
}

export interface DevIssuer {
  /** The `iss` of its tokens (AUTH_ISSUER). */
  readonly issuer: string;
  /** The `client_id` of its tokens (AUTH_CLIENT_ID). */
  readonly clientId: string;
  readonly kid: string;
  /** The JWK Set served at `${issuer}/.well-known/jwks.json`. */
  jwks(): { keys: PublicJwk[] };
  /** The OpenID discovery document served at `${issuer}/.well-known/openid-configuration`. */
  openidConfiguration(): Record<string, unknown>;
  /** A Cognito-shaped access token for this entity, roles and offices. */
  issue(request: DevTokenRequest): Promise<string>;
  /** Signs any claims with this issuer's key (tests craft broken tokens with it). */
  sign(claims: JWTPayload, header?: { alg?: string; kid?: string }): Promise<string>;
  /** A citizen's OIDC ID token (audience DEV_CITIZEN_AUDIENCE) for shared/http/citizenAuth.ts. */
  issueCitizen(request: { subject: string; ttlSeconds?: number }): Promise<string>;
}

export class DevIssuerError extends Error {
  override readonly name = 'DevIssuerError';
}

function thumbprint(jwk: JsonWebKey): string {
  // RFC 7638: the required members of an RSA key, in lexicographic order.
  return createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
}

function privateKeyFromJwk(text: string, file: string): KeyObject {
  try {
    const jwk = JSON.parse(text) as JsonWebKey;
    if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string') throw new Error('not an RSA private JWK');
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new DevIssuerError(
      `${file} is not a usable RSA private key (${(error as Error).message}): delete it and restart`,
    );
  }
}

/**
 * The issuer's private key: read from `<dir>/dev-issuer-key.json`, or generated and written there
 * (atomically: when several processes start at once they all end up with the same key).
 * `create: false` only reads, and throws a DevIssuerError when there is no key yet.
 */
export function loadDevIssuerKey(dir: string, options: { create?: boolean } = {}): KeyObject {
  const file = join(dir, DEV_ISSUER_KEY_FILE);
  if (existsSync(file)) return privateKeyFromJwk(readFileSync(file, 'utf8'), file);
  if (options.create === false) {
    throw new DevIssuerError(`no dev issuer key at ${file}: start the local system first (npm start)`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...jwk, alg: ALG, use: 'sig', kid: thumbprint(jwk) })}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(temp, file); // fails if another process got there first: then its key wins
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return privateKeyFromJwk(readFileSync(file, 'utf8'), file);
}

function defaultSubject(entity: string, roles: readonly string[], offices: readonly string[]): string {
  const hex = createHash('sha256')
    .update(JSON.stringify(['urna-local', entity, [...roles].sort(), [...offices].sort()]))
    .digest('hex');
  // Shaped like Cognito's sub (a UUID), version nibble 8 ("custom", RFC 9562).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Refuses, in words, a request that would give a token no Urna actor could come from. */
function checkRequest(request: DevTokenRequest): void {
  if (!ENTITY_ID.test(request.entity)) {
    throw new DevIssuerError(`entity "${request.entity}" is not an entity id (such as MINTIC)`);
  }
  if (request.roles.length === 0) throw new DevIssuerError(`give at least one role (${ROLES.join(', ')})`);
  for (const role of request.roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new DevIssuerError(`role "${role}" is not one of ${ROLES.join(', ')}`);
    }
  }
  for (const office of request.offices ?? []) {
    if (!OFFICE_ID.test(office)) throw new DevIssuerError(`office "${office}" is not an office id`);
  }
  const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new DevIssuerError(`ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  if (request.subject !== undefined && (request.subject.trim() === '' || request.subject.length > 128)) {
    throw new DevIssuerError('subject must be 1 to 128 characters');
  }
}

export interface DevIssuerOptions {
  /** The issuer URL, e.g. devIssuerUrl(http.baseUrl). */
  issuer: string;
  /** @default DEV_CLIENT_ID */
  clientId?: string;
  /** Keep the key pair in this directory (see loadDevIssuerKey); default: in memory. */
  keyDir?: string;
  /** Use this private key instead. */
  privateKey?: KeyObject;
  /** Epoch milliseconds (tests). @default Date.now */
  now?: () => number;
}

export function createDevIssuer(options: DevIssuerOptions): DevIssuer {
  const issuer = options.issuer.replace(/\/+$/, '');
  const clientId = options.clientId ?? DEV_CLIENT_ID;
  const now = options.now ?? Date.now;
  const privateKey =
    options.privateKey ??
    (options.keyDir !== undefined
      ? loadDevIssuerKey(options.keyDir)
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof publicJwk.n !== 'string' || typeof publicJwk.e !== 'string') {
    throw new DevIssuerError('the dev issuer key is not an RSA key');
  }
  const kid = thumbprint(publicJwk);
  const jwk: PublicJwk = { kty: 'RSA', alg: ALG, use: 'sig', kid, n: publicJwk.n, e: publicJwk.e };

  const sign = (claims: JWTPayload, header: { alg?: string; kid?: string } = {}): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: header.alg ?? ALG, kid: header.kid ?? kid })
      .sign(privateKey);

  return {
    issuer,
    clientId,
    kid,
    jwks: () => ({ keys: [{ ...jwk }] }),
    openidConfiguration: () => ({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
    }),
    issue: async (request) => {
      checkRequest(request);
      const offices = request.offices ?? [];
      const subject = request.subject ?? defaultSubject(request.entity, request.roles, offices);
      const iat = Math.floor(now() / 1000);
      const claims: JWTPayload = {
        sub: subject,
        [GROUPS_CLAIM]: groupsFor({ entityId: request.entity, roles: request.roles, offices }),
        iss: issuer,
        version: 2,
        client_id: clientId,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: iat,
        exp: iat + (request.ttlSeconds ?? DEFAULT_TTL_SECONDS),
        iat,
        jti: randomUUID(),
        username: subject,
      };
      actorFromClaims(claims); // what it signs, the verifier can read
      return sign(claims);
    },
    sign,
    issueCitizen: async ({ subject, ttlSeconds = DEFAULT_TTL_SECONDS }) => {
      if (subject.trim() === '' || subject.length > 128) {
        throw new DevIssuerError('subject must be 1 to 128 characters');
      }
      const iat = Math.floor(now() / 1000);
      return sign({
        iss: issuer,
        aud: DEV_CITIZEN_AUDIENCE,
        sub: subject,
        token_use: 'id',
        auth_time: iat,
        iat,
        exp: iat + ttlSeconds,
      });
    },
  };
}

/** A response for the local HTTP server (the shape of infra/local/http.ts's HttpResponse). */
export interface DevIssuerResponse {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/**
 * The issuer's HTTP routes, for the local HTTP server to try before the catalog's: given a
 * request's method and path, its response, or undefined when the path is not the issuer's.
 */
export function devIssuerRoutes(
  issuer: DevIssuer,
): (method: string, rawPath: string) => DevIssuerResponse | undefined {
  const base = new URL(issuer.issuer).pathname.replace(/\/+$/, '');
  const json = (body: unknown): DevIssuerResponse => ({
    statusCode: 200,
    headers: [
      ['content-type', 'application/json'],
      ['cache-control', 'public, max-age=300'],
    ],
    body: Buffer.from(JSON.stringify(body)),
  });
  return (method, rawPath) => {
    if (method !== 'GET') return undefined;
    if (rawPath === `${base}/.well-known/jwks.json`) return json(issuer.jwks());
    if (rawPath === `${base}/.well-known/openid-configuration`) return json(issuer.openidConfiguration());
    return undefined;
  };
}
