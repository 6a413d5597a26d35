/**
 * Who is calling an officer route: `Authorization: Bearer <access token>`, verified here with jose
 * against the issuer's JWKS, then read as an Actor (shared/domain/actor.ts).
 *
 * The same code runs everywhere: on AWS the issuer is the Cognito user pool (the HTTP API's JWT
 * authorizer has already checked the token; this is the second, independent check, and the only
 * one that reads the groups); locally it is the dev issuer the local runtime serves
 * (infra/local/devIssuer.ts). Both sign with RS256 and publish `${AUTH_ISSUER}/.well-known/jwks.json`.
 *
 * Accepted: an RS256 JWT from AUTH_ISSUER, unexpired, with `token_use: 'access'` and
 * `client_id: AUTH_CLIENT_ID` (Cognito access tokens carry no `aud`). Anything else is a 401 with
 * `WWW-Authenticate: Bearer`; a valid token whose groups describe no Urna actor is a 403. The
 * token and its claims are never logged; at most subject, entity and roles.
 */
import type { JWTPayload } from 'jose';
import {
  type Actor,
  actorFromClaims,
  actorLogFields,
  InvalidClaimsError,
  type InvalidClaimsReason,
} from '#domain/actor.ts';
import { type Phrase, phrase } from '#domain/issues.ts';
import { required } from '#shared/config.ts';
import { logger } from './observability.ts';
import { HttpProblem } from './problem.ts';

export type { Actor } from '#domain/actor.ts';

/** Cognito signs with RS256; so does the dev issuer. Nothing else is accepted (no `none`, no HS*). */
export const TOKEN_ALGORITHMS = ['RS256'] as const;
/** Seconds of clock skew tolerated on exp/iat/nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;
const REALM = 'urna';

type Jose = typeof import('./jose.ts');

/** jose, loaded at the first token to verify: a request without one never pays its import. */
let loadingJose: Promise<Jose> | undefined;
export const jose = (): Promise<Jose> => {
  loadingJose ??= import('./jose.ts');
  return loadingJose;
};

type KeySet = ReturnType<Jose['createRemoteJWKSet']>;

/** One JWKS fetcher per issuer per process: keys are fetched once and cached (refetched on an unknown kid). */
const keySets = new Map<string, KeySet>();

export async function keySet(issuer: string): Promise<KeySet> {
  let set = keySets.get(issuer);
  if (!set) {
    const { createRemoteJWKSet } = await jose();
    set = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), {
      timeoutDuration: 3000,
      // A token with an unknown kid triggers at most one refetch per 30 s.
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
    keySets.set(issuer, set);
  }
  return set;
}

/**
 * Tokens this process verified lately (issuer, client, token → actor): one RS256 check per token
 * and minute, not per request. Kept at most VERIFIED_TTL_MS (under the key set's cacheMaxAge, so a
 * key withdrawn from the JWKS stops working no later than without this), never past the expiry.
 */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1000;
const verified = new Map<string, { actor: Actor; until: number }>();

function recall(key: string, now: number): Actor | undefined {
  const hit = verified.get(key);
  if (!hit) return undefined;
  if (now >= hit.until) {
    verified.delete(key);
    return undefined;
  }
  // A copy: the caller may do what it likes with its actor.
  return { ...hit.actor, roles: [...hit.actor.roles], offices: [...hit.actor.offices] };
}

function remember(key: string, actor: Actor, exp: number, now: number): void {
  const until = Math.min(now + VERIFIED_TTL_MS, (exp + CLOCK_TOLERANCE_SECONDS) * 1000);
  if (until <= now) return;
  if (verified.size >= VERIFIED_MAX) {
    // Oldest first (insertion order): drop what has expired, else the oldest entry.
    for (const [k, v] of verified) {
      if (v.until <= now) verified.delete(k);
    }
    if (verified.size >= VERIFIED_MAX) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
  }
  verified.set(key, { actor: { ...actor, roles: [...actor.roles], offices: [...actor.offices] }, until });
}

function unauthorized(detail: Phrase, invalidToken: boolean): HttpProblem {
  // RFC 6750 §3: no error code when no credentials were sent; invalid_token when they were.
  const challenge = invalidToken
    ? `Bearer realm="${REALM}", error="invalid_token"`
    : `Bearer realm="${REALM}"`;
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': challenge } });
}

