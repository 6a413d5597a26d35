/**
 * What a citizen files, validated. Pure.
 */
import * as z from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.ts';
import { AttachmentsSchema } from '../documents.ts';
import type { Entity } from '../entity.ts';
import { ENTITY_ID } from '../entity.ts';
import { type FieldIssue, fieldIssue, pattern, refinement } from '../issues.ts';
import { KIND_LABEL } from '../noticeText.ts';
import { plainText } from '../text.ts';
import { ANONYMOUS_KINDS, CHANNELS, type Channel, KINDS, SELF_SERVICE_CHANNELS } from '../vocabulary.ts';

/**
 * A phone number: an optional leading +, then up to 20 digits, spaces, dashes and parentheses, of
 * which 7 to 15 are digits (E.164 numbers have at most 15). `-------` is not a phone number.
 */
const PHONE = pattern(
  /^\+?(?=[ ()-]*(?:[0-9][ ()-]*){7,15}$)[0-9 ()-]{7,20}$/,
  'un teléfono de 7 a 15 dígitos, con + inicial, espacios, guiones o paréntesis opcionales, como +57 300 123 4567',
  'a phone number: 7 to 15 digits, with an optional +, spaces, dashes or parentheses',
);
const ID_NUMBER = pattern(
  /^[A-Za-z0-9-]{3,20}$/,
  'un número de documento de 3 a 20 letras, dígitos o guiones, sin puntos ni espacios',
  'a document number of 3 to 20 letters, digits or dashes',
);

export const ID_TYPES = ['CC', 'CE', 'TI', 'RC', 'PA', 'NIT', 'PEP', 'PPT', 'NUIP'] as const;

export const PetitionerSchema = z
  .strictObject({
    name: plainText(200),
    idType: z.enum(ID_TYPES),
    idNumber: z.string().trim().regex(ID_NUMBER),
    email: z.email().max(254).optional(),
    phone: z.string().trim().regex(PHONE).optional(),
    address: plainText(300).optional(),
    journalist: z.boolean().optional(),
    fundamentalRightRisk: z.boolean().optional(),
  })
  .refine((p) => p.email !== undefined || p.phone !== undefined || p.address !== undefined, {
    ...refinement(
      'required',
      'indique al menos un medio para responderle: email, phone o address',
      'give at least one way to answer: email, phone or address',
    ),
    path: ['email'],
  });
export type Petitioner = z.infer<typeof PetitionerSchema>;

export const FilingSchema = z
  .strictObject({
    entityId: z.string().regex(ENTITY_ID),
    kind: z.enum(KINDS),
    subject: plainText(300),
    description: plainText(20_000),
    category: z.enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]]).optional(),
    channel: z.enum(CHANNELS).default('web'),
    petitioner: PetitionerSchema.optional(),
    anonymous: z.literal(true).optional(),
    attachments: AttachmentsSchema,
  })
  .superRefine((f, ctx) => {
    if (f.anonymous && f.petitioner) {
      ctx.addIssue({
        code: 'custom',
        path: ['anonymous'],
        ...refinement(
          'conflict',
          'envíe petitioner o anonymous, no ambos: quite uno de los dos',
          'give either petitioner or anonymous, not both',
        ),
      });
    } else if (!f.anonymous && !f.petitioner) {
      ctx.addIssue({
        code: 'custom',
        path: ['petitioner'],
        ...refinement(
          'required',
          'es obligatorio: incluya los datos del peticionario (o anonymous: true para denuncias y quejas)',
          'is required (or anonymous: true for reports and complaints)',
        ),
      });
    } else if (f.anonymous && !ANONYMOUS_KINDS.includes(f.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['anonymous'],
        ...refinement(
          'not_allowed',
          `la radicación anónima solo se admite para ${ANONYMOUS_KINDS.map((k) => `${k} (${KIND_LABEL[k]})`).join(' y ')}: incluya los datos del peticionario`,
          `anonymous filing is allowed only for ${ANONYMOUS_KINDS.join(' and ')}`,
        ),
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
  return fieldIssue(
    'channel',
    'not_allowed',
    `aquí debe ser ${SELF_SERVICE_CHANNELS.join(' o ')}: los demás canales radican por la cola de recepción o por medio de un funcionario`,
    `must be ${SELF_SERVICE_CHANNELS.join(' or ')} here: other channels file through intake or an officer`,
  );
}

/**
 * Decreto 1166 de 2016: an officer records a verbal petition as it is made; a record made more
 * than VERBAL_RECORD_MAX_HOURS later (or dated in the future) is refused.
 */
export const VERBAL_RECORD_MAX_HOURS = 72;

export function verbalRecordIssue(receivedAt: Date, now: Date): FieldIssue | undefined {
  if (receivedAt.getTime() < now.getTime() - VERBAL_RECORD_MAX_HOURS * 3600_000) {
    return fieldIssue(
      'record.receivedAt',
      'too_late',
      `es de hace más de ${VERBAL_RECORD_MAX_HOURS} horas: una petición verbal se registra cuando se presenta (Decreto 1166 de 2016)`,
      `is more than ${VERBAL_RECORD_MAX_HOURS} hours ago: a verbal petition is registered as it is made (Decreto 1166 de 2016)`,
    );
  }
  return undefined;
}

/** What the entity's settings add to the schema: it must accept the kind. */
export function checkAgainstEntity(filing: Filing, entity: Entity): FieldIssue[] {
  if (!entity.kinds.includes(filing.kind)) {
    return [
      fieldIssue(
        'kind',
        'not_allowed',
        `${entity.id} no recibe ${filing.kind} (${KIND_LABEL[filing.kind]}): elija uno de los tipos que recibe, ${entity.kinds.join(', ')}`,
        `${entity.id} does not receive ${filing.kind} (it receives ${entity.kinds.join(', ')})`,
      ),
    ];
  }
  return [];
}

/** Art. 20: journalists in their work and fundamental rights at risk are handled first. */
export function isPriority(filing: Filing): boolean {
  return Boolean(filing.petitioner?.journalist || filing.petitioner?.fundamentalRightRisk);
}
