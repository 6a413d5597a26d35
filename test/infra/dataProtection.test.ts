import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  logicalId,
  nagFindings,
  type PolicyStatementJson,
  prop,
  refersTo,
  resource,
  type Synthesized,
  statementsOfRole,
  synth,
  type TemplateResource,
} from './support.ts';

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
});

const ofType = (s: Synthesized, type: string): [string, TemplateResource][] =>
  Object.entries(s.resources).filter(([, r]) => r.Type === type);

/** `{ 'Fn::GetAtt': [key, 'Arn'] }` (or a Ref) of a customer managed key of the template, rotated. */
function rotatedKeyOf(s: Synthesized, value: unknown): string {
  expect(value, 'a KMS key').toBeDefined();
  const keys = ofType(s, 'AWS::KMS::Key');
  const found = keys.find(([id]) => refersTo(value, id));
  expect(found, `a key of the stack in ${JSON.stringify(value)}`).toBeDefined();
  const [id, key] = found ?? ['', { Type: '' }];
  expect(prop(key, 'EnableKeyRotation'), id).toBe(true);
  return id;
}

const keyIds = (s: Synthesized) => ({
  data: logicalId(s.stack, s.stack.dataKey),
  log: logicalId(s.stack, s.stack.logKey),
});

const keyStatements = (s: Synthesized, id: string): PolicyStatementJson[] =>
  prop<{ Statement: PolicyStatementJson[] }>(resource(s.resources, id), 'KeyPolicy').Statement;

/** Every statement of every IAM policy of the stack that names this key. */
const iamStatementsOn = (s: Synthesized, keyId: string): PolicyStatementJson[] =>
  ofType(s, 'AWS::IAM::Policy')
    .flatMap(([, r]) => prop<{ Statement: PolicyStatementJson[] }>(r, 'PolicyDocument').Statement)
    .filter((st) => refersTo(st.Resource, keyId));

describe.each(['dev', 'prod'] as const)('customer managed keys (%s)', (stage) => {
  const s = () => (stage === 'dev' ? dev : prod);

  it('encrypts the table (and so its stream and backups) with the data key', () => {
    const table = resource(s().resources, logicalId(s().stack, s().stack.table));
    const sse = prop<{ SSEEnabled: boolean; SSEType: string; KMSMasterKeyId: unknown }>(
      table,
      'SSESpecification',
    );
    expect(sse).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(rotatedKeyOf(s(), sse.KMSMasterKeyId)).toBe(keyIds(s()).data);
  });

  it('encrypts every queue and dead-letter queue with the data key', () => {
    const queues = ofType(s(), 'AWS::SQS::Queue');
    // The catalog's queues and DLQs, each pipe's DLQ, each schedule's DLQ.
    expect(queues.length).toBeGreaterThanOrEqual(2 * s().stack.queues.size + s().stack.pipes.size);
    for (const [id, queue] of queues) {
      expect(prop(queue, 'SqsManagedSseEnabled'), id).toBeUndefined();
      expect(rotatedKeyOf(s(), prop(queue, 'KmsMasterKeyId')), id).toBe(keyIds(s()).data);
    }
  });

  it('encrypts every log group with the log key', () => {
    const groups = ofType(s(), 'AWS::Logs::LogGroup');
    // Every function's and the API's access logs.
    expect(groups.length).toBeGreaterThan(s().stack.functions.size);
    for (const [id, group] of groups) {
      expect(rotatedKeyOf(s(), prop(group, 'KmsKeyId')), id).toBe(keyIds(s()).log);
    }
  });

  it('encrypts every secret with a customer managed key', () => {
    for (const [, secret] of ofType(s(), 'AWS::SecretsManager::Secret')) {
      rotatedKeyOf(s(), prop(secret, 'KmsKeyId'));
    }
  });

  it(`rotates every encryption key and keeps each with the data (${stage === 'prod' ? 'retained' : 'deleted with the stage'})`, () => {
    const keys = ofType(s(), 'AWS::KMS::Key');
    expect(keys.map(([id]) => id)).toEqual(expect.arrayContaining(Object.values(keyIds(s()))));
    for (const [id, key] of keys) {
      // KMS rotates symmetric encryption keys; signing and HMAC keys rotate by version (Keys.ts).
      const spec = prop<string | undefined>(key, 'KeySpec');
      if (spec === undefined || spec === 'SYMMETRIC_DEFAULT')
        expect(prop(key, 'EnableKeyRotation'), id).toBe(true);
      expect(key.DeletionPolicy, id).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    }
  });

  it('lets CloudWatch Logs use the log key for this account’s log groups only', () => {
    const logs = keyStatements(s(), keyIds(s()).log).filter((st) =>
      JSON.stringify(st.Principal ?? {}).includes('logs.'),
    );
    expect(logs).toHaveLength(1);
    const [statement] = logs;
    expect(statement?.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() },
    });
    const context = JSON.stringify(statement?.Condition);
    expect(context).toContain(':log-group:*');
    expect(context).toContain('"Ref":"AWS::AccountId"');
    // No other service may use the log key, and no service but EventBridge the data key.
    for (const st of keyStatements(s(), keyIds(s()).log)) {
      expect(st === statement || JSON.stringify(st.Principal).includes(':root')).toBe(true);
    }
  });

  it('lets EventBridge use the data key (the delivery reports queue) for this account’s rules only', () => {
    const services = keyStatements(s(), keyIds(s()).data).filter((st) =>
      JSON.stringify(st.Principal ?? {}).includes('Service'),
    );
    expect(services.length).toBeGreaterThan(0);
    for (const st of services) {
      expect(st.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(st.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    }
  });
});

