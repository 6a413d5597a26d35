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

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined || options.raw !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
      ...options.headers,
    },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  return { status: res.status, headers: res.headers, body, text };
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
