import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  keys,
  ROUTING_OUTBOX_SHARDS,
  routingShard,
} from '#adapters/dynamodb/keys.ts';
import { InvalidCursorError } from '#ports/index.ts';

const INBOX = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const radicado = 'MINTIC-2026-000042';
const good = {
  ...keys.case(radicado),
  gsi1pk: keys.inbox('MINTIC', 'conectividad'),
  gsi1sk: keys.inboxSort(true, '2026-03-18', radicado),
};
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('decodeCursor', () => {
  it('gives back the key of a cursor this API made', () => {
    expect(decodeCursor(encodeCursor(good), INBOX)).toEqual(good);
    const normal = { ...good, gsi1sk: keys.inboxSort(false, '2026-03-18', radicado) };
    expect(decodeCursor(encodeCursor(normal), INBOX)).toEqual(normal);
    expect(decodeCursor(undefined, INBOX)).toBeUndefined();
  });

  it('refuses the crafted cursor of empty strings that DynamoDB would answer with a 500', () => {
    const crafted = { pk: '', sk: '', gsi1pk: 'INBOX#MINTIC#conectividad', gsi1sk: '' };
    expect(() => decodeCursor(cursorOf(crafted), INBOX)).toThrow(InvalidCursorError);
  });

  it.each([
    ['an empty pk', { ...good, pk: '' }],
    ['an empty gsi1pk', { ...good, gsi1pk: '' }],
    ['a pk that is not a case', { ...good, pk: 'ENTITY#MINTIC' }],
    ['a pk without a radicado', { ...good, pk: 'CASE#' }],
    ['a pk with a malformed radicado', { ...good, pk: 'CASE#mintic-2026-1' }],
    ['an sk other than CASE', { ...good, sk: 'EVENT#000001' }],
    ['an inbox key of another shape', { ...good, gsi1pk: 'OUTBOX#ROUTING' }],
    ['a priority other than P0/P1', { ...good, gsi1sk: `P2#2026-03-18#${radicado}` }],
    ['a due date that is not a day', { ...good, gsi1sk: `P0#18/03/2026#${radicado}` }],
    ['a position without a radicado', { ...good, gsi1sk: 'P0#2026-03-18#' }],
    ['a position of another case', { ...good, gsi1sk: 'P0#2026-03-18#MINTIC-2026-000043' }],
    ['a number instead of a string', { ...good, sk: 1 }],
    ['a missing attribute', { pk: good.pk, sk: good.sk, gsi1pk: good.gsi1pk }],
    ['an extra attribute', { ...good, gsi2pk: 'OUTBOX#ROUTING' }],
  ])('refuses %s', (_what, value) => {
    expect(() => decodeCursor(cursorOf(value), INBOX)).toThrow(InvalidCursorError);
  });

  it.each([
    ['not base64url JSON', '%%%'],
    ['JSON null', cursorOf(null)],
    ['a JSON array', cursorOf([good.pk, good.sk, good.gsi1pk, good.gsi1sk])],
    ['a JSON string', cursorOf('CASE')],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeCursor(cursor, INBOX)).toThrow(InvalidCursorError);
  });

  it('names nothing of the cursor in its error', () => {
    const crafted = cursorOf({ ...good, pk: 'CASE#<script>' });
    expect(() => decodeCursor(crafted, INBOX)).toThrow(/^cursor is not one this API gave$/);
  });
});

describe('the routing outbox', () => {
  it('spreads received cases over its shards, one key each, never one key for the country', () => {
    const shards = new Set<string>();
    for (let seq = 1; seq <= 2000; seq++) {
      const r = `MINTIC-2026-${String(seq).padStart(6, '0')}`;
      const key = keys.routingOutbox(routingShard(r));
      expect(key).toMatch(/^OUTBOX#ROUTING#\d{1,2}$/);
      expect(routingShard(r)).toBe(routingShard(r));
      shards.add(key);
    }
    expect(shards.size).toBe(ROUTING_OUTBOX_SHARDS);
  });
});
