/**
 * Vitest global setup: the emulators (DynamoDB Local + fauxqs) are started at most once per test
 * run, and only if a test file asks for them. Setup itself only opens a tiny loopback launcher
 * (milliseconds, so unit-only runs stay fast) and provides its URL; the first `useLocalSystem()`
 * POSTs to it, which starts the emulators (concurrent callers share that start); every later
 * call gets the same endpoints. Teardown stops them. Each test file then creates its own
 * uniquely named table and queues on these shared emulators (test/support/localEnv.ts).
 */
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';
import type { EmulatorEndpoints, Emulators } from '../../infra/local/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** POST `${url}/emulators` → EmulatorEndpoints as JSON (200), or `{ error }` (500). */
    urnaEmulatorLauncher: string;
  }
}

export type LauncherReply = { endpoints: EmulatorEndpoints } | { error: string };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let starting: Promise<Emulators> | undefined;
  const start = (): Promise<Emulators> => {
    starting ??= import('../../infra/local/emulators.ts').then((m) => m.startEmulators());
    return starting;
  };

  const server = createServer((req, res) => {
    const reply = (status: number, body: LauncherReply): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/emulators') {
      reply(404, { error: 'unknown launcher request' });
      return;
    }
    req.resume();
    start().then(
      (emulators) => reply(200, { endpoints: emulators.endpoints }),
      (error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  project.provide('urnaEmulatorLauncher', `http://127.0.0.1:${port}`);

  return async () => {
    server.close();
    server.closeAllConnections();
    const emulators = await starting?.catch(() => undefined);
    await emulators?.stop();
  };
}
