/**
 * Issue 13's story on DynamoDB Local and fauxqs, as a petitioner and an office live it: an anonymous
 * complaint with a document → the office asks for completion (with a document) → the tracking view
 * shows the request and its last day → the petitioner replies with a document → the due date is the
 * clock module's for the stored events, and the officer is told → the office answers with a
 * document → the tracking view shows the answer, and its document downloads with its hash intact →
 * the answer notice of an anonymous petitioner is published → rated once, a second rating 409.
 * Every log line of the story, at DEBUG, holds none of what the petitioner wrote or sent.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import type { OutboxEntry } from '#adapters/notifier/outbox.ts';
import { lifecycleSeedOf } from '#domain/case/case.ts';
import { clockInputOf, lifecycleOf } from '#domain/case/lifecycle.ts';
import { computeClock } from '#domain/clock/index.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { captureLogs } from '#test/support/logCapture.ts';
import { tinyPdf, uploadDocument } from '#test/support/uploads.ts';

let system: LocalSystem;
let store: DynamoCaseStore;
const logs = captureLogs();

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false, logLevel: 'DEBUG' });
  store = new DynamoCaseStore(system.ddb, system.tableName);
  await seed();
  logs.start();
});
afterAll(async () => {
  logs.stop();
  await system?.stop();
});

/** What the petitioner writes and sends: distinctive, to be searched for in the logs. */
const SUBJECT = 'Cobro indebido en la vereda Quebradanegra';
const DESCRIPTION = 'El operador Zafiro cobra doble tarifa desde agosto a las familias Quintero.';
const REPLY = 'La factura duplicada es la número Z-884213 de septiembre.';
const EVIDENCE = tinyPdf('EVIDENCIA-OCULTA-7731');
const FACTURA = tinyPdf('FACTURA-OCULTA-5512');
const RESPUESTA = tinyPdf('RESPUESTA-OFICIAL-2026');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const outbox = async () => (await call(system.baseUrl, 'GET', '/local/outbox')).json as OutboxEntry[];

async function officerAct(radicado: string, action: Record<string, unknown>) {
  const bearer = {
    authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'], subject: 'sup-7' })}`,
  };
  const seen = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: bearer });
  const done = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
    body: action,
    headers: { ...bearer, 'if-match': seen.headers.get('etag') ?? '' },
  });
  expect(done.status, done.text).toBe(200);
}

