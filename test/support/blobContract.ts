/**
 * The BlobStore contract (shared/ports/blobs.ts), one suite for every adapter: call
 * `blobStoreContract(name, enforces, setup)` in a test file. What a backend cannot show (an
 * emulator without POST policies or signature checks) is declared in `enforces`; those tests are
 * then not registered for it, and the suite's title says which are missing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachmentDisposition } from '#adapters/blobs/contentDisposition.ts';
import { type BlobStore, BlobTooLargeError, type UploadTarget } from '#ports/blobs.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface BlobHarness {
  store: BlobStore;
  /** A browser's POST to the target: `fields` as given (in order), then the file as `file`. */
  post(
    target: UploadTarget,
    fields: readonly (readonly [string, string])[],
    file: Uint8Array,
  ): Promise<HttpAnswer>;
  /** A browser's GET of a link. */
  get(url: string): Promise<HttpAnswer>;
  /** Moves the store's clock forward (what it signs with and checks against). */
  advance(seconds: number): void;
  /** The store's clock now. */
  now(): Date;
  close?(): Promise<void>;
}

export interface Enforces {
  /** POST uploads work and their policy (key, size range, expiry, no extra field) is enforced. */
  uploadPolicy: boolean;
  /** Download links are refused once expired or tampered with. */
  downloadSignature: boolean;
  /** Downloads carry the Content-Disposition, type and Cache-Control asked for. */
  responseHeaders: boolean;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (body: Uint8Array): string => new TextDecoder().decode(body);
const fieldsOf = (target: UploadTarget): [string, string][] => Object.entries(target.fields);
let counter = 0;
/** A fresh key per use: a backend shared between tests never sees a key twice. */
const freshKey = (prefix = 'uploads'): string => {
  counter += 1;
  return `${prefix}/t${process.pid}-${Date.now().toString(36)}-${counter}`;
};

export function blobStoreContract(name: string, enforces: Enforces, setup: () => Promise<BlobHarness>): void {
  const missing = Object.entries(enforces)
    .filter(([, shown]) => !shown)
    .map(([what]) => what);
  const title = missing.length === 0 ? name : `${name} (not shown here: ${missing.join(', ')})`;

  describe(`BlobStore contract: ${title}`, () => {
    let h: BlobHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h.close?.();
    });

    describe('objects', () => {
      it('puts, heads and reads back the same bytes; absent keys are undefined', async () => {
        // Prepare
        const key = freshKey('documents');
        const content = bytes('%PDF-1.7 contenido ñ');
        // Act
        await h.store.put(key, content);
        // Assess
        expect(await h.store.head(key)).toEqual({ bytes: content.length });
        expect(await h.store.read(key, content.length)).toEqual(content);
        expect(await h.store.head(freshKey())).toBeUndefined();
        expect(await h.store.read(freshKey(), 10)).toBeUndefined();
      });

      it('refuses to read more than maxBytes, saying how many the object holds', async () => {
        // Prepare
        const key = freshKey('documents');
        await h.store.put(key, new Uint8Array(11));
        // Act
        const refused = h.store.read(key, 10);
        // Assess
        await expect(refused).rejects.toBeInstanceOf(BlobTooLargeError);
        await expect(refused).rejects.toMatchObject({ bytes: 11 });
        expect(await h.store.read(key, 11)).toHaveLength(11);
      });

      it('replaces on put; head and read of a key never written find nothing', async () => {
        // Prepare
        const key = freshKey('documents');
        await h.store.put(key, bytes('first'));
        // Act
        await h.store.put(key, bytes('second'));
        const replaced = await h.store.read(key, 100);
        // Assess
        expect(text(replaced ?? new Uint8Array())).toBe('second');
        expect(await h.store.head(key)).toEqual({ bytes: 6 });
        expect(await h.store.head(freshKey('documents'))).toBeUndefined();
        expect(await h.store.read(freshKey('documents'), 100)).toBeUndefined();
      });

      it.each(['', '/abs', '../etc/passwd', 'a/../b', 'a//b', 'a b', 'uploads/./x', 'ñ', 'a\\b', 'x/'])(
        'refuses the key %j in every method',
        async (key) => {
          const target = { maxBytes: 1, expiresInSeconds: 60 };
          const link = { fileName: 'x.pdf', mediaType: 'application/pdf', expiresInSeconds: 60 };
          await expect(h.store.uploadTarget(key, target)).rejects.toBeInstanceOf(TypeError);
          await expect(h.store.head(key)).rejects.toBeInstanceOf(TypeError);
          await expect(h.store.read(key, 1)).rejects.toBeInstanceOf(TypeError);
          await expect(h.store.put(key, bytes('x'))).rejects.toBeInstanceOf(TypeError);
          await expect(h.store.downloadUrl(key, link)).rejects.toBeInstanceOf(TypeError);
        },
      );
    });

    describe('download links', () => {
      const link = {
        fileName: 'Derecho de petición (copia) 50%.pdf',
        mediaType: 'application/pdf',
        expiresInSeconds: 300,
      };

      it('download the object until expiresAt; a link to nothing answers 404', async () => {
        // Prepare
        const key = freshKey('documents');
        const content = bytes('%PDF-1.7 acta');
        await h.store.put(key, content);
        const before = h.now().getTime();
        // Act
        const { url, expiresAt } = await h.store.downloadUrl(key, link);
        const answer = await h.get(url);
        const missing = await h.get((await h.store.downloadUrl(freshKey(), link)).url);
        // Assess
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(content);
        expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(299_000);
        expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(301_000);
        expect(missing.status).toBe(404);
      });

      if (enforces.responseHeaders) {
        it('serve it as an attachment with the name (RFC 6266 / 5987), the type, and no caching', async () => {
          // Prepare
          const key = freshKey('documents');
          await h.store.put(key, bytes('%PDF-1.7'));
          // Act
          const answer = await h.get((await h.store.downloadUrl(key, link)).url);
          // Assess
          expect(answer.headers.get('content-disposition')).toBe(
            `attachment; filename="Derecho de peticion (copia) 50_.pdf"; filename*=UTF-8''Derecho%20de%20petici%C3%B3n%20%28copia%29%2050%25.pdf`,
          );
          expect(answer.headers.get('content-disposition')).toBe(attachmentDisposition(link.fileName));
          expect(answer.headers.get('content-type')).toBe('application/pdf');
          expect(answer.headers.get('cache-control')).toBe('private, no-store');
        });
      }

      if (enforces.downloadSignature) {
        it('are refused once expired, and when any part of them is changed', async () => {
          // Prepare
          const key = freshKey('documents');
          await h.store.put(key, bytes('%PDF-1.7'));
          const { url } = await h.store.downloadUrl(key, { ...link, expiresInSeconds: 60 });
          const other = new URL(url);
          other.pathname = other.pathname.replace(/[^/]+$/, 'someone-else');
          const renamed = new URL(url);
          for (const [name, value] of renamed.searchParams) {
            if (/disposition/i.test(name)) renamed.searchParams.set(name, value.replace('petic', 'XXXXX'));
          }
          // Act
          const tamperedKey = await h.get(other.toString());
          const tamperedName = await h.get(renamed.toString());
          h.advance(61);
          const expired = await h.get(url);
          // Assess
          expect(tamperedKey.status).toBe(403);
          expect(tamperedName.status).toBe(403);
          expect(expired.status).toBe(403);
        });
      }
    });

    describe('upload targets', () => {
      it('are a POST form for this key that expires as asked', async () => {
        // Prepare
        const key = freshKey();
        const before = h.now().getTime();
        // Act
        const target = await h.store.uploadTarget(key, { maxBytes: 1024, expiresInSeconds: 600 });
        // Assess
        expect(target.method).toBe('POST');
        expect(new URL(target.url).protocol).toMatch(/^https?:$/);
        expect(target.fields.key).toBe(key);
        // A POST policy's expiration is whole seconds: up to a second under `before` + 600 s.
        expect(Date.parse(target.expiresAt) - before).toBeGreaterThanOrEqual(598_000);
        expect(Date.parse(target.expiresAt) - before).toBeLessThanOrEqual(601_000);
        expect(await h.store.head(key)).toBeUndefined();
      });

      if (enforces.uploadPolicy) {
        it('take a file of 1..maxBytes bytes sent as a browser sends it, and keep it under the key', async () => {
          // Prepare
          const key = freshKey();
          const target = await h.store.uploadTarget(key, { maxBytes: 16, expiresInSeconds: 60 });
          // Act
          const answer = await h.post(target, fieldsOf(target), bytes('exactly 16 bytes'));
          // Assess
          expect(answer.status).toBe(204);
          expect(await h.store.read(key, 16)).toEqual(bytes('exactly 16 bytes'));
        });

        it('can be used again until they expire (the last file wins)', async () => {
          // Prepare
          const key = freshKey();
          const target = await h.store.uploadTarget(key, { maxBytes: 16, expiresInSeconds: 60 });
          // Act
          await h.post(target, fieldsOf(target), bytes('first'));
          const again = await h.post(target, fieldsOf(target), bytes('second'));
          // Assess
          expect(again.status).toBe(204);
          expect(text((await h.store.read(key, 16)) ?? new Uint8Array())).toBe('second');
        });

        it.each([
          [
            'a file one byte too large',
            400,
            'EntityTooLarge',
            (t: UploadTarget) => ({ fields: fieldsOf(t), file: new Uint8Array(17) }),
          ],
          [
            'an empty file',
            400,
            'EntityTooSmall',
            (t: UploadTarget) => ({ fields: fieldsOf(t), file: new Uint8Array() }),
          ],
          [
            'another key',
            403,
            'AccessDenied',
            (t: UploadTarget) => ({
              fields: fieldsOf(t).map(([n, v]): [string, string] => [n, n === 'key' ? `${v}-other` : v]),
              file: bytes('x'),
            }),
          ],
          [
            'an extra field (a Content-Type of its choosing)',
            403,
            'AccessDenied',
            (t: UploadTarget) => ({
              fields: [...fieldsOf(t), ['Content-Type', 'text/html']] as [string, string][],
              file: bytes('x'),
            }),
          ],
          [
            'a policy field changed',
            403,
            '',
            (t: UploadTarget) => ({
              fields: fieldsOf(t).map(([n, v]): [string, string] => [
                n,
                /^policy$/i.test(n) ? `${v.slice(0, -4)}AAAA` : v,
              ]),
              file: bytes('x'),
            }),
          ],
          [
            'no signature',
            403,
            '',
            (t: UploadTarget) => ({
              fields: fieldsOf(t).filter(([n]) => !/signature/i.test(n)),
              file: bytes('x'),
            }),
          ],
        ] as const)('refuse %s with %i %s, storing nothing', async (_what, status, code, form) => {
          // Prepare
          const key = freshKey();
          const target = await h.store.uploadTarget(key, { maxBytes: 16, expiresInSeconds: 60 });
          const { fields, file } = form(target);
          // Act
          const answer = await h.post(target, fields, file);
          // Assess
          expect(answer.status).toBe(status);
          expect(text(answer.body)).toContain(code);
          expect(await h.store.head(key)).toBeUndefined();
          expect(await h.store.head(`${key}-other`)).toBeUndefined();
        });

        it('refuse a file once expired, storing nothing', async () => {
          // Prepare
          const key = freshKey();
          const target = await h.store.uploadTarget(key, { maxBytes: 16, expiresInSeconds: 60 });
          h.advance(61);
          // Act
          const answer = await h.post(target, fieldsOf(target), bytes('late'));
          // Assess
          expect(answer.status).toBe(403);
          expect(text(answer.body)).toContain('AccessDenied');
          expect(await h.store.head(key)).toBeUndefined();
        });
      }
    });
  });
}

/** A multipart/form-data body as a browser builds it: the fields in order, then `file`. */
export async function formBody(
  fields: readonly (readonly [string, string])[],
  file: Uint8Array,
): Promise<{ contentType: string; body: Buffer }> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append('file', new Blob([file]), 'upload.bin');
  const request = new Request('http://form.invalid/', { method: 'POST', body: form });
  return {
    contentType: request.headers.get('content-type') ?? '',
    body: Buffer.from(await request.arrayBuffer()),
  };
}