/** The compact JWS of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = headers.authorization ?? headers.Authorization;
  if (value === undefined) return undefined;
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(value);
  return match?.[1];
}

/** jose's refusals caused by the token itself (as opposed to the issuer being unreachable or broken). */
const tokenErrors = (errors: Jose['errors']): readonly (new (...args: never[]) => Error)[] => [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

function reasonOf(error: unknown, errors: Jose['errors']): Phrase | undefined {
  if (error instanceof errors.JWTExpired) {
    return phrase('El token venció: obtenga uno nuevo', 'the token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'iss'
      ? phrase('El token viene de otro emisor', 'the token comes from another issuer')
      : phrase(`El campo ${error.claim} del token no es válido`, `the token's ${error.claim} is not valid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return phrase(
      'El token no está firmado con un algoritmo aceptado',
      'the token is not signed with an accepted algorithm',
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return phrase(
      'El token está firmado con una clave desconocida',
      'the token is signed with an unknown key',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return phrase('La firma del token no es válida', 'the token signature is not valid');
  }
  if (tokenErrors(errors).some((type) => error instanceof type)) {
    return phrase('El token está mal formado', 'the token is malformed');
  }
  return undefined;
}

/**
 * The actor behind an officer request. Rejects with a 401 HttpProblem (no, malformed, expired,
 * foreign or wrongly typed token) or a 403 (a valid token whose groups name no Urna actor).
 * An unreachable issuer or missing AUTH_* configuration is an ordinary error (the caller's 500).
 */
export async function authenticate(headers: Readonly<Record<string, string | undefined>>): Promise<Actor> {
  const token = bearerToken(headers);
  if (token === undefined) {
    throw unauthorized(
      phrase(
        'Las rutas de funcionarios requieren un token de acceso: envíe Authorization: Bearer <token>',
        'officer routes need an access token: send Authorization: Bearer <token>',
      ),
      false,
    );
  }
  const issuer = required('AUTH_ISSUER').replace(/\/+$/, '');
  const clientId = required('AUTH_CLIENT_ID');
  const cacheKey = `${issuer} ${clientId} ${token}`;
  const cached = recall(cacheKey, Date.now());
  if (cached) {
    logger.debug('authenticated', { actor: actorLogFields(cached) });
    return cached;
  }

  let payload: JWTPayload;
  const { errors, jwtVerify } = await jose();
  try {
    ({ payload } = await jwtVerify(token, await keySet(issuer), {
      issuer,
      algorithms: [...TOKEN_ALGORITHMS],
      requiredClaims: ['exp', 'iat', 'sub', 'token_use', 'client_id'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    const reason = reasonOf(error, errors);
    if (reason === undefined) throw error;
    logger.info('token refused', { reason: reason.en });
    throw unauthorized(reason, true);
  }
  if (payload.token_use !== 'access') {
    logger.info('token refused', { reason: 'not an access token' });
    throw unauthorized(
      phrase('Envíe un token de acceso (este no lo es)', 'send an access token (this is not one)'),
      true,
    );
  }
  if (payload.client_id !== clientId) {
    logger.info('token refused', { reason: 'another client' });
    throw unauthorized(
      phrase('El token se emitió para otro cliente', 'the token was issued to another client'),
      true,
    );
  }
  try {
    const actor = actorFromClaims(payload);
    if (typeof payload.exp === 'number') remember(cacheKey, actor, payload.exp, Date.now());
    logger.debug('authenticated', { actor: actorLogFields(actor) });
    return actor;
  } catch (error) {
    if (!(error instanceof InvalidClaimsError)) throw error;
    logger.info('actor refused', { reason: error.reason });
    throw new HttpProblem(403, {
      es: `Esta cuenta no puede usar las rutas de funcionarios: ${CLAIMS_ES[error.reason]}`,
      en: `this account cannot use officer routes: ${error.message}`,
    });
  }
}

/** Why the groups of a valid token name no Urna actor, in Spanish (the English is the error's message). */
const CLAIMS_ES: Readonly<Record<InvalidClaimsReason, string>> = {
  missing_subject: 'el token no tiene sujeto (sub)',
  missing_groups: 'el token no tiene la lista de grupos',
  no_entity: 'la cuenta no pertenece a ninguna entidad',
  several_entities: 'la cuenta pertenece a más de una entidad',
  no_role: 'la cuenta no tiene ningún rol',
  invalid_group: 'uno de sus grupos está mal formado o nombra un rol desconocido',
};

/** Tests point AUTH_ISSUER at servers that come and go. */
export function resetAuthForTests(): void {
  keySets.clear();
  verified.clear();
}
