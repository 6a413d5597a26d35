/**
 * NOTE (engineer B → A): written by B (proposals) as THE citizen-identity verifier of issue 6;
 * comments and supports should both use it (`authenticateCitizen` / `optionalCitizen`), so there
 * is one configuration (CITIZEN_AUTH_ISSUER, CITIZEN_AUTH_AUDIENCE) and one rule.
 *
 * Who a citizen is: `Authorization: Bearer <OIDC ID token>` from the citizens' identity provider
 * (on AWS: the national digital-identity service or a citizens' user pool, whatever
 * CITIZEN_AUTH_ISSUER names; locally the dev issuer the local runtime serves). Verified with jose
 * against `${CITIZEN_AUTH_ISSUER}/.well-known/jwks.json`: RS256 or ES256 signature, issuer, expiry,
 * `aud` containing CITIZEN_AUTH_AUDIENCE, a `sub`. Officers' access tokens carry no `aud`, so
 * they never pass as citizens. Anything else is a 401 with `WWW-Authenticate: Bearer`.
 *
 * What is kept of a citizen: nothing but a keyed hash (`citizenHash`), scoped to what they act on,
 * so the same person cannot be linked across proposals or consultations from stored data. The token
 * and its claims are never logged.
 */
import { errors, jwtVerify } from 'jose';
import { keyedHash } from '#domain/text.ts';
import { required } from '#shared/config.ts';
import { bearerToken, CLOCK_TOLERANCE_SECONDS, keySet } from './auth.ts';
import { logger } from './observability.ts';
import { HttpProblem } from './problem.ts';

export const CITIZEN_TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;
const REALM = 'urna-citizens';

/** A verified citizen: who issued the identity and the stable subject there. Never logged. */
export interface Citizen {
  issuer: string;
  subject: string;
}

function unauthorized(detail: string, invalidToken: boolean): HttpProblem {
  const challenge = invalidToken
    ? `Bearer realm="${REALM}", error="invalid_token"`
    : `Bearer realm="${REALM}"`;
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': challenge } });
}

function reasonOf(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'the identity token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the identity token's ${error.claim} is not valid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'the identity token is not signed with an accepted algorithm';
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the identity token is signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the identity token signature is not valid';
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return 'the identity token is malformed';
  }
  return undefined;
}

/**
 * The citizen behind a request, or a 401 HttpProblem. An unreachable issuer or a missing
 * CITIZEN_AUTH_* variable is an ordinary error (a 500 with a correlation id).
 */
export async function authenticateCitizen(
  headers: Readonly<Record<string, string | undefined>>,
  purpose = 'this action needs an identified citizen',
): Promise<Citizen> {
  const token = bearerToken(headers);
  if (token === undefined) {
    throw unauthorized(`${purpose}: send Authorization: Bearer <identity token>`, false);
  }
  const issuer = required('CITIZEN_AUTH_ISSUER').replace(/\/+$/, '');
  const audience = required('CITIZEN_AUTH_AUDIENCE');
  try {
    const { payload } = await jwtVerify(token, keySet(issuer), {
      issuer,
      audience,
      algorithms: [...CITIZEN_TOKEN_ALGORITHMS],
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    // A Cognito-style provider marks its tokens: only an identity token identifies a citizen here.
    if (payload.token_use !== undefined && payload.token_use !== 'id') {
      throw unauthorized('send an identity (ID) token, not an access token', true);
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 256) {
      throw unauthorized('the identity token has no subject', true);
    }
    return { issuer, subject };
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    const reason = reasonOf(error);
    if (reason === undefined) throw error;
    logger.info('citizen token refused', { reason });
    throw unauthorized(reason, true);
  }
}

/** The citizen when the request carries an identity token (verified), undefined when it carries none. */
export async function optionalCitizen(
  headers: Readonly<Record<string, string | undefined>>,
): Promise<Citizen | undefined> {
  if ((headers.authorization ?? headers.Authorization) === undefined) return undefined;
  return authenticateCitizen(headers);
}

/**
 * The hash that stands for a citizen within one scope (`proposal:<id>`, a consultation id…):
 * HMAC-SHA-256 hex of issuer, subject and scope keyed with the service's secret (`key`). Stable
 * (the same citizen in the same scope is the same hash: one support each), unlinkable across
 * scopes from stored data, and not confirmable: a guessable subject (a document number) cannot be
 * checked against a stored hash without the key.
 */
export function citizenHash(key: string, scope: string, citizen: Citizen): string {
  return keyedHash(key, `citizen\n${scope}\n${citizen.issuer}\n${citizen.subject}`);
}
