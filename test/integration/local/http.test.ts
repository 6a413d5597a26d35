/** The local HTTP server speaks API Gateway HTTP API (payload format 2.0) to the handlers. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '#test/support/client.ts';
import { FIXTURE_FUNCTIONS } from '#test/support/fixtures/functions.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;
const logged: string[] = [];

beforeAll(async () => {
  system = await useLocalSystem({
    functions: FIXTURE_FUNCTIONS,
    pollers: false,
    schedulers: false,
    log: (line) => logged.push(line),
  });
});
afterAll(() => system?.stop());

/** A request through node:http (raw header lines kept as sent). */
function rawRequest(
  method: string,
  path: string,
  options: { headers: string[]; body?: string },
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${system.baseUrl}${path}`, { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Echo {
  event: APIGatewayProxyEventV2;
  context: { functionName: string; awsRequestId: string; memoryLimitInMB: string; remainingMs: number };
}

describe('request → APIGatewayProxyEventV2', () => {
  it('builds the event API Gateway would send', async () => {
    // Prepare
    const body = { entityId: 'MINTIC', subject: 'Señal débil' };
    // Act (node:http, to send the duplicate header as two lines; fetch would merge them)
    const res = await rawRequest('POST', '/echo/MINTIC-2025-000001%20x?x=1&x=2&y=a%20b&empty=', {
      headers: [
        'Host',
        `127.0.0.1:${system.port}`,
        'Content-Type',
        'application/json',
        'X-Custom',
        'one',
        'X-Custom',
        'two',
        'Cookie',
        'session=abc; theme=dark',
        'User-Agent',
        'urna-test',
      ],
      body: JSON.stringify(body),
    });
    // Assess
    expect(res.status).toBe(200);
    const { event, context } = JSON.parse(res.text) as Echo;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{id}',
      rawPath: '/echo/MINTIC-2025-000001%20x',
      rawQueryString: 'x=1&x=2&y=a%20b&empty=',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { x: '1,2', y: 'a b', empty: '' },
      pathParameters: { id: 'MINTIC-2025-000001 x' },
      isBase64Encoded: false,
      body: JSON.stringify(body),
    });
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'one,two',
      'user-agent': 'urna-test',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': String(system.port),
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((h) => h === h.toLowerCase())).toBe(true);
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      routeKey: 'POST /echo/{id}',
      stage: '$default',
      http: {
        method: 'POST',
        path: '/echo/MINTIC-2025-000001%20x',
        protocol: 'HTTP/1.1',
        userAgent: 'urna-test',
      },
    });
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(event.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.functionName).toBe('urna-Echo');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(2000);
  });

  it('passes a GET without body or query as API Gateway does', async () => {
    const { event } = (await call(system.baseUrl, 'GET', '/echo/abc')).json as Echo;
    expect(event.routeKey).toBe('GET /echo/{id}');
    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('cookies');
  });

  it('base64-encodes a non-text body', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252]);
    const res = await call(system.baseUrl, 'POST', '/echo/bin', {
      raw: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    const { event } = res.json as Echo;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from(bytes));
  });

  it('prefers the most specific route and supports greedy parameters', async () => {
    const fixed = (await call(system.baseUrl, 'GET', '/echo/static')).json as Echo;
    expect(fixed.event.routeKey).toBe('GET /echo/static');
    expect(fixed.event).not.toHaveProperty('pathParameters');
    const greedy = (await call(system.baseUrl, 'GET', '/files/a/b/c.txt')).json as Echo;
    expect(greedy.event.routeKey).toBe('GET /files/{path+}');
    expect(greedy.event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });
});

describe('handler result → HTTP response', () => {
  it('sends a plain object as a 200 application/json', async () => {
    const res = await call(system.baseUrl, 'GET', '/plain-object');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json).toEqual({ hello: 'world', n: 1 });
  });

  it('sends a plain string as the body itself', async () => {
    const res = await call(system.baseUrl, 'GET', '/plain-string');
    expect(res.status).toBe(200);
    expect(res.text).toBe('just text');
  });

  it('honours statusCode, headers, cookies and base64 bodies', async () => {
    // fetch itself: the body's bytes, which the client reads as text.
    const res = await fetch(`${system.baseUrl}/structured`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-number')).toBe('7');
    expect(res.headers.get('x-flag')).toBe('true');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });
});

describe('errors, as API Gateway (and our problem+json) would answer', () => {
  it('answers an unknown route or method with a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/echo/abc'],
      ['GET', '/echo/abc/extra'],
    ] as const) {
      const res = await call(system.baseUrl, method, path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
      expect((res.json as { detail: string }).detail).toContain(path);
    }
  });

  it('refuses a body over 10 MB with 413 without calling the handler', async () => {
    const res = await call(system.baseUrl, 'POST', '/echo/big', {
      raw: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('turns a crash into a 500 problem with a correlation id, no stack, no message', async () => {
    // Act
    const res = await call(system.baseUrl, 'GET', '/crash');
    // Assess
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const correlationId = res.headers.get('apigw-requestid');
    expect(res.json).toMatchObject({ status: 500, title: 'Internal Server Error', correlationId });
    expect(res.headers.get('x-correlation-id')).toBe(correlationId);
    expect(res.text).not.toMatch(/hunter2|db-internal|at |\.ts/);
    const line = logged.find((l) => l.includes(String(correlationId)));
    expect(line).toContain('Echo GET /crash failed');
    expect(line).toContain('hunter2'); // the cause stays in the local log, for the developer
  });

  it('treats a response API Gateway would reject, or a timeout, as a 500', async () => {
    const malformed = await call(system.baseUrl, 'GET', '/malformed');
    expect(malformed.status).toBe(500);
    expect(logged.some((l) => l.includes('body is not a string'))).toBe(true);
    const slow = await call(system.baseUrl, 'GET', '/slow');
    expect(slow.status).toBe(500);
    expect(logged.some((l) => l.includes('Echo GET /slow timed out'))).toBe(true);
  });
});
