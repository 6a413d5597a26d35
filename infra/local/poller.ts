/**
 * The local stand-in for Lambda's SQS event source mapping (with ReportBatchItemFailures on).
 *
 * Per queue-triggered function, `concurrency` loops long-poll ReceiveMessage (all system and
 * message attributes), gather up to the catalog's batch size within its batching window, and
 * invoke the handler with a real `SQSEvent`. Then, as Lambda does:
 * - a result with no `batchItemFailures` (or an empty list, null, undefined) → every record
 *   succeeded and is deleted;
 * - a `batchItemFailures` list naming records of the batch → all the others are deleted;
 * - a thrown error, a timeout, or a malformed list (an empty/unknown itemIdentifier, not an
 *   array) → the whole batch failed, nothing is deleted.
 * Failed records are not deleted, so SQS delivers them again and, once a record has been
 * received maxReceiveCount times, its RedrivePolicy moves it to the DLQ on the next receive.
 * fauxqs implements that redrive itself (checked in its source and by test/integration/local).
 *
 * One local shortcut: AWS makes failed records wait out the queue's VisibilityTimeout (180 s
 * here) before the retry; locally their visibility is cut to `retryDelaySeconds` so retries and
 * dead-lettering happen in seconds. Why: docs/adr/0007-local-runtime-without-docker.md
 */
import type { Message, MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';
import type { FunctionSpec, Trigger } from '../catalog.ts';
import { type LocalLog, oneLine } from './errors.ts';
import type { FunctionRunner } from './lambda.ts';

export type QueueTrigger = Extract<Trigger, { type: 'queue' }>;

export interface QueuePollerOptions {
  fn: FunctionSpec;
  trigger: QueueTrigger;
  queueUrl: string;
  queueArn: string;
  sqs: SQSClient;
  region: string;
  runner: FunctionRunner;
  log: LocalLog;
  /** Seconds a failed record stays hidden before its retry (AWS: the queue's visibility timeout). */
  retryDelaySeconds: number;
  /** Concurrent poll loops (batches processed at once) for this function. */
  concurrency: number;
  /** Long-poll wait (default 20 s, the maximum; stop() aborts it). */
  waitTimeSeconds?: number;
}

export interface QueuePoller {
  readonly functionName: string;
  readonly queueUrl: string;
  /** Batches received and not yet settled (deleted or released). */
  busy(): number;
  stop(): Promise<void>;
}

function toLambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = {
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined)
    attribute.binaryValue = Buffer.from(value.BinaryValue).toString('base64');
  return attribute;
}

/** The record Lambda builds from a received message. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const messageAttributes: Record<string, SQSMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = toLambdaAttribute(value);
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  for (const key of [
    'AWSTraceHeader',
    'SequenceNumber',
    'MessageGroupId',
    'MessageDeduplicationId',
  ] as const) {
    const value = attributes[key];
    if (value !== undefined) record.attributes[key] = value;
  }
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/**
 * Which records failed, by Lambda's rules for a ReportBatchItemFailures response: 'all' when the
 * response makes the whole batch a failure.
 */
export function failedRecords(result: unknown, messageIds: readonly string[]): Set<string> | 'all' {
  if (result === undefined || result === null) return new Set();
  if (typeof result !== 'object' || Array.isArray(result)) return 'all';
  if (!('batchItemFailures' in result)) return new Set();
  const failures = result.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null && 'itemIdentifier' in failure
        ? failure.itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '' || !known.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const { fn, trigger, queueUrl, sqs } = options;
  // One controller per call (a shared signal would collect a listener per request).
  const inFlight = new Set<AbortController>();
  const sleeping = new Set<() => void>();
  let stopped = false;
  const sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      const done = (): void => {
        clearTimeout(timer);
        sleeping.delete(done);
        wake();
      };
      const timer = setTimeout(done, ms);
      sleeping.add(done);
    });
  const batchSize = Math.max(1, trigger.batchSize);
  const windowMs = (trigger.maxBatchingWindowSeconds ?? 0) * 1000;
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  let busy = 0;

  const receive = async (max: number, wait: number): Promise<Message[]> => {
    const controller = new AbortController();
    inFlight.add(controller);
    try {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          WaitTimeSeconds: wait,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: controller.signal },
      );
      return Messages ?? [];
    } finally {
      inFlight.delete(controller);
    }
  };

  const settle = async (messages: readonly Message[]): Promise<void> => {
    const ids = messages.map((m) => m.MessageId ?? '');
    const event: SQSEvent = {
      Records: messages.map((m) => toSqsRecord(m, options.queueArn, options.region)),
    };
    let failed: Set<string> | 'all';
    let why = '';
    try {
      const result = await options.runner.invoke(fn, event);
      failed = failedRecords(result, ids);
      if (failed === 'all') why = 'its batchItemFailures response is malformed';
    } catch (error) {
      failed = 'all';
      why = `it threw ${error instanceof Error ? error.name : 'a value'}: ${oneLine(error)}`;
    }
    const failedSet = failed;
    const ok = messages.filter((m) => failedSet !== 'all' && !failedSet.has(m.MessageId ?? ''));
    const retry = messages.filter((m) => failedSet === 'all' || failedSet.has(m.MessageId ?? ''));

    for (const group of chunks(ok, 10)) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: group.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    if (retry.length === 0) return;
    for (const group of chunks(retry, 10)) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: group.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: options.retryDelaySeconds,
          })),
        }),
      );
    }
    const receives = retry.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? '1'));
    options.log(
      `${fn.name}: ${retry.length} of ${messages.length} message(s) failed${why ? ` (${why})` : ''}; ` +
        `retry in ${options.retryDelaySeconds} s (receive ${Math.max(...receives)} so far; the queue's ` +
        `RedrivePolicy dead-letters after its maxReceiveCount)`,
    );
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let messages: Message[];
      try {
        messages = await receive(batchSize, waitTimeSeconds);
      } catch (error) {
        if (stopped) return;
        options.log(`${fn.name}: ReceiveMessage failed (${oneLine(error)}); polling again in 1 s`);
        await sleep(1000);
        continue;
      }
      if (messages.length === 0) continue;
      busy += 1;
      try {
        // Lambda waits up to the batching window for a fuller batch.
        const until = Date.now() + windowMs;
        while (messages.length < batchSize && Date.now() < until && !stopped) {
          await sleep(Math.min(100, until - Date.now()));
          messages = messages.concat(await receive(batchSize - messages.length, 0));
        }
        await settle(messages);
      } catch (error) {
        if (!stopped) options.log(`${fn.name}: settling a batch failed: ${oneLine(error)}`);
      } finally {
        busy -= 1;
      }
    }
  };

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, () => loop());

  return {
    functionName: fn.name,
    queueUrl,
    busy: () => busy,
    stop: async () => {
      stopped = true;
      for (const controller of inFlight) controller.abort();
      for (const wake of sleeping) wake();
      await Promise.allSettled(loops);
    },
  };
}
