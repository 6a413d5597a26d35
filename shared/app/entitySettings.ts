/**
 * An entity's settings, as its admins read and replace them: offices, routing rules, term
 * overrides (shorter than the law only), office hours, closure days, semáforo thresholds.
 *
 * Optimistic concurrency: every write adds 1 to the stored version, and a replacement names the
 * version it was based on (If-Match); another admin's write in between makes it stale.
 * Each change appends an `entity_settings_changed` event to the entity's own audit trail, chained
 * like a case's, in the same transaction as the change.
 */

import type { Actor } from '#domain/actor.ts';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import { DEFAULT_SEMAFORO, type Entity, EntitySchema, type EntitySettings } from '#domain/entity.ts';
import { issuesOf } from '#domain/issues.ts';
import { canonicalJson, sha256Hex } from '#domain/text.ts';
import type { EntitySettingsStore, VersionedSettings } from '#ports/entitySettings.ts';
import type { CaseStore, Clock } from '#ports/index.ts';
import { inEntity, requireDuty } from './access.ts';
import { applyEntityClosures } from './closures.ts';
import { invalid, refusal, UseCaseError } from './errors.ts';
import { requireIfMatch, stale } from './preconditions.ts';

export interface SettingsDeps {
  settings: EntitySettingsStore;
  clock: Clock;
  /** The cases a change of closures reaches (absent: left to the next sweep). */
  cases?: CaseStore;
}

/** When a change takes effect (returned with every read and write; README says the same). */
export const SETTINGS_TAKE_EFFECT =
  'Terms, term classes and office hours apply to cases filed after the change: each case keeps the term lengths and office hours it was filed under. Closure days and acts suspending terms reach every pending case at once, whenever it was filed (its dates move, it records the change and the petitioner is told). Offices and routing rules apply to cases routed after it; semáforo thresholds to how every case is shown from then on. Running functions may use the previous settings for up to a minute.';

export const SETTINGS_EVENT = 'entity_settings_changed';

/** How long a settings change spends moving pending cases itself; the sweep (5 min) does the rest. */
const CLOSURES_BUDGET_MS = 10_000;

export interface SettingsView {
  entityId: string;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
  /** All but the id; the semáforo thresholds in force are filled in when not set. */
  settings: Record<string, unknown>;
  /** Stored settings that today's rules refuse (set before a rule was tightened): fix them. */
  invalidFields?: string[];
  takesEffect: string;
}

const notFound = () =>
  new UseCaseError('not_found', { es: 'No existe una entidad con ese id', en: 'no entity with that id' });

/** The settings as the subject of a precondition. */
const theSettings = (entityId: string) => ({
  es: `la configuración de ${entityId}`,
  en: `the settings of ${entityId}`,
});

/** The settings' entity tag: their version. */
export const settingsTag = (version: number) => `"${version}"`;

/** The stored settings of the actor's own entity (another entity's do not exist for it). */
async function ownSettings(deps: SettingsDeps, actor: Actor, entityId: string): Promise<VersionedSettings> {
  return inEntity(actor, await deps.settings.getVersioned(entityId), notFound);
}

function withoutId(settings: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = settings;
  return rest;
}

/** The settings in force: as stored, with the default semáforo thresholds when none are set. */
function inForce(settings: Record<string, unknown>): Record<string, unknown> {
  return { ...withoutId(settings), semaforo: settings.semaforo ?? DEFAULT_SEMAFORO };
}

function view(stored: VersionedSettings): SettingsView {
  const parsed = EntitySchema.safeParse({ ...stored.settings, id: stored.entityId });
  const settings = parsed.success ? inForce(parsed.data) : withoutId(stored.settings);
  return {
    entityId: stored.entityId,
    version: stored.version,
    ...(stored.updatedAt !== undefined ? { updatedAt: stored.updatedAt } : {}),
    ...(stored.updatedBy !== undefined ? { updatedBy: stored.updatedBy } : {}),
    settings,
    ...(parsed.success
      ? {}
      : {
          invalidFields: [
            ...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || '(settings)')),
          ],
        }),
    takesEffect: SETTINGS_TAKE_EFFECT,
  };
}

/** Supervisors and admins of the entity read its settings. */
export async function readEntitySettings(
  deps: SettingsDeps,
  actor: Actor,
  entityId: string,
): Promise<SettingsView> {
  requireDuty(actor, 'supervision');
  return view(await ownSettings(deps, actor, entityId));
}

/** Largest `before`/`after` detail kept in an audit event (bytes of JSON); beyond it, hashes only. */
const MAX_DETAIL = 100_000;

/**
 * What an audit event records of a change: the top-level settings that changed, their values
 * before and after (entity settings hold no personal data), and the SHA-256 of the whole settings
 * before and after. Absent values are null. Pure.
 */
