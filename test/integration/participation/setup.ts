/** What the participation integration tests share: the local system, seeded, and a communicator. */
import { afterAll, beforeAll } from 'vitest';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { type ParticipationStores, participationStores } from '#test/support/participationStores.ts';

export interface ParticipationSystem {
  system: LocalSystem;
  stores: ParticipationStores;
  /** Headers of a MINTIC communicator. */
  communicator: Record<string, string>;
  api: (method: string, path: string, options?: Parameters<typeof call>[3]) => Promise<Reply>;
}

/** Starts the local system (no schedulers: the tests fire them) with the demo seed for this file. */
export function useParticipationSystem(): ParticipationSystem {
  const suite = {
    api: (method, path, options = {}) => call(suite.system.baseUrl, method, path, options),
  } as ParticipationSystem;
  beforeAll(async () => {
    suite.system = await useLocalSystem({ schedulers: false });
    await seed();
    suite.stores = participationStores(suite.system.ddb, suite.system.tableName);
    const token = await suite.system.issuer.issue({ entity: 'MINTIC', roles: ['communicator'] });
    suite.communicator = { authorization: `Bearer ${token}` };
  });
  afterAll(() => suite.system?.stop());
  return suite;
}
