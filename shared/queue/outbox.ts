/**
 * The transactional outbox's fast path (docs/adr/0019-one-outbox-pipe-and-a-relay.md): one pipe
 * (`Outbox`, infra/catalog.ts PIPES) passes the table stream records that ask for work elsewhere,
 * and the Relay sends each, as a small message, to the queue of its route:
 * - a case INSERT (written in the filing's transaction) asks to be routed: `{radicado}` on routing;
 * - the INSERT of an audit event of a notified type, or of a sweeper's alert, asks for a notice:
 *   `{radicado, sk}` on notifications (shared/domain/noticeTypes.ts).
 * Case updates, notice marks, counters and everything else pass by. The routes are data: the pipe's
 * filter is their patterns, so the pipe passes nothing the Relay would not send.
 */
import { NOTIFIED_ITEM_TYPES } from '../domain/noticeTypes.ts';
import type { MessageQueue } from '../ports/index.ts';
import {
  type EventPattern,
  type Json,
  type MessageTemplate,
  matchesPattern,
  renderMessage,
} from './eventPattern.ts';

export type OutboxQueue = 'routing' | 'notifications';

export interface OutboxRoute {
  readonly queue: OutboxQueue;
  readonly pattern: EventPattern;
  readonly message: MessageTemplate;
}

export const OUTBOX_ROUTES: readonly OutboxRoute[] = [
  {
    queue: 'routing',
    pattern: { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['CASE'] } } } },
    message: { radicado: '$.dynamodb.NewImage.radicado.S' },
  },
  {
    queue: 'notifications',
    pattern: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: NOTIFIED_ITEM_TYPES } } } },
    message: { radicado: '$.dynamodb.NewImage.radicado.S', sk: '$.dynamodb.NewImage.sk.S' },
  },
];

export interface Sorted {
  /** Message bodies (JSON objects) per queue, in stream order. */
  readonly messages: ReadonlyMap<OutboxQueue, Record<string, string>[]>;
  /** Records no route takes (the pipe's filter should have left them out). */
  readonly ignored: number;
  /** Records a route takes that lack a field of its message (a radicado, a key): not sent. */
  readonly incomplete: number;
}

/** The messages a batch of stream records makes, by queue; each record goes to its first route. */
export function sortRecords(records: readonly Json[], routes = OUTBOX_ROUTES): Sorted {
  const messages = new Map<OutboxQueue, Record<string, string>[]>();
  let ignored = 0;
  let incomplete = 0;
  for (const record of records) {
    const route = routes.find((r) => matchesPattern(r.pattern, record));
    if (route === undefined) {
      ignored++;
      continue;
    }
    const { body, missing } = renderMessage(route.message, record);
    if (missing.length > 0) {
      incomplete++;
      continue;
    }
    const list = messages.get(route.queue) ?? [];
    list.push(JSON.parse(body) as Record<string, string>);
    messages.set(route.queue, list);
  }
  return { messages, ignored, incomplete };
}

/**
 * Sends a batch's messages to their queues, the queues at once. Any refusal fails the whole batch
 * (the pipe retries it, then dead-letters pointers): what was already sent goes again, which the
 * consumers make harmless (routing a routed case, a notice already claimed, change nothing).
 */
export async function relay(
  queues: Readonly<Record<OutboxQueue, MessageQueue<Record<string, string>>>>,
  records: readonly Json[],
): Promise<Sorted> {
  const sorted = sortRecords(records);
  const sent = await Promise.allSettled(
    [...sorted.messages].map(([queue, messages]) => queues[queue].send(messages)),
  );
  const failed = sent.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0) throw failed[0]?.reason;
  return sorted;
}
