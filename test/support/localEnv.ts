/**
 * The local system for an integration test file:
 *
 *   let system: LocalSystem;
 *   beforeAll(async () => { system = await useLocalSystem({ schedulers: false }); });
 *   afterAll(() => system?.stop());
 *
 * It is `startLocalSystem` (infra/local/system.ts) on the emulators the run shares (started once
 * by test/support/globalSetup.ts), with a table and queues of its own (unique names, deleted on
 * stop) so test files can run in parallel, the HTTP server on a free port, process.env set for the
 * in-process handlers, handler logs at WARN (set LOG_LEVEL to see more), and failed SQS records
 * retried after 1 s. Any option can be overridden. One system per test file (process.env is
 * per process).
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { EmulatorEndpoints } from '../../infra/local/emulators.ts';
import { startEmulators } from '../../infra/local/emulators.ts';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../infra/local/system.ts';
import type { LauncherReply } from './globalSetup.ts';

export type { LocalSystem } from '../../infra/local/system.ts';

export type UseLocalSystemOptions = Omit<LocalSystemOptions, 'emulators' | 'namespace' | 'dataDir'>;

async function sharedEmulators(): Promise<EmulatorEndpoints | undefined> {
  const launcher = inject('urnaEmulatorLauncher');
  if (!launcher) return undefined;
  const res = await fetch(`${launcher}/emulators`, { method: 'POST' });
  const reply = (await res.json()) as LauncherReply;
  if ('error' in reply) throw new Error(reply.error);
  return reply.endpoints;
}

export async function useLocalSystem(options: UseLocalSystemOptions = {}): Promise<LocalSystem> {
  const namespace = `t${randomBytes(4).toString('hex')}`;
  const defaults: LocalSystemOptions = {
    port: 0,
    logLevel: process.env.LOG_LEVEL ?? 'WARN',
    retryDelaySeconds: 1,
    deleteResourcesOnStop: true,
  };
  const shared = await sharedEmulators();
  if (shared) return startLocalSystem({ ...defaults, ...options, namespace, emulators: shared });

  // Outside this project's vitest config (no global setup): emulators of this file's own.
  const own = await startEmulators();
  try {
    const system = await startLocalSystem({ ...defaults, ...options, namespace, emulators: own.endpoints });
    return {
      ...system,
      stop: async () => {
        await system.stop();
        await own.stop();
      },
    };
  } catch (error) {
    await own.stop();
    throw error;
  }
}
