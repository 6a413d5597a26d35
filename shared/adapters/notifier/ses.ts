/**
 * Notices by email through Amazon SES (API v2, SendEmail): plain text, UTF-8, from the configured
 * sender (NOTICE_SENDER, a verified SES identity; the function may send from that address only).
 * SES takes at most 50 recipients a message: larger audiences go in several messages.
 */
import { MessageRejected, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { deliveryTags } from '#domain/deliveryReports.ts';
import { type Notifier, type OutgoingNotice, UndeliverableNoticeError } from '#ports/notifications.ts';

const MAX_RECIPIENTS = 50;

const reportTags = (notice: OutgoingNotice) =>
  notice.event === undefined
    ? []
    : Object.entries(deliveryTags(notice.radicado, notice.event)).map(([Name, Value]) => ({ Name, Value }));

export class SesNotifier implements Notifier {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(notice: OutgoingNotice): Promise<{ messageId: string }> {
    if (notice.channel !== 'email') throw new Error(`the SES notifier sends email, not ${notice.channel}`);
    const ids: string[] = [];
    for (let i = 0; i < notice.to.length; i += MAX_RECIPIENTS) {
      const out = await this.send1(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: notice.to.slice(i, i + MAX_RECIPIENTS) },
          Content: {
            Simple: {
              Subject: { Data: notice.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: notice.text, Charset: 'UTF-8' } },
            },
          },
          // Tags show in SES events and metrics: no personal data. The radicado and event let a
          // delivery report find its notice (domain/deliveryReports.ts).
          EmailTags: [{ Name: 'notice', Value: notice.kind }, ...reportTags(notice)],
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
      ids.push(out.MessageId ?? 'unknown');
    }
    return { messageId: ids.join(',') };
  }

  /** SES's MessageRejected is for good (a refused address or content); anything else may pass later. */
  private async send1(command: SendEmailCommand) {
    try {
      return await this.ses.send(command);
    } catch (error) {
      if (error instanceof MessageRejected) throw new UndeliverableNoticeError('SES rejected the message');
      throw error;
    }
  }
}
