import { fileURLToPath } from 'node:url';
import { CustomResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct, type IDependable } from 'constructs';
import { type LogLevel, ServerlessFunction } from './ServerlessFunction.ts';

export interface ReceiptSigningKeyProps {
  readonly stage: string;
  readonly projectRoot: string;
  readonly removalPolicy: RemovalPolicy;
  readonly logLevel?: LogLevel;
}

/**
 * The Ed25519 private JWK that signs filing receipts, in a Secrets Manager secret (encrypted with
 * KMS, the aws/secretsmanager key). A custom resource generates the key inside AWS at the first
 * deploy, so nobody handles the private key; it keeps whatever valid key the secret already holds,
 * so an operator may also import one:
 *   aws secretsmanager put-secret-value --secret-id <ReceiptSigningKeySecretArn> --secret-string '<JWK>'
 * Functions read it through RECEIPT_SIGNING_KEY_SECRET_ARN (shared/config.ts).
 */
export class ReceiptSigningKey extends Construct {
  readonly secret: Secret;
  readonly generator: ServerlessFunction;
  /** Complete once the secret holds a key: depend on it before reading the secret. */
  readonly ready: IDependable;

  constructor(scope: Construct, id: string, props: ReceiptSigningKeyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        `Urna ${props.stage}: Ed25519 private JWK that signs filing receipts. Generated at the first deploy by ` +
        'the ReceiptSigningKey custom resource; a valid key put here by an operator is kept.',
      removalPolicy: props.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'The secret is an asymmetric signing key, not a credential a rotation Lambda could replace: receipts ' +
          'signed with the old key must stay verifiable, so a rotation has to publish a new kid in ' +
          '/.well-known/jwks.json while keeping the old public key. That is an operator procedure, not a Secrets ' +
          'Manager rotation schedule.',
      },
    ]);

    this.generator = new ServerlessFunction(this, 'Generator', {
      entry: fileURLToPath(new URL('./receiptSigningKey/handler.ts', import.meta.url)),
      projectRoot: props.projectRoot,
      description: `Urna ${props.stage}: generates the receipt signing key (custom resource)`,
      memorySize: 256,
      timeout: Duration.seconds(30),
      logLevel: props.logLevel ?? 'INFO',
      logRemovalPolicy: props.removalPolicy,
    });
    this.generator.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: this.generator.function.functionArn,
      resourceType: 'Custom::UrnaReceiptSigningKey',
      properties: { SecretId: this.secret.secretArn },
    });
    // The answer must not come before the role may touch the secret.
    resource.node.addDependency(this.generator);
    this.ready = resource;
  }

  /** GetSecretValue and DescribeSecret on this secret only. */
  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
