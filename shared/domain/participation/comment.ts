/**
 * Citizens' comments on a consultation: what a citizen sends, the message the API puts on the
 * participation queue, what is stored, the public reference, the campaign grouping and the
 * dispositions. Pure.
 *
 * Text: markup is not refused but kept as the characters typed (a `<script>` is text) and escaped
 * wherever it is rendered. It may be empty (a bare stance, stored as "") and as long as
 * MAX_COMMENT_TEXT characters (a legal argument on a draft regulation; longer → 422). Sizes along
 * the way, worst case (50,000 UTF-16 units, at most 3 UTF-8 bytes each): the request body
 * ≤ 150 KB in UTF-8 JSON (the API takes 160 KiB; a client escaping every non-ASCII character as
 * `\uXXXX` may pass it with long non-Latin text and get a 413), the queue message ≤ 150 KB +
 * ~1 KB (SQS: 256 KiB; control characters, the only ones JSON writes as `\u00XX`, are refused),
 * the comment item ≤ 151 KB (DynamoDB: 400 KB).
 *
 * Campaigns: comments are grouped by a key computed from the text alone at ingestion (no lookup of
 * other comments), so near-identical comments share it: same section, same stance, and the same
 * words once case, accents, punctuation, spacing and numbers are set aside
 * (`"¡NO al artículo 5!"` and `"no al articulo 5"` and `"No al artículo 7."` are one group).
 * A communicator sees the groups with their sizes and may answer a whole group with one disposition.
 */
import { hash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { AGE_BAND_FORMAT, AGE_BANDS, DEPARTMENT_FORMAT, DEPARTMENTS } from '../demographics.ts';
import { pattern } from '../issues.ts';
import { canonicalJson, freeText, plainText, sha256Hex } from '../text.ts';
import { CONSULTATION_ID, SECTION_ID } from './ids.ts';

export const STANCES = ['support', 'oppose', 'observation'] as const;
export type Stance = (typeof STANCES)[number];
export const DISPOSITIONS = ['accepted', 'partially_accepted', 'not_accepted'] as const;
export type DispositionValue = (typeof DISPOSITIONS)[number];

export const MAX_COMMENT_TEXT = 50_000;
export const MAX_REASONS_TEXT = 5000;

/** Crockford base32 (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** `7K2M-9Q4X-0B3D-R8TW`: 16 Crockford base32 characters (80 bits) in groups of four. */
export const REFERENCE = pattern(
  /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/,
  'la referencia que se dio al recibir el comentario, como 7K2M-9Q4X-0B3D-R8TW',
  'a comment reference such as 7K2M-9Q4X-0B3D-R8TW',
);
export const GROUP_KEY = pattern(
  /^[0-9a-f]{16}$/,
  'la clave de un grupo: 16 dígitos hexadecimales, como la da GET …/groups',
  'a group key: 16 hex digits, as GET …/groups gives it',
);

/** What a citizen sends. */
export const CommentInputSchema = z.strictObject({
  sectionId: z.string().regex(SECTION_ID),
  stance: z.enum(STANCES, { message: 'must be support, oppose or observation' }),
  text: freeText(MAX_COMMENT_TEXT, 0),
  department: z
    .enum(DEPARTMENTS, { message: 'must be a DIVIPOLA department code such as 11 (Bogotá)' })
    .optional()
    .describe(DEPARTMENT_FORMAT),
  ageBand: z
    .enum(AGE_BANDS, { message: `must be one of ${AGE_BANDS.join(', ')}` })
    .optional()
    .describe(AGE_BAND_FORMAT),
});
export type CommentInput = z.output<typeof CommentInputSchema>;

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** The participation queue's comment message (the API accepted it; the consumer writes it). */
export const CommentMessageSchema = z.strictObject({
  type: z.literal('comment'),
  reference: z.string().regex(REFERENCE),
  consultationId: z.string().regex(CONSULTATION_ID),
  sectionId: z.string().regex(SECTION_ID),
  stance: z.enum(STANCES),
  text: freeText(MAX_COMMENT_TEXT, 0),
  /** When the API accepted it (inside the comment period), whatever the queue's delay. */
  acceptedAt: z.iso.datetime({ offset: true }),
  /** `citizen`: a verified identity token; `device`: anonymous, with a device key. Only hashes. */
  author: z.strictObject({
    kind: z.enum(['citizen', 'device']),
    hash: Hash,
    /** The pseudonym key version `hash` was made under (absent: version 1). */
    keyVersion: z.number().int().min(1).max(999).optional(),
  }),
  department: z.enum(DEPARTMENTS).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
});
export type CommentMessage = z.output<typeof CommentMessageSchema>;

export const DispositionSchema = z.strictObject({
  value: z.enum(DISPOSITIONS, { message: 'must be accepted, partially_accepted or not_accepted' }),
  reasons: plainText(MAX_REASONS_TEXT),
});

export interface Disposition {
  value: DispositionValue;
  reasons: string;
  at: string;
  /** The communicator's subject. */
  by: string;
  /** Set when given to the whole group at once. */
  viaGroup?: string;
}

export interface StoredComment extends CommentMessage {
  groupKey: string;
  disposition?: Disposition;
  /** Optimistic concurrency of dispositions. */
  version: number;
}

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= 0xff;
  }
  return out;
}

function grouped(chars: string): string {
  return chars.match(/.{4}/g)!.join('-');
}

/**
 * A comment's public reference, known when the API accepts it. With an idempotency key it is
 * derived from (consultation, author, key), so a retried request yields the same reference and
 * the consumer writes the comment once; otherwise 80 random bits.
 */
