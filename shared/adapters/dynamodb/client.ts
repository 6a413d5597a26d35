import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { guardTableAccess } from './tableAccess.ts';

/**
 * The SDK's logger middleware, removed: even with no logger it builds a filtered copy of every
 * call's input and output. Why: docs/adr/0006-bundling-shims.md
 */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * One document client per process (created at cold start, reused by every invocation).
 * `instrument` lets the composition root wrap the raw client (X-Ray subsegments per call).
 */
export function createDocumentClient(instrument: <T>(client: T) => T = (c) => c): DynamoDBDocumentClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  guardTableAccess(client);
  return DynamoDBDocumentClient.from(instrument(client), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
