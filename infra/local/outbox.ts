/**
 * The local outbox: where the Notify function's local notifier (shared/adapters/notifier/outbox.ts)
 * writes each notice, and the local-only route that reads it, `GET /local/outbox` (a JSON array,
 * oldest first, newest last). Not part of the API catalog: nothing like it exists on AWS, where
 * notices go out by SES.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTBOX_FILE, readOutbox } from '../../shared/adapters/notifier/outbox.ts';
import type { HttpResponse } from './http.ts';

export const OUTBOX_PATH = '/local/outbox';

/** The outbox folder: the one given, `<dataDir>/outbox` when data is kept, else a fresh temporary one. */
export function outboxFolder(
  given: string | undefined,
  dataDir: string | undefined,
): { dir: string; temporary: boolean } {
  if (given) {
    mkdirSync(given, { recursive: true });
    return { dir: given, temporary: false };
  }
  if (dataDir) {
    const dir = join(dataDir, 'outbox');
    mkdirSync(dir, { recursive: true });
    return { dir, temporary: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'urna-outbox-')), temporary: true };
}

/** The file the notices are appended to. */
export const outboxFile = (dir: string): string => join(dir, OUTBOX_FILE);

/** `GET /local/outbox` → the notices; any other request → undefined (not this route). */
export function outboxRoutes(dir: string): (method: string, rawPath: string) => HttpResponse | undefined {
  return (method, rawPath) => {
    if (rawPath !== OUTBOX_PATH) return undefined;
    if (method !== 'GET') {
      return {
        statusCode: 405,
        headers: [
          ['content-type', 'application/problem+json'],
          ['allow', 'GET'],
        ],
        body: Buffer.from(
          JSON.stringify({
            type: 'about:blank',
            title: 'Method Not Allowed',
            status: 405,
            detail: 'GET only.',
          }),
        ),
      };
    }
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(readOutbox(dir))),
    };
  };
}
