import { describe, expect, it } from 'vitest';
import {
  noticeRecords,
  petitionerReach,
  reachesPrivately,
  smsNumber,
  smsSize,
  toGsm7,
  trackingLink,
} from '#domain/channels.ts';

describe('the number an SMS can be sent to', () => {
  it('turns a Colombian mobile into E.164, however it was written', () => {
    for (const phone of [
      '3001234567',
      '300 123 4567',
      '300-123-4567',
      '(300) 123 4567',
      '573001234567',
      '+57 300 123 4567',
      '+573001234567',
      ' +57 (300) 123-4567 ',
    ]) {
      expect(smsNumber(phone), phone).toBe('+573001234567');
    }
  });

  it('keeps another country E.164 number as given', () => {
    expect(smsNumber('+1 202 555 0100')).toBe('+12025550100');
    expect(smsNumber('+34 612 345 678')).toBe('+34612345678');
  });

  it('refuses what cannot take an SMS: landlines, short or unprefixed numbers, junk', () => {
    for (const phone of [
      '6012345678', // Bogotá landline (60 + area + 7 digits)
      '+57 601 234 5678',
      '2345678', // a 7-digit landline
      '+57 300 123 456', // one digit short
      '+57 3001 234 5678', // one digit long
      '4001234567', // 10 digits that are no Colombian mobile, no country code
      '+0123456789', // E.164 has no leading 0
      '+1234567', // too short for E.164 here
      '+1234567890123456', // 16 digits
      '300 123 456x',
      '',
      undefined,
    ]) {
      expect(smsNumber(phone), String(phone)).toBeUndefined();
    }
  });
});

describe('how a petitioner is reached', () => {
  const petitioner = { name: 'Ana', idType: 'CC', idNumber: '1' };

  it('by email first, then by SMS, then by publication', () => {
    expect(
      petitionerReach({
        anonymous: false,
        petitioner: { ...petitioner, email: 'a@b.co', phone: '3001234567' },
      }),
    ).toEqual({ channel: 'email', email: 'a@b.co' });
    expect(
      petitionerReach({ anonymous: false, petitioner: { ...petitioner, phone: '300 123 4567' } }),
    ).toEqual({
      channel: 'sms',
      phone: '+573001234567',
    });
    expect(
      petitionerReach({ anonymous: false, petitioner: { ...petitioner, phone: '601 234 5678' } }),
    ).toEqual({
      channel: 'publication',
      reason: 'no_contact',
    });
    expect(petitionerReach({ anonymous: false, petitioner: { ...petitioner, email: undefined } })).toEqual({
      channel: 'publication',
      reason: 'no_contact',
    });
    expect(petitionerReach({ anonymous: true })).toEqual({ channel: 'publication', reason: 'anonymous' });
    expect(petitionerReach({})).toEqual({ channel: 'publication', reason: 'anonymous' });
  });

  it('by publication when no SMS sender is configured', () => {
    const phoneOnly = { anonymous: false, petitioner: { ...petitioner, phone: '3001234567' } };
    expect(petitionerReach(phoneOnly, { sms: false })).toEqual({
      channel: 'publication',
      reason: 'sms_unavailable',
    });
    expect(reachesPrivately(phoneOnly)).toBe(true);
    expect(reachesPrivately({ anonymous: true })).toBe(false);
  });

  it('passes over the channels a notice already failed on, then publishes it as undeliverable (CPACA art. 69)', () => {
    const both = { anonymous: false, petitioner: { ...petitioner, email: 'a@b.co', phone: '3001234567' } };
    expect(petitionerReach(both, { failed: ['email'] })).toEqual({ channel: 'sms', phone: '+573001234567' });
    expect(petitionerReach(both, { failed: ['sms'] })).toEqual({ channel: 'email', email: 'a@b.co' });
    expect(petitionerReach(both, { failed: ['email', 'sms'] })).toEqual({
      channel: 'publication',
      reason: 'undeliverable',
    });
    expect(petitionerReach(both, { failed: ['email'], sms: false })).toEqual({
      channel: 'publication',
      reason: 'undeliverable',
    });
    // Nothing failed: the reasons stay what they were.
    expect(petitionerReach(both, { failed: [] })).toEqual({ channel: 'email', email: 'a@b.co' });
    expect(petitionerReach({ anonymous: true }, { failed: ['email'] })).toEqual({
      channel: 'publication',
      reason: 'anonymous',
    });
  });
});

