/**
 * Radicados across containers: several processes (here, several stores, each with its own
 * in-process queue and counter cache) filing on one entity at once still get a gap-free,
 * duplicate-free sequence; past the deadline the store says "busy" rather than hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { formatRadicado } from '#domain/case/radicado.ts';
import { RadicadoBusyError } from '#ports/index.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;

beforeAll(async () => {
  system = await useLocalSystem({ pollers: false, schedulers: false });
});
afterAll(() => system?.stop());

function newCase(entityId: string, seq: number) {
  const radicado = formatRadicado(entityId, 2026, seq);
  const event = chainEvent(undefined, {
    radicado,
    type: 'filed',
    at: '2026-11-23T15:00:00.000Z',
    actor: { kind: 'citizen' },
    data: {},
  });
  const record = {
    radicado,
    entityId,
    status: 'received',
    receivedAt: '2026-11-23T15:00:00.000Z',
    version: 1,
  } as unknown as CaseRecord;
  return { record, event, response: { radicado } };
}

describe('radicado allocation across containers', () => {
  it('10 containers × 20 concurrent filings on one entity: 1..200, none skipped, none repeated', async () => {
    const stores = Array.from({ length: 10 }, () => new DynamoCaseStore(system.ddb, system.tableName));
    const filed = await Promise.all(
      stores.flatMap((store) =>
        Array.from({ length: 20 }, () =>
          store.fileCase({
            entityId: 'CONTENDED',
            year: 2026,
            now: Date.now(),
            deadline: Date.now() + 60_000,
            build: async (seq) => newCase('CONTENDED', seq),
          }),
        ),
      ),
    );
    const seqs = filed
      .map((f) => (f.kind === 'created' ? Number(f.record.radicado.split('-')[2]) : -1))
      .sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('answers busy, having written nothing, when the deadline has passed', async () => {
    const store = new DynamoCaseStore(system.ddb, system.tableName);
    await expect(
      store.fileCase({
        entityId: 'LATE',
        year: 2026,
        now: Date.now(),
        deadline: Date.now() - 1,
        build: async (seq) => newCase('LATE', seq),
      }),
    ).rejects.toBeInstanceOf(RadicadoBusyError);
    expect(await store.get(formatRadicado('LATE', 2026, 1))).toBeUndefined();
  });
});
