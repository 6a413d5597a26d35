import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * A rotating customer-managed key for log groups: CloudWatch Logs may use it for this account's
 * log groups in the stack's region only (the encryption context names the log group).
 */
export function logGroupKey(
  scope: Construct,
  id: string,
  description: string,
  removalPolicy: RemovalPolicy,
): Key {
  const { region, account, partition } = Stack.of(scope);
  const key = new Key(scope, id, { description, enableKeyRotation: true, removalPolicy });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchLogsForThisAccountsLogGroups',
      principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
        },
      },
    }),
  );
  return key;
}
