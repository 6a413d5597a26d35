/**
 * How a petitioner is reached (issue 13): by email when they gave one; else by SMS when they gave
 * a phone that can take one; else by publication on the entity's notices list (CPACA art. 69, see
 * publication.ts) for a period this module also sets. And what an SMS can carry: GSM-7 text, its
 * length in septets and parts. Pure.
 */

import { bogotaDay } from './clock/dates.ts';
import { addBusinessDays, type CalendarOptions, nextBusinessDay } from './clock/index.ts';
import { CITIZEN_NOTICE_EVENTS } from './noticeTypes.ts';

/**
 * CPACA art. 69: the notice stays published five days; the days of a legal term are business days
 * (Ley 4 de 1913, art. 62).
 */
export const PUBLICATION_BUSINESS_DAYS = 5;

/**
 * The period of a notice published on `publishedOn` (a Bogota date), on the entity's calendar
 * (national holidays and its closures, as the legal clock counts them): shown through `until`,
 * the 5th business day after; deemed notified at the end of the next business day.
 */
export function publicationPeriod(
  publishedOn: string,
  calendar: CalendarOptions = {},
): { until: string; notifiedOn: string } {
  const until = addBusinessDays(publishedOn, PUBLICATION_BUSINESS_DAYS, calendar);
  return { until, notifiedOn: nextBusinessDay(until, calendar) };
}

/** The channels a notice is sent through (publication is not sent: it is published). */
export type NoticeChannel = 'email' | 'sms';

/**
 * Why a petitioner is notified by publication: `undeliverable` when every channel they gave failed
 * (refused or bounced), so the personal notice could not be made (CPACA art. 69).
 */
export type PublicationReason = 'anonymous' | 'no_contact' | 'sms_unavailable' | 'undeliverable';

/** A channel a notice failed on (the provider refused or bounced it), and when. */
export interface NoticeFailure {
  readonly channel: NoticeChannel;
  readonly at: string;
}

export type PetitionerReach =
  | { readonly channel: 'email'; readonly email: string }
  | { readonly channel: 'sms'; readonly phone: string }
  | { readonly channel: 'publication'; readonly reason: PublicationReason };

/** What reach needs of a case or a filing. */
export interface Reachable {
  readonly anonymous?: boolean | undefined;
  readonly petitioner?:
    | { readonly email?: string | undefined; readonly phone?: string | undefined }
    | undefined;
}

/**
 * The number an SMS can be sent to, in E.164, or undefined. A Colombian mobile (10 digits from 3,
 * with or without 57) becomes `+573…`; a Colombian landline (60x…, 7 digits) cannot take an SMS;
 * another `+` number is kept as given when it can be E.164 (up to 15 digits, no leading 0).
 */
export function smsNumber(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const compact = phone.trim().replace(/[\s().-]/g, '');
  const plus = compact.startsWith('+');
  const digits = plus ? compact.slice(1) : compact;
  if (!/^\d+$/.test(digits)) return undefined;
  const colombian = /^(?:57)?(3\d{9})$/.exec(digits);
  if (!plus) return colombian ? `+57${colombian[1]}` : undefined;
  if (digits.startsWith('57')) return colombian && digits.length === 12 ? `+${digits}` : undefined;
  return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : undefined;
}

/**
 * The channel a petitioner is reached by. `sms: false` when no SMS sender is configured: a
 * phone-only petitioner is then notified by publication, as one with no contact at all. `failed`:
 * the channels this notice already failed on, passed over for the next one.
 */
export function petitionerReach(
  c: Reachable,
  options: { sms?: boolean; failed?: readonly NoticeChannel[] } = {},
): PetitionerReach {
  if (c.anonymous === true || c.petitioner === undefined)
    return { channel: 'publication', reason: 'anonymous' };
  const failed = new Set(options.failed ?? []);
  const { email } = c.petitioner;
  const hasEmail = email !== undefined && email !== '';
  if (hasEmail && !failed.has('email')) return { channel: 'email', email };
  const phone = smsNumber(c.petitioner.phone);
  if (phone !== undefined && options.sms !== false && !failed.has('sms')) return { channel: 'sms', phone };
  if (failed.size > 0) return { channel: 'publication', reason: 'undeliverable' };
  if (phone === undefined) return { channel: 'publication', reason: 'no_contact' };
  return { channel: 'publication', reason: 'sms_unavailable' };
}

