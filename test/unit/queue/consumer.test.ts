import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '#http/observability.ts';
import { deadLetter, type SqsHandler, sqsBatchConsumer, sqsConsumer } from '#shared/queue/consumer.ts';

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

/** The JSON log lines of captured output. */
const logLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Resolves once `count` callers have arrived: every batch is mid-flight before any record ends. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived === count) open();
    await opened;
  };
}

/** Two batches through one handler at once, each with its own failing records. */
async function twoBatchesAtOnce(handler: SqsHandler) {
  const a: SQSEvent = { Records: ['a-1', 'a-2', 'a-3', 'a-4'].map((id) => record(id, {})) };
  const b: SQSEvent = { Records: ['b-1', 'b-2', 'b-3'].map((id) => record(id, {})) };
  const { result } = await capture(() =>
    Promise.all([handler(a, context), handler({ ...b }, { ...context, awsRequestId: 'aws-2' } as Context)]),
  );
  const ids = (r: { batchItemFailures: { itemIdentifier: string }[] }) =>
    r.batchItemFailures.map((f) => f.itemIdentifier).sort();
  return result.map(ids);
}

const FAILING = new Set(['a-2', 'a-4', 'b-1']);

describe('concurrent batches in one process (the local runtime runs up to five)', () => {
  it('sqsConsumer: each batch reports exactly its own failures', async () => {
    const arrive = barrier(7);
    const handler = sqsConsumer(async (r) => {
      await arrive();
      if (FAILING.has(r.messageId)) throw new Error('poison');
    });

    const [a, b] = await twoBatchesAtOnce(handler);

    expect(a).toEqual(['a-2', 'a-4']);
    expect(b).toEqual(['b-1']);
  });

  it('sqsConsumer: a batch that ends first is not cleared by one that starts later', async () => {
    // b-1 fails before batch b starts its slow record, while a's records are still running.
    const handler = sqsConsumer(async (r) => {
      await new Promise((wake) => setTimeout(wake, r.messageId.startsWith('a') ? 30 : 5));
      if (FAILING.has(r.messageId)) throw new Error('poison');
    });

    const [a, b] = await twoBatchesAtOnce(handler);

    expect(a).toEqual(['a-2', 'a-4']);
    expect(b).toEqual(['b-1']);
  });

  it('sqsBatchConsumer: each batch reports exactly its own failures', async () => {
    const arrive = barrier(2);
    const handler = sqsBatchConsumer(async (records) => {
      await arrive();
      const failed = records.filter((r) => FAILING.has(r.messageId)).map((r) => r.messageId);
      return [{ messageIds: failed, error: new Error('poison') }];
    });

    const [a, b] = await twoBatchesAtOnce(handler);

    expect(a).toEqual(['a-2', 'a-4']);
    expect(b).toEqual(['b-1']);
  });
});

describe('sqsBatchConsumer', () => {
  it('reports the records the handler returns, logging each cause once without its text', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const seen: string[][] = [];
    const handler = sqsBatchConsumer(async (records) => {
      seen.push(records.map((r) => r.messageId));
      return [
        { messageIds: ['m-1', 'm-3'], error: new RangeError('Ana Pérez Gómez, cédula 52123456') },
        { messageIds: ['m-4'], error: 'Marta' },
        { messageIds: [], error: new Error('nothing failed') },
      ];
    });
    const event: SQSEvent = {
      Records: ['m-1', 'm-2', 'm-3', 'm-4'].map((id) => record(id, { name: 'Ana' })),
    };

    const { result, output } = await capture(() => handler(event, context));

    expect(seen).toEqual([['m-1', 'm-2', 'm-3', 'm-4']]);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-3' }, { itemIdentifier: 'm-4' }],
    });
    const failed = logLines(output).filter((l) => /^records? failed$/.test(String(l.message)));
    expect(failed).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        messageIds: ['m-1', 'm-3'],
        error: expect.objectContaining({ name: 'RangeError' }),
      }),
      expect.objectContaining({ level: 'ERROR', messageId: 'm-4', error: { name: 'string' } }),
    ]);
    expect(output).not.toMatch(/Ana|P[ée]rez|52123456|Marta|nothing failed/);
    expect(addMetric.mock.calls.filter(([name]) => name === 'RecordFailed')).toEqual([
      ['RecordFailed', 'Count', 2],
      ['RecordFailed', 'Count', 1],
    ]);
  });

  it('fails the whole batch, logging every record, when the handler throws', async () => {
    const handler = sqsBatchConsumer(async () => {
      throw new Error('Ana Pérez Gómez');
    });
    const { result, output } = await capture(() =>
      handler({ Records: [record('t-1', {}), record('t-2', {})] }, context).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : 'thrown'),
      ),
    );
    expect(result).toBe('Ana Pérez Gómez');
    expect(logLines(output)).toContainEqual(
      expect.objectContaining({ message: 'records failed', messageIds: ['t-1', 't-2'] }),
    );
    expect(output).not.toMatch(/Ana|P[ée]rez/);
  });

  it('reports no failure and logs nothing when the handler returns none', async () => {
    const handler = sqsBatchConsumer(async () => []);
    const { result, output } = await capture(() => handler({ Records: [record('ok-1', {})] }, context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(output).not.toMatch(/failed/);
  });
});

describe('deadLetter', () => {
  /** An SQS client that records each SendMessageBatch and fails the entries `refuse` names. */
  function fakeSqs(refuse: (id: string, body: string) => boolean = () => false) {
    const sent: SendMessageBatchCommand['input'][] = [];
    const client = {
      send: async (command: SendMessageBatchCommand) => {
        sent.push(command.input);
        const failed = (command.input.Entries ?? []).filter((e) => refuse(e.Id ?? '', e.MessageBody ?? ''));
        return {
          Successful: [],
          Failed: failed.map((e) => ({ Id: e.Id, Code: 'Refused', SenderFault: true })),
        };
      },
    } as unknown as SQSClient;
    return { client, sent };
  }

  it("sends each record's body as it came, ten at a time, with why and where it came from", async () => {
    const { client, sent } = fakeSqs();
    const records = Array.from({ length: 12 }, (_, i) => record(`d-${i}`, { n: i }));

    await deadLetter(client, 'https://dlq', [
      ...records.slice(0, 11).map((r) => ({ record: r, rejected: 'not a comment message' })),
      { record: records[11]!, rejected: 'validation', reason: 'x'.repeat(2000) },
    ]);

    expect(sent.map((s) => s.Entries?.length)).toEqual([10, 2]);
    expect(sent.every((s) => s.QueueUrl === 'https://dlq')).toBe(true);
    expect(sent[0]?.Entries?.[0]).toEqual({
      Id: '0',
      MessageBody: '{"n":0}',
      MessageAttributes: {
        rejected: { DataType: 'String', StringValue: 'not a comment message' },
        sourceMessageId: { DataType: 'String', StringValue: 'd-0' },
      },
    });
    const last = sent[1]?.Entries?.[1];
    expect(last?.MessageAttributes?.rejected?.StringValue).toBe('validation');
    expect(last?.MessageAttributes?.reason?.StringValue).toHaveLength(1024);
  });

  it('fails when SQS refuses any entry, so that the caller fails those records', async () => {
    const { client } = fakeSqs((id) => id === '1');
    await expect(
      deadLetter(client, 'https://dlq', [
        { record: record('r-0', {}), rejected: 'x' },
        { record: record('r-1', {}), rejected: 'x' },
      ]),
    ).rejects.toThrow(/DLQ refused 1 message/);
  });
});
