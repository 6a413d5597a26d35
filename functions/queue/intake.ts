/**
 * Filings from other channels (gov.co portal, email gateway, call centre). Idempotent on
 * (channel, externalId). A message that can never be filed (invalid, unknown entity) is recorded as
 * rejected with its reason and moved to the DLQ at once; a transient failure is retried.
 */
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { UseCaseError } from '#app/errors.ts';
import { fileCase } from '#app/fileCase.ts';
import { FilingSchema } from '#domain/case/filing.ts';
import { type FieldIssue, fieldIssue, type IssueCode, issuesOf } from '#domain/issues.ts';
import { checkJsonKeys } from '#domain/text.ts';
import { INTAKE_CHANNELS } from '#domain/vocabulary.ts';
import { logger, metrics } from '#http/observability.ts';
import { required } from '#shared/config.ts';
import { deadLetter, sqsConsumer } from '#shared/queue/consumer.ts';
import { channelFilingDeps, clock, sqsClient } from '../deps.ts';

const deps = await channelFilingDeps();
const dlqUrl = required('INTAKE_DLQ_URL');

const EnvelopeSchema = z.looseObject({
  channel: z.enum(INTAKE_CHANNELS),
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, { message: 'must be 1 to 128 letters, digits or _ . : @ -' }),
  /** When the channel received the filing: the legal receipt (default: when this consumer files it). */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Why a message was rejected, as stored and dead-lettered: per field, the stable code a channel's
 * operator can act on and the English message (the stored reason is for operators, not citizens).
 */
type Rejection = { field: string; code: IssueCode; message: string }[];

const rejection = (issues: readonly FieldIssue[]): Rejection =>
  issues.map((i) => ({ field: i.field, code: i.code, message: i.message.en }));

/** A message rejected before its channel is known: under its SQS message id. */
const unread = (record: SQSRecord, reason: Rejection) =>
  ({ ok: false, channel: 'unknown', externalId: record.messageId, reason }) as const;

function parse(record: SQSRecord):
  | {
      ok: true;
      channel: string;
      externalId: string;
      receivedAt: string | undefined;
      filing: z.output<typeof FilingSchema>;
      body: unknown;
    }
  | { ok: false; channel: string; externalId: string; reason: Rejection } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return unread(
      record,
      rejection([fieldIssue('body', 'invalid_format', 'no es JSON válido', 'is not valid JSON')]),
    );
  }
  const problem = checkJsonKeys(body);
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    return unread(record, rejection(issuesOf(envelope.error, [], body)));
  }
  const { channel, externalId } = envelope.data;
  if (problem) {
    const reason =
      problem.kind === 'too_deep'
        ? fieldIssue(
            'body',
            'invalid_format',
            `tiene más de ${problem.maxDepth} niveles de anidación`,
            `is nested deeper than ${problem.maxDepth} levels`,
          )
        : fieldIssue(problem.path, 'not_allowed', 'no es una clave permitida', 'is not an allowed key');
    return { ok: false, channel, externalId, reason: rejection([reason]) };
  }
  const { externalId: _id, receivedAt, ...rest } = envelope.data;
  const filing = FilingSchema.safeParse(rest);
  if (!filing.success) {
    return { ok: false, channel, externalId, reason: rejection(issuesOf(filing.error, [], rest)) };
  }
  return { ok: true, channel, externalId, receivedAt, filing: filing.data, body };
}

async function reject(
  record: SQSRecord,
  channel: string,
  externalId: string,
  reason: Rejection,
): Promise<void> {
  await deps.cases.recordRejection(channel, externalId, reason, clock.now().toISOString());
  await deadLetter(sqsClient(), dlqUrl, [{ record, rejected: 'validation', reason: JSON.stringify(reason) }]);
  metrics.addMetric('IntakeRejected', 'Count', 1);
  logger.warn('intake message rejected', {
    channel,
    fields: reason.map((r) => r.field),
    messageId: record.messageId,
  });
}

function safeParse(record: SQSRecord): ReturnType<typeof parse> {
  try {
    return parse(record);
  } catch {
    // Whatever the body does to the parser, it can never be filed: reject it, do not retry it.
    return unread(
      record,
      rejection([fieldIssue('body', 'invalid_format', 'no se puede leer', 'cannot be read')]),
    );
  }
}

export const handler = sqsConsumer(async (record) => {
  const parsed = safeParse(record);
  if (!parsed.ok) return reject(record, parsed.channel, parsed.externalId, parsed.reason);
  try {
    const filed = await fileCase(deps, {
      filing: parsed.filing,
      actor: { kind: 'channel', id: parsed.channel },
      externalId: parsed.externalId,
      ...(parsed.receivedAt ? { receivedAt: new Date(parsed.receivedAt) } : {}),
      // A channel's externalId files once, for good (a DLQ redrive months later must not file again).
      idempotency: {
        scope: `intake#${parsed.channel}`,
        key: parsed.externalId,
        request: parsed.body,
        permanent: true,
      },
    });
    metrics.addMetric('CaseFiled', 'Count', 1);
    logger.info('intake filed', { channel: parsed.channel, radicado: filed.radicado });
  } catch (error) {
    if (error instanceof UseCaseError && error.code === 'invalid') {
      return reject(record, parsed.channel, parsed.externalId, rejection(error.issues));
    }
    throw error;
  }
});
