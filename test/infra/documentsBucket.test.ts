/**
 * The documents bucket synthesized alone in a stack, with cdk-nag's three packs, with and
 * without GuardDuty Malware Protection, and with a function role granted what the S3 adapter needs.
 */
import { App, Aspects, type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DocumentsBucket } from '../../infra/constructs/DocumentsBucket.ts';
import {
  actionsOf,
  NAG_PACKS,
  nagFindings,
  type PolicyStatementJson,
  prop,
  refersTo,
  resource,
  statementsOfRole,
  type TemplateResource,
} from './support.ts';

const ORIGINS = ['https://pqrsd.example.gov.co'];

function synth(malwareProtection: boolean) {
  const app = new App();
  const stack = new Stack(app, 'Docs', { env: { account: '123456789012', region: 'us-east-1' } });
  const documents = new DocumentsBucket(stack, 'Documents', {
    stage: 'dev',
    removalPolicy: RemovalPolicy.RETAIN,
    corsAllowOrigins: ORIGINS,
    malwareProtection,
  });
  const fn = new Role(stack, 'FunctionRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  documents.grantUpload(fn);
  documents.grantRead(fn);
  documents.grantWrite(fn);
  for (const pack of [AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks]) {
    Aspects.of(app).add(new pack({ verbose: true, reports: false }));
  }
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const id = (construct: IConstruct): string =>
    stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  return { stack, template, resources, documents, fn, id };
}

const plain = synth(false);
const scanned = synth(true);

/** The three packs' findings on the construct's resources (the test's own role is not one). */
const bucketFindings = (stack: Stack): string[] =>
  nagFindings(stack, NAG_PACKS, (path) => path.startsWith('/Docs/Documents/'));

describe('documents bucket', () => {
  const { resources, documents, id } = plain;
  const bucket = resource(resources, id(documents.bucket));

  it('is private, owner-enforced, versioned, and encrypted with its own rotated KMS key (bucket key on)', () => {
    expect(prop(bucket, 'PublicAccessBlockConfiguration')).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(prop(bucket, 'OwnershipControls')).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(prop(bucket, 'VersioningConfiguration')).toEqual({ Status: 'Enabled' });
    expect(prop(bucket, 'BucketEncryption')).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [id(documents.key), 'Arn'] },
          },
        },
      ],
    });
    expect(prop(resource(resources, id(documents.key)), 'EnableKeyRotation')).toBe(true);
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses any request without TLS', () => {
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && refersTo(prop(r, 'Bucket'), id(documents.bucket)),
    );
    const statements = prop<{ Statement: PolicyStatementJson[] }>(policy!, 'PolicyDocument').Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('expires abandoned uploads after a day, archives documents to Glacier IR at 90 days, drops old versions at 365', () => {
    const rules = prop<{ Rules: Record<string, unknown>[] }>(bucket, 'LifecycleConfiguration').Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'uploads/',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'documents/',
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        Status: 'Enabled',
      }),
    );
  });

  it('logs accesses to a private SSE-S3 bucket that keeps them a year, delivered by bucket policy', () => {
    const logs = resource(resources, id(documents.accessLogs));
    expect(prop(bucket, 'LoggingConfiguration')).toEqual({
      DestinationBucketName: { Ref: id(documents.accessLogs) },
      LogFilePrefix: 'documents-bucket/',
    });
    expect(prop(logs, 'BucketEncryption')).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(prop(logs, 'AccessControl')).toBeUndefined();
    expect(prop<{ Rules: unknown[] }>(logs, 'LifecycleConfiguration').Rules).toEqual([
      { ExpirationInDays: 365, Status: 'Enabled' },
    ]);
    const logPolicy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && refersTo(prop(r, 'Bucket'), id(documents.accessLogs)),
    );
    expect(JSON.stringify(logPolicy)).toContain('logging.s3.amazonaws.com');
  });

  it('lets browsers of the given origins POST uploads and GET downloads (CORS)', () => {
    expect(prop(bucket, 'CorsConfiguration')).toEqual({
      CorsRules: [
        {
          AllowedMethods: ['POST', 'GET'],
          AllowedOrigins: ORIGINS,
          AllowedHeaders: ['*'],
          ExposedHeaders: ['ETag'],
          MaxAge: 3000,
        },
      ],
    });
  });

  it('grants a function only what the S3 adapter needs, prefix by prefix', () => {
    // Prepare
    const statements = statementsOfRole(
      resources,
      id(plain.fn as never) || plain.stack.getLogicalId(plain.fn.node.defaultChild as never),
    );
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const arn = { 'Fn::GetAtt': [id(documents.bucket), 'Arn'] };
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [arn, `/${prefix}*`]] });
    const grants = s3.flatMap((s) =>
      actionsOf(s).flatMap((a) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => [a, r])),
    );
    // Assess
    expect(grants).toEqual(
      expect.arrayContaining([
        ['s3:PutObject', objects('uploads/')],
        ['s3:PutObject', objects('documents/')],
        ['s3:GetObject', objects('uploads/')],
        ['s3:GetObject', objects('documents/')],
        ['s3:ListBucket', arn],
      ]),
    );
    expect(grants).toHaveLength(5);
    expect(JSON.stringify(s3)).not.toContain('Tagging');
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"/);
  });

  it('has no malware protection unless asked', () => {
    plain.template.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 0);
    expect(JSON.stringify(resources)).not.toContain('GuardDutyMalwareScanStatus');
  });

  it('passes the three cdk-nag packs (the log bucket’s logging, encryption, versioning and replication, and prefix grants suppressed with reasons)', () => {
    expect(bucketFindings(plain.stack)).toEqual([]);
  });
});

