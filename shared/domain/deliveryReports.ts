/**
 * What the notice providers report after a send (issue 14 point 11): SES email events and End User
 * Messaging SMS events, as EventBridge puts them on the deliveries queue (or bare, as an SNS raw
 * delivery would). A petitioner's notice carries its radicado and audit event as SES tags or SMS
 * context, so its report finds its notice mark; the address, the number and the text in a report
 * are never read. Pure. Why: docs/adr/0012-notice-delivery-reports.md
 */
import { parseRadicado } from './case/radicado.ts';
import type { NoticeChannel } from './channels.ts';

/** One provider report about a petitioner's notice. */
export interface DeliveryReport {
  readonly radicado: string;
  /** The audit event the notice told of. */
  readonly seq: number;
  readonly channel: NoticeChannel;
  /** Delivered to the recipient's mail server or phone carrier; or failed for good. */
  readonly outcome: 'delivered' | 'failed';
  /** When the provider saw it happen (ISO 8601, UTC). */
  readonly at: string;
  /** The provider's id of the message, matched against the notice mark's. */
  readonly messageId: string;
}

/**
 * The tags (SES, letters, digits, `_` and `-` only) or context (SMS) a petitioner's notice of
 * audit event `seq` is sent with: what its delivery report is matched by.
 */
export function deliveryTags(radicado: string, seq: number): Record<'radicado' | 'event', string> {
  return { radicado, event: String(seq) };
}

/** SMS events that say the carrier took the message (the two are one, depending on the country). */
const SMS_DELIVERED = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);
/** SMS events that are not an outcome yet. */
const SMS_IN_FLIGHT = new Set(['TEXT_QUEUED', 'TEXT_PENDING']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function instant(v: unknown): string | undefined {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function matched(radicado: unknown, event: unknown): { radicado: string; seq: number } | undefined {
  const r = text(radicado);
  const e = text(event);
  if (r === undefined || e === undefined || parseRadicado(r) === undefined || !/^\d{1,6}$/.test(e))
    return undefined;
  return { radicado: r, seq: Number(e) };
}

/** SES tags come as lists of values (`{"radicado": ["MINTIC-2026-000001"]}`). */
const tag = (tags: unknown, name: string): unknown =>
  isObject(tags) && Array.isArray(tags[name]) ? (tags[name] as unknown[])[0] : undefined;

function sesReport(e: Json, envelopeTime: unknown): DeliveryReport | undefined {
  const mail = isObject(e.mail) ? e.mail : undefined;
  const messageId = text(mail?.messageId);
  const notice = matched(tag(mail?.tags, 'radicado'), tag(mail?.tags, 'event'));
  if (mail === undefined || messageId === undefined || notice === undefined) return undefined;
  const part = (name: string): Json | undefined => (isObject(e[name]) ? (e[name] as Json) : undefined);
  let outcome: DeliveryReport['outcome'];
  let at: string | undefined;
  switch (e.eventType) {
    case 'Delivery':
      outcome = 'delivered';
      at = instant(part('delivery')?.timestamp);
      break;
    case 'Bounce':
      // SES reports a soft bounce only once it gave up retrying: either way it did not arrive.
      outcome = 'failed';
      at = instant(part('bounce')?.timestamp);
      break;
    case 'Reject':
      outcome = 'failed';
      break;
    default:
      return undefined; // sends, opens, complaints (it was delivered), delays: no outcome
  }
  at ??= instant(envelopeTime) ?? instant(mail.timestamp);
  return at === undefined ? undefined : { ...notice, channel: 'email', outcome, at, messageId };
}

function smsReport(e: Json, envelopeTime: unknown): DeliveryReport | undefined {
  const type = text(e.eventType);
  const messageId = text(e.messageId);
  const context = isObject(e.context) ? e.context : undefined;
  const notice = matched(context?.radicado, context?.event);
  if (type === undefined || messageId === undefined || notice === undefined || SMS_IN_FLIGHT.has(type))
    return undefined;
  const delivered = SMS_DELIVERED.has(type);
  // A failure may be temporary (an unreachable carrier) until the service says it is final.
  if (!delivered && e.isFinal !== true) return undefined;
  const at = instant(e.eventTimestamp) ?? instant(envelopeTime);
  if (at === undefined) return undefined;
  return { ...notice, channel: 'sms', outcome: delivered ? 'delivered' : 'failed', at, messageId };
}

/**
 * The report in one queue message body (an EventBridge event, or the provider's event itself), or
 * undefined when it is not about a petitioner's notice or tells no outcome yet.
 */
export function deliveryReport(body: unknown): DeliveryReport | undefined {
  if (!isObject(body)) return undefined;
  const event = isObject(body.detail) ? body.detail : body;
  if ('mail' in event) return sesReport(event, body.time);
  if (typeof event.eventType === 'string' && event.eventType.startsWith('TEXT_'))
    return smsReport(event, body.time);
  return undefined;
}
