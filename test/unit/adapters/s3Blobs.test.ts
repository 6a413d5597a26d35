/**
 * The S3 adapter's signed targets and links, decoded: what S3 would enforce is in the policy and
 * the signed query, so it is checked here without AWS (fake credentials, nothing sent).
 */
import { createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachmentDisposition } from '#adapters/blobs/contentDisposition.ts';
import { S3BlobStore } from '#adapters/blobs/s3.ts';
import { BlobUnreadableError } from '#ports/blobs.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = new Date('2026-12-03T15:04:05Z');
const client = (extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client =>
  new S3Client({ region: 'us-east-1', credentials: CREDENTIALS, ...extra });

/** SigV4's signing key (date, region, service), as S3 derives it to check a POST policy. */
function signingKey(date: string): Buffer {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  return hmac(
    hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date), 'us-east-1'), 's3'),
    'aws4_request',
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('S3 upload targets (presigned POST)', () => {
  it('pin the bucket, the key and 1..maxBytes, expire as asked, and are signed with SigV4', async () => {
    // Prepare
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const store = new S3BlobStore({ client: client(), bucket: 'urna-docs' });
    // Act
    const target = await store.uploadTarget('uploads/AbC_123-xyz', {
      maxBytes: 10_485_760,
      expiresInSeconds: 900,
    });
    // Assess
    const policy = JSON.parse(Buffer.from(target.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.expiration).toBe('2026-12-03T15:19:05Z');
    expect(target.expiresAt).toBe('2026-12-03T15:19:05.000Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'urna-docs' },
        { key: 'uploads/AbC_123-xyz' },
        ['content-length-range', 1, 10_485_760],
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': `${CREDENTIALS.accessKeyId}/20261203/us-east-1/s3/aws4_request` },
        { 'X-Amz-Date': '20261203T150405Z' },
      ]),
    );
    // Nothing else may be set by the browser: no starts-with condition opens a field.
    expect(policy.conditions.filter((c) => Array.isArray(c) && c[0] === 'starts-with')).toEqual([]);
    expect(target.method).toBe('POST');
    expect(target.fields.key).toBe('uploads/AbC_123-xyz');
    expect(new URL(target.url).hostname).toBe('urna-docs.s3.us-east-1.amazonaws.com');
    const expected = createHmac('sha256', signingKey('20261203'))
      .update(target.fields.Policy ?? '')
      .digest('hex');
    expect(target.fields['X-Amz-Signature']).toBe(expected);
  });
});

describe('S3 download links (presigned GET)', () => {
  it('sign the attachment name, the type, no caching and the expiry into the URL', async () => {
    // Prepare
    const store = new S3BlobStore({ client: client(), bucket: 'urna-docs', clock: { now: () => NOW } });
    const fileName = 'Petición "urgente" (copia).pdf';
    // Act
    const link = await store.downloadUrl('documents/AbC', {
      fileName,
      mediaType: 'application/pdf',
      expiresInSeconds: 300,
    });
    // Assess
    const url = new URL(link.url);
    expect(url.hostname).toBe('urna-docs.s3.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/documents/AbC');
    expect(url.searchParams.get('response-content-disposition')).toBe(attachmentDisposition(fileName));
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="Peticion _urgente_ (copia).pdf"; filename*=UTF-8''Petici%C3%B3n%20%22urgente%22%20%28copia%29.pdf`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-cache-control')).toBe('private, no-store');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261203T150405Z');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.expiresAt).toBe('2026-12-03T15:09:05.000Z');
  });

  it('go wherever the SDK’s own configuration points (AWS_ENDPOINT_URL_S3), with no code of ours', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4566');
    const store = new S3BlobStore({ client: client({ forcePathStyle: true }), bucket: 'urna-docs' });
    // Act
    const link = await store.downloadUrl('documents/AbC', {
      fileName: 'a.pdf',
      mediaType: 'application/pdf',
      expiresInSeconds: 60,
    });
    const target = await store.uploadTarget('uploads/AbC', { maxBytes: 10, expiresInSeconds: 60 });
    // Assess
    expect(link.url.startsWith('http://127.0.0.1:4566/urna-docs/documents/AbC?')).toBe(true);
    expect(target.url).toBe('http://127.0.0.1:4566/urna-docs');
  });
});

describe('attachmentDisposition', () => {
  it.each([
    ['informe.pdf', `attachment; filename="informe.pdf"; filename*=UTF-8''informe.pdf`],
    ['año 2026.xlsx', `attachment; filename="ano 2026.xlsx"; filename*=UTF-8''a%C3%B1o%202026.xlsx`],
    ['数据.txt', `attachment; filename="__.txt"; filename*=UTF-8''%E6%95%B0%E6%8D%AE.txt`],
    ["it's (1)*.pdf", `attachment; filename="it's (1)*.pdf"; filename*=UTF-8''it%27s%20%281%29%2A.pdf`],
    [
      'a\r\nSet-Cookie: x.pdf',
      `attachment; filename="a__Set-Cookie: x.pdf"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x.pdf`,
    ],
  ])('%j', (name, header) => {
    expect(attachmentDisposition(name)).toBe(header);
  });
});

describe('S3 reads', () => {
  it('tell a document the scan policy denies (403) from a missing one (404)', async () => {
    // Prepare: an S3 that answers with these statuses and no body.
    const answering = (status: number) =>
      client({
        requestHandler: {
          handle: async () => ({
            response: { statusCode: status, headers: {}, body: undefined },
          }),
        } as never,
      });
    // Act / Assess
    const denied = new S3BlobStore({ client: answering(403), bucket: 'urna-docs' });
    await expect(denied.read('documents/MINTIC/abc', 10)).rejects.toBeInstanceOf(BlobUnreadableError);
    const missing = new S3BlobStore({ client: answering(404), bucket: 'urna-docs' });
    expect(await missing.read('documents/MINTIC/abc', 10)).toBeUndefined();
  });
});
