/**
 * Seeds the demo entities (infra/local/seed/entities.json) into the table named by TABLE_NAME.
 * Idempotent: entities are put by id, so a restart with DATA_DIR does not duplicate anything.
 */
import { readFileSync } from 'node:fs';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { type Entity, EntitySchema } from '#domain/entity.ts';

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
  const store = new DynamoEntityStore(createDocumentClient(), table);
  const entities = demoEntities();
  for (const entity of entities) await store.put(entity);
  return [
    'Demo entities:',
    ...entities.map(
      (e) => `  ${e.id.padEnd(11)} ${e.name} — offices: ${e.offices.map((o) => o.id).join(', ')}`,
    ),
  ];
}
