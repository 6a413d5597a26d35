/**
 * The citizen side of cases in the single table:
 *  - a citizen's case .. pk=CITIZEN#<citizen hash>   sk=CASE#<receivedAt>#<radicado>  (newest first by sk;
 *                        keyVersion: the pseudonym key version of the hash)
 *  - a case's rating mark pk=CASE#<radicado>           sk=RATED
 *  - a rating .......... pk=RATINGS#<entity>#<YYYY-MM> sk=<random id>  (no radicado: unlinkable)
 * The citizen hash is a pseudonym (the Pseudonyms port, keyed in KMS): the table names nobody.
 * After a key rotation a list spans the citizen's partitions under every version, merged.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { type Rating, ratingContributions } from '#domain/satisfaction.ts';
import type { CitizenCaseLink, CitizenCases, RatingRetry, Ratings } from '#ports/citizens.ts';
import type { Page } from '#ports/index.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import { ISO_INSTANT, type KeyShapes, keys } from './keys.ts';
import { reportUpdates } from './reportCounters.ts';
import { putNew, Table } from './table.ts';

const RADICADO = RADICADO_PATTERN.source.replace(/^\^|\$$/g, '');

/** A case in a citizen's list: its key from the citizen and the case, and what a cursor on it looks like. */
export const citizenCaseItem = {
  keys: (citizen: string, c: { radicado: string; receivedAt: string }) => ({
    pk: keys.citizenCases(citizen),
    sk: `CASE#${c.receivedAt}#${c.radicado}`,
  }),
  shapes: {
    patterns: {
      pk: /^CITIZEN#[0-9a-f]{64}$/,
      sk: new RegExp(`^CASE#${ISO_INSTANT}#${RADICADO}$`),
    },
  } satisfies KeyShapes,
};

/** The item of a case in a citizen's list (written by the filing's transaction too). */
export const citizenCaseLinkItem = (citizen: Pseudonym, link: CitizenCaseLink) => ({
  ...citizenCaseItem.keys(citizen.hash, link),
  ...link,
  keyVersion: citizen.keyVersion,
});

export class DynamoCitizenStore implements CitizenCases, Ratings {
  private readonly table: Table;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.table = new Table(db, table);
  }

  async link(citizen: Pseudonym, link: CitizenCaseLink): Promise<CitizenCaseLink> {
    if (await this.table.putIf(citizenCaseLinkItem(citizen, link))) return link;
    const stored = await this.table.get(citizenCaseItem.keys(citizen.hash, link), { consistent: true });
    return { ...link, linkedAt: String(stored?.linkedAt ?? link.linkedAt) };
  }

  async isLinked(citizen: readonly string[], c: { radicado: string; receivedAt: string }): Promise<boolean> {
    if (citizen.length === 1)
      return (await this.table.get(citizenCaseItem.keys(citizen[0]!, c))) !== undefined;
    const found = await this.table.batchGet(
      citizen.map((h) => citizenCaseItem.keys(h, c)),
      { attributes: ['pk'] },
    );
    return found.length > 0;
  }

  async list(
    citizen: readonly string[],
    page: { limit: number; cursor?: string },
  ): Promise<Page<CitizenCaseLink>> {
    const partitions = citizen.map(keys.citizenCases);
    const q = { descending: true, limit: page.limit };
    const found =
      partitions.length === 1
        ? await this.table.page({ ...q, partition: partitions[0]! }, citizenCaseItem.shapes, page.cursor)
        : await this.table.pageAcross(q, partitions, citizenCaseItem.shapes, page.cursor);
    // A case linked under two versions is in two partitions with one sort key: listed once.
    const seen = new Set<string>();
    const items = found.items.filter((i) => !seen.has(String(i.sk)) && seen.add(String(i.sk)));
    return {
      items: items.map((i) => ({
        radicado: String(i.radicado),
        entityId: String(i.entityId),
        receivedAt: String(i.receivedAt),
        linkedAt: String(i.linkedAt),
      })),
      ...(found.cursor !== undefined ? { cursor: found.cursor } : {}),
    };
  }

  async rate(
    radicado: string,
    rating: Rating,
    at: string,
    retry?: RatingRetry,
  ): Promise<'rated' | 'already' | 'replayed' | 'key_conflict'> {
    const mark = { pk: keys.case(radicado).pk, sk: 'RATED' };
    try {
      await this.table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table.name, { ...mark, at, ...(retry ? { retry } : {}) }),
            {
              Put: {
                TableName: this.table.name,
                Item: { pk: keys.ratings(rating.entityId, rating.month), sk: randomUUID(), ...rating },
              },
            },
            // Counted in the PQRSD report as it is written: once, with the case's one rating.
            ...reportUpdates(this.table.name, rating.entityId, radicado, [ratingContributions(rating)]),
          ],
        }),
      );
      return 'rated';
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        if (!retry) return 'already';
        const first = (await this.table.get(mark, { consistent: true }))?.retry as RatingRetry | undefined;
        if (first?.key !== retry.key) return 'already';
        return first.request === retry.request ? 'replayed' : 'key_conflict';
      }
      throw error;
    }
  }
}
