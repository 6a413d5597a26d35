/**
 * SQS in-process with fauxqs (1.9.x runs on Node 20; it keeps queues, visibility timeouts and
 * RedrivePolicy dead-lettering, but invokes nothing: poller.ts does that).
 * Why: docs/adr/0007-local-runtime-without-docker.md
 *
 * Two departures from a bare `startFauxqs({ port: 0 })`, both in this file only:
 * - `startFauxqs` always binds 0.0.0.0; we build the same app with `buildApp` and listen on
 *   127.0.0.1 so nothing is exposed beyond the machine.
 * - fauxqs names queues `http://sqs.<region>.localhost:<port>/<account>/<name>`. The SDK v3 sends
 *   each call to the QueueUrl's host (its `useQueueUrlAsEndpoint` default) even when
 *   AWS_ENDPOINT_URL_SQS is set, and `*.localhost` does not resolve everywhere (glibc without
 *   systemd-resolved answers ENOTFOUND). So the URLs handed out are `http://127.0.0.1:<port>/…`,
 *   the same origin as the endpoint, and translated back on the way in.
 * With a data dir, what the queues accept is kept on disk (queueJournal.ts, issue 16): each queue
 * fauxqs creates is wrapped so what it accepts, hands out, deletes and purges is journalled, and
 * gets back the messages a previous run left; a SendMessage(Batch) is answered once its messages
 * are on disk. fauxqs exports no store, so its store classes are imported from their files.
 */
import { join } from 'node:path';
import { buildApp } from 'fauxqs';
import { S3Store } from '../../node_modules/fauxqs/dist/s3/s3Store.js';
import { SnsStore } from '../../node_modules/fauxqs/dist/sns/snsStore.js';
import { type SqsQueue, SqsStore } from '../../node_modules/fauxqs/dist/sqs/sqsStore.js';
import { openQueueJournal, type QueueJournal } from './queueJournal.ts';

export interface LocalSqs {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const FAUXQS_HOST = /http:\/\/sqs\.[a-z0-9-]+\.localhost:(\d+)\//g;
const LOOPBACK_QUEUE_URL = /^http:\/\/127\.0\.0\.1:(\d+)\//;
const REGION_IN_AUTH = /Credential=\S+?\/\d{8}\/([^/]+)\//;

/**
 * A message a consumer had received when the last run died comes back this long after that
 * receive, as its visibility timeout would have it. AWS: 180 s, longer than the notice claim's
 * lease, so the redelivery takes a dead sender's claim over. Locally shorter, still longer than
 * the local lease (system.ts sets NOTICE_CLAIM_LEASE_SECONDS to 30): back within a minute.
 */
export const CRASH_VISIBILITY_SECONDS = 35;

/** Journals what `queue` accepts, hands out and deletes; first puts back what the journal holds for it. */
function keep(queue: SqsQueue, journal: QueueJournal): void {
  const enqueue = queue.enqueue.bind(queue);
  for (const { message, receivedAt } of journal.live(queue.name)) {
    const hiddenUntil = receivedAt === undefined ? 0 : receivedAt + CRASH_VISIBILITY_SECONDS * 1000;
    enqueue(
      hiddenUntil > Date.now()
        ? { ...message, delayUntil: Math.max(message.delayUntil ?? 0, hiddenUntil) }
        : message,
    );
  }
  queue.enqueue = (message) => {
    journal.added(queue.name, message);
    enqueue(message);
  };
  const dequeue = queue.dequeue.bind(queue);
  queue.dequeue = (...args) => {
    const messages = dequeue(...args);
    for (const m of messages) journal.received(queue.name, m.MessageId);
    return messages;
  };
  const deleteMessage = queue.deleteMessage.bind(queue);
  queue.deleteMessage = (receiptHandle) => {
    const entry = queue.inflightMessages.get(receiptHandle);
    const deleted = deleteMessage(receiptHandle);
    if (deleted && entry) journal.removed(queue.name, entry.message.messageId);
    return deleted;
  };
  const purge = queue.purge.bind(queue);
  queue.purge = () => {
    journal.purged(queue.name);
    purge();
  };
}

class KeptSqsStore extends SqsStore {
  constructor(private readonly journal: QueueJournal) {
    super();
  }
  override createQueue(...args: Parameters<SqsStore['createQueue']>): SqsQueue {
    const queue = super.createQueue(...args);
    keep(queue, this.journal);
    return queue;
  }
  override deleteQueue(url: string): boolean {
    const queue = this.getQueue(url);
    const deleted = super.deleteQueue(url);
    // As on AWS, a deleted queue's messages are gone.
    if (deleted && queue) this.journal.purged(queue.name);
    return deleted;
  }
}

const SENDS = new Set(['AmazonSQS.SendMessage', 'AmazonSQS.SendMessageBatch']);

export async function startLocalSqs(
  options: {
    port?: number;
    region?: string;
    /** Keep the queues' messages under `<dataDir>/queues` (default: in memory only). */
    dataDir?: string;
  } = {},
): Promise<LocalSqs> {
  const defaultRegion = options.region ?? 'us-east-1';
  const journal = options.dataDir ? await openQueueJournal(join(options.dataDir, 'queues')) : undefined;
  const app = buildApp({
    logger: false,
    defaultRegion,
    ...(journal
      ? { stores: { sqsStore: new KeptSqsStore(journal), snsStore: new SnsStore(), s3Store: new S3Store() } }
      : {}),
  });
  if (journal) {
    // Accepted means on disk: the 200 waits for the journal's next group write.
    app.addHook('onSend', async (request) => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string' && SENDS.has(target)) await journal.durable();
    });
  }

  app.addHook('preHandler', async (request) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || !('QueueUrl' in body)) return;
    const queueUrl = body.QueueUrl;
    if (typeof queueUrl !== 'string') return;
    const auth = request.headers.authorization;
    const region = (typeof auth === 'string' ? REGION_IN_AUTH.exec(auth)?.[1] : undefined) ?? defaultRegion;
    Object.assign(body, {
      QueueUrl: queueUrl.replace(
        LOOPBACK_QUEUE_URL,
        (_, port: string) => `http://sqs.${region}.localhost:${port}/`,
      ),
    });
  });

  app.addHook('onSend', async (_request, _reply, payload) => {
    return typeof payload === 'string' ? payload.replace(FAUXQS_HOST, 'http://127.0.0.1:$1/') : payload;
  });

  let address: string;
  try {
    address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  } catch (error) {
    await journal?.close();
    throw error;
  }
  const port = Number(new URL(address).port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await app.close();
      await journal?.close();
    },
  };
}
