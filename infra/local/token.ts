/**
 * `npm run -s token -- --entity MINTIC --office conectividad --role officer [--role supervisor]
 *  [--office …] [--subject <sub>] [--ttl 3600]`, or `npm run -s token -- --citizen <subject>`
 *
 * Prints an officer access token, or a citizen's ID token (and nothing else), for the running
 * local system (`npm start`):
 * its issuer and client id come from `.local/env.json` (infra/local/state.ts), the signing key from
 * `.local/dev-issuer-key.json` (infra/local/devIssuer.ts). Checks that the running system serves
 * that key before printing, so a token it prints is one the system accepts. Use it as
 *   curl -H "authorization: Bearer $(npm run -s token -- --entity MINTIC --role supervisor)" …
 * Errors: one line on stderr, exit 1.
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Role } from '../../shared/domain/actor.ts';
import { AUTH_ENV } from '../catalog.ts';
import {
  createDevIssuer,
  DEFAULT_TTL_SECONDS,
  DEV_CLIENT_ID,
  type DevTokenRequest,
  devIssuerUrl,
  loadDevIssuerKey,
} from './devIssuer.ts';
import { readState, STATE_FILE } from './state.ts';

const USAGE =
  'usage: npm run -s token -- --entity <ENTITY> --role <officer|supervisor|communicator|admin> ' +
  '[--role …] [--office <id> …] [--subject <sub>] [--ttl <seconds>]\n' +
  '   or: npm run -s token -- --citizen <subject> [--ttl <seconds>]';

export class TokenCliError extends Error {
  override readonly name = 'TokenCliError';
}

/** The token request the arguments describe (validated by the issuer when it signs). */
export function parseTokenArgs(
  args: readonly string[],
): DevTokenRequest | { citizen: string; ttlSeconds: number } {
  let values: {
    entity?: string;
    role?: string[];
    office?: string[];
    subject?: string;
    ttl?: string;
    citizen?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        entity: { type: 'string' },
        role: { type: 'string', multiple: true },
        office: { type: 'string', multiple: true },
        subject: { type: 'string' },
        ttl: { type: 'string' },
        citizen: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new TokenCliError(`${(error as Error).message}\n${USAGE}`);
  }
  const ttl = values.ttl === undefined ? DEFAULT_TTL_SECONDS : Number(values.ttl);
  if (values.citizen !== undefined) {
    if (values.entity !== undefined || values.role !== undefined || values.office !== undefined) {
      throw new TokenCliError(`--citizen takes no --entity, --role or --office\n${USAGE}`);
    }
    return { citizen: values.citizen, ttlSeconds: ttl };
  }
  if (!values.entity) throw new TokenCliError(`--entity is required\n${USAGE}`);
  if (!values.role?.length) throw new TokenCliError(`at least one --role is required\n${USAGE}`);
  return {
    entity: values.entity,
    roles: values.role as Role[],
    offices: values.office ?? [],
    ttlSeconds: ttl,
    ...(values.subject === undefined ? {} : { subject: values.subject }),
  };
}

async function servedKids(issuer: string): Promise<string[]> {
  const res = await fetch(`${issuer}/.well-known/jwks.json`, { signal: AbortSignal.timeout(3000) });
  if (res.status !== 200) {
    throw new TokenCliError(
      `the local system does not serve the dev issuer's keys (${res.status} from ${issuer})`,
    );
  }
  const body = (await res.json()) as { keys?: { kid?: unknown }[] };
  return (body.keys ?? []).map((k) => String(k.kid));
}

/**
 * The token for these arguments, signed for the running system. `stateFile` (tests): another
 * state file; the key is read from the same directory.
 */
export async function main(args: readonly string[], options: { stateFile?: string } = {}): Promise<string> {
  const request = parseTokenArgs(args);
  const stateFile = options.stateFile ?? STATE_FILE;
  const state = readState(stateFile);
  if (!state) throw new TokenCliError('the local system is not running: start it with npm start');
  const issuer = createDevIssuer({
    issuer: state.env[AUTH_ENV.issuer] ?? devIssuerUrl(state.baseUrl),
    clientId: state.env[AUTH_ENV.clientId] ?? DEV_CLIENT_ID,
    privateKey: loadDevIssuerKey(dirname(stateFile), { create: false }),
  });
  const token =
    'citizen' in request
      ? await issuer.issueCitizen({ subject: request.citizen, ttlSeconds: request.ttlSeconds })
      : await issuer.issue(request);
  if (!(await servedKids(issuer.issuer)).includes(issuer.kid)) {
    throw new TokenCliError('the running system signs with another key: restart it (npm start)');
  }
  return token;
}

// Run as a command (not when a test imports it).
if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
