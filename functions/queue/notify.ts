/**
 * The notifications consumer: each message (`{radicado, sk}`, from the Outbox pipe and the Relay on the
 * table's stream) is one audit event or alert of a case to notify. Logs and metrics name the
 * radicado, the source, the notice kind and the outcome only: recipients and texts are personal
 * data and stay out of them.
 */
import * as z from 'zod';
import { NoticeBusyError, notify } from '#app/notify.ts';
import { logger, metrics, tracer } from '#http/observability.ts';
import type { Directory, Notifier } from '#ports/notifications.ts';
import { optional, required } from '#shared/config.ts';
import { sqsConsumer } from '#shared/queue/consumer.ts';
import { cases, clock, entities, noticeSecrets, notices, publications, signer } from '../deps.ts';

/**
 * SES on AWS (NOTIFIER=ses, from NOTICE_SENDER), with End User Messaging for SMS when
 * SMS_ORIGINATION_IDENTITY is set; the local outbox folder (both channels) otherwise. Loaded here only.
 */
async function makeNotifier(): Promise<{ notifier: Notifier; sms: boolean }> {
  if (required('NOTIFIER') === 'ses') {
    const [{ SESv2Client }, { SesNotifier }, { ChannelNotifier }] = await Promise.all([
      import('@aws-sdk/client-sesv2'),
      import('#adapters/notifier/ses.ts'),
      import('#adapters/notifier/byChannel.ts'),
    ]);
    const email = new SesNotifier(
      tracer.captureAWSv3Client(new SESv2Client({})),
      required('NOTICE_SENDER'),
      optional('NOTICE_CONFIGURATION_SET'),
    );
    const origination = optional('SMS_ORIGINATION_IDENTITY');
    if (origination === undefined) return { notifier: new ChannelNotifier({ email }), sms: false };
    const [{ PinpointSMSVoiceV2Client }, { SmsNotifier }] = await Promise.all([
      import('@aws-sdk/client-pinpoint-sms-voice-v2'),
      import('#adapters/notifier/sms.ts'),
    ]);
    const client = tracer.captureAWSv3Client(new PinpointSMSVoiceV2Client({}));
    const sms = new SmsNotifier(client, origination, optional('SMS_CONFIGURATION_SET'));
    return { notifier: new ChannelNotifier({ email, sms }), sms: true };
  }
  const { OutboxNotifier } = await import('#adapters/notifier/outbox.ts');
  return { notifier: new OutboxNotifier(required('OUTBOX_DIR'), () => clock.now()), sms: true };
}

/** The officers' Cognito pool when OFFICER_USER_POOL_ID is set (AWS); symbolic recipients otherwise. */
async function makeDirectory(): Promise<Directory> {
  const pool = optional('OFFICER_USER_POOL_ID');
  if (pool === undefined) {
    const { SymbolicDirectory } = await import('#adapters/notifier/symbolicDirectory.ts');
    return new SymbolicDirectory();
  }
  const [{ CognitoIdentityProviderClient }, { CognitoDirectory }] = await Promise.all([
    import('@aws-sdk/client-cognito-identity-provider'),
    import('#adapters/notifier/cognitoDirectory.ts'),
  ]);
  return new CognitoDirectory(tracer.captureAWSv3Client(new CognitoIdentityProviderClient({})), pool);
}

const { notifier, sms } = await makeNotifier();
const trackingUrl = optional('TRACKING_URL');

const deps = {
  cases: cases(),
  entities: entities(),
  notices: notices(),
  publications: publications(),
  notifier,
  sms,
  ...(trackingUrl ? { trackingUrl } : {}),
  directory: await makeDirectory(),
  signer: await signer(),
  noticeSecrets: await noticeSecrets(),
  clock,
  claimLeaseSeconds: optional('NOTICE_CLAIM_LEASE_SECONDS'),
};

const METRIC = {
  sent: 'NoticeSent',
  published: 'NoticePublished',
  skipped: 'NoticeSkipped',
  duplicate: 'NoticeDuplicate',
  ignored: 'NoticeIgnored',
} as const;

const MessageSchema = z.object({ radicado: z.string(), sk: z.string() });

export const handler = sqsConsumer(async (record) => {
  const message = MessageSchema.parse(JSON.parse(record.body));
  if (message.radicado === '') {
    // The pipe passes items by their `type`: an item of another kind (no radicado) is not a notice.
    logger.warn('notification message without a radicado ignored', { source: message.sk });
    metrics.addMetric('NoticeIgnored', 'Count', 1);
    return;
  }
  try {
    const result = await notify(deps, message);
    logger.info('notice', { radicado: message.radicado, source: message.sk, ...result });
    metrics.addMetric(METRIC[result.outcome], 'Count', 1);
  } catch (error) {
    if (error instanceof NoticeBusyError) {
      // Another attempt holds the claim: this delivery is retried after the visibility timeout.
      logger.info('notice being sent by another attempt', { radicado: message.radicado, source: message.sk });
    }
    throw error;
  }
});
