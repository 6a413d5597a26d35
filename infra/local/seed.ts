/**
 * Seeds the demo entities (infra/local/seed/entities.json) into the table named by TABLE_NAME.
 * Idempotent: an entity is put only when its id is missing, so a restart with DATA_DIR neither
 * duplicates anything nor undoes an admin's settings changes.
 */
import { readFileSync } from 'node:fs';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import { type Entity, EntitySchema } from '#domain/entity.ts';
import { type ProposalRecord, thresholdOf } from '#domain/participation/proposal.ts';

export function demoEntities(): Entity[] {
  const file = new URL('./seed/entities.json', import.meta.url);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { entities: unknown[] };
  return data.entities.map((e, i) => {
    const parsed = EntitySchema.safeParse(e);
    if (!parsed.success)
      throw new Error(
        `seed entity #${i} is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  });
}

export async function seed(): Promise<string[]> {
  const table = process.env.TABLE_NAME;
  if (!table) throw new Error('seed needs TABLE_NAME');
  const db = createDocumentClient();
  const store = new DynamoEntityStore(db, table);
  const entities = demoEntities();
  // Only what is missing: with DATA_DIR, an admin's changes to a demo entity survive a restart.
  for (const entity of entities) if (!(await store.get(entity.id))) await store.put(entity);
  const proposal = await seedDemoProposal(new DynamoProposalStore(db, table), entities);
  const consultation = await seedDemoConsultation(new DynamoConsultationStore(db, table), entities);
  return [
    'Demo entities:',
    ...entities.map(
      (e) => `  ${e.id.padEnd(11)} ${e.name} — offices: ${e.offices.map((o) => o.id).join(', ')}`,
    ),
    ...(consultation ? [`Demo consultation: ${consultation} (open for comments)`] : []),
    ...(proposal
      ? [
          `Demo proposal: ${proposal.id} (${proposal.threshold} supports make it a petition to ${proposal.entityId})`,
        ]
      : []),
  ];
}

/** The demo proposal's id (fixed, so a restart with DATA_DIR finds it instead of adding another). */
export const DEMO_PROPOSAL_ID = 'MINTIC-P-DEM0PR0P';

/** A demo citizens' proposal to MINTIC, whose seed threshold is small (3 supports). Idempotent. */
async function seedDemoProposal(
  proposals: DynamoProposalStore,
  entities: readonly Entity[],
): Promise<ProposalRecord | undefined> {
  const entity = entities.find((e) => e.id === 'MINTIC');
  if (!entity) return undefined;
  const existing = await proposals.get(DEMO_PROPOSAL_ID);
  if (existing) return existing;
  const proposal: ProposalRecord = {
    id: DEMO_PROPOSAL_ID,
    entityId: entity.id,
    title: 'Zonas wifi gratuitas en las veredas de Boyacá',
    description:
      'Proponemos instalar zonas wifi gratuitas en las escuelas rurales de las veredas de Boyacá que hoy no tienen conexión.',
    category: 'connectivity_programs',
    // A fictitious author (demo data).
    author: {
      name: 'Ciudadana de Demostración',
      idType: 'CC',
      idNumber: '0000000',
      email: 'demo@example.org',
    },
    authorHash: '0'.repeat(64),
    threshold: thresholdOf(entity),
    status: 'open',
    createdAt: new Date().toISOString(),
  };
  try {
    await proposals.create(proposal);
  } catch (error) {
    // Another process seeded it first.
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
  return proposal;
}

/** The demo consultation's id (fixed, so a restart with DATA_DIR finds it instead of adding another). */
export const DEMO_CONSULTATION_ID = 'MINTIC-C-DEM0C0NS';

/** A draft regulation of MINTIC open for comments for 30 days from the first seed. Idempotent. */
async function seedDemoConsultation(
  consultations: DynamoConsultationStore,
  entities: readonly Entity[],
): Promise<string | undefined> {
  if (!entities.some((e) => e.id === 'MINTIC')) return undefined;
  if (await consultations.get(DEMO_CONSULTATION_ID)) return DEMO_CONSULTATION_ID;
  const now = new Date();
  await consultations.create({
    id: DEMO_CONSULTATION_ID,
    entityId: 'MINTIC',
    type: 'draft_regulation',
    title: 'Proyecto de resolución: zonas wifi rurales gratuitas',
    summary: 'Reglas para la operación y el acceso gratuito a las zonas wifi rurales.',
    sections: [
      { id: 's1', title: 'Artículo 1. Objeto', body: 'Regular la operación de las zonas wifi rurales.' },
      { id: 's2', title: 'Artículo 2. Gratuidad', body: 'El acceso será gratuito para toda persona.' },
      { id: 's3', title: 'Artículo 3. Horario', body: 'El servicio funcionará de 6:00 a 22:00.' },
    ],
    opensAt: now.toISOString(),
    closesAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    status: 'open',
    createdAt: now.toISOString(),
    createdBy: 'seed',
    openedAt: now.toISOString(),
    version: 2,
  });
  return DEMO_CONSULTATION_ID;
}
