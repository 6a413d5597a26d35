import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import {
  AnyPrincipal,
  Effect,
  type IGrantable,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { BLOB_PREFIXES } from '../../shared/domain/documents.ts';

export interface DocumentsBucketProps {
  readonly stage: string;
  readonly removalPolicy: RemovalPolicy;
  /** Origins of the web pages that upload from the browser (CORS of the presigned POST and GETs). */
  readonly corsAllowOrigins: readonly string[];
  /**
   * GuardDuty Malware Protection for S3 on `documents/` (the stack passes `-c malwareProtection=true`):
   * scanned objects are tagged, and a document is readable only once tagged NO_THREATS_FOUND.
   * @default false
   */
  readonly malwareProtection?: boolean;
  /** Days the server access logs (requesters' IP addresses: personal data) are kept. @default 365 */
  readonly accessLogRetentionDays?: number;
}

/** The tag GuardDuty puts on each scanned object, and the value that lets it be read. */
export const SCAN_TAG = 'GuardDutyMalwareScanStatus';
export const SCAN_CLEAN = 'NO_THREATS_FOUND';

const MALWARE_PRINCIPAL = 'malware-protection-plan.guardduty.amazonaws.com';

/** Why neither bucket is replicated (NIST 800-53 R5 asks for cross-region replication). */
const NO_REPLICATION =
  "Replication would copy petitioners' personal data (Ley 1581 de 2012) and requesters' IP addresses out of the " +
  'one region the deployment names; S3 already stores each object across availability zones, and versioning ' +
  '(documents) keeps overwritten or deleted objects recoverable for a year.';

/**
 * The private bucket of citizens' and officers' documents (issue 13), read and written through
 * shared/adapters/blobs/s3.ts: KMS-encrypted with its own key (rotated), versioned, TLS only, no
 * public access, access-logged to a second bucket; `uploads/` expire after a day, `documents/`
 * move to Glacier Instant Retrieval after 90 days; old versions go after 365.
 * Why this layout: docs/adr/0009-documents.md
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly accessLogs: Bucket;
  /** The role GuardDuty scans with, when malware protection is on. */
  readonly scanRole?: Role;
  readonly malwareProtectionPlan?: CfnMalwareProtectionPlan;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);
    // Access logs delivered by bucket policy, not by the legacy log-delivery ACL, whatever the app's flags.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.key = new Key(this, 'Key', {
      description: `Urna ${props.stage}: encrypts citizens' and officers' documents`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 365) }],
      removalPolicy: props.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This is the access-log bucket of the documents bucket: logging its own accesses into itself would log ' +
          'each log delivery, and another log bucket would only move the question. Only S3 log delivery writes here.',
      },
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (AES-256), not SSE-KMS; ' +
          'the documents themselves are in the KMS-encrypted bucket.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
        reason:
          'S3 log delivery only adds new objects here, never overwrites one, and no role of the stack may write or ' +
          'delete in this bucket; the lifecycle expires each log after its retention, which versioning would ' +
          'only prolong with noncurrent copies.',
      },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION },
    ]);

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      // Bucket's optional `isWebsite` trips exactOptionalPropertyTypes against IBucket's; it is one.
      serverAccessLogsBucket: this.accessLogs as unknown as IBucket,
      serverAccessLogsPrefix: 'documents-bucket/',
      ...(props.corsAllowOrigins.length === 0
        ? {}
        : {
            cors: [
              {
                allowedMethods: [HttpMethods.POST, HttpMethods.GET],
                allowedOrigins: [...props.corsAllowOrigins],
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag'],
                maxAge: 3000,
              },
            ],
          }),
      lifecycleRules: [
        {
          id: 'abandoned-uploads',
          prefix: BLOB_PREFIXES.uploads,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'archive-documents',
          prefix: BLOB_PREFIXES.documents,
          transitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
          noncurrentVersionExpiration: Duration.days(365),
        },
        {
          id: 'housekeeping',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: props.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION },
    ]);

    if (props.malwareProtection === true) {
      this.scanRole = this.malwareScanRole();
      this.malwareProtectionPlan = new CfnMalwareProtectionPlan(this, 'MalwareProtection', {
        role: this.scanRole.roleArn,
        protectedResource: {
          s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: [BLOB_PREFIXES.documents] },
        },
        actions: { tagging: { status: 'ENABLED' } },
      });
      // The plan checks its role's permissions when it is created.
      this.malwareProtectionPlan.node.addDependency(this.scanRole);
      // Unscanned, failed or infected documents are never served; only the scanner reads them.
      this.bucket.addToResourcePolicy(
        new PolicyStatement({
          sid: 'DenyUnscannedDocuments',
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [this.bucket.arnForObjects(`${BLOB_PREFIXES.documents}*`)],
          conditions: {
            StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_TAG}`]: SCAN_CLEAN },
            ArnNotEquals: { 'aws:PrincipalArn': this.scanRole.roleArn },
          },
        }),
      );
    }
  }

  /** For the S3 adapter's uploadTarget: the presigned POST is signed with the grantee's credentials. */
  grantUpload(grantee: IGrantable): void {
    this.allow(grantee, ['s3:PutObject'], [`${BLOB_PREFIXES.uploads}*`]);
    this.key.grant(grantee, 'kms:GenerateDataKey');
  }

  /**
   * For head, read and downloadUrl (a presigned GET is signed with the grantee's credentials), on
   * uploads and documents. ListBucket makes a missing key a 404 rather than a 403.
   */
  grantRead(grantee: IGrantable): void {
    this.allow(grantee, ['s3:GetObject'], [`${BLOB_PREFIXES.uploads}*`, `${BLOB_PREFIXES.documents}*`]);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    this.key.grant(grantee, 'kms:Decrypt');
  }

  /** For put: accepted documents are written under `documents/` (nothing may write elsewhere). */
  grantWrite(grantee: IGrantable): void {
    this.allow(grantee, ['s3:PutObject'], [`${BLOB_PREFIXES.documents}*`]);
    this.key.grant(grantee, 'kms:GenerateDataKey');
  }

  private allow(grantee: IGrantable, actions: string[], patterns: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: patterns.map((p) => this.bucket.arnForObjects(p)) }),
    );
    if (grantee.grantPrincipal instanceof Construct) {
      NagSuppressions.addResourceSuppressions(
        grantee.grantPrincipal,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Documents are keyed by random ids under uploads/ and documents/ of the documents bucket: a grant ' +
              'names the prefix the adapter method needs (uploads/* to presign, read and delete uploads; ' +
              'documents/* to read and write accepted documents), never the whole bucket.',
            appliesTo: patterns.map((p) => `Resource::<${this.bucketLogicalId()}.Arn>/${p}`),
          },
        ],
        true,
      );
    }
  }

  private bucketLogicalId(): string {
    return Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
  }

  /** The role GuardDuty assumes to scan and tag `documents/` (its documented permissions, no more). */
  private malwareScanRole(): Role {
    const stack = Stack.of(this);
    const managedRule = stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
    });
    const role = new Role(this, 'ScanRole', {
      assumedBy: new ServicePrincipal(MALWARE_PRINCIPAL),
      description: 'GuardDuty Malware Protection for S3: scans and tags the documents bucket',
    });
    const documents = this.bucket.arnForObjects(`${BLOB_PREFIXES.documents}*`);
    const statements = [
      new PolicyStatement({
        sid: 'AllowManagedRuleToSendS3EventsToGuardDuty',
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [managedRule],
        conditions: { StringLike: { 'events:ManagedBy': MALWARE_PRINCIPAL } },
      }),
      new PolicyStatement({
        sid: 'AllowGuardDutyToMonitorEventBridgeManagedRule',
        actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [managedRule],
      }),
      new PolicyStatement({
        sid: 'AllowPostScanTag',
        actions: [
          's3:PutObjectTagging',
          's3:GetObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectVersionTagging',
        ],
        resources: [documents],
      }),
      new PolicyStatement({
        sid: 'AllowEnableS3EventBridgeEvents',
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification'],
        resources: [this.bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: 'AllowPutValidationObject',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('malware-protection-resource-validation-object')],
      }),
      new PolicyStatement({
        sid: 'AllowCheckBucketOwnership',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: 'AllowMalwareScan',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [documents],
      }),
      new PolicyStatement({
        sid: 'AllowDecryptForMalwareScan',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringLike: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "GuardDuty's documented scan-role policy: it creates and watches its own EventBridge managed rule, " +
            'whose name it chooses after the DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3 prefix, and it reads ' +
            'and tags the scanned objects, all under documents/ (the only prefix the plan protects).',
          appliesTo: [
            {
              regex:
                '/^Resource::arn:<AWS::Partition>:events:.*:rule\\/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3\\*$/',
            },
            `Resource::<${this.bucketLogicalId()}.Arn>/${BLOB_PREFIXES.documents}*`,
          ],
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason:
            "The role is GuardDuty's scan role for this one bucket and its policy names only this bucket, its " +
            'key and GuardDuty’s managed rule: a customer managed policy attached to this single role would be a ' +
            'second resource with the same lifecycle and nothing to share.',
        },
      ],
      true,
    );
    return role;
  }
}
