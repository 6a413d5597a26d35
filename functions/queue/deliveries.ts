/**
 * The delivery reports consumer: SES email events and End User Messaging SMS events (put on the
 * deliveries queue by EventBridge rules on the default bus) record on each petitioner's notice the
 * day it reached them, or send it again by the next channel when it bounced (CPACA art. 69).
 * Reports about anything else (staff notices, other senders in the account) are counted and let
 * go. Logs name the radicado, the event, the channel and the outcome only: a report carries the
 * address or the number, which never reach a log.
 */
import { recordDelivery } from '#app/notify.ts';
import { deliveryReport } from '#domain/deliveryReports.ts';
import { logger, metrics } from '#http/observability.ts';
import { sqsConsumer } from '#shared/queue/consumer.ts';
import { notices, notificationsQueue } from '../deps.ts';

const deps = { notices: notices(), notifications: notificationsQueue() };

const METRIC = {
  delivered: 'NoticeDelivered',
  failed: 'NoticeBounced',
  stale: 'DeliveryReportStale',
} as const;

export const handler = sqsConsumer(async (record) => {
  const report = deliveryReport(JSON.parse(record.body));
  if (report === undefined) {
    metrics.addMetric('DeliveryReportIgnored', 'Count', 1);
    return;
  }
  const outcome = await recordDelivery(deps, report);
  logger.info('delivery report', {
    radicado: report.radicado,
    event: report.seq,
    channel: report.channel,
    reported: report.outcome,
    outcome,
  });
  metrics.addMetric(METRIC[outcome], 'Count', 1);
});
