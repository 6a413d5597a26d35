/**
 * What a citizen types comes back as typed, on DynamoDB Local and fauxqs: long comments (20,000
 * characters; 50,000 of 3-byte characters, the largest request and item; 50,000 UTF-16 units of
 * emoji, the largest message, escaped for the queue), an empty one
 * (a bare stance) and markup go through the API, the participation queue and its consumer, the
 * communicator's listing and the global report (JSON, CSV that stays valid, HTML escaped). Then the
 * Idempotency-Key (a retry is the same comment; another comment under a used key is a 422) and the
 * authors' hashes (keyed with the service's secret). Campaign group sizes are not asserted here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citizenPseudonymText } from '#domain/actor.ts';
import { devicePseudonymText } from '#domain/participation/comment.ts';
import { systemPseudonyms } from '#test/support/fakes/index.ts';
import { useParticipationSystem } from './setup.ts';

const suite = useParticipationSystem();
const { api } = suite;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openConsultation(closesInMs: number): Promise<{ id: string; closesAt: number }> {
  const now = Date.now();
  const created = await api('POST', '/v1/consultations', {
    headers: suite.communicator,
    body: {
      entityId: 'MINTIC',
      type: 'question',
      title: 'Preguntas sobre el uso del espectro',
      summary: 'Queremos conocer su opinión sobre el uso del espectro.',
      sections: [
        { title: 'Pregunta 1', body: '¿Qué bandas liberar?' },
        { title: 'Pregunta 2', body: '¿Con qué condiciones?' },
      ],
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + closesInMs).toISOString(),
    },
  });
  expect(created.status, created.text).toBe(201);
  const id = String(created.body.id);
  const opened = await api('POST', `/v1/consultations/${id}/actions`, {
    headers: suite.communicator,
    body: { action: 'open' },
  });
  expect(opened.status, opened.text).toBe(200);
  return { id, closesAt: now + closesInMs };
}

const comment = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('POST', `/v1/public/consultations/${id}/comments`, {
    body,
    headers: { 'x-device-key': `device-${randomUUID()}`, ...headers },
  });

/** RFC 4180: records of fields; quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      // A quoted field, up to its closing quote.
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ',' && text.slice(i, i + 2) !== '\r\n') {
        throw new Error(`text after a closing quote at ${i}`);
      }
      continue;
    }
    if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') {
        throw new Error(`unquoted quote or line break at ${i}`);
      }
      field += text[i];
      i++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no line break');
  return records;
}

describe('comment text: long, empty and markup, kept as plain text end to end', () => {
  it('goes through API → queue → consumer → listing → report (JSON, valid CSV, escaped HTML)', {
    timeout: 60_000,
  }, async () => {
    // Prepare: a consultation that closes in 6 s; five comments of every shape.
    const { id, closesAt } = await openConsultation(6000);
    const paragraph =
      'Señores: el artículo "primero", <b>sin</b> reglamentar & sin consulta;\r\nse pide "revisar" el inciso <i>segundo</i>.\n';
    const long = paragraph
      .repeat(Math.ceil(20_000 / paragraph.length))
      .slice(0, 20_000)
      .trim();
    // The largest request, message and item: 50,000 characters of 3 bytes (≈ 150 KB).
    const widest = `${'€'.repeat(49_989)} fin de obs`;
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const formula = '=HYPERLINK("http://evil.example","clic")';
    // Beyond the Basic Multilingual Plane: 50,000 UTF-16 units of emoji (the largest message).
    const emoji = `Apoyo 👍🏽 la propuesta 𝒳 ${'😀'.repeat(24_986)}`;
    const texts = { long, widest, empty: '', script, formula, emoji } as const;
    expect(long).toHaveLength(20_000);
    expect(widest).toHaveLength(50_000);
    expect(emoji).toHaveLength(49_999);

    // Act: every one through the API.
    const tooLong = await comment(id, { sectionId: 's1', stance: 'oppose', text: 'x'.repeat(50_001) });
    expect(tooLong.status).toBe(422);
    const noncharacter = await comment(id, { sectionId: 's1', stance: 'oppose', text: 'a\uFFFEb' });
    expect(noncharacter.status).toBe(422);
    expect(noncharacter.body.errors).toEqual([
      { field: 'text', code: 'invalid_format', message: expect.stringContaining('no-caracteres Unicode') },
    ]);
    expect(tooLong.body.errors).toEqual([
      {
        field: 'text',
        code: 'too_long',
        message: 'text: admite como máximo 50000 caracteres: acórtelo',
      },
    ]);
    const references: Record<keyof typeof texts, string> = {
      long: '',
      widest: '',
      empty: '',
      script: '',
      formula: '',
      emoji: '',
    };
    const keyOfEmpty = `retry-key-${randomUUID()}`;
    const deviceOfEmpty = `device-${randomUUID()}`;
    for (const [name, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      const headers: Record<string, string> =
        name === 'empty' ? { 'x-device-key': deviceOfEmpty, 'idempotency-key': keyOfEmpty } : {};
      const reply = await comment(id, { sectionId: 's1', stance: 'observation', text }, headers);
      expect(reply.status, `${name}: ${reply.status}`).toBe(202);
      references[name] = String(reply.body.reference);
    }
    await suite.system.drain();

    // Assess: stored and listed as typed, nothing more (the 50,001-character one never was).
    const stored = await suite.stores.comments.get(id, Object.values(references));
    expect(stored).toHaveLength(6);
    for (const [name, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      expect(stored.find((c) => c.reference === references[name])?.text, name).toBe(text);
    }
    const listed = await api('GET', `/v1/consultations/${id}/comments?limit=200`, {
      headers: suite.communicator,
    });
    expect(listed.status).toBe(200);
    const byReference = new Map(
      (listed.body.items as { reference: string; text: string }[]).map((c) => [c.reference, c.text]),
    );
    expect(byReference.size).toBe(6);
    for (const [name, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      expect(byReference.get(references[name]), name).toBe(text);
    }

    // Close, answer every comment, publish.
    await sleep(Math.max(0, closesAt - Date.now()) + 50);
    await suite.system.fire('Publish');
    const answered = await api('POST', `/v1/consultations/${id}/dispositions`, {
      headers: suite.communicator,
      body: {
        items: Object.values(references).map((reference) => ({
          reference,
          disposition: 'not_accepted',
          reasons: 'Se estudió; no se acoge.',
        })),
      },
    });
    expect(answered.status, answered.text).toBe(200);
    expect(
      (
        await api('POST', `/v1/consultations/${id}/actions`, {
          headers: suite.communicator,
          body: { action: 'answer' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('POST', `/v1/consultations/${id}/actions`, {
          headers: suite.communicator,
          body: { action: 'publish' },
        })
      ).status,
    ).toBe(200);
    // A retry of an accepted comment after the period closed still names its reference.
    const retried = await comment(
      id,
      { sectionId: 's1', stance: 'observation', text: '' },
      { 'x-device-key': deviceOfEmpty, 'idempotency-key': keyOfEmpty },
    );
    expect(retried.status).toBe(202);
    expect(retried.body.reference).toBe(references.empty);

    // JSON: every text as typed.
    const json = await api('GET', `/v1/public/consultations/${id}/report.json?limit=200`);
    expect(json.status).toBe(200);
    const rows = new Map(
      (json.body.comments as { reference: string; text: string }[]).map((c) => [c.reference, c.text]),
    );
    for (const [name, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      expect(rows.get(references[name]), name).toBe(text);
    }

    // CSV: valid RFC 4180, one record per comment, every record as wide as the header, texts back
    // as typed (a formula defused with a leading apostrophe).
    const csv = await api('GET', `/v1/public/consultations/${id}/report.csv?limit=200`);
    expect(csv.status).toBe(200);
    const records = parseCsv(csv.text);
    const header = records[0]!;
    expect(records).toHaveLength(7);
    expect(records.every((r) => r.length === header.length)).toBe(true);
    const ref = header.indexOf('reference');
    const textColumn = header.indexOf('text');
    const csvText = new Map(records.slice(1).map((r) => [r[ref]!, r[textColumn]!]));
    for (const name of ['long', 'widest', 'empty', 'script', 'emoji'] as const) {
      expect(csvText.get(references[name]), name).toBe(texts[name]);
    }
    expect(csvText.get(references.formula)).toBe(`'${formula}`);

    // HTML: nothing typed becomes markup.
    const html = await api('GET', `/v1/public/consultations/${id}/report.html?limit=200`);
    expect(html.status).toBe(200);
    for (const raw of ['<script>', '<img', '<b>sin</b>', '<i>segundo</i>'])
      expect(html.text).not.toContain(raw);
    expect(html.text).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html.text).toContain(
      'el artículo &quot;primero&quot;, &lt;b&gt;sin&lt;/b&gt; reglamentar &amp; sin',
    );
    expect(html.text).toContain(`${'€'.repeat(49_989)} fin de obs`);
    // The bare stance is a row with an empty text cell.
    expect(html.text).toMatch(
      new RegExp(
        `<tr><th scope="row">${references.empty}</th><td>[^<]*</td><td>Observación</td><td class="t"></td>`,
      ),
    );
  });
});

describe('comment Idempotency-Key', () => {
  it('a retry gets the same reference; the key with another comment once stored → 422, nothing changed', async () => {
    const { id } = await openConsultation(3_600_000);
    const device = `device-${randomUUID()}`;
    const key = `key-${randomUUID()}`;
    const first = { sectionId: 's1', stance: 'oppose', text: 'No estoy de acuerdo con la banda de 3,5 GHz.' };
    const headers = { 'x-device-key': device, 'idempotency-key': key };
    const accepted = await comment(id, first, headers);
    expect(accepted.status).toBe(202);
    const reference = String(accepted.body.reference);
    // A retry before the consumer wrote it: the same reference (one comment in the end).
    const early = await comment(id, first, headers);
    expect(early.body.reference).toBe(reference);
    await suite.system.drain();

    // A retry once written: 202, the same reference and the stored acceptance time (the first
    // message the consumer wrote).
    const again = await comment(id, { ...first, text: `  ${first.text} ` }, headers);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ reference, consultationId: id, sectionId: 's1', status: 'accepted' });
    expect([accepted.body.acceptedAt, early.body.acceptedAt]).toContain(again.body.acceptedAt);

    // The same key with other content: refused as filing refuses a key reused with another body.
    for (const other of [
      { ...first, text: 'Otro texto distinto' },
      { ...first, stance: 'support' },
      { ...first, sectionId: 's2' },
      { ...first, department: '11' },
    ]) {
      const refused = await comment(id, other, headers);
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        type: 'urn:urna:problem:validation',
        errors: [
          {
            field: 'header.idempotency-key',
            code: 'conflict',
            message:
              'header.idempotency-key: ya se usó con otra solicitud: para una solicitud distinta use una clave nueva',
          },
        ],
      });
      expect(refused.text).not.toContain('Otro texto');
    }
    // The key is the author's: another device may use it; a new key is a new comment.
    const otherDevice = await comment(id, first, {
      'x-device-key': `device-${randomUUID()}`,
      'idempotency-key': key,
    });
    expect(otherDevice.status).toBe(202);
    expect(otherDevice.body.reference).not.toBe(reference);
    const newKey = await comment(id, first, {
      'x-device-key': device,
      'idempotency-key': `key-${randomUUID()}`,
    });
    expect(newKey.status).toBe(202);
    expect(newKey.body.reference).not.toBe(reference);
    await suite.system.drain();

    const listed = await api('GET', `/v1/consultations/${id}/comments?limit=200`, {
      headers: suite.communicator,
    });
    const items = listed.body.items as {
      reference: string;
      text: string;
      stance: string;
      sectionId: string;
    }[];
    expect(items).toHaveLength(3);
    expect(items.find((c) => c.reference === reference)).toMatchObject({
      text: first.text,
      stance: 'oppose',
      sectionId: 's1',
    });
  });
});

describe("authors' hashes", () => {
  it('are pseudonyms under the pseudonym key: a device and a citizen, never the plain SHA-256 of a guess', async () => {
    const { id } = await openConsultation(3_600_000);
    const keys = await systemPseudonyms(suite.system.env);
    const device = `device-${randomUUID()}`;
    const byDevice = await comment(
      id,
      { sectionId: 's1', stance: 'support', text: 'De acuerdo.' },
      {
        'x-device-key': device,
      },
    );
    const subject = `citizen-${randomUUID()}`;
    const token = await suite.system.issuer.issueCitizen({ subject });
    const byCitizen = await api('POST', `/v1/public/consultations/${id}/comments`, {
      body: { sectionId: 's2', stance: 'oppose', text: 'En desacuerdo.' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect([byDevice.status, byCitizen.status]).toEqual([202, 202]);
    await suite.system.drain();

    const [d, c] = await Promise.all([
      suite.stores.comments.get(id, [String(byDevice.body.reference)]),
      suite.stores.comments.get(id, [String(byCitizen.body.reference)]),
    ]);
    expect(d[0]?.author).toEqual({ kind: 'device', ...keys.current(devicePseudonymText(id, device)) });
    expect(d[0]?.author.hash).not.toBe(createHash('sha256').update(`device\n${id}\n${device}`).digest('hex'));
    const issuer = suite.system.env.CITIZEN_AUTH_ISSUER!.replace(/\/+$/, '');
    expect(c[0]?.author).toEqual({
      kind: 'citizen',
      ...keys.current(citizenPseudonymText(`consultation:${id}`, { issuer, subject })),
    });
    expect(c[0]?.author.hash).not.toBe(
      createHash('sha256').update(`citizen\nconsultation:${id}\n${issuer}\n${subject}`).digest('hex'),
    );
  });
});
