/**
 * Notices by SMS through AWS End User Messaging SMS (SendTextMessage, TRANSACTIONAL), from the
 * configured origination identity and configuration set; the service splits a long text in parts.
 */
import {
  ConflictException,
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { deliveryTags } from '#domain/deliveryReports.ts';
import { type Notifier, type OutgoingNotice, UndeliverableNoticeError } from '#ports/notifications.ts';

/** Refusals about the destination itself: sending again cannot help. */
const REFUSED_DESTINATION = new Set([
  'DESTINATION_PHONE_NUMBER_OPTED_OUT',
  'DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE',
  'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION',
  'DESTINATION_PHONE_NUMBER_NOT_VERIFIED',
]);

/**
 * Whether the service refused the destination for good (opted out, blocked, not a number it can
 * parse): the notice is then recorded undeliverable. Other refusals (quota, throttling, a wrong
 * origination identity) are the operator's to fix: retried, then dead-lettered and alarmed.
 */
export function refusedForGood(error: unknown): boolean {
  if (error instanceof ConflictException) return REFUSED_DESTINATION.has(String(error.Reason));
  if (error instanceof ValidationException) {
    if (error.Reason === 'DESTINATION_COUNTRY_BLOCKED') return true;
    return (error.Fields ?? []).some((f) => f.Name === 'DestinationPhoneNumber');
  }
  return false;
}

export class SmsNotifier implements Notifier {
  constructor(
    private readonly sms: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
    private readonly configurationSet?: string,
  ) {}

  async send(notice: OutgoingNotice): Promise<{ messageId: string }> {
    if (notice.channel !== 'sms') throw new Error(`the SMS notifier sends SMS, not ${notice.channel}`);
    const ids: string[] = [];
    for (const to of notice.to) {
      try {
        const out = await this.sms.send(
          new SendTextMessageCommand({
            DestinationPhoneNumber: to,
            OriginationIdentity: this.originationIdentity,
            MessageBody: notice.text,
            MessageType: 'TRANSACTIONAL',
            // Shown in delivery events: no personal data; the radicado and event let a delivery
            // report find its notice (domain/deliveryReports.ts).
            Context: {
              notice: notice.kind,
              ...(notice.event === undefined ? {} : deliveryTags(notice.radicado, notice.event)),
            },
            ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          }),
        );
        ids.push(out.MessageId ?? 'unknown');
      } catch (error) {
        if (refusedForGood(error)) throw new UndeliverableNoticeError('the SMS service refused the number');
        throw error;
      }
    }
    return { messageId: ids.join(',') };
  }
}
