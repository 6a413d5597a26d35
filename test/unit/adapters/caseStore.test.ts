/**
 * The filing's time budget in DynamoCaseStore: `now` and `deadline` come from the caller's Clock,
 * which need not be the system's (a test's settable clock, a replay), so the store measures the
 * time it spends itself and stops after `deadline - now` of it, whatever the clock says.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { formatRadicado } from '#domain/case/radicado.ts';
import { type FileCaseInput, RadicadoBusyError } from '#ports/index.ts';

const YEAR_MS = 365 * 86_400_000;

/**
 * A client whose filing transactions `contended` cancels (another filing took the number), and
 * which otherwise commits; the counter reads as never used.
 */
function client(contended: boolean) {
  const sent: string[] = [];
  const db = {
    send: async (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      if (command.constructor.name !== 'TransactWriteCommand') return {};
      if (!contended) return {};
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      });
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

function filing(now: number, budgetMs: number): FileCaseInput<{ radicado: string }> {
  return {
    entityId: 'MINTIC',
    year: 2026,
    now,
    deadline: now + budgetMs,
    build: async (seq) => {
      const radicado = formatRadicado('MINTIC', 2026, seq);
      const at = new Date(now).toISOString();
      return {
        record: { radicado, entityId: 'MINTIC', receivedAt: at, version: 1 } as unknown as CaseRecord,
        event: chainEvent(undefined, { radicado, type: 'filed', at, actor: { kind: 'citizen' }, data: {} }),
        respond: async () => ({ radicado }),
      };
    },
  };
}

describe('DynamoCaseStore.fileCase: the time budget', () => {
  it('files under a clock a year behind the system’s (not "busy" at once)', async () => {
    const { db } = client(false);
    const store = new DynamoCaseStore(db, 'urna');

    const outcome = await store.fileCase(filing(Date.now() - YEAR_MS, 6000));

    expect(outcome).toMatchObject({ kind: 'created', response: { radicado: 'MINTIC-2026-000001' } });
  });

  it('stops contending after its budget under a clock a year ahead (not never)', {
    timeout: 5000,
  }, async () => {
    const { db, sent } = client(true);
    const store = new DynamoCaseStore(db, 'urna');
    const started = performance.now();

    const outcome = store.fileCase(filing(Date.now() + YEAR_MS, 300));

    await expect(outcome).rejects.toBeInstanceOf(RadicadoBusyError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sent.filter((name) => name === 'TransactWriteCommand').length).toBeGreaterThan(1);
  });

  it('makes no attempt with no budget left', async () => {
    const { db, sent } = client(false);
    const store = new DynamoCaseStore(db, 'urna');

    await expect(store.fileCase(filing(Date.now(), 0))).rejects.toBeInstanceOf(RadicadoBusyError);
    expect(sent).toEqual([]);
  });
});