async function download(radicado: string, documentId: string, code: string) {
  const link = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}/documents/${documentId}`, {
    headers: { 'x-tracking-code': code },
  });
  expect(link.status, link.text).toBe(200);
  const file = await fetch(String(link.body.url));
  expect(file.status).toBe(200);
  return { link: link.body, bytes: new Uint8Array(await file.arrayBuffer()) };
}

describe("the citizen's side of a case, end to end", () => {
  it('files with a document, replies with one, reads the answer and its document, rates once', async () => {
    // An anonymous complaint with its evidence.
    const evidence = await uploadDocument(system.baseUrl, EVIDENCE, 'Evidencia cobro.pdf');
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: 'MINTIC',
        kind: 'complaint',
        subject: SUBJECT,
        description: DESCRIPTION,
        anonymous: true,
        attachments: [evidence],
      },
    });
    expect(filed.status, filed.text).toBe(201);
    const radicado = String(filed.body.radicado);
    const code = String(filed.body.trackingCode);
    const byCode = { 'x-tracking-code': code };
    await system.drain();
    expect((await store.get(radicado))?.documents).toEqual([
      expect.objectContaining({ id: evidence, sha256: sha(EVIDENCE), mediaType: 'application/pdf' }),
    ]);

    // The office asks for completion, with a form to fill.
    const form = await uploadDocument(system.baseUrl, tinyPdf('formulario'), 'formulario.pdf', {
      authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] })}`,
    });
    await officerAct(radicado, { type: 'assign', office: 'atencion-ciudadano', officer: 'off-3' });
    await officerAct(radicado, {
      type: 'request_completion',
      what: 'Adjunte la factura.',
      attachments: [form],
    });
    const waiting = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: byCode });
    expect(waiting.body.pendingRequest).toMatchObject({
      type: 'completion',
      text: 'Adjunte la factura.',
      respondBy: (await store.get(radicado))?.petitionerRespondBy,
      documents: [expect.objectContaining({ id: form })],
    });
    expect(waiting.body.documents).toEqual([expect.objectContaining({ id: evidence })]);

    // The reply, with the invoice: the term runs again exactly as the clock says.
    const factura = await uploadDocument(system.baseUrl, FACTURA, 'factura.pdf', byCode);
    const reply = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/replies`, {
      body: { text: REPLY, attachments: [factura] },
      headers: byCode,
    });
    expect(reply.status, reply.text).toBe(201);
    const stored = await store.get(radicado);
    const clock = computeClock(clockInputOf(lifecycleOf(lifecycleSeedOf(stored!))), { trace: false });
    expect(reply.body.dueDate).toBe(clock.due);
    expect(stored?.dueDate).toBe(clock.due);
    await system.drain();
    const told = (await outbox()).filter((n) => n.radicado === radicado && n.kind === 'petitioner_replied');
    expect(told).toHaveLength(1);
    expect(told[0]?.to).toEqual(['officer:MINTIC/off-3']);
    expect(told[0]?.text).not.toContain(REPLY);

    // The answer, with the official document; it downloads intact, and so does the evidence.
    const oficio = await uploadDocument(system.baseUrl, RESPUESTA, 'respuesta.pdf', {
      authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] })}`,
    });
    await officerAct(radicado, {
      type: 'respond',
      answer: 'Se ordenó al operador devolver el cobro doble.',
      outcome: 'granted',
      attachments: [oficio],
    });
    const answered = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: byCode });
    expect(answered.body.answer).toMatchObject({
      text: 'Se ordenó al operador devolver el cobro doble.',
      outcome: 'granted',
      documents: [expect.objectContaining({ id: oficio, fileName: 'respuesta.pdf', sha256: sha(RESPUESTA) })],
    });
    const got = await download(radicado, oficio, code);
    expect(sha(got.bytes)).toBe(sha(RESPUESTA));
    expect(got.link).toMatchObject({ sha256: sha(RESPUESTA), bytes: RESPUESTA.length });
    expect(sha((await download(radicado, evidence, code)).bytes)).toBe(sha(EVIDENCE));
    const stranger = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}/documents/${oficio}`, {
      headers: { 'x-tracking-code': 'AAAAA-BBBBB-CCCCC-DDDDD' },
    });
    expect(stranger.status).toBe(404);

    // The petitioner gave no contact: the answer notice is published, without personal data.
    await system.drain();
    const list = await call(system.baseUrl, 'GET', '/v1/public/entities/MINTIC/notices');
    expect(list.text).toContain(radicado);
    for (const secret of [SUBJECT, DESCRIPTION, REPLY]) expect(list.text).not.toContain(secret);

    // Rated once.
    const rating = { rating: 4, comment: 'Respondieron a tiempo.', ageBand: '45_59' };
    const rated = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/satisfaction`, {
      body: rating,
      headers: byCode,
    });
    expect(rated.status).toBe(201);
    const again = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/satisfaction`, {
      body: rating,
      headers: byCode,
    });
    expect(again.status).toBe(409);

    // Nothing the petitioner wrote or sent reached a log line.
    const logged = logs.text();
    expect(logged).toContain(radicado);
    for (const secret of [
      SUBJECT,
      DESCRIPTION,
      REPLY,
      'Respondieron a tiempo.',
      'EVIDENCIA-OCULTA-7731',
      'FACTURA-OCULTA-5512',
      'Evidencia cobro',
      code,
    ]) {
      expect(logged, `a log line holds "${secret}"`).not.toContain(secret);
    }
  });

  it('refuses a mistyped document (415) and a wrong declared hash (422), naming the attachment, storing nothing', async () => {
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const badType = await uploadDocument(system.baseUrl, html, 'pagina.pdf');
    const refused = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: 'MINTIC',
        kind: 'complaint',
        subject: 'x',
        description: 'y',
        anonymous: true,
        attachments: [badType],
      },
    });
    expect(refused.status).toBe(415);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'attachments.0' })]);
    const unknown = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: 'MINTIC',
        kind: 'complaint',
        subject: 'x',
        description: 'y',
        anonymous: true,
        attachments: ['AAAAAAAAAAAAAAAAAAAAAA'],
      },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'attachments.0' })]);
  });
});
