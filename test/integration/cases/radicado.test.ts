/**
 * Radicados across containers: several processes (here, several stores, each with its own
 * in-process queue and counter cache) filing on one entity at once still get a gap-free,
 * duplicate-free sequence; past the deadline the store says "busy" rather than hang.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
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
  return { record, event, respond: async () => ({ radicado }) };
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

describe('the filing answer (the signed receipt)', () => {
  it('is made while the write is in flight, and before it when it is stored with an idempotency claim', async () => {
    const log: string[] = [];
    const db = createDocumentClient(<T>(client: T): T => {
      (client as unknown as DynamoDBClient).middlewareStack.add(
        (next, context) => async (args) => {
          const writing = context.commandName === 'TransactWriteItemsCommand';
          if (writing) log.push('request sent');
          const out = await next(args);
          if (writing) log.push('write committed');
          return out;
        },
        { step: 'finalizeRequest', priority: 'low', name: 'orderProbe' },
      );
      return client;
    });
    const store = new DynamoCaseStore(db, system.tableName);
    const file = (idempotency?: { scope: string; key: string; requestHash: string }) =>
      store.fileCase({
        entityId: 'OVERLAP',
        year: 2026,
        now: Date.now(),
        deadline: Date.now() + 60_000,
        ...(idempotency ? { idempotency } : {}),
        build: async (seq) => ({
          ...newCase('OVERLAP', seq),
          respond: async () => {
            log.push('answer made');
            return { seq };
          },
        }),
      });

    const plain = await file();
    expect(log).toEqual(['request sent', 'answer made', 'write committed']);
    expect(plain).toMatchObject({ kind: 'created', response: { seq: 1 } });

    log.length = 0;
    const claimed = await file({ scope: 'http', key: 'k-overlap', requestHash: 'h' });
    expect(log).toEqual(['answer made', 'request sent', 'write committed']);
    expect(claimed).toMatchObject({ kind: 'created', response: { seq: 2 } });
    // The stored answer is the one given: a replay of the key answers it again.
    expect(await file({ scope: 'http', key: 'k-overlap', requestHash: 'h' })).toEqual({
      kind: 'replayed',
      response: { seq: 2 },
    });
  });
});
