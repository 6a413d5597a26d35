/** An entity's settings: admins and supervisors read, admins replace (If-Match), audited. */
import { readEntitySettings, replaceEntitySettings, settingsTag } from '#app/entitySettings.ts';
import { on, serve } from '#http/handler.ts';
import { getEntitySettingsRoute, putEntitySettingsRoute } from '#http/routes/admin.ts';
import { cases, clock, entities } from '../deps.ts';

// The cases: a change of closures reaches every pending case (shared/app/closures.ts).
const deps = { settings: entities(), clock, cases: cases() };

export const handler = serve([
  on(getEntitySettingsRoute, async ({ actor, params }) => {
    const view = await readEntitySettings(deps, actor, params.entityId);
    return { status: 200, body: view, headers: { etag: settingsTag(view.version) } };
  }),
  on(putEntitySettingsRoute, async ({ actor, params, headers, body }) => {
    const view = await replaceEntitySettings(deps, actor, params.entityId, {
      settings: body,
      ifMatch: headers['if-match'],
    });
    return { status: 200, body: view, headers: { etag: settingsTag(view.version) } };
  }),
]);