export function newReference(idempotency?: {
  consultationId: string;
  authorHash: string;
  key: string;
}): string {
  const bytes = idempotency
    ? hash(
        'sha256',
        `comment\n${idempotency.consultationId}\n${idempotency.authorHash}\n${idempotency.key}`,
        'buffer',
      )
    : randomBytes(10);
  return grouped(base32(bytes, 16));
}

/** 8 random Crockford base32 characters: the tail of a consultation id. */
export function newConsultationId(entityId: string): string {
  return `${entityId}-C-${base32(randomBytes(5), 8)}`;
}

/**
 * What stands for an anonymous author (a device key), stored only as its pseudonym: scoped to the
 * consultation, so the same device cannot be linked across consultations from stored data, and
 * keyed (the Pseudonyms port), so a device key cannot be confirmed against it by anyone else.
 */
export function devicePseudonymText(consultationId: string, deviceKey: string): string {
  return `device\n${consultationId}\n${deviceKey}`;
}

/**
 * What a comment says (section, stance, text, the optional attributes), as a hash: a retry with
 * an Idempotency-Key must say the same. Compared, never stored or logged.
 */
export function commentContentHash(
  c: Pick<CommentMessage, 'sectionId' | 'stance' | 'text' | 'department' | 'ageBand'>,
): string {
  return sha256Hex(
    canonicalJson({
      sectionId: c.sectionId,
      stance: c.stance,
      text: c.text,
      department: c.department,
      ageBand: c.ageBand,
    }),
  );
}

/** The words of a text with case, accents, punctuation, spacing and numbers set aside. */
export function skeleton(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w !== '' && !/^\p{N}+$/u.test(w))
    .join(' ');
}

/** The campaign group of a comment: same section, stance and skeleton → same key. */
export function groupKey(sectionId: string, stance: Stance, text: string): string {
  return sha256Hex(`${sectionId}\n${stance}\n${skeleton(text)}`).slice(0, 16);
}

/** `@` as typed (also full-width and small) or spelled out: `[at]`, `(arroba)`, ` at `, ` arroba `. */
const AT = String.raw`(?:\s*[@＠﹫]\s*|\s*[[({<]\s*(?:at|arroba)\s*[\])}>]\s*|\s+(?:at|arroba)\s+)`;
/** `.` as typed or spelled out: `[dot]`, `(punto)`, ` dot `, ` punto `. */
const DOT = String.raw`(?:\s*[.．。]\s*|\s*[[({<]\s*(?:dot|punto)\s*[\])}>]\s*|\s+(?:dot|punto)\s+)`;
/**
 * The local part starts where a run of its characters starts and is taken whole (a lookahead and
 * a backreference: an atomic group), so 50,000 letters with no `@` cost one pass, not n².
 */
const EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])(?=([\p{L}\p{N}._%+-]+))\1${AT}[\p{L}\p{N}-]+(?:${DOT}[\p{L}\p{N}-]+)*${DOT}\p{L}{2,}`,
  'giu',
);
/**
 * Seven or more digits (any script's, full-width too), each at most three separators from the
 * next: spaces, dots, commas, dashes, slashes, brackets (ids, phones, accounts: `52,123,456`,
 * `300 - 123 - 4567`, `(300) 123/4567`). A list of seven numbers goes too: better too much.
 */
const LONG_NUMBER = /[+＋]?\p{Nd}(?:[\s.,\-‐-―/()．，－／]{0,3}\p{Nd}){6,}/gu;
export const REDACTED = '[dato personal retirado]';

/**
 * A comment's text as published: e-mail addresses (also spelled out) and long numbers (identity
 * documents, phones, whatever their separators or digits) replaced by a marker. Public outputs
 * never carry who commented; this keeps what a citizen may have typed about themselves out too.
 */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, REDACTED).replace(LONG_NUMBER, REDACTED);
}

/** The counter names of a consultation (sharded counters, one group per consultation). */
export const counterNames = {
  comments: (sectionId: string, stance: Stance) => `c:${sectionId}:${stance}`,
  disposed: (sectionId: string, stance: Stance, value: DispositionValue) =>
    `d:${sectionId}:${stance}:${value}`,
  department: (code: string) => `dept:${code}`,
  ageBand: (band: string) => `age:${band}`,
};

/** What a new comment adds to the counters. */
export function commentDeltas(
  c: Pick<CommentMessage, 'sectionId' | 'stance' | 'department' | 'ageBand'>,
): Record<string, number> {
  return {
    [counterNames.comments(c.sectionId, c.stance)]: 1,
    ...(c.department ? { [counterNames.department(c.department)]: 1 } : {}),
    ...(c.ageBand ? { [counterNames.ageBand(c.ageBand)]: 1 } : {}),
  };
}

/** What changing a comment's disposition does to the counters (empty when nothing changes). */
export function dispositionDeltas(
  c: Pick<StoredComment, 'sectionId' | 'stance'>,
  previous: DispositionValue | undefined,
  next: DispositionValue,
): Record<string, number> {
  if (previous === next) return {};
  return {
    [counterNames.disposed(c.sectionId, c.stance, next)]: 1,
    ...(previous ? { [counterNames.disposed(c.sectionId, c.stance, previous)]: -1 } : {}),
  };
}

/** Sums several delta maps (a batch's increments go to one shard in one update). */
export function addDeltas(into: Record<string, number>, deltas: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(deltas)) into[k] = (into[k] ?? 0) + v;
}
