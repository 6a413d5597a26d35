import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue } from '#ports/index.ts';

/** One SQS client per process; `instrument` as for the DynamoDB client. */
export function createSqsClient(instrument: <T>(client: T) => T = (c) => c): SQSClient {
  return instrument(new SQSClient({}));
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
          Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
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
