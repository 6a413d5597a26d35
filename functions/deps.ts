/**
 * The composition root: real adapters, created once per process (cold start), lazily, so each
 * function pays only for what it uses.
 */

import { systemClock } from '#adapters/clock.ts';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { JoseReceiptSigner } from '#adapters/receipts/joseSigner.ts';
import { createSqsClient, SqsQueue } from '#adapters/sqs/queue.ts';
import type { RoutingMessage } from '#ports/index.ts';
import { receiptSigningKey, required } from '#shared/config.ts';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

const db = once(createDocumentClient);
const sqs = once(createSqsClient);

export const clock = systemClock;
export const cases = once(() => new DynamoCaseStore(db(), required('TABLE_NAME')));
export const entities = once(() => new DynamoEntityStore(db(), required('TABLE_NAME')));
export const routingQueue = once(() => new SqsQueue<RoutingMessage>(sqs(), required('ROUTING_QUEUE_URL')));
export const sqsClient = sqs;
export const signer = once(async () => JoseReceiptSigner.fromJwk(await receiptSigningKey()));
