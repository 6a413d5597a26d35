/**
 * What a citizen files, validated. Pure.
 */
import * as z from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.ts';
import { AttachmentsSchema } from '../documents.ts';
import type { Entity } from '../entity.ts';
import { ENTITY_ID } from '../entity.ts';
import type { FieldIssue } from '../issues.ts';
import { plainText } from '../text.ts';
import { ANONYMOUS_KINDS, CHANNELS, type Channel, KINDS, SELF_SERVICE_CHANNELS } from '../vocabulary.ts';

/**
 * A phone number: an optional leading +, then up to 20 digits, spaces, dashes and parentheses, of
 * which 7 to 15 are digits (E.164 numbers have at most 15). `-------` is not a phone number.
 */
const PHONE = /^\+?(?=[ ()-]*(?:[0-9][ ()-]*){7,15}$)[0-9 ()-]{7,20}$/;

export const ID_TYPES = ['CC', 'CE', 'TI', 'RC', 'PA', 'NIT', 'PEP', 'PPT', 'NUIP'] as const;

export const PetitionerSchema = z
  .strictObject({
    name: plainText(200),
    idType: z.enum(ID_TYPES),
    idNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{3,20}$/, { message: 'must be 3 to 20 letters, digits or dashes' }),
    email: z.email({ message: 'must be a valid email address' }).max(254).optional(),
    phone: z
      .string()
      .trim()
      .regex(PHONE, {
        message: 'must be a phone number: 7 to 15 digits, with an optional +, spaces, dashes or parentheses',
      })
      .optional(),
    address: plainText(300).optional(),
    journalist: z.boolean().optional(),
    fundamentalRightRisk: z.boolean().optional(),
  })
  .refine((p) => p.email !== undefined || p.phone !== undefined || p.address !== undefined, {
    message: 'give at least one way to answer: email, phone or address',
    path: ['email'],
  });
export type Petitioner = z.infer<typeof PetitionerSchema>;

export const FilingSchema = z
  .strictObject({
    entityId: z.string().regex(ENTITY_ID, { message: 'must be an entity id such as MINTIC' }),
    kind: z.enum(KINDS, { message: `must be one of ${KINDS.join(', ')}` }),
    subject: plainText(300),
    description: plainText(20_000),
    category: z
      .enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]], { message: 'is not a known category' })
      .optional(),
    channel: z.enum(CHANNELS).default('web'),
    petitioner: PetitionerSchema.optional(),
    anonymous: z.literal(true, { message: 'must be true when given' }).optional(),
    attachments: AttachmentsSchema,
  })
  .superRefine((f, ctx) => {
    if (f.anonymous && f.petitioner) {
      ctx.addIssue({
        code: 'custom',
        path: ['anonymous'],
        message: 'give either petitioner or anonymous, not both',
      });
    } else if (!f.anonymous && !f.petitioner) {
      ctx.addIssue({
        code: 'custom',
        path: ['petitioner'],
        message: 'is required (or anonymous: true for reports and complaints)',
      });
    } else if (f.anonymous && !ANONYMOUS_KINDS.includes(f.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['anonymous'],
        message: `anonymous filing is allowed only for ${ANONYMOUS_KINDS.join(' and ')}`,
      });
    }
  });
export type FilingInput = z.input<typeof FilingSchema>;
export type Filing = z.output<typeof FilingSchema>;

/**
 * Who files through which channel: a citizen over the web API files as `web` or `portal`; the
 * other channels arrive through intake, and verbal petitions are recorded by officers.
 */
export function selfServiceChannelIssue(channel: Channel): FieldIssue | undefined {
  if ((SELF_SERVICE_CHANNELS as readonly string[]).includes(channel)) return undefined;
  return {
    field: 'channel',
    message: `must be ${SELF_SERVICE_CHANNELS.join(' or ')} here: other channels file through intake or an officer`,
  };
}

/**
 * Decreto 1166 de 2016: an officer records a verbal petition as it is made; a record made more
 * than VERBAL_RECORD_MAX_HOURS later (or dated in the future) is refused.
 */
export const VERBAL_RECORD_MAX_HOURS = 72;

export function verbalRecordIssue(receivedAt: Date, now: Date): FieldIssue | undefined {
  if (receivedAt.getTime() < now.getTime() - VERBAL_RECORD_MAX_HOURS * 3600_000) {
    return {
      field: 'record.receivedAt',
      message: `is more than ${VERBAL_RECORD_MAX_HOURS} hours ago: a verbal petition is registered as it is made`,
    };
  }
  return undefined;
}

/** What the entity's settings add to the schema: it must accept the kind. */
export function checkAgainstEntity(filing: Filing, entity: Entity): FieldIssue[] {
  if (!entity.kinds.includes(filing.kind)) {
    return [
      {
        field: 'kind',
        message: `${entity.id} does not receive ${filing.kind} (it receives ${entity.kinds.join(', ')})`,
      },
    ];
  }
  return [];
}

/** Art. 20: journalists in their work and fundamental rights at risk are handled first. */
export function isPriority(filing: Filing): boolean {
  return Boolean(filing.petitioner?.journalist || filing.petitioner?.fundamentalRightRisk);
}
