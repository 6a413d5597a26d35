import { Stack } from 'aws-cdk-lib';
import {
  ApiMapping,
  DomainName,
  EndpointType,
  type HttpApi,
  type HttpStage,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties, CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface EdgeDistributionProps {
  readonly stage: string;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  /** The us-east-1 WebACL (UrnaEdgeStack) every request passes. */
  readonly webAclArn: string;
  /**
   * The public domain. The API then answers only at origin.<name> (its execute-api endpoint is
   * turned off by the stack), which is CloudFront's origin.
   */
  readonly domain?: {
    readonly name: string;
    /** CloudFront's certificate for `name` (us-east-1). */
    readonly certificate: ICertificate;
    /** This region's certificate for origin.<name>; made DNS-validated in `zone` when absent. */
    readonly originCertificateArn?: string;
    /** Where the records of `name` and origin.<name> are made; absent, they are made by hand. */
    readonly zone?: { readonly hostedZoneId: string; readonly zoneName: string };
  };
}

/**
 * CloudFront in front of the HTTP API, behind the WebACL: nothing cached, every viewer header but
 * Host, query string and cookie passed on, HTTPS only (docs/adr/0015-edge-cloudfront-waf.md).
 */
export class EdgeDistribution extends Construct {
  readonly distribution: Distribution;
  /** Where citizens and portals call the API, ending in "/". */
  readonly url: string;
  /** The API's custom domain (origin.<name>), when a domain is set. */
  readonly originDomain?: DomainName;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { domain } = props;
    const zone =
      domain?.zone === undefined ? undefined : HostedZone.fromHostedZoneAttributes(this, 'Zone', domain.zone);

    let originHost: string;
    if (domain === undefined) {
      originHost = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    } else {
      originHost = `origin.${domain.name}`;
      let originCertificate: ICertificate;
      if (domain.originCertificateArn !== undefined) {
        originCertificate = Certificate.fromCertificateArn(
          this,
          'OriginCertificate',
          domain.originCertificateArn,
        );
      } else if (zone !== undefined) {
        originCertificate = new Certificate(this, 'OriginCertificate', {
          domainName: originHost,
          validation: CertificateValidation.fromDns(zone),
        });
      } else {
        throw new Error(`domain ${domain.name}: give its hosted zone, or an originCertificateArn`);
      }
      this.originDomain = new DomainName(this, 'OriginDomain', {
        domainName: originHost,
        certificate: originCertificate,
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'OriginMapping', {
        api: props.api,
        domainName: this.originDomain,
        stage: props.apiStage,
      });
      if (zone !== undefined) {
        new ARecord(this, 'OriginRecord', {
          zone,
          recordName: originHost,
          target: RecordTarget.fromAlias(
            new ApiGatewayv2DomainProperties(
              this.originDomain.regionalDomainName,
              this.originDomain.regionalHostedZoneId,
            ),
          ),
        });
      }
    }

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Urna ${props.stage}: the API, behind AWS WAF`,
      defaultBehavior: {
        origin: new HttpOrigin(originHost, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // Every answer is per request (and many per caller): nothing is cached at the edge.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // API Gateway routes by its own Host name: pass everything else, Host stays the origin's.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(domain === undefined
        ? {}
        : {
            domainNames: [domain.name],
            certificate: domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }),
    });
    if (domain !== undefined && zone !== undefined) {
      const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      new ARecord(this, 'AliasRecord', { zone, recordName: domain.name, target });
      new AaaaRecord(this, 'AliasRecordIpv6', { zone, recordName: domain.name, target });
    }
    this.url = `https://${domain?.name ?? this.distribution.distributionDomainName}/`;

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          "No geo restriction: Colombians abroad (and anyone) may petition a Colombian entity (Ley 1755 de 2015); WAF's rate and reputation rules limit abuse instead.",
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'The WAF logs (aws-waf-logs-…, us-east-1) record every request with its client IP and matched rule, and the API stage keeps its own access log: a third, S3 log would need an ACL-enabled bucket.',
      },
      ...(domain === undefined
        ? [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                "No domain configured (-c domainName): CloudFront's default *.cloudfront.net certificate, whose minimum TLS version cannot be set; with a domain the distribution requires TLSv1.2_2021.",
            },
          ]
        : []),
    ]);
  }
}
