/**
 * Who a citizen is: `Authorization: Bearer <OIDC ID token>` from the citizens' identity provider
 * (on AWS: the national digital-identity service or a citizens' user pool, whatever
 * CITIZEN_AUTH_ISSUER names; locally the dev issuer). Verified with jose against
 * `${CITIZEN_AUTH_ISSUER}/.well-known/jwks.json`: RS256 or ES256 signature, issuer, expiry, `aud`
 * containing CITIZEN_AUTH_AUDIENCE, a `sub`. Officers' access tokens carry no `aud`, so they never
 * pass as citizens. Anything else is a 401 with `WWW-Authenticate: Bearer`. Routes declare that
 * they read a citizen (`access.citizen`); the middleware calls this (shared/http/handler.ts).
 *
 * What is kept of a citizen: only a pseudonym (`citizenPseudonymText`, shared/domain/actor.ts). The token
 * and its claims are never logged.
 */
import type { Citizen } from '#domain/actor.ts';
import { type Phrase, phrase } from '#domain/issues.ts';
import { required } from '#shared/config.ts';
import { bearerToken, CLOCK_TOLERANCE_SECONDS, jose, keySet } from './auth.ts';
import { logger } from './observability.ts';
import { HttpProblem } from './problem.ts';

export const CITIZEN_TOKEN_ALGORITHMS = ['RS256', 'ES256'] as const;
const REALM = 'urna-citizens';

function unauthorized(detail: Phrase, invalidToken: boolean): HttpProblem {
  const challenge = invalidToken
    ? `Bearer realm="${REALM}", error="invalid_token"`
    : `Bearer realm="${REALM}"`;
  return new HttpProblem(401, detail, { headers: { 'www-authenticate': challenge } });
}

function reasonOf(error: unknown, errors: Awaited<ReturnType<typeof jose>>['errors']): Phrase | undefined {
  if (error instanceof errors.JWTExpired) {
    return phrase('El token de identidad venció: inicie sesión de nuevo', 'the identity token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return phrase(
      `El campo ${error.claim} del token de identidad no es válido`,
      `the identity token's ${error.claim} is not valid`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return phrase(
      'El token de identidad no está firmado con un algoritmo aceptado',
      'the identity token is not signed with an accepted algorithm',
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return phrase(
      'El token de identidad está firmado con una clave desconocida',
      'the identity token is signed with an unknown key',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return phrase(
      'La firma del token de identidad no es válida',
      'the identity token signature is not valid',
    );
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return phrase('El token de identidad está mal formado', 'the identity token is malformed');
  }
  return undefined;
}

/**
 * The citizen behind a request, or a 401 HttpProblem. An unreachable issuer or a missing
 * CITIZEN_AUTH_* variable is an ordinary error (a 500 with a correlation id).
 */
export async function authenticateCitizen(
  headers: Readonly<Record<string, string | undefined>>,
): Promise<Citizen> {
  const token = bearerToken(headers);
  if (token === undefined) {
    throw unauthorized(
      phrase(
        'Esto requiere un ciudadano identificado: envíe Authorization: Bearer <token de identidad>',
        'this needs an identified citizen: send Authorization: Bearer <identity token>',
      ),
      false,
    );
  }
  const issuer = required('CITIZEN_AUTH_ISSUER').replace(/\/+$/, '');
  const audience = required('CITIZEN_AUTH_AUDIENCE');
  const { errors, jwtVerify } = await jose();
  try {
    const { payload } = await jwtVerify(token, await keySet(issuer), {
      issuer,
      audience,
      algorithms: [...CITIZEN_TOKEN_ALGORITHMS],
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    // A Cognito-style provider marks its tokens: only an identity token identifies a citizen here.
    if (payload.token_use !== undefined && payload.token_use !== 'id') {
      throw unauthorized(
        phrase(
          'Envíe un token de identidad (ID), no un token de acceso',
          'send an identity (ID) token, not an access token',
        ),
        true,
      );
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.trim() === '' || subject.length > 256) {
      throw unauthorized(
        phrase('El token de identidad no tiene sujeto (sub)', 'the identity token has no subject'),
        true,
      );
    }
    return { issuer, subject };
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    const reason = reasonOf(error, errors);
    if (reason === undefined) throw error;
    logger.info('citizen token refused', { reason: reason.en });
    throw unauthorized(reason, true);
  }
}
