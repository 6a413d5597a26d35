import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK's logger middleware. With no logger configured (ours: none) it still builds a
 * sensitive-data-filtered copy of every call's input and output to hand to the no-op logger's
 * `info`: a walk over the whole marshalled transaction and its result on each call, for nothing.
 */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * One document client per process (created at cold start, reused by every invocation).
 * `instrument` lets the composition root wrap the raw client (X-Ray subsegments per call).
 */
export function createDocumentClient(instrument: <T>(client: T) => T = (c) => c): DynamoDBDocumentClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return DynamoDBDocumentClient.from(instrument(client), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
