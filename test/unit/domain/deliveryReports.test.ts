/**
 * The providers' delivery reports (domain/deliveryReports.ts): SES events and End User Messaging
 * SMS events, inside an EventBridge event or bare, read into one report about a petitioner's
 * notice; anything else is no report.
 */
import { describe, expect, it } from 'vitest';
import { deliveryReport, deliveryTags } from '#domain/deliveryReports.ts';

const R = 'MINTIC-2026-000042';

/** An SES event as SES publishes it to EventBridge (abridged to the fields read, plus personal data). */
function ses(eventType: string, extra: Record<string, unknown>, tags: Record<string, string[]> = {}) {
  return {
    version: '0',
    source: 'aws.ses',
    'detail-type': `Email ${eventType}`,
    time: '2026-03-04T05:00:00Z',
    detail: {
      eventType,
      mail: {
        timestamp: '2026-03-04T04:59:58.000Z',
        messageId: '0100018e-ses-id',
        destination: ['ana.perez@example.com'],
        tags: {
          'ses:configuration-set': ['urna-notices'],
          notice: ['answered'],
          radicado: [R],
          event: ['7'],
          ...tags,
        },
      },
      ...extra,
    },
  };
}

/** An SMS event as End User Messaging writes it. */
function sms(eventType: string, extra: Record<string, unknown> = {}) {
  return {
    eventType,
    eventVersion: '1.0',
    eventTimestamp: 1772600400000, // 2026-03-04T05:00:00Z
    isFinal: true,
    destinationPhoneNumber: '+573001234567',
    messageBody: 'Su petición fue respondida',
    messageId: 'sms-id-1',
    context: { notice: 'answered', ...deliveryTags(R, 7) },
    ...extra,
  };
}

describe('SES email events', () => {
  it('reads a delivery at the time the mail server took it', () => {
    expect(deliveryReport(ses('Delivery', { delivery: { timestamp: '2026-03-04T05:00:01.500Z' } }))).toEqual({
      radicado: R,
      seq: 7,
      channel: 'email',
      outcome: 'delivered',
      at: '2026-03-04T05:00:01.500Z',
      messageId: '0100018e-ses-id',
    });
  });

  it('reads a bounce, hard or soft (SES reports a soft one once it stopped retrying), and a reject as failed', () => {
    for (const bounceType of ['Permanent', 'Transient', 'Undetermined']) {
      const event = ses('Bounce', { bounce: { bounceType, timestamp: '2026-03-04T05:00:02.000Z' } });
      expect(deliveryReport(event)).toMatchObject({ outcome: 'failed', at: '2026-03-04T05:00:02.000Z' });
    }
    expect(deliveryReport(ses('Reject', { reject: { reason: 'Bad content' } }))).toMatchObject({
      outcome: 'failed',
      at: '2026-03-04T05:00:00.000Z',
    });
  });

  it('reads the same event bare, as an SNS raw delivery would give it', () => {
    const bare = ses('Delivery', { delivery: { timestamp: '2026-03-04T05:00:01.000Z' } }).detail;
    expect(deliveryReport(bare)).toMatchObject({ outcome: 'delivered', at: '2026-03-04T05:00:01.000Z' });
  });

  it('tells no outcome for sends, opens, complaints (it was delivered) or delays', () => {
    for (const type of ['Send', 'Open', 'Complaint', 'DeliveryDelay', 'Click']) {
      expect(deliveryReport(ses(type, {}))).toBeUndefined();
    }
  });

  it("is no report for a mail that is no petitioner's notice, or whose tags are not ours", () => {
    const delivered = { delivery: { timestamp: '2026-03-04T05:00:01.000Z' } };
    expect(deliveryReport(ses('Delivery', delivered, { radicado: [], event: [] }))).toBeUndefined();
    expect(deliveryReport(ses('Delivery', delivered, { radicado: ['not-a-radicado'] }))).toBeUndefined();
    expect(deliveryReport(ses('Delivery', delivered, { event: ['7a'] }))).toBeUndefined();
    expect(deliveryReport(ses('Delivery', delivered, { event: ['1234567'] }))).toBeUndefined();
  });
});

describe('SMS events', () => {
  it('reads delivered and successful (the same, depending on the country) as delivered', () => {
    for (const type of ['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']) {
      expect(deliveryReport(sms(type))).toEqual({
        radicado: R,
        seq: 7,
        channel: 'sms',
        outcome: 'delivered',
        at: '2026-03-04T05:00:00.000Z',
        messageId: 'sms-id-1',
      });
    }
  });

  it('reads a final failure as failed, and a failure that may still pass as no outcome yet', () => {
    for (const type of ['TEXT_BLOCKED', 'TEXT_INVALID', 'TEXT_UNREACHABLE', 'TEXT_SPAM', 'TEXT_UNKNOWN']) {
      expect(deliveryReport(sms(type))).toMatchObject({ outcome: 'failed' });
    }
    expect(deliveryReport(sms('TEXT_CARRIER_UNREACHABLE', { isFinal: false }))).toBeUndefined();
    expect(deliveryReport(sms('TEXT_QUEUED', { isFinal: true }))).toBeUndefined();
    expect(deliveryReport(sms('TEXT_PENDING'))).toBeUndefined();
  });

  it('reads one inside an EventBridge event too', () => {
    const event = { source: 'aws.sms-voice', time: '2026-03-04T05:00:09Z', detail: sms('TEXT_DELIVERED') };
    expect(deliveryReport(event)).toMatchObject({ channel: 'sms', outcome: 'delivered' });
  });

  it('is no report for an SMS with no context of ours', () => {
    expect(deliveryReport(sms('TEXT_DELIVERED', { context: { account: 'bar' } }))).toBeUndefined();
    expect(deliveryReport(sms('TEXT_DELIVERED', { context: undefined }))).toBeUndefined();
  });
});

describe('anything else', () => {
  it('is no report', () => {
    for (const body of [null, 42, 'text', [], {}, { detail: {} }, { eventType: 'VOICE_COMPLETED' }]) {
      expect(deliveryReport(body)).toBeUndefined();
    }
  });
});

describe('the tags a notice is sent with', () => {
  it('hold only what SES allows in a tag value (letters, digits, _ and -)', () => {
    for (const value of Object.values(deliveryTags('SUPER_SALUD2-2026-1234567', 123456))) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    }
  });
});
