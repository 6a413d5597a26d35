/**
 * An identified citizen's cases across every entity (issue 13): those filed with their identity
 * token and those they link with the radicado and tracking code; newest received first.
 */
import type { Citizen } from '#domain/actor.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { CaseStatus } from '#domain/vocabulary.ts';
import type { Page } from '#ports/index.ts';
import { paged } from './errors.ts';
import { citizenCases, type PetitionerDeps, petitionersCase } from './petitioner.ts';

export interface MyCase {
  radicado: string;
  entityId: string;
  kind: string;
  status: CaseStatus;
  receivedAt: string;
  dueDate: string | null;
  linkedAt: string;
  /** Forwarded (Ley 1755 art. 21): the competent entity's case, followed with the same credential. */
  forwardedTo?: string;
}

function myCase(c: CaseRecord, linkedAt: string): MyCase {
  return {
    radicado: c.radicado,
    entityId: c.entityId,
    kind: c.kind,
    status: c.status,
    receivedAt: c.receivedAt,
    dueDate: c.dueDate,
    linkedAt,
    ...(c.forwardedTo ? { forwardedTo: c.forwardedTo.radicado } : {}),
  };
}

export async function listMyCases(
  deps: PetitionerDeps,
  citizen: Citizen,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<MyCase>> {
  const links = await paged(
    deps.citizens.list(
      citizenCases(deps.pseudonyms, citizen).map((p) => p.hash),
      {
        limit: page.limit,
        ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      },
    ),
  );
  const records = new Map(
    (await deps.cases.getMany(links.items.map((l) => l.radicado))).map((c) => [c.radicado, c]),
  );
  const items = links.items.flatMap((link) => {
    const c = records.get(link.radicado);
    return c ? [myCase(c, link.linkedAt)] : [];
  });
  return { items, ...(links.cursor !== undefined ? { cursor: links.cursor } : {}) };
}

/** Links a case the citizen holds the tracking code of (a wrong code: the same 404 as anywhere). */
export async function linkMyCase(
  deps: PetitionerDeps,
  citizen: Citizen,
  request: { radicado: string; trackingCode: string },
): Promise<MyCase> {
  const c = await petitionersCase(deps, request.radicado, { trackingCode: request.trackingCode });
  const [current] = citizenCases(deps.pseudonyms, citizen);
  const stored = await deps.citizens.link(current!, {
    radicado: c.radicado,
    entityId: c.entityId,
    receivedAt: c.receivedAt,
    linkedAt: deps.clock.now().toISOString(),
  });
  return myCase(c, stored.linkedAt);
}