describe('notice records: the day the petitioner counts as told', () => {
  const sent = { state: 'sent', kind: 'answered', at: '2026-03-04T04:50:00.000Z', channel: 'email' as const };
  it('is the Bogota day it was delivered, or the day it was sent while no delivery is reported', () => {
    // Sent 3 March 23:50 in Bogota; delivered 4 March 00:20.
    expect(noticeRecords([{ seq: 5, mark: sent }])[0]).toMatchObject({ notifiedOn: '2026-03-03' });
    const delivered = { ...sent, deliveredAt: '2026-03-04T05:20:00.000Z' };
    expect(noticeRecords([{ seq: 5, mark: delivered }])[0]).toEqual({
      kind: 'answered',
      seq: 5,
      channel: 'email',
      sentAt: sent.at,
      deliveredAt: delivered.deliveredAt,
      notifiedOn: '2026-03-04',
    });
  });

  it('are the petitioner’s only: the office’s notices of the petitioner’s own acts are not listed', () => {
    const staff = ['petitioner_replied', 'petitioner_insisted', 'petitioner_withdrew'].map((kind, i) => ({
      seq: 6 + i,
      mark: { ...sent, kind },
    }));
    const records = noticeRecords([
      { seq: 5, mark: sent },
      ...staff,
      { seq: 9, mark: { ...sent, kind: 'withdrawn' } },
    ]);
    expect(records.map((r) => r.kind)).toEqual(['answered', 'withdrawn']);
  });

  it('shows the channels that failed before, with no address or number', () => {
    const failures = [{ channel: 'email' as const, at: '2026-03-03T20:00:00.000Z' }];
    const published = { ...sent, channel: 'publication' as const, failures };
    expect(noticeRecords([{ seq: 5, mark: published }])[0]).toMatchObject({
      channel: 'publication',
      failures,
    });
  });
});

describe('SMS text', () => {
  it('is made GSM-7: accents GSM lacks are dropped, ñ and é stay, typography made plain', () => {
    expect(toGsm7('Petición ÁÍÓÚ áíóú ñÑ é ü ¿? ¡!')).toBe('Peticion AIOU aiou ñÑ é ü ¿? ¡!');
    expect(toGsm7('“radicado” — ya… ')).toBe('"radicado" - ya... ');
    expect(toGsm7('ç→😀')).toBe('c??');
    expect(smsSize(toGsm7('Información sobre la zona wifi — vereda El Carmen')).encoding).toBe('gsm7');
  });

  it('is measured as carriers count it: 160 septets a part, 153 when split; UCS-2 70/67', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, parts: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, parts: 2 });
    expect(smsSize(`${'a'.repeat(158)}€`)).toEqual({ encoding: 'gsm7', units: 160, parts: 1 });
    expect(smsSize('á'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(smsSize('á'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, parts: 2 });
  });

  it('links the tracking view from the configured template, the radicado encoded', () => {
    expect(trackingLink('https://pqrsd.gov.co/s?radicado={radicado}', 'MINTIC-2026-000042')).toBe(
      'https://pqrsd.gov.co/s?radicado=MINTIC-2026-000042',
    );
    expect(trackingLink('http://127.0.0.1:3000/v1/cases/{radicado}', 'A B')).toBe(
      'http://127.0.0.1:3000/v1/cases/A%20B',
    );
  });
});
