import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { UseCaseError } from '#app/errors.ts';
import { FilingSchema } from '#domain/case/filing.ts';
import { jsonErrorWhere, MAX_BODY_BYTES, on, serve } from '#http/handler.ts';
import { defineRoute } from '#http/route.ts';

const route = defineRoute({
  operationId: 't',
  method: 'POST',
  path: '/t',
  fn: 'T',
  access: { public: 'a test route' },
  summary: 't',
  tags: [],
  body: z.strictObject({ n: z.number() }),
  responses: { 200: { description: 'ok' } },
  problems: [400, 422, 500],
});

function event(
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /t',
    rawPath: '/t',
    rawQueryString: '',
    headers,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-123',
      http: { method: 'POST', path: '/t' },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}
const context = {
  awsRequestId: 'aws-1',
  functionName: 't',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

/** One route served alone, as a function serving it would. */
function handle<R extends Parameters<typeof on>[0]>(r: R, impl: Parameters<typeof on<R>>[1]) {
  return serve([on(r, impl)]);
}

describe('serving a route', () => {
  it('turns an unexpected error into a 500 with a correlation id and nothing of the error', async () => {
    const h = handle(route, async () => {
      throw new Error('connection to 10.0.0.7 failed with password hunter2');
    });
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    const res = await h(event('{"n":1}'), context).finally(() => {
      for (const s of spies) s.mockRestore();
    });
    expect(res.statusCode).toBe(500);
    const logs = written.join('');
    expect(logs).toContain('req-123');
    expect(logs).not.toMatch(/hunter2|10\.0\.0\.7/);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(String(res.body));
    expect(body).toMatchObject({ status: 500, correlationId: 'req-123', type: 'urn:urna:problem:internal' });
    expect(res.body).not.toMatch(/hunter2|10\.0\.0\.7|Error:|at /);
  });

  it('answers 503 with Retry-After when a use case says it is busy', async () => {
    const h = handle(route, async () => {
      throw new UseCaseError('busy', { es: 'ocupado', en: 'busy' }, [], { retryAfterSeconds: 1 });
    });
    const res = await h(event('{"n":1}'), context);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(String(res.body))).toMatchObject({ status: 503, type: 'urn:urna:problem:busy' });
  });

  it('answers 503 with Retry-After when a dependency fails for a moment, 500 for our own bugs', async () => {
    const sdkError = (name: string, extra: Record<string, unknown>) =>
      Object.assign(new Error(`${name} on table urna for ana@example.com`), { name, ...extra });
    const transient = [
      sdkError('ProvisionedThroughputExceededException', { $metadata: { httpStatusCode: 400 } }),
      sdkError('ThrottlingException', { $metadata: { httpStatusCode: 400 } }),
      sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } }),
      sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }),
      sdkError('TimeoutError', {}),
      sdkError('Error', { code: 'ECONNREFUSED' }),
      sdkError('Error', { code: 'ECONNRESET' }),
    ];
    for (const failure of transient) {
      const res = await handle(route, async () => {
        throw failure;
      })(event('{"n":1}'), context);
      expect(res.statusCode, failure.name).toBe(503);
      expect(res.headers?.['retry-after']).toBe('2');
      const body = JSON.parse(String(res.body));
      expect(body).toMatchObject({ status: 503, type: 'urn:urna:problem:unavailable' });
      expect(body.detail).toContain('Idempotency-Key');
      expect(res.body).not.toContain('ana@example.com');
    }
    for (const bug of [
      new TypeError('x is undefined'),
      sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }),
      sdkError('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    ]) {
      const res = await handle(route, async () => {
        throw bug;
      })(event('{"n":1}'), context);
      expect(res.statusCode, bug.name).toBe(500);
    }
  });

  it('sends security headers on every answer: HSTS, no framing, no sniffing, no referrer', async () => {
    const ok = await handle(route, async () => ({ status: 200, body: { ok: true } }))(
      event('{"n":1}'),
      context,
    );
    const refused = await handle(route, async () => ({ status: 200, body: {} }))(event('{"n":"x"}'), context);
    for (const res of [ok, refused]) {
      expect(res.headers).toMatchObject({
        'strict-transport-security': 'max-age=63072000; includeSubDomains',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
    }
  });

  it('maps use-case refusals and validation to problems naming the field', async () => {
    const h = handle(route, async () => {
      throw new UseCaseError('not_found', { es: 'nada aquí', en: 'nothing here' });
    });
    expect((await h(event('{"n":1}'), context)).statusCode).toBe(404);
    const invalid = await h(event('{"n":"x"}'), context);
    expect(invalid.statusCode).toBe(422);
    expect(JSON.parse(String(invalid.body)).errors).toEqual([
      { field: 'n', code: 'invalid_type', message: 'n: debe ser un número' },
    ]);
  });

  it('answers in Spanish by default and in English on request, saying so in Content-Language', async () => {
    const h = handle(route, async () => {
      throw new UseCaseError('not_found', { es: 'nada aquí', en: 'nothing here' });
    });
    const asked = (acceptLanguage?: string) =>
      h(
        event('{"n":1}', {
          'content-type': 'application/json',
          ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}),
        }),
        context,
      );
    for (const [header, locale, detail, title] of [
      [undefined, 'es', 'nada aquí', 'No encontrado'],
      ['en', 'en', 'nothing here', 'Not found'],
      ['en-US,en;q=0.9', 'en', 'nothing here', 'Not found'],
      ['es-CO,es;q=0.9,en;q=0.8', 'es', 'nada aquí', 'No encontrado'],
      ['fr', 'es', 'nada aquí', 'No encontrado'],
    ] as const) {
      const res = await asked(header);
      expect(res.statusCode).toBe(404);
      expect(res.headers?.['content-language']).toBe(locale);
      expect(res.headers?.vary).toBe('Accept-Language');
      expect(JSON.parse(String(res.body))).toMatchObject({ title, detail });
    }
    // An unexpected error too: its detail in the asked language, nothing of the error.
    const crash = handle(route, async () => {
      throw new Error('boom');
    });
    const en = await crash(
      event('{"n":1}', { 'content-type': 'application/json', 'accept-language': 'en' }),
      context,
    );
    expect(en.headers?.['content-language']).toBe('en');
    expect(JSON.parse(String(en.body)).detail).toMatch(/^An unexpected error occurred/);
    const es = await crash(event('{"n":1}'), context);
    expect(JSON.parse(String(es.body)).detail).toMatch(/^Ocurrió un error inesperado/);
  });

  it('accepts a base64 body and +json media types', async () => {
    const h = handle(route, async (r) => ({ status: 200, body: r.body }));
    const e = {
      ...event(Buffer.from('{"n":2}').toString('base64'), { 'content-type': 'application/merge-patch+json' }),
      isBase64Encoded: true,
    };
    const res = await h(e, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ n: 2 });
  });
});