export function settingsChange(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> } {
  const b = withoutId(before);
  const a = withoutId(after);
  const changed = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => canonicalJson(b[k] ?? null) !== canonicalJson(a[k] ?? null))
    .sort();
  return {
    changed,
    before: Object.fromEntries(changed.map((k) => [k, b[k] ?? null])),
    after: Object.fromEntries(changed.map((k) => [k, a[k] ?? null])),
  };
}

function changeEvent(
  stored: VersionedSettings,
  entity: Entity,
  actor: Actor,
  at: string,
  change: ReturnType<typeof settingsChange>,
): AuditEvent {
  const detail =
    canonicalJson(change).length <= MAX_DETAIL
      ? { before: change.before, after: change.after }
      : { detailOmitted: 'too large: see the hashes' };
  return chainEvent(
    stored.lastEventSeq > 0 ? { seq: stored.lastEventSeq, hash: stored.lastEventHash } : undefined,
    {
      // The trail's subject: the entity id (never a radicado's shape, so the two cannot be confused).
      radicado: stored.entityId,
      type: SETTINGS_EVENT,
      at,
      actor: { kind: 'officer', id: actor.subject },
      data: {
        version: stored.version + 1,
        changed: change.changed,
        ...detail,
        beforeSha256: sha256Hex(canonicalJson(withoutId(stored.settings))),
        afterSha256: sha256Hex(canonicalJson(withoutId(entity))),
      },
    },
  );
}

/**
 * An office leaves the settings only once it holds no open case: a case in an office nobody can
 * open would run its legal term unseen (its inbox answers 404, its alerts reach no one).
 */
async function requireEmptyRemovedOffices(
  deps: SettingsDeps,
  entityId: string,
  stored: Record<string, unknown>,
  entity: { offices: readonly { id: string }[] },
): Promise<void> {
  if (!deps.cases) return;
  const kept = new Set(entity.offices.map((o) => o.id));
  const before = (stored.offices ?? []) as readonly { id: string }[];
  for (const { id } of before.filter((o) => !kept.has(o.id))) {
    const [open] = (await deps.cases.listInbox(entityId, id, { limit: 1 })).items;
    if (open !== undefined) {
      throw invalid(
        'offices',
        'conflict',
        `no puede quitar la dependencia ${id}: tiene casos abiertos (como ${open.radicado}); reasígnelos a otra dependencia antes`,
        `cannot remove the office ${id}: it has open cases (such as ${open.radicado}); reassign them to another office first`,
      );
    }
  }
}

/**
 * An admin of the entity replaces its settings (all of them but the id), if `ifMatch` names the
 * stored version. The settings are validated again here with the entity's rules (the caller may
 * not be the HTTP route). A replacement that changes nothing writes nothing.
 */
export async function replaceEntitySettings(
  deps: SettingsDeps,
  actor: Actor,
  entityId: string,
  input: { settings: EntitySettings; ifMatch: string | undefined },
): Promise<SettingsView> {
  requireDuty(actor, 'administration');
  const stored = await ownSettings(deps, actor, entityId);
  requireIfMatch(input.ifMatch, settingsTag(stored.version), theSettings(entityId));
  const candidate = { ...input.settings, id: entityId };
  const parsed = EntitySchema.safeParse(candidate);
  if (!parsed.success) throw refusal(issuesOf(parsed.error, [], candidate));
  const entity = parsed.data;
  // Against the settings in force, as read: thresholds shown by default and put back are no change.
  const change = settingsChange(inForce(stored.settings), inForce(entity));
  if (change.changed.length === 0) return view(stored);

  await requireEmptyRemovedOffices(deps, entityId, stored.settings, entity);

  const at = deps.clock.now().toISOString();
  const event = changeEvent(stored, entity, actor, at, change);
  const outcome = await deps.settings.saveSettings({
    entity,
    expectedVersion: stored.version,
    event,
    at,
    by: actor.subject,
  });
  if (outcome === 'stale') {
    const now = await deps.settings.getVersioned(entityId);
    throw stale(theSettings(entityId), settingsTag(now?.version ?? stored.version));
  }
  // RULES.md, second pass: closures reach every pending case (the sweep finishes what this leaves).
  if (deps.cases && change.changed.includes('closures')) {
    await applyEntityClosures(
      { cases: deps.cases, clock: deps.clock, budgetMs: CLOSURES_BUDGET_MS },
      { entityId, closures: entity.closures, version: stored.version + 1 },
    );
  }
  return view({
    ...stored,
    settings: entity,
    version: stored.version + 1,
    updatedAt: at,
    updatedBy: actor.subject,
    lastEventSeq: event.seq,
    lastEventHash: event.hash,
  });
}
