/**
 * Documents' use cases on in-memory ports (issue 13): upload targets and their hourly limit, the
 * checks a submission's documents pass (existing, unexpired, ≤ 10 MB, an accepted type by their
 * bytes, the declared SHA-256), where accepted ones are kept, and who may download them.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '#adapters/blobs/local.ts';
import { acceptDocuments, carriedDocuments, documentKey, withDocuments } from '#app/acceptDocuments.ts';
import { documentLink } from '#app/documentLink.ts';
import { fileCase } from '#app/fileCase.ts';
import { replyToCase } from '#app/replyToCase.ts';
import { requestUpload, uploaderKey } from '#app/requestUpload.ts';
import { hashTrackingCode } from '#app/tracking.ts';
import { MAX_DOCUMENT_BYTES } from '#domain/documents.ts';
import { BlobUnreadableError } from '#ports/blobs.ts';
import { InMemoryRateLimiter, InMemoryUploads, testPseudonyms } from '#test/support/fakes/index.ts';
import { tinyPdf } from '#test/support/uploads.ts';
import {
  ATENCION,
  actNow,
  fileRouted,
  otherSupervisor,
  petition,
  refusalOf,
  supervisor,
  type World,
  world,
} from './world.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function docs(w: World, uploadsPerHour = 30) {
  const blobs = new LocalBlobStore({ baseUrl: 'http://127.0.0.1:1', signingKey: 'k'.repeat(32) });
  return {
    blobs,
    uploads: new InMemoryUploads(),
    limits: new InMemoryRateLimiter(),
    clock: w.clock,
    uploadsPerHour,
  };
}

/** Declares and "uploads" a file (as the browser would, straight into the store). */
async function upload(
  d: ReturnType<typeof docs>,
  content: Uint8Array,
  declared: Partial<{ sha256: string; fileName: string }> = {},
) {
  const granted = await requestUpload(d, 'device#1', {
    fileName: declared.fileName ?? 'anexo.pdf',
    bytes: content.length,
    sha256: declared.sha256 ?? sha(content),
  });
  await d.blobs.put(`uploads/${granted.attachmentId}`, content);
  return granted.attachmentId;
}

