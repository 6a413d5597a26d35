/**
 * The local stand-in for the documents bucket's endpoint: the routes behind the local blob store's
 * upload targets and download links (shared/adapters/blobs/local.ts), answered as S3 answers them:
 * - `POST /local/blobs`: a browser's multipart/form-data upload (fields, then `file`) → 204, or
 *   S3's XML error (403 AccessDenied / SignatureDoesNotMatch, 400 EntityTooLarge …).
 * - `GET /local/blobs/<key>?expires=…&signature=…` → the object as an attachment, or 403 / 404.
 * - `OPTIONS` → the CORS preflight a browser page on another origin sends (any origin, locally).
 * Not part of the API catalog: on AWS the browser talks to S3 itself.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_BLOBS_PATH, LocalBlobStore } from '../../shared/adapters/blobs/local.ts';
import type { HttpResponse, LocalRequest } from './http.ts';

export { LOCAL_BLOBS_PATH };

const CORS: [string, string][] = [
  ['access-control-allow-origin', '*'],
  ['access-control-expose-headers', 'etag, location'],
];

const xmlEscape = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function s3Error({ status, code, message }: { status: number; code: string; message: string }): HttpResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`;
  return {
    statusCode: status,
    headers: [['content-type', 'application/xml'], ...CORS],
    body: Buffer.from(body, 'utf8'),
  };
}

/**
 * The blob routes, for the local HTTP server's `localRoutes`: the response, or undefined when the
 * path is not under /local/blobs.
 */
export function blobRoutes(
  store: LocalBlobStore,
): (request: LocalRequest) => Promise<HttpResponse | undefined> {
  return async ({ method, rawPath, url, headers, body }) => {
    if (rawPath !== LOCAL_BLOBS_PATH && !rawPath.startsWith(`${LOCAL_BLOBS_PATH}/`)) return undefined;
    if (method === 'OPTIONS') {
      return {
        statusCode: 204,
        headers: [
          ...CORS,
          ['access-control-allow-methods', 'GET, POST'],
          ['access-control-allow-headers', headers['access-control-request-headers'] ?? '*'],
          ['access-control-max-age', '3000'],
        ],
        body: Buffer.alloc(0),
      };
    }
    if (method === 'POST' && rawPath === LOCAL_BLOBS_PATH)
      return upload(store, headers['content-type'], body);
    if (method === 'GET' && rawPath !== LOCAL_BLOBS_PATH) {
      let key: string;
      try {
        key = rawPath
          .slice(LOCAL_BLOBS_PATH.length + 1)
          .split('/')
          .map(decodeURIComponent)
          .join('/');
      } catch {
        return s3Error({ status: 400, code: 'InvalidURI', message: 'Could not parse the specified URI.' });
      }
      const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
      const outcome = await store.serveDownload(key, query);
      if (!outcome.ok) return s3Error(outcome);
      return { statusCode: 200, headers: [...outcome.headers, ...CORS], body: Buffer.from(outcome.content) };
    }
    return s3Error({
      status: 405,
      code: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource.',
    });
  };
}

async function upload(
  store: LocalBlobStore,
  contentType: string | undefined,
  body: Buffer,
): Promise<HttpResponse> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return s3Error({
      status: 412,
      code: 'PreconditionFailed',
      message: 'Bucket POST must be of the enclosure-type multipart/form-data',
    });
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return s3Error({
      status: 400,
      code: 'MalformedPOSTRequest',
      message: 'The body of your POST request is not well-formed multipart/form-data.',
    });
  }
  // As S3: the fields before `file` count; whatever follows the file is ignored.
  const fields: [string, string][] = [];
  let file: Uint8Array | undefined;
  for (const [name, value] of form) {
    if (name === 'file') {
      file =
        typeof value === 'string' ? Buffer.from(value, 'utf8') : new Uint8Array(await value.arrayBuffer());
      break;
    }
    if (typeof value === 'string') fields.push([name, value]);
  }
  const outcome = await store.receiveUpload(fields, file);
  if (!outcome.ok) return s3Error(outcome);
  return { statusCode: 204, headers: [...CORS], body: Buffer.alloc(0) };
}

/**
 * The local runtime's blob store: files under `<dataDir>/blobs` when data is kept (with its
 * signing key beside them, so links outlive a restart), else a fresh temporary folder and key.
 * The handlers build their own store on the same folder and key (same objects, same links).
 */
export function localBlobs(input: { baseUrl: string; dataDir?: string }): {
  store: LocalBlobStore;
  dir: string;
  signingKey: string;
  temporary: boolean;
} {
  let dir: string;
  let signingKey: string;
  if (input.dataDir) {
    dir = join(input.dataDir, 'blobs');
    mkdirSync(dir, { recursive: true });
    const keyFile = join(input.dataDir, 'blob-signing-key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    signingKey = readFileSync(keyFile, 'utf8').trim();
  } else {
    dir = mkdtempSync(join(tmpdir(), 'urna-blobs-'));
    signingKey = randomBytes(32).toString('base64url');
  }
  const store = new LocalBlobStore({ baseUrl: input.baseUrl, signingKey, dir });
  return { store, dir, signingKey, temporary: input.dataDir === undefined };
}
