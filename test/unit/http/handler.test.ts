import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { UseCaseError } from '#app/errors.ts';
import { httpHandler } from '#http/handler.ts';
import { defineRoute } from '#http/route.ts';

const route = defineRoute({
  operationId: 't',
  method: 'POST',
  path: '/t',
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

describe('httpHandler', () => {
  it('turns an unexpected error into a 500 with a correlation id and nothing of the error', async () => {
    const h = httpHandler(route, async () => {
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

  it('maps use-case refusals and validation to problems naming the field', async () => {
    const h = httpHandler(route, async () => {
      throw new UseCaseError('not_found', 'nothing here');
    });
    expect((await h(event('{"n":1}'), context)).statusCode).toBe(404);
    const invalid = await h(event('{"n":"x"}'), context);
    expect(invalid.statusCode).toBe(422);
    expect(JSON.parse(String(invalid.body)).errors).toEqual([expect.objectContaining({ field: 'n' })]);
  });

  it('accepts a base64 body and +json media types', async () => {
    const h = httpHandler(route, async (r) => ({ status: 200, body: r.body }));
    const e = {
      ...event(Buffer.from('{"n":2}').toString('base64'), { 'content-type': 'application/merge-patch+json' }),
      isBase64Encoded: true,
    };
    const res = await h(e, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ n: 2 });
  });
});
