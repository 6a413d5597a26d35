import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue } from '#ports/index.ts';

/** One SQS client per process; `instrument` as for the DynamoDB client. */
export function createSqsClient(instrument: <T>(client: T) => T = (c) => c): SQSClient {
  return instrument(new SQSClient({}));
}

/**
 * A JSON message body every SQS accepts: UTF-16 surrogates (characters beyond the Basic
 * Multilingual Plane, as emoji) and U+FFFE/U+FFFF are written as `\uXXXX` escapes. Real SQS takes
 * the first as they are, but not the noncharacters, and emulators (fauxqs) refuse both; the JSON
 * parses back to the same value, at most 12 bytes per such character (queues take 1 MiB).
 */
export function messageBody(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\uD800-\uDFFF\uFFFE\uFFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Sends JSON messages in batches of ten; any entry SQS refuses makes the call fail (nothing is dropped). */
export class SqsQueue<T> implements MessageQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
  ) {}

  async send(messages: readonly T[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.url,
          Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: messageBody(m) })),
        }),
      );
      if (out.Failed && out.Failed.length > 0) {
        throw new Error(
          `SQS refused ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Code).join(', ')}`,
        );
      }
    }
  }
}
