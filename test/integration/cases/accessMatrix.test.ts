/**
 * Who may do what (issue 5): every officer route × every role × own entity / another entity /
 * no token, over the local API with real tokens from the dev issuer. A route that needs a token
 * and has no row here fails the coverage check, so a new route forces a decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/actor.ts';
import { ROUTES } from '#http/routes/index.ts';
import { seed } from '#infra/local/seed.ts';
import { routesNeedingRows } from '#test/support/accessMatrix.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { tinyPdf, uploadDocument } from '#test/support/uploads.ts';
import { petition } from './helpers.ts';

let system: LocalSystem;
const OFFICE = 'atencion-ciudadano';

let radicado: string;
/** A document filed with the case. */
let documentId: string;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  documentId = await uploadDocument(system.baseUrl, tinyPdf(), 'prueba.pdf');
  radicado = await freshCase([documentId]);
});
afterAll(() => system?.stop());

/** The callers: each role of MINTIC (the officer in the case's office or in another), another entity's, nobody. */
const CALLERS = {
  anonymous: undefined,
  officer: { entity: 'MINTIC', roles: ['officer'], offices: [OFFICE] },
  officerOtherOffice: { entity: 'MINTIC', roles: ['officer'], offices: ['espectro'] },
  supervisor: { entity: 'MINTIC', roles: ['supervisor'], offices: [] },
  admin: { entity: 'MINTIC', roles: ['admin'], offices: [] },
  communicator: { entity: 'MINTIC', roles: ['communicator'], offices: [] },
  otherOfficer: { entity: 'SUPERSALUD', roles: ['officer'], offices: ['pqrd'] },
  otherSupervisor: { entity: 'SUPERSALUD', roles: ['supervisor'], offices: [] },
  otherAdmin: { entity: 'SUPERSALUD', roles: ['admin'], offices: [] },
} as const satisfies Record<string, { entity: string; roles: Role[]; offices: string[] } | undefined>;
type Caller = keyof typeof CALLERS;

interface Cell {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A MINTIC case in OFFICE, routed. */
async function freshCase(attachments?: string[]) {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
    body: petition({
      kind: 'query',
      subject: 'Consulta',
      description: 'Pregunta.',
      ...(attachments ? { attachments } : {}),
    }),
  });
  if (filed.status !== 201) throw new Error(`filing answered ${filed.status}: ${filed.text}`);
  await system.drain();
  return String(filed.body.radicado);
}

async function bearer(caller: Caller): Promise<Record<string, string>> {
  const spec = CALLERS[caller];
  if (!spec) return {};
  const token = await system.issuer.issue({
    entity: spec.entity,
    roles: [...spec.roles],
    offices: [...spec.offices],
  });
  return { authorization: `Bearer ${token}` };
}

const supervisorView = async (r: string) =>
  call(system.baseUrl, 'GET', `/v1/cases/${r}`, { headers: await bearer('supervisor') });

/**
 * Each route: how to build the request (fresh state where the call changes it), and the status
 * each caller gets. `own` = 2xx for the role; 401 without token; 404 for another entity's caller
 * where the route names a MINTIC resource; 403 for a role or office of MINTIC that may not.
 */
/** Who reads an office's inbox (and its analogous groups, with the same check). */
const INBOX_READERS: Record<Caller, number> = {
  anonymous: 401,
  officer: 200,
  officerOtherOffice: 403,
  supervisor: 200,
  admin: 200,
  communicator: 403,
  // Another entity has no office of that id: not found.
  otherOfficer: 403,
  otherSupervisor: 404,
  otherAdmin: 404,
};

