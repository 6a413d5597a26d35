/**
 * The open-data register (register.ts): one row per case, its dates and figures, never a free
 * text nor anything of the petitioner; as CSV with its data dictionary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '#domain/case/case.ts';
import {
  REGISTER_DICTIONARY,
  type RegisterRow,
  registerCsvHeader,
  registerCsvRows,
  registerDictionaryCsv,
  registerEntry,
  registerRow,
  sameEntry,
} from '#domain/transparency/register.ts';
import { petitioner } from '../app/world.ts';
import { seededHistory } from './scenario.ts';

let cases: Awaited<ReturnType<typeof seededHistory>>['cases'];
let stored: (c: CaseRecord) => CaseRecord;
beforeAll(async () => {
  const h = await seededHistory();
  cases = h.cases;
  const all = new Map(h.w.cases.all().map((c) => [c.radicado, c]));
  stored = (c) => all.get(c.radicado)!;
});

describe('registerRow', () => {
  it('gives a case’s dates, business days and outcome', () => {
    expect(registerRow(stored(cases.extended), '2026-02-25')).toEqual({
      radicado: 'MINTIC-2026-000002',
      entity: 'MINTIC',
      kind: 'petition',
      channel: 'email',
      termClass: 'general',
      received: '2026-01-13',
      due: '2026-02-24',
      answered: '2026-02-25',
      notified: '2026-02-25',
      businessDaysUsed: 31,
      extended: true,
      forwardedTo: null,
      outcome: 'granted',
      denialGround: null,
    } satisfies RegisterRow);
    expect(registerRow(stored(cases.denied))).toMatchObject({
      outcome: 'partially_granted',
      denialGround: '18-c',
      businessDaysUsed: 1,
      notified: null,
    });
    expect(registerRow(stored(cases.forwarded))).toMatchObject({
      outcome: 'forwarded',
      forwardedTo: 'SUPERSALUD',
      answered: null,
      businessDaysUsed: null,
    });
    expect(registerRow(stored(cases.tacit))).toMatchObject({ outcome: 'withdrawn_tacit', due: null });
    expect(registerRow(stored(cases.express)).outcome).toBe('withdrawn_express');
    expect(registerRow(stored(cases.deemed)).outcome).toBe('pending');
  });

  it('never carries free text or the petitioner’s data', () => {
    const everything = Object.values(cases).map((c) => stored(c));
    const csv = registerCsvRows(everything.map((c) => registerRow(c, '2026-02-25')));
    const secrets = [
      petitioner.name,
      petitioner.idNumber,
      petitioner.email,
      petitioner.phone,
      'Solicito información',
      'Respuesta de fondo',
      'Secreto comercial',
      'Los precios',
      'Motivo',
      'Su dirección',
      'victim',
    ];
    for (const s of secrets) expect(csv).not.toContain(s);
    expect(Object.keys(registerRow(everything[0]!))).toEqual(REGISTER_DICTIONARY.map((d) => d.column));
  });
});

describe('register CSV', () => {
  it('writes the header, the rows (booleans as true/false, nothing as empty) and the dictionary', () => {
    expect(registerCsvHeader()).toBe(
      'radicado,entity,kind,channel,termClass,received,due,answered,notified,businessDaysUsed,extended,forwardedTo,outcome,denialGround\r\n',
    );
    expect(registerCsvRows([registerRow(stored(cases.forwarded))])).toBe(
      'MINTIC-2026-000005,MINTIC,complaint,web,general,2026-01-13,2026-02-03,,,,false,SUPERSALUD,forwarded,\r\n',
    );
    const dictionary = registerDictionaryCsv().split('\r\n');
    expect(dictionary[0]).toBe('column,type,description');
    expect(dictionary).toHaveLength(REGISTER_DICTIONARY.length + 2);
  });
});

describe('registerEntry', () => {
  it('keeps office, officer and lateness apart from the public row, and compares by content', () => {
    const entry = registerEntry(stored(cases.extended));
    expect(entry).toMatchObject({ office: expect.any(String), officer: 'officer-1', answeredLate: true });
    expect(Object.keys(entry.row)).toEqual(REGISTER_DICTIONARY.map((d) => d.column));
    // As DynamoDB may hand a map back: the same entry with its keys in another order.
    const reordered = {
      ...entry,
      row: Object.fromEntries(Object.entries(entry.row).reverse()) as typeof entry.row,
    };
    expect(sameEntry(entry, reordered)).toBe(true);
    expect(sameEntry(entry, { ...entry, officer: 'officer-2' })).toBe(false);
    expect(sameEntry(entry, { ...entry, row: { ...entry.row, due: '2026-03-01' } })).toBe(false);
    expect(sameEntry(entry, undefined)).toBe(false);
  });
});