describe('documents bucket with malware protection', () => {
  const { resources, documents, id, template } = scanned;

  it('has a GuardDuty plan on documents/ that tags what it scanned, with its own role', () => {
    template.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 1);
    const plan = resource(resources, id(documents.malwareProtectionPlan!));
    expect(prop(plan, 'ProtectedResource')).toEqual({
      S3Bucket: { BucketName: { Ref: id(documents.bucket) }, ObjectPrefixes: ['documents/'] },
    });
    expect(prop(plan, 'Actions')).toEqual({ Tagging: { Status: 'ENABLED' } });
    expect(prop(plan, 'Role')).toEqual({ 'Fn::GetAtt': [id(documents.scanRole!), 'Arn'] });
  });

  it('lets the scan role do what GuardDuty documents, on this bucket and key only', () => {
    const role = resource(resources, id(documents.scanRole!));
    expect(JSON.stringify(prop(role, 'AssumeRolePolicyDocument'))).toContain(
      'malware-protection-plan.guardduty.amazonaws.com',
    );
    const statements = statementsOfRole(resources, id(documents.scanRole!));
    const sids = statements.map((s) => (s as PolicyStatementJson & { Sid?: string }).Sid).sort();
    expect(sids).toEqual([
      'AllowCheckBucketOwnership',
      'AllowDecryptForMalwareScan',
      'AllowEnableS3EventBridgeEvents',
      'AllowGuardDutyToMonitorEventBridgeManagedRule',
      'AllowMalwareScan',
      'AllowManagedRuleToSendS3EventsToGuardDuty',
      'AllowPostScanTag',
      'AllowPutValidationObject',
    ]);
    const kms = statements.find((s) => actionsOf(s).includes('kms:Decrypt'));
    expect(kms?.Resource).toEqual({ 'Fn::GetAtt': [id(documents.key), 'Arn'] });
  });

  it('never serves a document until GuardDuty tagged it clean (the scanner excepted)', () => {
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && refersTo(prop(r, 'Bucket'), id(documents.bucket)),
    );
    const statements = prop<{ Statement: (PolicyStatementJson & { Sid?: string })[] }>(
      policy!,
      'PolicyDocument',
    ).Statement;
    const deny = statements.find((s) => s.Sid === 'DenyUnscannedDocuments');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Condition: {
        StringNotEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'NO_THREATS_FOUND' },
        ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [id(documents.scanRole!), 'Arn'] } },
      },
    });
    expect(JSON.stringify(deny?.Resource)).toContain('/documents/*');
  });

  it('passes the three cdk-nag packs', () => {
    expect(bucketFindings(scanned.stack)).toEqual([]);
  });
});
