/**
 * The whole story of a consultation on DynamoDB Local and fauxqs: created and opened by a
 * communicator, 1,000 comments through the API and the participation queue (retries and raw
 * redeliveries included), closed by the schedule, answered (a campaign group at once), published,
 * then the results and the global report in every format. The counters are checked against a
 * recount of the stored comments.
 */
import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, DEPARTMENTS } from '#domain/demographics.ts';
import {
  type CommentMessage,
  devicePseudonymText,
  newReference,
  type StoredComment,
} from '#domain/participation/comment.ts';
import { countComments } from '#domain/participation/results.ts';
import type { Reply } from '#test/support/client.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import { useParticipationSystem } from './setup.ts';

const suite = useParticipationSystem();
const { api } = suite;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function consultation(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    entityId: 'MINTIC',
    type: 'question',
    title: 'Preguntas sobre el plan de conectividad rural',
    summary: 'Queremos conocer su opinión sobre las zonas wifi rurales.',
    sections: [
      { title: 'Pregunta 1', body: '¿Dónde instalar las zonas wifi?' },
      { title: 'Pregunta 2', body: '¿Qué horarios de servicio prefiere?' },
      { title: 'Pregunta 3', body: '¿Qué más debería incluir el plan?' },
    ],
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 3_600_000).toISOString(),
    ...over,
  };
}

async function create(body: unknown): Promise<Reply> {
  return api('POST', '/v1/consultations', { body, headers: suite.communicator });
}

const action = (id: string, a: string) =>
  api('POST', `/v1/consultations/${id}/actions`, { body: { action: a }, headers: suite.communicator });

const comment = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('POST', `/v1/public/consultations/${id}/comments`, {
    body,
    headers: { 'x-device-key': `device-${randomUUID()}`, ...headers },
  });

/** Sends messages to the participation queue, ten a call. */
async function sendAll(messages: readonly CommentMessage[]): Promise<void> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < messages.length; i += 10) {
    calls.push(
      suite.system.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: suite.system.queueUrls.participation,
          Entries: messages
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
        }),
      ),
    );
  }
  await Promise.all(calls);
}

/** Every stored comment of a consultation (the recount's input). */
async function allComments(id: string): Promise<StoredComment[]> {
  const out: StoredComment[] = [];
  let cursor: string | undefined;
  do {
    const page = await suite.stores.comments.list(id, { limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

describe('consultations: creation and bad input', () => {
  it('refuses a draft regulation with less than 15 calendar days, naming closesAt and the rule', async () => {
    const short = consultation({
      type: 'draft_regulation',
      closesAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    const refused = await create(short);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'closesAt', code: 'too_early' })]);
    expect(String(refused.body.detail)).toContain('15 días calendario');
    expect(String(refused.body.detail)).toContain('Decreto 1081 de 2015, art. 2.1.2.1.14');
    const withReason = await create({
      ...short,
      shortPeriodReason: 'Emergencia: plazo reducido por decreto',
    });
    expect(withReason.status).toBe(201);
    expect(withReason.body).toMatchObject({
      status: 'draft',
      shortPeriodReason: 'Emergencia: plazo reducido por decreto',
    });
  });

  it('needs a communicator of the entity; another entity sees nothing', async () => {
    const officer = {
      authorization: `Bearer ${await suite.system.issuer.issue({ entity: 'MINTIC', roles: ['officer'], offices: ['conectividad'] })}`,
    };
    expect((await api('POST', '/v1/consultations', { body: consultation(), headers: officer })).status).toBe(
      403,
    );
    expect((await api('POST', '/v1/consultations', { body: consultation() })).status).toBe(401);
    expect((await create(consultation({ entityId: 'SUPERSALUD' }))).status).toBe(403);
    const mine = await create(consultation());
    const other = {
      authorization: `Bearer ${await suite.system.issuer.issue({ entity: 'SUPERSALUD', roles: ['communicator'] })}`,
    };
    expect((await api('GET', `/v1/consultations/${mine.body.id}`, { headers: other })).status).toBe(404);
    expect(
      (await api('GET', `/v1/consultations/${mine.body.id}`, { headers: suite.communicator })).status,
    ).toBe(200);
    // A draft is not public, and takes no comments.
    expect((await api('GET', `/v1/public/consultations/${mine.body.id}`)).status).toBe(404);
    expect(
      (await comment(String(mine.body.id), { sectionId: 's1', stance: 'support', text: 'Sí' })).status,
    ).toBe(409);
  });

  it('answers bad comments with 4xx naming the field, and keeps markup as plain text', async () => {
    const c = await create(consultation());
    const id = String(c.body.id);
    expect((await action(id, 'open')).status).toBe(200);
    const unknownSection = await comment(id, { sectionId: 's9', stance: 'support', text: 'Hola' });
    expect(unknownSection.status).toBe(404);
    const long = await comment(id, { sectionId: 's1', stance: 'support', text: 'x'.repeat(50_001) });
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'text', code: 'too_long' })]);
    const anonymous = await api('POST', `/v1/public/consultations/${id}/comments`, {
      body: { sectionId: 's1', stance: 'support', text: 'Hola' },
    });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors).toEqual([expect.objectContaining({ field: 'header.x-device-key' })]);
    const badToken = await comment(
      id,
      { sectionId: 's1', stance: 'support', text: 'Hola' },
      { authorization: 'Bearer a.b.c' },
    );
    expect(badToken.status).toBe(401);
    const script = '<script>alert("x")</script>';
    const accepted = await comment(id, { sectionId: 's1', stance: 'observation', text: script });
    expect(accepted.status).toBe(202);
    await suite.system.drain();
    const listed = await api('GET', `/v1/consultations/${id}/comments`, { headers: suite.communicator });
    expect((listed.body.items as { text: string }[]).map((i) => i.text)).toEqual([script]);
  });
});

