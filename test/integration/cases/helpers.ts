/** Small helpers the case integration tests share. */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';

export const petitioner = {
  name: 'Ana Pérez Gómez',
  idType: 'CC',
  idNumber: '52123456',
  email: 'ana.perez@example.com',
  phone: '+57 300 123 4567',
};

export function petition(overrides: Record<string, unknown> = {}) {
  return {
    entityId: 'MINTIC',
    kind: 'petition',
    subject: 'Zona wifi de la vereda El Carmen',
    description: 'Solicito información sobre la instalación de la zona wifi prometida.',
    petitioner,
    ...overrides,
  };
}

export async function counter(
  ddb: DynamoDBDocumentClient,
  table: string,
  entityId: string,
  year: number,
): Promise<number> {
  const out = await ddb.send(
    new GetCommand({
      TableName: table,
      Key: { pk: `COUNTER#${entityId}#${year}`, sk: 'COUNTER' },
      ConsistentRead: true,
    }),
  );
  return typeof out.Item?.last === 'number' ? out.Item.last : 0;
}

export const bogotaYear = () => new Date(Date.now() - 5 * 3600_000).getUTCFullYear();
