import {
  ConflictException,
  type PinpointSMSVoiceV2Client,
  type SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { describe, expect, it } from 'vitest';
import { ChannelNotifier } from '#adapters/notifier/byChannel.ts';
import { refusedForGood, SmsNotifier } from '#adapters/notifier/sms.ts';
import { deliveryReport } from '#domain/deliveryReports.ts';
import { type OutgoingNotice, UndeliverableNoticeError } from '#ports/notifications.ts';

const notice: OutgoingNotice = {
  id: 'MINTIC-2026-000042/EVENT#000001',
  radicado: 'MINTIC-2026-000042',
  kind: 'filed',
  channel: 'sms',
  to: ['+573001234567'],
  subject: 'SMS — radicado MINTIC-2026-000042',
  text: 'Radicado MINTIC-2026-000042.',
  event: 1,
};

/** A client that records the commands and answers with `reply`. */
function client(reply: () => unknown) {
  const inputs: SendTextMessageCommand['input'][] = [];
  const fake = {
    send: async (command: SendTextMessageCommand) => {
      inputs.push(command.input);
      return reply();
    },
  };
  return { sms: fake as unknown as PinpointSMSVoiceV2Client, inputs };
}

const conflict = (Reason: string) =>
  new ConflictException({ message: Reason, $metadata: {}, Reason } as ConstructorParameters<
    typeof ConflictException
  >[0]);

describe('SMS through AWS End User Messaging', () => {
  it('sends a transactional text from the configured identity and configuration set', async () => {
    const { sms, inputs } = client(() => ({ MessageId: 'sms-1' }));
    const out = await new SmsNotifier(sms, 'pool-abc', 'urna-notices').send(notice);
    expect(out).toEqual({ messageId: 'sms-1' });
    expect(inputs).toEqual([
      {
        DestinationPhoneNumber: '+573001234567',
        OriginationIdentity: 'pool-abc',
        MessageBody: notice.text,
        MessageType: 'TRANSACTIONAL',
        Context: { notice: 'filed', radicado: 'MINTIC-2026-000042', event: '1' },
        ConfigurationSetName: 'urna-notices',
      },
    ]);
  });

  it("sends the context a delivery report of the notice is read by; a staff notice's has none", async () => {
    const { sms, inputs } = client(() => ({ MessageId: 'sms-1' }));
    const notifier = new SmsNotifier(sms, 'pool-abc');
    await notifier.send(notice);
    const { event: _event, ...staff } = notice;
    await notifier.send(staff);
    const report = (context: unknown) =>
      deliveryReport({ eventType: 'TEXT_DELIVERED', eventTimestamp: 0, messageId: 'sms-1', context });
    expect(report(inputs[0]?.Context)).toMatchObject({ radicado: notice.radicado, seq: 1, channel: 'sms' });
    expect(inputs[1]?.Context).toEqual({ notice: 'filed' });
    expect(report(inputs[1]?.Context)).toBeUndefined();
  });

  it('records a number refused for good as undeliverable; other errors are retried', async () => {
    const opted = client(() => {
      throw conflict('DESTINATION_PHONE_NUMBER_OPTED_OUT');
    });
    await expect(new SmsNotifier(opted.sms, 'pool-abc').send(notice)).rejects.toBeInstanceOf(
      UndeliverableNoticeError,
    );
    const badNumber = new ValidationException({
      message: 'x',
      $metadata: {},
      Reason: 'INVALID_PARAMETER',
      Fields: [{ Name: 'DestinationPhoneNumber', Message: 'invalid' }],
    } as ConstructorParameters<typeof ValidationException>[0]);
    expect(refusedForGood(badNumber)).toBe(true);
    expect(refusedForGood(conflict('NO_ORIGINATION_IDENTITIES_FOUND'))).toBe(false);
    const throttled = new ThrottlingException({
      message: 'slow down',
      $metadata: {},
    } as ConstructorParameters<typeof ThrottlingException>[0]);
    expect(refusedForGood(throttled)).toBe(false);
    const busy = client(() => {
      throw throttled;
    });
    await expect(new SmsNotifier(busy.sms, 'pool-abc').send(notice)).rejects.toBe(throttled);
  });

  it('sends only SMS; the channel notifier routes each notice to its own', async () => {
    const { sms, inputs } = client(() => ({ MessageId: 'sms-1' }));
    const smsNotifier = new SmsNotifier(sms, 'pool-abc');
    await expect(smsNotifier.send({ ...notice, channel: 'email' })).rejects.toThrow('not email');
    const emails: OutgoingNotice[] = [];
    const both = new ChannelNotifier({
      email: {
        send: async (n) => {
          emails.push(n);
          return { messageId: 'e-1' };
        },
      },
      sms: smsNotifier,
    });
    await both.send(notice);
    await both.send({ ...notice, channel: 'email', to: ['ana@example.com'] });
    expect(inputs).toHaveLength(1);
    expect(emails.map((n) => n.to)).toEqual([['ana@example.com']]);
    await expect(new ChannelNotifier({ email: smsNotifier }).send(notice)).rejects.toThrow(
      'no notifier for the sms channel',
    );
  });
});
