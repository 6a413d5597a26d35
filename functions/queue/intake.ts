/**
 * Filings from other channels (gov.co portal, email gateway, call centre). Idempotent on
 * (channel, externalId). A message that can never be filed (invalid, unknown entity) is recorded as
 * rejected with its reason and moved to the DLQ at once; a transient failure is retried.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { UseCaseError } from '#app/errors.ts';
import { fileCase } from '#app/fileCase.ts';
import { FilingSchema } from '#domain/case/filing.ts';
import { findForbiddenKey } from '#domain/text.ts';
import { issuesOf } from '#http/handler.ts';
import { logger, metrics } from '#http/observability.ts';
import { optional, required } from '#shared/config.ts';
import { cases, clock, entities, routingQueue, signer, sqsClient } from '../deps.ts';
import { sqsConsumer } from './consumer.ts';

const deps = {
  cases: cases(),
  entities: entities(),
  routing: routingQueue(),
  signer: await signer(),
  clock,
  idempotencyTtlHours: optional('IDEMPOTENCY_TTL_HOURS'),
  onRoutingDeferred: (radicado: string) => logger.warn('routing deferred to the outbox sweep', { radicado }),
};
const dlqUrl = required('INTAKE_DLQ_URL');

const EnvelopeSchema = z.looseObject({
  channel: z.enum(['portal', 'email', 'call_centre', 'in_person', 'phone', 'mail'], {
    message: 'must be one of portal, email, call_centre, in_person, phone, mail',
  }),
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, { message: 'must be 1 to 128 letters, digits or _ . : @ -' }),
});

type Rejection = { field: string; message: string }[];

function parse(
  record: SQSRecord,
):
  | { ok: true; channel: string; externalId: string; filing: z.output<typeof FilingSchema>; body: unknown }
  | { ok: false; channel: string; externalId: string; reason: Rejection } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return {
      ok: false,
      channel: 'unknown',
      externalId: record.messageId,
      reason: [{ field: 'body', message: 'is not valid JSON' }],
    };
  }
  const forbidden = findForbiddenKey(body);
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    return { ok: false, channel: 'unknown', externalId: record.messageId, reason: issuesOf(envelope.error) };
  }
  const { channel, externalId } = envelope.data;
  if (forbidden)
    return {
      ok: false,
      channel,
      externalId,
      reason: [{ field: forbidden, message: 'is not an allowed key' }],
    };
  const { externalId: _id, ...rest } = envelope.data;
  const filing = FilingSchema.safeParse(rest);
  if (!filing.success) return { ok: false, channel, externalId, reason: issuesOf(filing.error) };
  return { ok: true, channel, externalId, filing: filing.data, body };
}

async function reject(
  record: SQSRecord,
  channel: string,
  externalId: string,
  reason: Rejection,
): Promise<void> {
  await deps.cases.recordRejection(channel, externalId, reason, clock.now().toISOString());
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: record.body,
      MessageAttributes: {
        rejected: { DataType: 'String', StringValue: 'validation' },
        reason: { DataType: 'String', StringValue: JSON.stringify(reason).slice(0, 1024) },
        sourceMessageId: { DataType: 'String', StringValue: record.messageId },
      },
    }),
  );
  metrics.addMetric('IntakeRejected', 'Count', 1);
  logger.warn('intake message rejected', {
    channel,
    fields: reason.map((r) => r.field),
    messageId: record.messageId,
  });
}

export const handler = sqsConsumer(async (record) => {
  const parsed = parse(record);
  if (!parsed.ok) return reject(record, parsed.channel, parsed.externalId, parsed.reason);
  try {
    const filed = await fileCase(deps, {
      filing: parsed.filing,
      externalId: parsed.externalId,
      idempotency: { scope: `intake#${parsed.channel}`, key: parsed.externalId, request: parsed.body },
    });
    metrics.addMetric('CaseFiled', 'Count', 1);
    logger.info('intake filed', { channel: parsed.channel, radicado: filed.radicado });
  } catch (error) {
    if (error instanceof UseCaseError && error.code === 'invalid') {
      return reject(record, parsed.channel, parsed.externalId, error.issues);
    }
    throw error;
  }
});