describe('serving a route: reading the body', () => {
  const echo = handle(route, async (r) => ({ status: 200, body: { body: r.body, raw: r.rawBody } }));
  const problemOf = (res: { body?: string | undefined }) =>
    JSON.parse(String(res.body)) as {
      detail: string;
      errors: { field: string; code: string; message: string }[];
    };
  const inEnglish = (body: string) =>
    event(body, { 'content-type': 'application/json', 'accept-language': 'en' });

  it('refuses JSON nested deeper than 32 levels with a 400 naming the body, never a 500', async () => {
    for (const body of [
      `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
      `${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}`,
      `{"n":1,"x":${'['.repeat(33)}${']'.repeat(33)}}`,
    ]) {
      const res = await echo(event(body), context);
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors).toEqual([
        { field: 'body', code: 'invalid_format', message: 'body: tiene más de 32 niveles de anidación' },
      ]);
      expect(problemOf(res).detail).toBe('El cuerpo tiene más de 32 niveles de anidación');
      const en = problemOf(await echo(inEnglish(body), context));
      expect(en.errors).toEqual([
        { field: 'body', code: 'invalid_format', message: 'body: is nested deeper than 32 levels' },
      ]);
      expect(en.detail).toBe('the body is nested deeper than 32 levels');
    }
    // 32 levels are still read (and then judged by the schema: 422).
    const deepest = await echo(event(`{"n":1,"x":${'['.repeat(31)}${']'.repeat(31)}}`), context);
    expect(deepest.statusCode).toBe(422);
  });

  it('takes UTF-8 only: another charset is a 415, bytes that are not UTF-8 a 400, never an altered text', async () => {
    // "Niño" in ISO-8859-1: 0xF1 is not UTF-8.
    const latin1 = Buffer.concat([Buffer.from('{"n":1,"x":"Ni'), Buffer.from([0xf1]), Buffer.from('o"}')]);
    const asBytes = { ...event(''), body: latin1.toString('base64'), isBase64Encoded: true };
    const bytes = await echo(asBytes, context);
    expect(bytes.statusCode).toBe(400);
    expect(problemOf(bytes).errors).toEqual([
      { field: 'body', code: 'invalid_format', message: 'body: no está en UTF-8: envíelo en UTF-8' },
    ]);
    // Passed as text, those bytes arrive as U+FFFD.
    expect((await echo(event('{"n":1,"x":"Ni\uFFFDo"}'), context)).statusCode).toBe(400);
    const declared = await echo(
      event('{"n":1}', { 'content-type': 'application/json; charset=ISO-8859-1' }),
      context,
    );
    expect(declared.statusCode).toBe(415);
    expect(problemOf(declared).detail).toContain('UTF-8');
    // UTF-8 itself, declared or not, in bytes or as text; an escaped U+FFFD is the writer's own:
    // read and parsed (the schema then judges the unknown `x`: 422, not 400).
    const utf8 = Buffer.from('{"n":1,"x":"Niño \\ufffd"}').toString('base64');
    const good = await echo({ ...event(''), body: utf8, isBase64Encoded: true }, context);
    expect(good.statusCode).toBe(422);
    expect(problemOf(good).errors).toMatchObject([{ field: 'x', code: 'unknown_field' }]);
    const declaredUtf8 = event('{"n":1}', { 'content-type': 'application/json; charset="UTF-8"' });
    expect((await echo(declaredUtf8, context)).statusCode).toBe(200);
  });

  it('takes a body of optional fields left out altogether as {}', async () => {
    const optional = defineRoute({
      ...route,
      operationId: 'o',
      body: z.strictObject({ reason: z.string().optional() }),
    });
    const h = handle(optional, async (r) => ({ status: 200, body: { body: r.body } }));
    const { body: _none, ...bodiless } = { ...event(''), headers: {} };
    const none = await h(bodiless, context);
    expect(none.statusCode).toBe(200);
    expect(JSON.parse(String(none.body))).toEqual({ body: {} });
    // Where a field is required, leaving the body out is still the 415 (no media type) it was.
    expect((await echo(bodiless, context)).statusCode).toBe(415);
  });

  it('still names a forbidden key', async () => {
    const res = await echo(event('{"n":1,"a":{"__proto__":{"admin":true}}}'), context);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors).toEqual([
      { field: 'a.__proto__', code: 'not_allowed', message: 'a.__proto__: no es una clave permitida' },
    ]);
  });

  it('never echoes the body in a JSON syntax error, but gives the position when V8 does', async () => {
    const secrets = [
      '{"name":"Ana Pérez Gómez" "id":"52123456"}',
      'Ana Pérez Gómez 52123456',
      "{'name':'Ana Pérez Gómez 52123456'}",
      '{"name":"Ana Pérez Gómez 52123456",}',
      `${'['.repeat(30_000)}"Ana Pérez Gómez 52123456"`,
    ];
    for (const body of secrets) {
      const res = await echo(event(body), context);
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(/Ana|P\u00e9rez|Pérez|G\u00f3mez|52123456/);
      const p = problemOf(res);
      expect(p.errors).toEqual([
        { field: 'body', code: 'invalid_format', message: 'body: no es JSON válido' },
      ]);
      expect(p.detail).toMatch(
        /^El cuerpo no es JSON válido( en la posición \d+|: termina antes de completar el JSON)?$/,
      );
      const en = await echo(inEnglish(body), context);
      expect(en.body).not.toMatch(/Ana|P\u00e9rez|Pérez|G\u00f3mez|52123456/);
      expect(problemOf(en).detail).toMatch(
        /^the body is not valid JSON( at position \d+|: it ends before the JSON is complete)?$/,
      );
    }
    expect(problemOf(await echo(event('{"n":1} x'), context)).detail).toBe(
      'El cuerpo no es JSON válido en la posición 8',
    );
    expect(problemOf(await echo(inEnglish('{"n":1} x'), context)).detail).toBe(
      'the body is not valid JSON at position 8',
    );
    expect(problemOf(await echo(inEnglish('{"n":'), context)).detail).toBe(
      'the body is not valid JSON: it ends before the JSON is complete',
    );
  });

  it('reads the position from either V8 message form, digits only', () => {
    const none = { es: '', en: '' };
    expect(jsonErrorWhere(new SyntaxError('Unexpected token \'x\', "Ana x" is not valid JSON'))).toEqual(
      none,
    );
    expect(jsonErrorWhere(new SyntaxError("Expected ',' in JSON at position 12"))).toEqual({
      es: ' en la posición 12',
      en: ' at position 12',
    });
    expect(
      jsonErrorWhere(
        new SyntaxError('Bad control character in string literal in JSON at position 9 (line 2 column 3)'),
      ),
    ).toEqual({ es: ' en la línea 2, columna 3', en: ' at line 2, column 3' });
    expect(jsonErrorWhere(new SyntaxError('"at position 7" is not valid JSON')).en).toBe(' at position 7');
    expect(jsonErrorWhere('not an error')).toEqual(none);
  });

  it('drops a leading UTF-8 byte order mark, in text and in base64 bodies', async () => {
    const text = await echo(event('\uFEFF{"n":3}'), context);
    expect(text.statusCode).toBe(200);
    expect(JSON.parse(String(text.body))).toEqual({ body: { n: 3 }, raw: '{"n":3}' });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"n":4}')]);
    const b64 = await echo({ ...event(bytes.toString('base64')), isBase64Encoded: true }, context);
    expect(b64.statusCode).toBe(200);
    expect(JSON.parse(String(b64.body))).toEqual({ body: { n: 4 }, raw: '{"n":4}' });
  });

  it('takes the largest legitimate filing written with \\u escapes, and refuses 1 MB', async () => {
    const filingRoute = defineRoute({
      operationId: 'f',
      method: 'POST',
      path: '/t',
      fn: 'T',
      access: { public: 'a test route' },
      summary: 'f',
      tags: [],
      body: FilingSchema,
      responses: { 200: { description: 'ok' } },
      problems: [400, 413, 422, 500],
    });
    const file = handle(filingRoute, async (r) => ({
      status: 200,
      body: { length: r.body.description.length },
    }));
    const escaped = (text: string) =>
      `"${[...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
    const body = `{
      "entityId": "MINTIC",
      "kind": "petition",
      "subject": ${escaped('s'.repeat(300))},
      "description": ${escaped('ñ'.repeat(20_000))},
      "petitioner": {
        "name": ${escaped('n'.repeat(200))},
        "idType": "CC",
        "idNumber": "52123456",
        "email": "ana.perez@example.com",
        "phone": "+57 300 123 4567",
        "address": ${escaped('a'.repeat(300))}
      }
    }`;
    expect(Buffer.byteLength(body)).toBeGreaterThan(64 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const res = await file(event(body), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ length: 20_000 });

    const huge = await file(event(JSON.stringify({ description: 'x'.repeat(1024 * 1024) })), context);
    expect(huge.statusCode).toBe(413);
    expect(MAX_BODY_BYTES).toBe(160 * 1024);
  });
});
