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
 */
import { buildApp } from 'fauxqs';

export interface LocalSqs {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const FAUXQS_HOST = /http:\/\/sqs\.[a-z0-9-]+\.localhost:(\d+)\//g;
const LOOPBACK_QUEUE_URL = /^http:\/\/127\.0\.0\.1:(\d+)\//;
const REGION_IN_AUTH = /Credential=\S+?\/\d{8}\/([^/]+)\//;

export async function startLocalSqs(options: { port?: number; region?: string } = {}): Promise<LocalSqs> {
  const defaultRegion = options.region ?? 'us-east-1';
  const app = buildApp({ logger: false, defaultRegion });

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

  const address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const port = Number(new URL(address).port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await app.close();
    },
  };
}