/** Whether notices can reach the petitioner privately (a tracking code may then be sent to them). */
export function reachesPrivately(c: Reachable): boolean {
  return petitionerReach(c).channel !== 'publication';
}

/** The tracking view of a case from the configured template (`…{radicado}…`). */
export function trackingLink(template: string, radicado: string): string {
  return template.replaceAll('{radicado}', encodeURIComponent(radicado));
}

// GSM 03.38: the basic set (one septet each) and its extension table (two septets: escape + char).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Spanish and typographic characters outside GSM-7, and their plain stand-ins. */
const PLAIN: Readonly<Record<string, string>> = {
  á: 'a',
  í: 'i',
  ó: 'o',
  ú: 'u',
  Á: 'A',
  Í: 'I',
  Ó: 'O',
  Ú: 'U',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
};

/**
 * The text in GSM-7 characters: accents GSM-7 lacks (á, í, ó, ú) are dropped, typographic marks
 * made plain, anything else left without a stand-in becomes `?`, so the SMS goes as 7-bit text
 * (160 characters a part) instead of UCS-2 (70).
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (GSM_BASIC.has(ch) || GSM_EXTENDED.has(ch)) out += ch;
    else if (PLAIN[ch] !== undefined) out += PLAIN[ch];
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...bare].every((c) => GSM_BASIC.has(c)) && bare !== '' ? bare : '?';
    }
  }
  return out;
}

export interface SmsSize {
  readonly encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7; an extension character counts two) or UTF-16 code units (UCS-2). */
  readonly units: number;
  /** Parts the message travels in: 160/153 septets or 70/67 units each. */
  readonly parts: number;
}

/** How long an SMS is, as a carrier counts it. */
export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs2', units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'gsm7', units: septets, parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

/** What the case shows of a notice to the petitioner: how it went and the day it counts as given. */
export interface NoticeRecord {
  /** The audit event the notice told of (`answered`, `extended` …) and its sequence. */
  readonly kind: string;
  readonly seq: number;
  readonly channel: NoticeChannel | 'publication';
  /** When it was sent or published. */
  readonly sentAt: string;
  /**
   * When the provider reported it delivered (the recipient's mail server or the phone's carrier
   * took it; the local outbox delivers at once). Absent while no delivery was reported.
   */
  readonly deliveredAt?: string;
  /** The channels it failed on before (bounced or refused), in order: no address or number. */
  readonly failures?: readonly NoticeFailure[];
  /**
   * The Bogota day the petitioner counts as notified: the day it was delivered by email or SMS
   * (the day it was sent while no delivery is reported), or the day after the publication period
   * for a notice by publication (CPACA art. 69).
   */
  readonly notifiedOn: string;
}

const CITIZEN_KINDS: ReadonlySet<string> = new Set(CITIZEN_NOTICE_EVENTS);

/**
 * What the petitioner was told, from a case's notice marks: sent or published, to the petitioner
 * (not the office's notices of the petitioner's own acts), in event order.
 */
export function noticeRecords(
  marks: readonly {
    seq: number;
    mark: {
      state: string;
      kind: string;
      at: string;
      channel?: NoticeChannel | 'publication';
      deliveredAt?: string;
      failures?: readonly NoticeFailure[];
    };
  }[],
  calendar: CalendarOptions = {},
): NoticeRecord[] {
  return marks
    .filter((m) => m.mark.state === 'sent' && CITIZEN_KINDS.has(m.mark.kind))
    .map(({ seq, mark }) => {
      const channel = mark.channel ?? 'email';
      const reached = bogotaDay(mark.deliveredAt ?? mark.at);
      return {
        kind: mark.kind,
        seq,
        channel,
        sentAt: mark.at,
        ...(mark.deliveredAt === undefined ? {} : { deliveredAt: mark.deliveredAt }),
        ...(mark.failures?.length
          ? { failures: mark.failures.map((f) => ({ channel: f.channel, at: f.at })) }
          : {}),
        notifiedOn:
          channel === 'publication' ? publicationPeriod(bogotaDay(mark.at), calendar).notifiedOn : reached,
      };
    });
}
