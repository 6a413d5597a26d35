/**
 * Routes of an entity's admins and supervisors: the entity settings (read, replace with
 * If-Match) and the verification of a case's audit trail.
 */
import * as z from 'zod';
import { DUTIES } from '#domain/actor.ts';
import { ENTITY_ID, EntitySettingsSchema } from '#domain/entity.ts';
import { defineRoute } from '../route.ts';
import { Radicado } from './filing.ts';

const EntityIdParams = z.object({
  entityId: z.string().regex(ENTITY_ID),
});

const ETAG_HEADER = { ETag: 'The settings version, for If-Match: `"<version>"`' };

const SettingsViewSchema = z.object({
  entityId: z.string(),
  version: z.number().int().describe('Every change adds 1; sent as the ETag'),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional().describe('Subject of the admin who made the last change'),
  settings: z
    .record(z.string(), z.unknown())
    .describe(
      'The settings, in the shape of the PUT body; the semáforo thresholds in force are filled in when not set',
    ),
  invalidFields: z
    .array(z.string())
    .optional()
    .describe('Stored settings that today’s rules refuse (set before a rule was tightened): fix them'),
  takesEffect: z.string().describe('Which cases a change applies to'),
});

export const getEntitySettingsRoute = defineRoute({
  operationId: 'getEntitySettings',
  method: 'GET',
  path: '/v1/entities/{entityId}/settings',
  fn: 'EntitySettings',
  access: { officer: DUTIES.supervision },
  summary: "An entity's settings (admins and supervisors of the entity)",
  description:
    "Offices, routing rules, term overrides, office hours, closure days and semáforo thresholds, with the version as ETag. Admins and supervisors of the entity read them; other roles → 403; another entity's id → 404.",
  tags: ['admin'],
  params: EntityIdParams,
  responses: { 200: { description: 'The settings', schema: SettingsViewSchema, headers: ETAG_HEADER } },
  problems: [400, 401, 403, 404, 500],
});

export const putEntitySettingsRoute = defineRoute({
  operationId: 'putEntitySettings',
  method: 'PUT',
  path: '/v1/entities/{entityId}/settings',
  fn: 'EntitySettings',
  access: { officer: DUTIES.administration },
  summary: "Replace an entity's settings (admins of the entity)",
  description:
    'Replaces all the settings but the id. Send If-Match with the ETag of the settings you read: without it → 428; if they changed since → 412 (read again, reapply). Validated: a term longer than the law allows is refused citing the article (an entity may only shorten terms), office ids unique, the default office and every routing rule point to an office, office hours HH:MM with open before close, closure days real dates, semáforo yellow below red. A change applies to cases filed (routed) after it: each case keeps the clock settings it was filed under. Each change is recorded in the entity’s audit trail.',
  tags: ['admin'],
  params: EntityIdParams,
  headers: z.object({ 'if-match': z.string().max(512).optional() }),
  body: EntitySettingsSchema,
  responses: {
    200: { description: 'The settings as stored now', schema: SettingsViewSchema, headers: ETAG_HEADER },
  },
  problems: [400, 401, 403, 404, 412, 413, 415, 422, 428, 500],
});

export const AuditReportSchema = z.object({
  ok: z.boolean(),
  events: z.number().int().describe('Events found'),
  head: z.string().optional().describe('SHA-256 of the last event, when the trail holds'),
  brokenAt: z.number().int().optional().describe('Sequence number of the first event that does not hold'),
  reason: z.string().optional(),
});

export const auditCaseRoute = defineRoute({
  operationId: 'auditCase',
  method: 'GET',
  path: '/v1/cases/{radicado}/audit',
  fn: 'AuditCase',
  access: { officer: DUTIES.supervision },
  summary: "Verify a case's audit trail (supervisors and admins of the entity)",
  description:
    "Recomputes the SHA-256 chain of the case's events and checks the case's recorded head; reports the first broken link. Officers → 403; another entity's case → 404.",
  tags: ['admin'],
  params: z.object({ radicado: Radicado }),
  responses: { 200: { description: 'The verdict', schema: AuditReportSchema } },
  problems: [400, 401, 403, 404, 500],
});

export const ADMIN_ROUTES = [getEntitySettingsRoute, putEntitySettingsRoute, auditCaseRoute] as const;
