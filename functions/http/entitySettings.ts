import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { readEntitySettings, replaceEntitySettings, StaleSettingsError } from '#app/entitySettings.ts';
import { type Actor, belongsTo, hasRole } from '#domain/actor.ts';
import { getEntitySettingsRoute, putEntitySettingsRoute } from '#http/adminRoutes.ts';
import { authenticate } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { clock, entities } from '../deps.ts';

const deps = { settings: entities(), clock };

const etag = (version: number) => `"${version}"`;

/** Another entity's settings do not exist for this caller (404), like an unknown id. */
function ownEntity(actor: Actor, entityId: string): void {
  if (!belongsTo(actor, entityId)) throw new HttpProblem(404, 'no entity with that id');
}

/**
 * The versions an `If-Match` accepts (RFC 9110 §13.1.1: strong comparison, so weak tags match
 * nothing), or `any` for `*`. Missing → 428; malformed → 400.
 */
function basedOn(ifMatch: string | undefined): readonly number[] | 'any' {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new HttpProblem(
      428,
      'send If-Match with the ETag of the settings you read (GET them first): it keeps one admin from overwriting another’s change',
      { errors: [{ field: 'header.if-match', message: 'is required' }] },
    );
  }
  if (ifMatch.trim() === '*') return 'any';
  const versions: number[] = [];
  for (const tag of ifMatch.split(',').map((t) => t.trim())) {
    const strong = /^"(\d{1,15})"$/.exec(tag);
    if (strong) versions.push(Number(strong[1]));
    else if (!/^W\/"[^"]*"$/.test(tag)) {
      throw new HttpProblem(400, 'If-Match must be the ETag you read, such as "3"', {
        errors: [{ field: 'header.if-match', message: 'must be an entity tag such as "3"' }],
      });
    }
  }
  return versions;
}

const read = httpHandler(getEntitySettingsRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  ownEntity(actor, request.params.entityId);
  if (!hasRole(actor, 'admin') && !hasRole(actor, 'supervisor')) {
    throw new HttpProblem(403, 'the entity settings are for its admins and supervisors');
  }
  const view = await readEntitySettings(deps, request.params.entityId);
  return { status: 200, body: view, headers: { etag: etag(view.version) } };
});

const replace = httpHandler(putEntitySettingsRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  ownEntity(actor, request.params.entityId);
  if (!hasRole(actor, 'admin')) throw new HttpProblem(403, 'only the entity’s admins change its settings');
  const versions = basedOn(request.headers['if-match']);
  try {
    const view = await replaceEntitySettings(deps, actor, request.params.entityId, {
      settings: request.body,
      basedOn: versions,
    });
    return { status: 200, body: view, headers: { etag: etag(view.version) } };
  } catch (error) {
    if (!(error instanceof StaleSettingsError)) throw error;
    throw new HttpProblem(412, error.message, { headers: { etag: etag(error.currentVersion) } });
  }
});

/** One function serves both settings routes; API Gateway names the route. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === `PUT ${putEntitySettingsRoute.path}` ? replace(event, context) : read(event, context);