const MATRIX: Record<string, { request: () => Promise<Cell>; expect: Record<Caller, number> }> = {
  'GET /v1/inbox': {
    request: async () => ({ method: 'GET', path: `/v1/inbox?office=${OFFICE}` }),
    expect: INBOX_READERS,
  },
  'GET /v1/inbox/analogous': {
    request: async () => ({ method: 'GET', path: `/v1/inbox/analogous?office=${OFFICE}` }),
    expect: INBOX_READERS,
  },
  'POST /v1/inbox/analogous/answers': {
    // Radicados that exist nowhere: every case worker gets 404 before anything changes.
    request: async () => ({
      method: 'POST',
      path: '/v1/inbox/analogous/answers',
      body: {
        groupId: crypto.randomUUID(),
        radicados: Array.from({ length: 11 }, (_, i) => `MINTIC-2099-${String(900_000 + i)}`),
        answer: 'Respuesta conjunta.',
        outcome: 'granted',
      },
    }),
    expect: {
      anonymous: 401,
      officer: 404,
      officerOtherOffice: 404,
      supervisor: 404,
      admin: 404,
      communicator: 403,
      otherOfficer: 404,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'GET /v1/cases/{radicado}': {
    // Without a token this is the citizen's view, which needs the tracking code: 404 without it.
    request: async () => ({ method: 'GET', path: `/v1/cases/${radicado}` }),
    expect: {
      anonymous: 404,
      officer: 200,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 404,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'POST /v1/cases/{radicado}/actions': {
    // The same case each time: the call toggles its priority, on its current ETag.
    request: async () => {
      const view = await supervisorView(radicado);
      return {
        method: 'POST',
        path: `/v1/cases/${radicado}/actions`,
        body: {
          type: 'set_priority',
          priority: view.body.priority !== true,
          reason: 'Revisión de prioridad.',
        },
        headers: { 'if-match': view.headers.get('etag') ?? '' },
      };
    },
    expect: {
      anonymous: 401,
      officer: 200,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 404,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'GET /v1/cases/{radicado}/history': {
    request: async () => ({ method: 'GET', path: `/v1/cases/${radicado}/history` }),
    expect: {
      anonymous: 401,
      officer: 200,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 404,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'POST /v1/cases/verbal': {
    request: async () => ({
      method: 'POST',
      path: '/v1/cases/verbal',
      body: { filing: petition(), record: { channel: 'phone' } },
    }),
    expect: {
      anonymous: 401,
      officer: 201,
      officerOtherOffice: 201,
      supervisor: 201,
      admin: 201,
      communicator: 403,
      // For MINTIC, by someone of SUPERSALUD: refused.
      otherOfficer: 403,
      otherSupervisor: 403,
      otherAdmin: 403,
    },
  },
  'GET /v1/cases/{radicado}/audit': {
    request: async () => ({ method: 'GET', path: `/v1/cases/${radicado}/audit` }),
    expect: {
      anonymous: 401,
      officer: 403,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 403,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'GET /v1/entities/{entityId}/pqrsd-internal-report': {
    request: async () => ({ method: 'GET', path: '/v1/entities/MINTIC/pqrsd-internal-report?period=2026' }),
    expect: {
      anonymous: 401,
      officer: 403,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 403,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'GET /v1/entities/{entityId}/settings': {
    request: async () => ({ method: 'GET', path: '/v1/entities/MINTIC/settings' }),
    expect: {
      anonymous: 401,
      officer: 403,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      // A role that may not read settings at all is refused first, whatever the entity.
      otherOfficer: 403,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'PUT /v1/entities/{entityId}/settings': {
    request: async () => {
      const current = await call(system.baseUrl, 'GET', '/v1/entities/MINTIC/settings', {
        headers: await bearer('admin'),
      });
      const { version: _v, ...settings } = current.body as Record<string, unknown>;
      return {
        method: 'PUT',
        path: '/v1/entities/MINTIC/settings',
        body: (settings.settings as unknown) ?? settings,
        headers: { 'if-match': current.headers.get('etag') ?? '' },
      };
    },
    expect: {
      anonymous: 401,
      officer: 403,
      officerOtherOffice: 403,
      supervisor: 403,
      admin: 200,
      communicator: 403,
      otherOfficer: 403,
      otherSupervisor: 403,
      otherAdmin: 404,
    },
  },
  'GET /v1/cases/{radicado}/documents/{documentId}': {
    // Without a token this is the petitioner's download, which needs the tracking code: 404.
    request: async () => ({ method: 'GET', path: `/v1/cases/${radicado}/documents/${documentId}` }),
    expect: {
      anonymous: 404,
      officer: 200,
      officerOtherOffice: 403,
      supervisor: 200,
      admin: 200,
      communicator: 403,
      otherOfficer: 404,
      otherSupervisor: 404,
      otherAdmin: 404,
    },
  },
  'POST /v1/uploads': {
    // Uploads belong to no entity until a submission takes them; the uploader must be someone.
    request: async () => ({
      method: 'POST',
      path: '/v1/uploads',
      body: { fileName: 'anexo.pdf', bytes: 100, sha256: 'a'.repeat(64) },
    }),
    expect: {
      anonymous: 400,
      officer: 201,
      officerOtherOffice: 201,
      supervisor: 201,
      admin: 201,
      communicator: 403,
      otherOfficer: 201,
      otherSupervisor: 201,
      otherAdmin: 201,
    },
  },
  ...participationRows(),
};

/** The communicators' routes (issue 6), on the seeded demo consultation (open) where one is named. */
function participationRows(): typeof MATRIX {
  const DEMO = '/v1/consultations/MINTIC-C-DEM0C0NS';
  // Communicators and admins of MINTIC pass; other roles of MINTIC are refused; another entity's
  // staff do not find MINTIC's consultation (a role that may not work on participation at all is
  // refused first, whatever the entity).
  const reads = {
    anonymous: 401,
    officer: 403,
    officerOtherOffice: 403,
    supervisor: 403,
    admin: 200,
    communicator: 200,
    otherOfficer: 403,
    otherSupervisor: 403,
    otherAdmin: 404,
  };
  const day = 86_400_000;
  return {
    'POST /v1/consultations': {
      request: async () => ({
        method: 'POST',
        path: '/v1/consultations',
        body: {
          entityId: 'MINTIC',
          type: 'question',
          title: '¿Qué horario prefiere para las zonas wifi?',
          summary: 'Pregunta abierta a la ciudadanía.',
          sections: [{ title: 'Pregunta', body: '¿Qué horario prefiere?' }],
          opensAt: new Date(Date.now() + day).toISOString(),
          closesAt: new Date(Date.now() + 20 * day).toISOString(),
        },
      }),
      // Another entity's communicator may not create one for MINTIC: refused (the body names MINTIC).
      expect: { ...reads, admin: 201, communicator: 201, otherAdmin: 403 },
    },
    'GET /v1/consultations/{id}': {
      request: async () => ({ method: 'GET', path: DEMO }),
      expect: reads,
    },
    'POST /v1/consultations/{id}/actions': {
      // Publishing an open consultation: the roles that may act get the lifecycle's 409.
      request: async () => ({ method: 'POST', path: `${DEMO}/actions`, body: { action: 'publish' } }),
      expect: { ...reads, admin: 409, communicator: 409 },
    },
    'GET /v1/consultations/{id}/comments': {
      request: async () => ({ method: 'GET', path: `${DEMO}/comments` }),
      expect: reads,
    },
    'GET /v1/consultations/{id}/groups': {
      request: async () => ({ method: 'GET', path: `${DEMO}/groups` }),
      expect: reads,
    },
    'POST /v1/consultations/{id}/dispositions': {
      // Dispositions before the consultation closes: the lifecycle's 409 for those who may.
      request: async () => ({
        method: 'POST',
        path: `${DEMO}/dispositions`,
        body: {
          items: [{ reference: 'ABCD-EFGH-JKMN-PQRS', disposition: 'accepted', reasons: 'Se acoge.' }],
        },
      }),
      expect: { ...reads, admin: 409, communicator: 409 },
    },
  };
}

describe('who may do what', () => {
  it('has a row for every route that reads a token', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(routesNeedingRows(ROUTES));
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(`${route}: every role, own entity, another entity, no token`, async () => {
      const seen: Record<string, number> = {};
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        const cell = await row.request();
        const reply = await call(system.baseUrl, cell.method, cell.path, {
          ...(cell.body !== undefined ? { body: cell.body } : {}),
          headers: { ...cell.headers, ...(await bearer(caller)) },
        });
        seen[caller] = reply.status;
        if (reply.status >= 400)
          expect(reply.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(seen).toEqual(row.expect);
    });
  }
});
