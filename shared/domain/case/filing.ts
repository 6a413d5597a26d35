/**
 * What a citizen files, validated. Pure.
 */
import * as z from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.ts';
import { AGE_BAND_FORMAT, AGE_BANDS, DEPARTMENT_FORMAT, DEPARTMENTS, GENDERS } from '../demographics.ts';
import { AttachmentsSchema } from '../documents.ts';
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

/**
 * Groups attended first (CPACA art. 5 num. 6; Ley 1755 art. 20 adds journalists, `journalist`):
 * children and adolescents, older adults, people with disabilities, pregnant women, victims.
 * Sensitive personal data: shown to the case's officers only, never in public outputs.
 */
export const PREFERENTIAL_GROUPS = [
  'child_or_adolescent',
  'older_adult',
  'disability',
  'pregnant',
  'victim',
] as const;

const PETITIONER_FIELDS = {
  name: plainText(200),
  idType: z.enum(ID_TYPES),
  idNumber: z.string().trim().regex(ID_NUMBER),
  email: z.email().max(254).optional(),
  phone: z.string().trim().regex(PHONE).optional(),
  address: plainText(300).optional(),
  journalist: z.boolean().optional(),
  fundamentalRightRisk: z.boolean().optional(),
  preferential: z.array(z.enum(PREFERENTIAL_GROUPS)).max(PREFERENTIAL_GROUPS.length).optional(),
  // For the PQRSD report's breakdowns only (k-suppressed); optional, never shown publicly one by one.
  department: z.enum(DEPARTMENTS).optional().describe(DEPARTMENT_FORMAT),
  gender: z.enum(GENDERS).optional().describe(GENDERS.join(', ')),
  ageBand: z.enum(AGE_BANDS).optional().describe(AGE_BAND_FORMAT),
};

const hasContact = (p: {
  email?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
}) => p.email !== undefined || p.phone !== undefined || p.address !== undefined;

/** A person identified and reachable (a proposal's author: one support per citizen needs it). */
export const PetitionerSchema = z.strictObject(PETITIONER_FIELDS).refine(hasContact, {
  ...refinement(
    'required',
    'indique al menos un medio para responderle: email, phone o address',
    'give at least one way to answer: email, phone or address',
  ),
  path: ['email'],
});

/**
 * A filing's petitioner: what is given must be well formed, but nothing is required. A petition
 * lacking identification or contact is received and its completion asked for (Ley 1755 art. 15
 * par. 2, arts. 16 and 17): see completionSuggested.
 */
const FilingPetitionerSchema = z.strictObject({
  ...PETITIONER_FIELDS,
  name: PETITIONER_FIELDS.name.optional(),
  idType: PETITIONER_FIELDS.idType.optional(),
  idNumber: PETITIONER_FIELDS.idNumber.optional(),
});
export type Petitioner = z.infer<typeof FilingPetitionerSchema>;

export const FilingSchema = z
  .strictObject({
    entityId: z.string().regex(ENTITY_ID),
    kind: z.enum(KINDS),
    subject: plainText(300),
    description: plainText(20_000),
    category: z.enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]]).optional(),
    channel: z
      .enum(CHANNELS)
      .default('web')
      .describe(
        'How the petition arrived. Over POST /v1/cases only `web` (the default) or `portal` (422 otherwise); the other channels file through intake or an officer',
      ),
    petitioner: FilingPetitionerSchema.optional(),
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

/** What a petition lacks, for the office to ask (art. 17); the case is filed all the same. */
export interface CompletionSuggestion {
  /** Field paths: `petitioner`, `petitioner.name`, `petitioner.idType`, `petitioner.idNumber`, `petitioner.contact`. */
  readonly missing: readonly string[];
  /** One sentence each language, for the office. */
  readonly why: { readonly es: string; readonly en: string };
}

/**
 * Ley 1755 art. 16 asks for the petitioner's name, identification and an address to answer; a
 * petition without them is received (art. 15 par. 2) and flagged so the office asks to complete it
 * (art. 17). Anonymous filing stands only for reports and complaints (Ley 962 de 2005 art. 81).
 */
export function completionSuggested(filing: Filing): CompletionSuggestion | undefined {
  const p = filing.petitioner;
  if (filing.anonymous === true || p === undefined) {
    if (filing.anonymous === true && ANONYMOUS_KINDS.includes(filing.kind)) return undefined;
    return {
      missing: ['petitioner'],
      why: {
        es: `sin datos del peticionario: la radicación anónima solo se admite para ${ANONYMOUS_KINDS.map((k) => KIND_LABEL[k]).join(' y ')} (Ley 1755 de 2015, arts. 16 y 17)`,
        en: `no petitioner data: anonymous filing stands only for ${ANONYMOUS_KINDS.join(' and ')} (Ley 1755 de 2015, arts. 16 and 17)`,
      },
    };
  }
  const missing = [
    ...(['name', 'idType', 'idNumber'] as const)
      .filter((f) => p[f] === undefined)
      .map((f) => `petitioner.${f}`),
    ...(hasContact(p) ? [] : ['petitioner.contact']),
  ];
  if (missing.length === 0) return undefined;
  return {
    missing,
    why: {
      es: `faltan datos del peticionario (${missing.join(', ')}): pida completarlos (Ley 1755 de 2015, arts. 16 y 17)`,
      en: `petitioner data missing (${missing.join(', ')}): ask for completion (Ley 1755 de 2015, arts. 16 and 17)`,
    },
  };
}

/**
 * Handled first: journalists in their work and fundamental rights at risk (Ley 1755 art. 20), and
 * the groups of preferential attention (CPACA art. 5 num. 6).
 */
export function isPriority(filing: Filing): boolean {
  const p = filing.petitioner;
  return Boolean(p?.journalist || p?.fundamentalRightRisk || (p?.preferential?.length ?? 0) > 0);
}
