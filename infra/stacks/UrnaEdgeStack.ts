import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { logGroupKey } from '../constructs/logKey.ts';
import { retentionDays } from './UrnaStack.ts';

/** The public domain of the API (docs/adr/0015-edge-cloudfront-waf.md). */
export interface EdgeDomainSettings {
  /** The name citizens call, e.g. pqrsd.entidad.gov.co; the API's own custom domain is origin.<name>. */
  readonly name: string;
  /** The Route 53 zone holding it: certificates are DNS-validated there and the records made. */
  readonly zone?: { readonly hostedZoneId: string; readonly zoneName: string };
  /** An ACM certificate in us-east-1 for `name` (CloudFront's); made in the zone when absent. */
  readonly certificateArn?: string;
  /** An ACM certificate in the API's region for origin.<name>; made in the zone when absent. */
  readonly originCertificateArn?: string;
}

export interface UrnaEdgeStackProps extends StackProps {
  readonly stage: string;
  /** Keep the WAF logs (and their key) when the stack goes. */
  readonly retain: boolean;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** Requests per client IP per 5 minutes on write methods (POST, PUT, PATCH, DELETE). @default 300 */
  readonly writeLimit?: number;
  /** Requests per client IP per 5 minutes, any method. @default 3000 */
  readonly requestLimit?: number;
  readonly domain?: EdgeDomainSettings;
}

/** The methods that change something: the write rate rule counts these only. */
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * What CloudFront needs from us-east-1 (WAF for CloudFront and CloudFront's certificates live
 * only there): the WebACL, its logs, and the certificate of the public domain. The distribution
 * itself is in the API's stack (docs/adr/0015-edge-cloudfront-waf.md).
 */
export class UrnaEdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;
  /** The public domain's certificate (us-east-1), when a domain is set. */
  readonly certificate?: ICertificate;

  constructor(scope: Construct, id: string, props: UrnaEdgeStackProps) {
    super(scope, id, props);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const name = `urna-${props.stage}`;
    const visibility = (metric: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${name}-${metric}`,
    });
    // 429 rather than WAF's default 403: a client that is only too fast learns to slow down.
    const tooMany = { block: { customResponse: { responseCode: 429 } } };
    const managed = (
      priority: number,
      group: string,
      mode: 'block' | 'count',
      ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[],
    ): CfnWebACL.RuleProperty => ({
      name: group,
      priority,
      overrideAction: mode === 'count' ? { count: {} } : { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group,
          ...(ruleActionOverrides === undefined ? {} : { ruleActionOverrides }),
        },
      },
      visibilityConfig: visibility(group),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name,
      description: `Urna ${props.stage}: rules in front of the API CloudFront distribution`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('webacl'),
      rules: [
        managed(0, 'AWSManagedRulesAmazonIpReputationList', 'block'),
        // Counted, not blocked: a citizen may petition from a VPN, Tor or a hosting provider's
        // address to protect their privacy; the metric shows whether abuse comes from there.
        managed(1, 'AWSManagedRulesAnonymousIpList', 'count'),
        {
          name: 'WritesPerIp',
          priority: 2,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              limit: props.writeLimit ?? 300,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
              scopeDownStatement: {
                orStatement: {
                  statements: WRITE_METHODS.map((method) => ({
                    byteMatchStatement: {
                      fieldToMatch: { method: {} },
                      positionalConstraint: 'EXACTLY',
                      searchString: method,
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  })),
                },
              },
            },
          },
          visibilityConfig: visibility('writes-per-ip'),
        },
        {
          name: 'RequestsPerIp',
          priority: 3,
          action: tooMany,
          statement: {
            rateBasedStatement: {
              limit: props.requestLimit ?? 3000,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('requests-per-ip'),
        },
        // The API takes bodies up to 160 KB (a petition's text): the rule set's 8 KB body limit
        // would block real filings, so it only counts; the API enforces its own limit.
        managed(4, 'AWSManagedRulesCommonRuleSet', 'block', [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managed(5, 'AWSManagedRulesKnownBadInputsRuleSet', 'block'),
      ],
    });

    // ── WAF logs: every request with its client IP and the rule that matched (the edge's
    // access log). They name people's addresses: encrypted, kept as long as the other logs ─────
    const logKey = logGroupKey(
      this,
      'WafLogKey',
      `Urna ${props.stage}: encrypts the WAF logs`,
      removalPolicy,
    );
    this.logGroup = new LogGroup(this, 'WafLogs', {
      // WAF delivers only to log groups whose name starts so.
      logGroupName: `aws-waf-logs-${name}`,
      retention: retentionDays(props.logRetentionDays ?? 365),
      encryptionKey: logKey,
      removalPolicy,
    });
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [this.logGroup.logGroupArn],
      // Credentials and the petitioner's tracking code never reach a log.
      redactedFields: ['authorization', 'x-tracking-code', 'x-device-key', 'cookie'].map((header) => ({
        singleHeader: { Name: header },
      })),
    });
    logging.node.addDependency(this.logGroup);

    const domain = props.domain;
    if (domain !== undefined) {
      if (domain.certificateArn !== undefined) {
        this.certificate = Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn);
      } else if (domain.zone !== undefined) {
        this.certificate = new Certificate(this, 'Certificate', {
          domainName: domain.name,
          validation: CertificateValidation.fromDns(
            HostedZone.fromHostedZoneAttributes(this, 'Zone', domain.zone),
          ),
        });
      } else {
        throw new Error(`domain ${domain.name}: give its hosted zone, or a us-east-1 certificateArn`);
      }
    }
  }
}
