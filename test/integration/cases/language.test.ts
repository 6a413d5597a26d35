/**
 * Problems in the citizens' language (issue 13): Spanish by default, English with
 * `Accept-Language: en`, `Content-Language` saying which; every error item with its field, a
 * stable code and a message that names the field and says how to fix it; never zod's own wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_TYPES } from '#domain/case/filing.ts';
import { ISSUE_CODES } from '#domain/issues.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { petition, petitioner } from './helpers.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
});
afterAll(() => system?.stop());

const ZOD_WORDING =
  /Invalid input|Invalid option|expected one of|Invalid string|Too (big|small)|Unrecognized key/i;
const ENGLISH = { 'accept-language': 'en' };

interface ErrorItem {
  field: string;
  code: string;
  message: string;
}

/** A problem in the language asked: the header says it, each item is complete, no zod wording. */
function expectProblem(reply: Reply, status: number, locale: 'es' | 'en') {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.headers.get('content-language')).toBe(locale);
  expect(reply.headers.get('vary')).toMatch(/Accept-Language/i);
  expect(reply.text).not.toMatch(ZOD_WORDING);
  for (const item of (reply.body.errors ?? []) as ErrorItem[]) {
    expect(Object.keys(item).sort()).toEqual(['code', 'field', 'message']);
    expect(ISSUE_CODES).toContain(item.code);
    expect(item.message.startsWith(`${item.field}: `), item.message).toBe(true);
  }
  return reply.body as { title: string; detail: string; errors?: ErrorItem[]; [k: string]: unknown };
}

/** Both languages of the same request. */
async function both(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const es = await call(system.baseUrl, method, path, options);
  const en = await call(system.baseUrl, method, path, {
    ...options,
    headers: { ...options.headers, ...ENGLISH },
  });
  return { es, en };
}

async function file(): Promise<{ radicado: string; code: string }> {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
  expect(filed.status, filed.text).toBe(201);
  await system.drain();
  return { radicado: String(filed.body.radicado), code: String(filed.body.trackingCode) };
}

describe('problems in Spanish, and in English on request', () => {
  it('a filing the schema refuses: 422, each field named with its code and how to fix it', async () => {
    // Prepare: a wrong id type (an enumeration), a missing subject (required).
    const { subject: _s, ...noSubject } = petition();
    const body = { ...noSubject, petitioner: { ...petitioner, idType: 'cedula' } };
    // Act
    const { es, en } = await both('POST', '/v1/cases', { body });
    // Assess
    const spanish = expectProblem(es, 422, 'es');
    expect(spanish.title).toBe('Solicitud no válida');
    expect(spanish.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'petitioner.idType',
          code: 'not_allowed',
          message: `petitioner.idType: debe ser uno de estos valores: ${ID_TYPES.join(', ')}`,
        },
        { field: 'subject', code: 'required', message: 'subject: es obligatorio' },
      ]),
    );
    expect(spanish.detail).toMatch(/^Revise la solicitud: .* \(y 1 más\)$/);
    const english = expectProblem(en, 422, 'en');
    expect(english.title).toBe('Invalid request');
    expect(english.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'petitioner.idType',
          code: 'not_allowed',
          message: 'petitioner.idType: must be one of: CC, CE, TI, RC, PA, NIT, PEP, PPT, NUIP',
        },
        { field: 'subject', code: 'required', message: 'subject: is required' },
      ]),
    );
    expect(english.detail).toMatch(/^Check the request: .* \(and 1 more\)$/);
  });

  it('the published contract documents the codes and the language rule', async () => {
    const doc = (await call(system.baseUrl, 'GET', '/openapi.json')).body as {
      components: { schemas: { Problem: Record<string, unknown> } };
    };
    const problem = doc.components.schemas.Problem as {
      description: string;
      properties: { errors: { items: { required: string[]; properties: { code: { enum: string[] } } } } };
    };
    expect(problem.properties.errors.items.required).toEqual(['field', 'code', 'message']);
    expect(problem.properties.errors.items.properties.code.enum).toEqual([...ISSUE_CODES]);
    expect(problem.description).toMatch(/Spanish.*Accept-Language: en.*Content-Language/);
  });

  it('an officer route without a token: 401 with the challenge', async () => {
    const { es, en } = await both('GET', '/v1/inbox?office=conectividad');
    const spanish = expectProblem(es, 401, 'es');
    expect(spanish).toMatchObject({ title: 'Se requiere autenticación' });
    expect(spanish.detail).toMatch(/^Las rutas de funcionarios requieren un token de acceso/);
    expect(es.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const english = expectProblem(en, 401, 'en');
    expect(english).toMatchObject({ title: 'Authentication required' });
    expect(english.detail).toMatch(/^officer routes need an access token/);
  });

  it('the tracking view with a wrong code: 404, the same words as an unknown radicado', async () => {
    const { radicado } = await file();
    const { es, en } = await both('GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': 'not-the-code-0000' },
    });
    expect(expectProblem(es, 404, 'es')).toMatchObject({
      title: 'No encontrado',
      detail: 'No hay un caso con ese radicado y ese código de seguimiento',
    });
    expect(expectProblem(en, 404, 'en')).toMatchObject({
      title: 'Not found',
      detail: 'no case with that radicado and tracking code',
    });
  });

  describe('lifecycle refusals', () => {
    const supervisor = async () => ({
      authorization: `Bearer ${await system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] })}`,
    });
    /** The action, sent twice (Spanish, English) on the case's current ETag. */
    async function act(radicado: string, action: Record<string, unknown>) {
      const bearer = await supervisor();
      const seen = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: bearer });
      expect(seen.status, seen.text).toBe(200);
      return both('POST', `/v1/cases/${radicado}/actions`, {
        body: action,
        headers: { ...bearer, 'if-match': seen.headers.get('etag') ?? '' },
      });
    }

    it('an action the status does not allow: 409 naming the status and the rule', async () => {
      const { radicado } = await file();
      const { es, en } = await act(radicado, { type: 'close' });
      const spanish = expectProblem(es, 409, 'es');
      expect(spanish).toMatchObject({ title: 'Conflicto con el estado actual', caseStatus: 'routed' });
      expect(spanish.detail).toMatch(
        /^close no se admite en un caso en estado routed: un caso se cierra después de responderlo/,
      );
      const english = expectProblem(en, 409, 'en');
      expect(english.detail).toMatch(
        /^close is not allowed on a case in status routed: a case is closed after it is answered/,
      );
    });

    it('a date the law does not allow: 422 naming the field and citing the article in both languages', async () => {
      const { radicado } = await file();
      const { es, en } = await act(radicado, {
        type: 'extend',
        newDueDate: '2099-12-31',
        reason: 'Volumen de trabajo',
      });
      const spanish = expectProblem(es, 422, 'es');
      expect(spanish.errors).toEqual([
        {
          field: 'newDueDate',
          code: 'too_late',
          message: expect.stringMatching(
            /^newDueDate: 2099-12-31 es posterior al máximo, el \d{4}-\d{2}-\d{2}, el doble del término .*\(Ley 1755 de 2015, art\. 14, parágrafo\)$/,
          ),
        },
      ]);
      expect(spanish.detail).toBe(spanish.errors?.[0]?.message);
      const english = expectProblem(en, 422, 'en');
      expect(english.errors).toEqual([
        {
          field: 'newDueDate',
          code: 'too_late',
          message: expect.stringMatching(
            /^newDueDate: 2099-12-31 is later than the maximum \d{4}-\d{2}-\d{2}, double the term .*\(Ley 1755 de 2015, art\. 14, parágrafo\)$/,
          ),
        },
      ]);
    });
  });
});
