/** Notification by publication (CPACA art. 69): an entity's public notices list. */
import * as z from 'zod';
import { PUBLICATION_BUSINESS_DAYS } from '#domain/channels.ts';
import { ENTITY_ID } from '#domain/entity.ts';
import { CITIZEN_NOTICE_EVENTS } from '#domain/notices.ts';
import { KINDS } from '#domain/vocabulary.ts';
import { defineRoute } from '../route.ts';
import { Day, Instant, Radicado } from './filing.ts';

const CACHE_SECONDS = 60;

const PublicNoticeSchema = z.object({
  id: z.string().describe('`<radicado>/<source>`: one notice per case event, for good'),
  radicado: Radicado,
  entityId: z.string(),
  entityName: z.string(),
  kind: z.enum(CITIZEN_NOTICE_EVENTS).describe('What the notice tells (the case event)'),
  caseKind: z.enum(KINDS),
  title: z.string(),
  text: z.string().describe('Spanish; no personal data and nothing of the petition or the answer'),
  publishedAt: Instant,
  publishedOn: Day,
  until: Day.describe(`The last day shown: ${PUBLICATION_BUSINESS_DAYS} business days after publication`),
  notifiedOn: Day.describe('Notification is deemed done at the end of this day (the day after withdrawal)'),
});

/** A page of the list: what the route answers. */
export const PublicNoticesPageSchema = z.object({
  items: z.array(PublicNoticeSchema),
  cursor: z.string().optional(),
});

export const listPublicNoticesRoute = defineRoute({
  operationId: 'listPublicNotices',
  method: 'GET',
  path: '/v1/public/entities/{id}/notices',
  fn: 'PublicNotices',
  access: {
    public:
      "Notification by publication (CPACA art. 69) is public by law: the entity's notices to petitioners it cannot reach, each with the radicado and no personal data nor text of the petition or the answer.",
  },
  summary: "An entity's notices in force (notificación por aviso), newest first",
  description: `The notices published for petitioners with no contact (anonymous, or no email nor phone that takes an SMS), shown from their publication through the ${PUBLICATION_BUSINESS_DAYS}th business day after it on the entity's calendar. The answer itself is read in the case's tracking view with the tracking code. A page may hold fewer than \`limit\` items: follow \`cursor\` until it is absent.`,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  params: z.object({ id: z.string().regex(ENTITY_ID) }),
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2048).optional(),
  }),
  responses: {
    200: {
      description: 'A page of the notices in force today; pass `cursor` back for the next one',
      schema: PublicNoticesPageSchema,
      headers: {
        ETag: 'Hash of the body: send it back in If-None-Match for a 304',
        'Cache-Control': `public, max-age=${CACHE_SECONDS}`,
      },
    },
    304: { description: 'Not modified (If-None-Match named the current ETag)' },
  },
  problems: [400, 404, 500],
});

export const NOTICE_ROUTES = [listPublicNoticesRoute] as const;