describe('requestUpload', () => {
  it('gives a target for one object under uploads/, and keeps what was declared', async () => {
    const w = await world();
    const d = docs(w);
    const granted = await requestUpload(d, 'device#1', {
      fileName: 'a.pdf',
      bytes: 10,
      sha256: 'A'.repeat(64),
    });
    expect(granted.upload.fields.key).toBe(`uploads/${granted.attachmentId}`);
    expect(await d.uploads.get(granted.attachmentId)).toMatchObject({
      fileName: 'a.pdf',
      bytes: 10,
      sha256: 'a'.repeat(64),
    });
  });

  it('refuses more than 10 MB (413) and more than the hourly limit (429 with Retry-After)', async () => {
    const w = await world();
    const d = docs(w, 2);
    const big = await refusalOf(
      requestUpload(d, 'device#1', {
        fileName: 'a.pdf',
        bytes: MAX_DOCUMENT_BYTES + 1,
        sha256: 'a'.repeat(64),
      }),
    );
    expect(big.code).toBe('too_large');
    const ask = () => requestUpload(d, 'device#1', { fileName: 'a.pdf', bytes: 1, sha256: 'a'.repeat(64) });
    await ask();
    await ask();
    const third = await refusalOf(ask());
    expect(third.code).toBe('too_many');
    expect(third.problem.retryAfterSeconds).toBeGreaterThan(0);
    expect(third.problem.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // Another uploader has its own count; the next hour starts afresh.
    await requestUpload(d, 'device#2', { fileName: 'a.pdf', bytes: 1, sha256: 'a'.repeat(64) });
    w.clock.advance(3_600_000);
    await ask();
  });

  it('counts uploads by who asks; nobody at all is a 400', () => {
    expect(uploaderKey({ deviceKey: 'abc' }, testPseudonyms())).toMatch(/^device#[0-9a-f]{64}$/);
    const byCode = uploaderKey({ trackingCode: 'ABCDE-FGHJK' }, testPseudonyms());
    expect(byCode).toMatch(/^code#[0-9a-f]{64}$/);
    // Keyed: never the case's stored tracking hash; the same code however it is written.
    expect(byCode).not.toContain(hashTrackingCode('ABCDE-FGHJK'));
    expect(uploaderKey({ trackingCode: 'abcde fghjk' }, testPseudonyms())).toBe(byCode);
    expect(uploaderKey({ actor: supervisor }, testPseudonyms())).toBe(`officer#${supervisor.subject}`);
    expect(() => uploaderKey({}, testPseudonyms())).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});

describe('acceptDocuments', () => {
  it('keeps accepted documents by content under documents/<entity>/, with a sanitised name', async () => {
    const w = await world();
    const d = docs(w);
    const pdf = tinyPdf('uno');
    const id = await upload(d, pdf, { fileName: '../../Cédula\u202e.exe' });
    const accepted = await acceptDocuments(d, 'MINTIC', [id]);
    const [doc] = accepted.refs;
    expect(doc).toMatchObject({ id, mediaType: 'application/pdf', bytes: pdf.length, sha256: sha(pdf) });
    expect(doc?.fileName).toMatch(/\.pdf$/);
    expect(doc?.fileName).not.toMatch(/[/\\\u202e]/);
    // Checking stores nothing: the use case stores once it has decided the submission.
    expect(await d.blobs.head(documentKey('MINTIC', doc!))).toBeUndefined();
    await accepted.store();
    const kept = await d.blobs.read(documentKey('MINTIC', doc!), MAX_DOCUMENT_BYTES);
    expect(Buffer.from(kept ?? [])).toEqual(Buffer.from(pdf));
  });

  it('refuses, naming the attachment, and storing nothing: unknown, expired, mistyped, wrong hash, too many', async () => {
    const w = await world();
    const d = docs(w);
    const good = await upload(d, tinyPdf());
    const html = await upload(d, new TextEncoder().encode('<html><body>x</body></html>'));
    const wrongHash = await upload(d, tinyPdf('dos'), { sha256: 'b'.repeat(64) });
    const cases = [
      [[good, 'AAAAAAAAAAAAAAAAAAAAAA'], 'invalid', 'attachments.1'],
      [[html], 'unsupported_media', 'attachments.0'],
      [[wrongHash], 'invalid', 'attachments.0'],
      [[good, good], 'invalid', 'attachments'],
    ] as const;
    for (const [ids, code, field] of cases) {
      const error = await refusalOf(acceptDocuments(d, 'MINTIC', ids));
      expect(error.code).toBe(code);
      expect(error.issues[0]?.field).toBe(field);
    }
    expect(await d.blobs.head(`documents/MINTIC/${sha(tinyPdf())}`)).toBeUndefined();
    w.clock.advance(25 * 3_600_000);
    expect((await refusalOf(acceptDocuments(d, 'MINTIC', [good]))).code).toBe('invalid');
  });

  it('a refused submission stores none of its documents: filing to no entity, reply with nothing pending', async () => {
    const w = await world();
    const d = docs(w);
    const documents = async () => d;
    const stored = async () => d.blobs.head(documentKey('MINTIC', { sha256: sha(tinyPdf('anexo')) }));
    const id = await upload(d, tinyPdf('anexo'));
    const nowhere = petition({ entityId: 'NOWHERE', attachments: [id] });
    const filing = withDocuments(documents, nowhere.entityId, [id], (accepted) =>
      fileCase(w.filing, { filing: nowhere, actor: { kind: 'citizen' }, documents: accepted }),
    );
    expect((await refusalOf(filing)).code).toBe('invalid');
    expect(await d.blobs.head(documentKey('NOWHERE', { sha256: sha(tinyPdf('anexo')) }))).toBeUndefined();
    // A filing whose Idempotency-Key was used with another request (422) stores nothing either.
    const key = { scope: 'http', key: 'k-1', request: { n: 1 } };
    await fileCase(w.filing, { filing: petition(), actor: { kind: 'citizen' }, idempotency: key });
    const reused = withDocuments(documents, 'MINTIC', [id], (accepted) =>
      fileCase(w.filing, {
        filing: petition({ attachments: [id] }),
        actor: { kind: 'citizen' },
        idempotency: { ...key, request: { n: 2 } },
        documents: accepted,
      }),
    );
    expect((await refusalOf(reused)).code).toBe('invalid');
    expect(await stored()).toBeUndefined();
    const idle = await fileRouted(w);
    const reply = replyToCase(
      { ...w.petitioners, documents },
      idle.record.radicado,
      { trackingCode: idle.trackingCode },
      { text: 'Adjunto la cédula', attachments: [id] },
    );
    expect((await refusalOf(reply)).code).toBe('conflict');
    expect(await stored()).toBeUndefined();
  });

  it('a forwarded petition takes its documents to the competent entity (Ley 1755 art. 21)', async () => {
    const w = await world();
    const d = docs(w);
    const id = await upload(d, tinyPdf('anexo'));
    const accepted = await acceptDocuments(d, 'MINTIC', [id]);
    const { record } = await fileRouted(w, petition({ attachments: [id] }), { documents: accepted });
    const { actOnCase, etagOf } = await import('#app/actOnCase.ts');
    const forwarded = await actOnCase({ ...w.act, documents: async () => d }, supervisor, {
      radicado: record.radicado,
      ifMatch: etagOf((await w.cases.get(record.radicado))!),
      action: { type: 'forward', toEntityId: 'SUPERSALUD', reason: 'Es de su competencia' },
    });
    const linked = await w.cases.get(forwarded.linked!.radicado);
    expect(linked?.documents).toEqual(accepted.refs);
    const kept = await d.blobs.read(documentKey('SUPERSALUD', accepted.refs[0]!), MAX_DOCUMENT_BYTES);
    expect(Buffer.from(kept ?? [])).toEqual(Buffer.from(tinyPdf('anexo')));
    // The competent entity's officers download it from the new case.
    expect(
      (
        await documentLink({ ...w.petitioners, documents: async () => d }, linked!.radicado, id, {
          actor: otherSupervisor,
        })
      ).id,
    ).toBe(id);
  });

  it('a forward leaves behind a document the store will not serve (not scanned clean)', async () => {
    const w = await world();
    const d = docs(w);
    const clean = await upload(d, tinyPdf('limpio'));
    const flagged = await upload(d, tinyPdf('infectado'));
    const accepted = await acceptDocuments(d, 'MINTIC', [clean, flagged]);
    await accepted.store();
    const flaggedKey = documentKey('MINTIC', accepted.refs[1]!);
    const scanned = {
      ...d,
      blobs: Object.create(d.blobs, {
        read: {
          value: async (key: string, max: number) => {
            if (key === flaggedKey) throw new BlobUnreadableError(key);
            return d.blobs.read(key, max);
          },
        },
      }),
    };
    const carried = await carriedDocuments(scanned, 'MINTIC', 'SUPERSALUD', accepted.refs);
    expect(carried.refs.map((r) => r.id)).toEqual([clean]);
    expect(await d.blobs.head(documentKey('SUPERSALUD', accepted.refs[0]!))).toBeUndefined();
    await carried.store();
    expect(await d.blobs.head(documentKey('SUPERSALUD', accepted.refs[0]!))).toBeDefined();
    expect(await d.blobs.head(documentKey('SUPERSALUD', accepted.refs[1]!))).toBeUndefined();
  });

  it('withDocuments writes with no documents at all without the store, and refuses ids without one', async () => {
    expect(await withDocuments(undefined, 'MINTIC', [], async (docs) => docs.refs.length)).toBe(0);
    await expect(withDocuments(undefined, 'MINTIC', ['x'], async () => 1)).rejects.toThrow(/not configured/);
  });
});

describe('documentLink', () => {
  it('for the petitioner and the officers of the case; another entity, a stranger, another id: 404', async () => {
    const w = await world();
    const d = docs(w);
    const id = await upload(d, tinyPdf());
    const [doc] = (await acceptDocuments(d, 'MINTIC', [id])).refs;
    const { record, trackingCode } = await fileRouted(w);
    // The officer attaches it to a completion request: the case holds it through its event.
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    const deps = { ...w.petitioners, documents: async () => d };
    const attach = { ...w.act, documents: async () => d };
    const current = (await w.cases.get(record.radicado))!;
    const { actOnCase, etagOf } = await import('#app/actOnCase.ts');
    const second = await upload(d, tinyPdf('formulario'));
    await actOnCase(attach, supervisor, {
      radicado: record.radicado,
      ifMatch: etagOf(current),
      action: { type: 'request_completion', what: 'Firme el formulario', attachments: [second] },
    });
    const byCode = await documentLink(deps, record.radicado, second, { trackingCode });
    expect(byCode).toMatchObject({ id: second, mediaType: 'application/pdf' });
    expect(byCode.url).toContain(`documents/MINTIC/${sha(tinyPdf('formulario'))}`);
    expect((await documentLink(deps, record.radicado, second, { actor: supervisor })).id).toBe(second);
    expect(
      (await refusalOf(documentLink(deps, record.radicado, second, { actor: otherSupervisor }))).code,
    ).toBe('not_found');
    expect((await refusalOf(documentLink(deps, record.radicado, second, { trackingCode: 'X' }))).code).toBe(
      'not_found',
    );
    expect((await refusalOf(documentLink(deps, record.radicado, doc!.id, { trackingCode }))).code).toBe(
      'not_found',
    );
  });
});
