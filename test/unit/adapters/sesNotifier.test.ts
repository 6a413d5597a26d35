/**
 * Email through SES (adapters/notifier/ses.ts): the message, its configuration set, and the tags
 * its delivery reports are matched by (domain/deliveryReports.ts); refusals for good.
 */
import {
  MessageRejected,
  type MessageTag,
  type SESv2Client,
  type SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SesNotifier } from '#adapters/notifier/ses.ts';
import { deliveryReport } from '#domain/deliveryReports.ts';
import { type OutgoingNotice, UndeliverableNoticeError } from '#ports/notifications.ts';

const notice: OutgoingNotice = {
  id: 'MINTIC-2026-000042/EVENT#000003',
  radicado: 'MINTIC-2026-000042',
  kind: 'answered',
  channel: 'email',
  to: ['ana.perez@example.com'],
  subject: 'Respuesta a su petición',
  text: 'Su petición fue respondida.',
  event: 3,
};

function client(reply: () => unknown) {
  const inputs: SendEmailCommand['input'][] = [];
  const fake = {
    send: async (command: SendEmailCommand) => {
      inputs.push(command.input);
      return reply();
    },
  };
  return { ses: fake as unknown as SESv2Client, inputs };
}

/** The SES tags of a sent message as an SES event shows them (each a list of values). */
const asEventTags = (tags: MessageTag[] = []) => Object.fromEntries(tags.map((t) => [t.Name, [t.Value]]));

describe('email through SES', () => {
  it('sends from the sender with the configuration set, tagged so its delivery report finds the notice', async () => {
    const { ses, inputs } = client(() => ({ MessageId: 'ses-1' }));
    expect(await new SesNotifier(ses, 'pqrsd@mintic.gov.co', 'urna-notices').send(notice)).toEqual({
      messageId: 'ses-1',
    });
    expect(inputs[0]).toMatchObject({
      FromEmailAddress: 'pqrsd@mintic.gov.co',
      Destination: { ToAddresses: ['ana.perez@example.com'] },
      ConfigurationSetName: 'urna-notices',
    });
    const tags = inputs[0]?.EmailTags ?? [];
    // SES takes only letters, digits, _ and - in a tag: no address, no text.
    for (const t of tags) expect(`${t.Name}=${t.Value}`).toMatch(/^[A-Za-z0-9_-]+=[A-Za-z0-9_-]+$/);
    const delivery = {
      eventType: 'Delivery',
      mail: { messageId: 'ses-1', tags: asEventTags(tags) },
      delivery: { timestamp: '2026-03-04T05:00:00.000Z' },
    };
    expect(deliveryReport(delivery)).toEqual({
      radicado: notice.radicado,
      seq: 3,
      channel: 'email',
      outcome: 'delivered',
      at: '2026-03-04T05:00:00.000Z',
      messageId: 'ses-1',
    });
  });

  it("tags a staff notice with its kind only: its reports are nobody's delivery", async () => {
    const { ses, inputs } = client(() => ({ MessageId: 'ses-2' }));
    const { event: _event, ...staff } = notice;
    await new SesNotifier(ses, 'pqrsd@mintic.gov.co').send({ ...staff, to: ['office:MINTIC/atencion'] });
    expect(inputs[0]?.EmailTags).toEqual([{ Name: 'notice', Value: 'answered' }]);
    expect(inputs[0]?.ConfigurationSetName).toBeUndefined();
  });

  it('sends at most 50 recipients a message, and joins the message ids', async () => {
    let n = 0;
    const { ses, inputs } = client(() => ({ MessageId: `ses-${++n}` }));
    const to = Array.from({ length: 120 }, (_, i) => `officer${i}@mintic.gov.co`);
    const out = await new SesNotifier(ses, 'pqrsd@mintic.gov.co').send({ ...notice, to });
    expect(inputs.map((i) => i.Destination?.ToAddresses?.length)).toEqual([50, 50, 20]);
    expect(out.messageId).toBe('ses-1,ses-2,ses-3');
  });

  it('refuses for good what SES rejects; other errors are retried', async () => {
    const rejected = new MessageRejected({ message: 'Email address is not verified.', $metadata: {} });
    const { ses } = client(() => {
      throw rejected;
    });
    await expect(new SesNotifier(ses, 'pqrsd@mintic.gov.co').send(notice)).rejects.toBeInstanceOf(
      UndeliverableNoticeError,
    );
    const { ses: down } = client(() => {
      throw new Error('socket hang up');
    });
    await expect(new SesNotifier(down, 'pqrsd@mintic.gov.co').send(notice)).rejects.toThrow('socket hang up');
  });
});
