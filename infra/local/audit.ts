/**
 * `npm run -s audit -- verify <radicado>` (or `verify <ENTITY_ID>` for an entity's settings trail)
 *
 * Recomputes the SHA-256 chain of the audit trail and checks the recorded head (shared/app/verifyAudit.ts).
 * Prints `ok: N events, head <hash>` and exits 0, or `broken at event K: <reason>` and exits 1.
 * Could not verify (bad arguments, unknown radicado, nothing to talk to): one line on stderr, exit 2.
 *
 * Where it reads: with TABLE_NAME set, that table with the AWS SDK's usual environment (region,
 * credentials, AWS_ENDPOINT_URL*): an AWS account, LocalStack. Otherwise the running local system
 * (`npm start`), found through `.local/env.json` (infra/local/state.ts) like `npm run -s token`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { UseCaseError } from '#app/errors.ts';
import { type AuditReport, verifyAudit, verifyEntityAudit } from '#app/verifyAudit.ts';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { ENTITY_ID } from '#domain/entity.ts';
import { COMMON_ENV } from '../catalog.ts';
import { readState, STATE_FILE } from './state.ts';

const USAGE = 'usage: npm run -s audit -- verify <radicado | ENTITY_ID>';

export class AuditCliError extends Error {
  override readonly name = 'AuditCliError';
}

/** What the local system's state gives a client of its DynamoDB. */
const LOCAL_ENV = [
  COMMON_ENV.tableName,
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
] as const;

/** The table to read, setting process.env from the local system's state when TABLE_NAME is not set. */
function tableName(stateFile: string): string {
  const given = process.env[COMMON_ENV.tableName];
  if (given) return given;
  const state = readState(stateFile);
  const table = state?.env[COMMON_ENV.tableName];
  if (!state || !table) {
    throw new AuditCliError(
      'the local system is not running: start it with npm start, or set TABLE_NAME (and the AWS environment) to read a deployed table',
    );
  }
  for (const key of LOCAL_ENV) {
    const value = state.env[key];
    if (value !== undefined) process.env[key] = value;
  }
  delete process.env.AWS_PROFILE;
  return table;
}

export function formatReport(report: AuditReport): string {
  return report.ok
    ? `ok: ${report.events} events, head ${report.head}`
    : `broken at event ${report.brokenAt}: ${report.reason}`;
}

/** Runs the command: the line to print and the exit code (0 holds, 1 broken). Throws AuditCliError. */
export async function main(
  args: readonly string[],
  options: { stateFile?: string } = {},
): Promise<{ line: string; code: 0 | 1 }> {
  const [command, subject, ...rest] = args;
  if (command !== 'verify' || subject === undefined || rest.length > 0) throw new AuditCliError(USAGE);
  const isCase = RADICADO_PATTERN.test(subject);
  if (!isCase && !ENTITY_ID.test(subject)) {
    throw new AuditCliError(`not a radicado (MINTIC-2026-000001) nor an entity id (MINTIC)\n${USAGE}`);
  }
  const table = tableName(options.stateFile ?? STATE_FILE);
  const db = createDocumentClient();
  try {
    const report = isCase
      ? await verifyAudit({ cases: new DynamoCaseStore(db, table) }, subject)
      : await verifyEntityAudit({ settings: new DynamoEntityStore(db, table) }, subject);
    return { line: formatReport(report), code: report.ok ? 0 : 1 };
  } catch (error) {
    if (error instanceof UseCaseError) throw new AuditCliError(error.message);
    throw error;
  } finally {
    db.destroy();
  }
}

// Run as a command (not when a test imports it).
if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    ({ line, code }) => {
      process.stdout.write(`${line}\n`);
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
