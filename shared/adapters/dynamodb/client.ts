import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One document client per process (created at cold start, reused by every invocation).
 * `instrument` lets the composition root wrap the raw client (X-Ray subsegments per call).
 */
export function createDocumentClient(instrument: <T>(client: T) => T = (c) => c): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrument(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
