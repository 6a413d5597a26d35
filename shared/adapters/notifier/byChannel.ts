/**
 * One Notifier over several: each notice goes through the notifier of its channel (on AWS, SES
 * for email and End User Messaging for SMS). Kept apart so a function without SMS never loads
 * the SMS client.
 */
import type { Notifier, OutgoingNotice } from '#ports/notifications.ts';

export class ChannelNotifier implements Notifier {
  constructor(private readonly byChannel: Readonly<Partial<Record<OutgoingNotice['channel'], Notifier>>>) {}

  async send(notice: OutgoingNotice): ReturnType<Notifier['send']> {
    const notifier = this.byChannel[notice.channel];
    // A configuration fault (notify plans SMS only when a sender is configured): retried, then DLQ.
    if (!notifier) throw new Error(`no notifier for the ${notice.channel} channel`);
    return notifier.send(notice);
  }
}