describe('who may use the keys (dev)', () => {
  it('gives roles only decrypt, encrypt, generate-data-key and describe on the data and log keys', () => {
    const { data, log } = keyIds(dev);
    const statements = [...iamStatementsOn(dev, data), ...iamStatementsOn(dev, log)];
    expect(statements.length).toBeGreaterThan(0);
    for (const st of statements) {
      for (const action of actionsOf(st)) {
        expect(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']).toContain(action);
      }
    }
    // Nobody's role needs the log key: CloudWatch Logs uses it through its key policy.
    expect(iamStatementsOn(dev, log)).toEqual([]);
  });

  it('lets every role that sends to a queue make data keys with the data key', () => {
    const { data } = keyIds(dev);
    const roles = ofType(dev, 'AWS::IAM::Role').map(([id]) => id);
    let senders = 0;
    for (const role of roles) {
      const statements = statementsOfRole(dev.resources, role);
      if (!statements.some((st) => actionsOf(st).includes('sqs:SendMessage'))) continue;
      senders += 1;
      const kms = statements.filter((st) => refersTo(st.Resource, data)).flatMap(actionsOf);
      expect(kms, role).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']));
    }
    // Functions that send or dead-letter, and the schedules' roles (to their DLQs).
    expect(senders).toBeGreaterThan(2);
  });

  it('lets every role that reads the table decrypt with the data key, and every writer encrypt', () => {
    const { data } = keyIds(dev);
    const table = logicalId(dev.stack, dev.stack.table);
    for (const [role] of ofType(dev, 'AWS::IAM::Role')) {
      const statements = statementsOfRole(dev.resources, role);
      const onTable = statements.filter(
        (st) => refersTo(st.Resource, table) && actionsOf(st).some((a) => a.startsWith('dynamodb:')),
      );
      if (onTable.length === 0) continue;
      const kms = statements.filter((st) => refersTo(st.Resource, data)).flatMap(actionsOf);
      expect(kms, role).toContain('kms:Decrypt');
      const writes = onTable
        .flatMap(actionsOf)
        .some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'].includes(a));
      if (writes) expect(kms, role).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey']));
      else expect(kms, role).not.toContain('kms:Encrypt');
    }
  });
});

describe.each(['dev', 'prod'] as const)('cdk-nag, all three packs (%s)', (stage) => {
  it.each(['AwsSolutions', 'NIST.800.53.R5', 'Serverless'])(
    '%s: no unsuppressed error or warning',
    (pack) => {
      expect(nagFindings((stage === 'dev' ? dev : prod).stack, [pack])).toEqual([]);
    },
  );

  it('gives every suppression a specific reason', () => {
    const suppressions = Object.values((stage === 'dev' ? dev : prod).resources).flatMap(
      (r) =>
        (
          (r.Metadata?.cdk_nag ?? { rules_to_suppress: [] }) as {
            rules_to_suppress: { id: string; reason: string }[];
          }
        ).rules_to_suppress,
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(60);
  });
});

describe('cdk-nag with every option on (SMS, alarm e-mail, citizens, malware scanning)', () => {
  it('reports no unsuppressed error or warning from any pack', () => {
    const all = synth('prod', {
      context: {
        smsOriginationIdentity: 'pool-abc123',
        smsConfigurationSet: 'urna',
        alarmEmail: 'ops@example.gov.co',
        citizenAuthIssuer: 'https://id.example.gov.co',
        citizenAuthAudience: 'urna',
        malwareProtection: 'true',
      },
    });
    // The options add resources (the SMS rule, the e-mail subscription, the scan role) that must be clean too.
    expect(ofType(all, 'AWS::Events::Rule').length).toBeGreaterThan(ofType(prod, 'AWS::Events::Rule').length);
    expect(nagFindings(all.stack)).toEqual([]);
  });
});

describe('backups', () => {
  it('suppresses the NIST backup-plan rule only where no data is kept (retain=false)', () => {
    const nagOf = (s: Synthesized) =>
      JSON.stringify(resource(s.resources, logicalId(s.stack, s.stack.table)).Metadata?.cdk_nag ?? {});
    expect(nagOf(dev)).toContain('NIST.800.53.R5-DynamoDBInBackupPlan');
    expect(nagOf(prod)).not.toContain('NIST.800.53.R5-DynamoDBInBackupPlan');
    expect(ofType(prod, 'AWS::Backup::BackupSelection')).toHaveLength(1);
  });
});
