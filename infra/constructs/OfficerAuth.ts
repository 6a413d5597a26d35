import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUP_PREFIX, ROLES, type Role } from '../../shared/domain/actor.ts';

export interface OfficerAuthProps {
  readonly stage: string;
  /** Retain the pool (its users) with the stack's data in prod. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  officer: 'Works the cases of the offices named by its office:<id> groups',
  supervisor: 'Whole entity: reassigns, receives overdue escalations',
  communicator: 'Participation: consultations, comments, proposals',
  admin: 'Entity settings: offices, routing rules, terms, closures, office hours',
  internal_control: 'Office of internal control: the PQRSD report to management (Ley 1474 art. 76)',
};

/**
 * Officers' identities: a Cognito user pool whose users only an administrator creates, and the app
 * client of the officers' web app. Who an officer is for Urna travels in `cognito:groups`
 * (shared/domain/actor.ts): `entity:<ID>` (exactly one), `role:<role>` (one or more),
 * `office:<id>`. The four role groups are created here; entity and office groups are data, created
 * by an administrator with the entity (`aws cognito-idp create-group --group-name entity:MINTIC`).
 * Only administrators can put a user in a group, so a user cannot widen their own access.
 *
 * - MFA required, TOTP only: officers read petitioners' personal data (Ley 1581 de 2012) and sign
 *   legal acts; TOTP needs no SMS spending, no SNS role and is not exposed to SIM swapping.
 * - Plus feature plan with threat protection enforced (adaptive authentication, compromised
 *   credentials): the officer population is small (hundreds per entity), so the per-user price is
 *   negligible against the risk of a taken-over officer account.
 * - Passwords of 14+ characters with every class, five remembered; temporary ones last 3 days.
 * - The web app's client: no secret (a browser cannot keep one), SRP sign-in and refresh only, no
 *   OAuth/hosted UI, 1-hour access and id tokens, 12-hour refresh (a working day), revocable,
 *   and no attribute an officer could write to themselves.
 */
export class OfficerAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly roleGroups: ReadonlyMap<Role, UserPoolGroup>;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the tokens' `iss`, JWKS under it. */
  readonly issuer: string;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: OfficerAuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `urna-${props.stage}-officers`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      userInvitation: {
        emailSubject: 'Urna: su cuenta de funcionario',
        emailBody:
          'Se creó su cuenta de Urna. Usuario: {username}. Contraseña temporal: {####} (vence en 3 días). ' +
          'Al ingresar deberá cambiarla y configurar un autenticador (MFA).',
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });

    this.client = this.userPool.addClient('OfficersWebClient', {
      userPoolClientName: `urna-${props.stage}-officers-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      authSessionValidity: Duration.minutes(3),
      enableTokenRevocation: true,
      writeAttributes: new ClientAttributes(),
    });

    const groups = new Map<Role, UserPoolGroup>();
    for (const role of ROLES) {
      groups.set(
        role,
        this.userPool.addGroup(`Role${role.charAt(0).toUpperCase()}${role.slice(1)}`, {
          groupName: `${GROUP_PREFIX.role}${role}`,
          description: ROLE_DESCRIPTIONS[role],
        }),
      );
    }
    this.roleGroups = groups;

    this.issuer = this.userPool.userPoolProviderUrl;
    // API Gateway checks signature, expiry, issuer and, for access tokens, client_id against the
    // audience; the handler checks all that again and reads the groups (shared/http/auth.ts).
    this.authorizer = new HttpJwtAuthorizer('OfficerJwtAuthorizer', this.issuer, {
      authorizerName: `urna-${props.stage}-officers`,
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
