import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqsConsumer } from '#functions/queue/consumer.ts';
import { metrics } from '#http/observability.ts';

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:urna-intake',
    awsRegion: 'us-east-1',
  };
}

const context = {
  awsRequestId: 'aws-1',
  functionName: 'intake',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:intake',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** Everything written to stdout and stderr while `run` runs. */
async function capture<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
  const written: string[] = [];
  const keep = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation(keep),
  ];
  try {
    return { result: await run(), output: written.join('') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sqsConsumer', () => {
  it('logs why a record failed (message id and error name, never its text) and fails only that record', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const seen: string[] = [];
    const handler = sqsConsumer(async (r) => {
      seen.push(r.messageId);
      const body = JSON.parse(r.body) as { name: string };
      if (r.messageId === 'm-2') {
        throw new TypeError(`cannot file for ${body.name}, cédula 52123456`);
      }
    });
    const event: SQSEvent = {
      Records: [
        record('m-1', { name: 'Luis' }),
        record('m-2', { name: 'Ana Pérez Gómez' }),
        record('m-3', { name: 'Marta' }),
      ],
    };

    const { result, output } = await capture(() => handler(event, context));

    expect(seen).toEqual(['m-1', 'm-2', 'm-3']);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = lines.filter((l) => l.message === 'record failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'ERROR', messageId: 'm-2', error: { name: 'TypeError' } });
    expect(output).not.toMatch(/Ana|P[ée]rez|G[óo]mez|52123456|c[ée]dula|cannot file/);
    expect(addMetric).toHaveBeenCalledWith('RecordFailed', 'Count', 1);
    expect(addMetric.mock.calls.filter(([name]) => name === 'RecordFailed')).toHaveLength(1);
  });

  it('logs nothing and reports no failure when every record succeeds', async () => {
    const handler = sqsConsumer(async () => {});
    const event: SQSEvent = { Records: [record('ok-1', {}), record('ok-2', {})] };
    const { result, output } = await capture(() => handler(event, context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(output).not.toContain('record failed');
  });

  it('logs something safe for a thrown non-Error', async () => {
    const handler = sqsConsumer(async (r) => {
      if (r.messageId === 's-2') throw 'Ana Pérez Gómez';
    });
    const { result, output } = await capture(() =>
      handler({ Records: [record('s-1', {}), record('s-2', {})] }, context),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 's-2' }] });
    expect(output).toContain('"messageId":"s-2"');
    expect(output).not.toMatch(/Ana|P[ée]rez/);
  });

  it('logs each record before the whole batch fails when every record failed', async () => {
    const handler = sqsConsumer(async () => {
      throw new Error('Ana Pérez Gómez');
    });
    const written: string[] = [];
    const keep = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(keep);
    vi.spyOn(process.stderr, 'write').mockImplementation(keep);
    await expect(handler({ Records: [record('f-1', {}), record('f-2', {})] }, context)).rejects.toThrow(
      /All records failed/,
    );
    const output = written.join('');
    expect(output).toContain('"messageId":"f-1"');
    expect(output).toContain('"messageId":"f-2"');
    expect(output).not.toMatch(/Ana|P[ée]rez/);
  });
});