describe('consultations: the whole story', () => {
  it('1,000 comments through the queue, close by schedule, dispositions, publish, results and report', {
    timeout: 180_000,
  }, async () => {
    // Prepare: a consultation open for 30 s.
    const closesAt = new Date(Date.now() + 30_000).toISOString();
    const created = await create(consultation({ closesAt }));
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect((await action(id, 'open')).status).toBe(200);

    // Act: 1,000 comments — a campaign of 200 near-identical ones, 800 distinct, one identified.
    // 40 go through the API (one identified, 5 retried); 960 straight onto the queue as the API
    // enqueues them (the test machine is small and shared: the queue is what is under test here).
    const citizen = await suite.system.issuer.issueCitizen({ subject: 'citizen-123' });
    const bodies = Array.from({ length: 1000 }, (_, i) => {
      const campaign = i % 5 === 0;
      return {
        sectionId: campaign ? 's1' : `s${(i % 3) + 1}`,
        stance: campaign ? 'oppose' : (['support', 'oppose', 'observation'] as const)[i % 3],
        text: campaign
          ? `${i % 2 ? '¡NO' : 'no'} al cobro de la zona wifi, firma ${i}!`
          : `Comentario número ${i}: propongo la vereda ${i} con horario de ${(i % 12) + 6} horas.`,
        ...(i % 4 === 0 ? { department: DEPARTMENTS[i % 5] } : {}),
        ...(i % 5 === 0 ? { ageBand: AGE_BANDS[i % AGE_BANDS.length] } : {}),
      };
    });
    const headersOf = (i: number) =>
      i === 39
        ? { authorization: `Bearer ${citizen}`, 'idempotency-key': `key-${id}-${i}-xxxxxxxx` }
        : { 'x-device-key': `device-${i}-abcdefghijkl`, 'idempotency-key': `key-${id}-${i}-xxxxxxxx` };
    const references = new Array<string>(1000);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 40) {
          const i = next++;
          const reply = await api('POST', `/v1/public/consultations/${id}/comments`, {
            body: bodies[i],
            headers: headersOf(i),
          });
          expect(reply.status, reply.text).toBe(202);
          references[i] = String(reply.body.reference);
        }
      }),
    );
    // Retries of 5 requests (same Idempotency-Key): the same reference, a second message each.
    for (let i = 0; i < 5; i++) {
      const again = await api('POST', `/v1/public/consultations/${id}/comments`, {
        body: bodies[i * 8],
        headers: headersOf(i * 8),
      });
      expect(again.body.reference).toBe(references[i * 8]);
    }
    const direct: CommentMessage[] = bodies.slice(40).map((b, k) => {
      const reference = newReference();
      references[40 + k] = reference;
      return {
        type: 'comment',
        reference,
        consultationId: id,
        ...(b as Pick<CommentMessage, 'sectionId' | 'stance' | 'text' | 'department' | 'ageBand'>),
        acceptedAt: new Date().toISOString(),
        author: {
          kind: 'device',
          ...testPseudonyms().current(devicePseudonymText(id, `device-${40 + k}-abcdefghijkl`)),
        },
      };
    });
    await sendAll(direct);
    // Raw redeliveries of 50 messages (other content, same reference) and of 100 as sent, and one poison message.
    const redelivered: CommentMessage[] = Array.from({ length: 50 }, (_, i) => ({
      type: 'comment',
      reference: references[(i % 39) + 1]!,
      consultationId: id,
      sectionId: 's1',
      stance: 'support',
      text: 'a redelivery: never written again, never counted again',
      acceptedAt: new Date().toISOString(),
      author: { kind: 'device', hash: 'f'.repeat(64) },
    }));
    await sendAll([...redelivered, ...direct.slice(0, 100)]);
    await suite.system.sqs.send(
      new SendMessageCommand({
        QueueUrl: suite.system.queueUrls.participation,
        MessageBody: '{"type":"comment"}',
      }),
    );
    await suite.system.drain({ timeoutMs: 60_000 });

    // Assess: exactly 1,000 comments, counters equal to the recount, the poison in the DLQ.
    const stored = await allComments(id);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((c) => c.reference))).toEqual(new Set(references));
    expect(stored.some((c) => c.text.startsWith('a redelivery'))).toBe(false);
    const counters = await suite.stores.counters.totals(id, { consistent: true });
    expect(counters).toEqual(countComments(stored));
    expect(stored.filter((c) => c.author.kind === 'citizen')).toHaveLength(1);
    const dlq = await suite.system.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: suite.system.dlqUrls.participation,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    expect(dlq.Messages?.map((m) => m.MessageAttributes?.rejected?.StringValue)).toEqual([
      'not a comment message',
    ]);

    // Live results while open: from the counters.
    const live = await api('GET', `/v1/public/consultations/${id}/results`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'open', totals: { comments: 1000 } });

    // Close by schedule: nothing before closesAt, closed after; then no more comments.
    await suite.system.fire('Publish');
    expect((await api('GET', `/v1/consultations/${id}`, { headers: suite.communicator })).body.status).toBe(
      'open',
    );
    await sleep(Math.max(0, Date.parse(closesAt) - Date.now() + 50));
    expect(((await suite.system.fire('Publish')) as { closed: string[] }).closed).toContain(id);
    expect((await api('GET', `/v1/consultations/${id}`, { headers: suite.communicator })).body.status).toBe(
      'closed',
    );
    expect((await comment(id, { sectionId: 's1', stance: 'support', text: 'Tarde' })).status).toBe(409);
    // Not everything answered yet.
    expect((await action(id, 'answer')).status).toBe(409);

    // The campaign is one group of 200, shown with its size.
    const groups = await api('GET', `/v1/consultations/${id}/groups?minSize=2`, {
      headers: suite.communicator,
    });
    expect(groups.status).toBe(200);
    const campaign = (groups.body.items as { group: string; size: number; sectionId: string }[]).find(
      (g) => g.size === 200,
    );
    expect(campaign).toMatchObject({ sectionId: 's1' });
    const group = campaign!.group;
    const oneGroup = await api('GET', `/v1/consultations/${id}/comments?group=${group}&limit=200`, {
      headers: suite.communicator,
    });
    expect(oneGroup.body.items).toHaveLength(200);

    // Dispositions: the group at once, the rest one by one (100 per request).
    const byGroup = await api('POST', `/v1/consultations/${id}/dispositions`, {
      headers: suite.communicator,
      body: { items: [{ group, disposition: 'not_accepted', reasons: 'El servicio es gratuito por ley.' }] },
    });
    expect(byGroup.status).toBe(200);
    expect(byGroup.body).toMatchObject({ updated: 200, items: [{ group, comments: 200, remaining: false }] });
    const rest = stored.filter((c) => c.groupKey !== group);
    const values = ['accepted', 'partially_accepted', 'not_accepted'] as const;
    for (let i = 0; i < rest.length; i += 100) {
      const items = rest.slice(i, i + 100).map((c, j) => ({
        reference: c.reference,
        disposition: values[(i + j) % 3],
        reasons: 'Se tendrá en cuenta en la versión final.',
      }));
      const reply = await api('POST', `/v1/consultations/${id}/dispositions`, {
        headers: suite.communicator,
        body: { items },
      });
      expect(reply.status, reply.text).toBe(200);
    }
    const unknown = await api('POST', `/v1/consultations/${id}/dispositions`, {
      headers: suite.communicator,
      body: { items: [{ reference: '0000-0000-0000-0000', disposition: 'accepted', reasons: 'x' }] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'items.0.reference' })]);

    // The report is not public before publication; then answer and publish.
    expect((await api('GET', `/v1/public/consultations/${id}/report.json`)).status).toBe(404);
    expect((await action(id, 'publish')).status).toBe(409);
    expect((await action(id, 'answer')).status).toBe(200);
    expect((await action(id, 'publish')).body.status).toBe('published');
    // Dispositions are frozen once published.
    expect(
      (
        await api('POST', `/v1/consultations/${id}/dispositions`, {
          headers: suite.communicator,
          body: { items: [{ group, disposition: 'accepted', reasons: 'x' }] },
        })
      ).status,
    ).toBe(409);

    // Results: exact totals from the counters, the share accepted, cacheable with an ETag.
    const disposed = await allComments(id);
    expect(await suite.stores.counters.totals(id, { consistent: true })).toEqual(countComments(disposed));
    const results = await api('GET', `/v1/public/consultations/${id}/results`);
    const accepted = disposed.filter((c) => c.disposition?.value === 'accepted').length;
    expect(results.body.totals).toMatchObject({
      comments: 1000,
      dispositions: { pending: 0, accepted },
      acceptedShare: Math.round((accepted / 1000) * 10_000) / 10_000,
    });
    expect(results.headers.get('cache-control')).toBe('public, max-age=30');
    const etag = results.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const notModified = await api('GET', `/v1/public/consultations/${id}/results`, {
      headers: { 'if-none-match': etag! },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    // Breakdown cells under k=5 are hidden; none of them names anyone.
    const dept = (results.body.breakdowns as { department: { count: number | null; suppressed: boolean }[] })
      .department;
    expect(dept.every((c) => c.suppressed || c.count === 0 || (c.count ?? 0) >= 5)).toBe(true);

    // The report as JSON, page by page: every comment once, with its disposition, no author.
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api(
        'GET',
        `/v1/public/consultations/${id}/report.json?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const row of page.body.comments as { reference: string; disposition: string | null }[]) {
        expect(row.disposition).not.toBeNull();
        seen.add(row.reference);
      }
      expect(page.text).not.toContain('"author"');
      expect(page.text).not.toContain('citizen-123');
      cursor = page.body.cursor as string | undefined;
    } while (cursor);
    expect(seen.size).toBe(1000);

    // CSV: header + 1,000 lines over the Link pages; the dictionary; HTML escaped.
    let lines = 0;
    let path: string | undefined = `/v1/public/consultations/${id}/report.csv?limit=200`;
    let first = '';
    while (path) {
      const page = await api('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/csv');
      first ||= page.text;
      lines += page.text.split('\r\n').filter(Boolean).length;
      path = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(first.startsWith('reference,sectionId,sectionTitle,stance,text,')).toBe(true);
    expect(lines).toBe(1001);
    const dictionary = await api('GET', `/v1/public/consultations/${id}/report.csv?part=dictionary`);
    expect(dictionary.text).toContain('groupSize,integer,');
    const html = await api('GET', `/v1/public/consultations/${id}/report.html?limit=50`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.text).toContain('Informe global de observaciones');
    expect(html.text).toContain('rel="next"');

    // The public list shows it.
    const list = await api('GET', '/v1/public/consultations?limit=100');
    expect((list.body.items as { id: string; status: string }[]).find((c) => c.id === id)?.status).toBe(
      'published',
    );
  });

  it('escapes a script comment in the HTML report', async () => {
    const closesAt = new Date(Date.now() + 4000).toISOString();
    const id = String((await create(consultation({ closesAt }))).body.id);
    await action(id, 'open');
    const script = '<script>alert("x")</script>';
    const ref = String(
      (await comment(id, { sectionId: 's2', stance: 'observation', text: script })).body.reference,
    );
    await suite.system.drain();
    await sleep(Math.max(0, Date.parse(closesAt) - Date.now() + 50));
    await suite.system.fire('Publish');
    await api('POST', `/v1/consultations/${id}/dispositions`, {
      headers: suite.communicator,
      body: { items: [{ reference: ref, disposition: 'not_accepted', reasons: 'No aplica.' }] },
    });
    expect((await action(id, 'answer')).status).toBe(200);
    expect((await action(id, 'publish')).status).toBe(200);
    const html = (await api('GET', `/v1/public/consultations/${id}/report.html`)).text;
    expect(html).not.toContain(script);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const json = await api('GET', `/v1/public/consultations/${id}/report.json`);
    expect((json.body.comments as { text: string }[])[0]?.text).toBe(script);
  });
});
