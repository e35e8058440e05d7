import { asIntrinsic, asList, defineRule, get, getPath, isMap, literalString, referencedIds, type Node, type Resource, type Template } from '../../../server/src/engine/api';

/** API resources a distribution can front and a web ACL can protect (REST APIs only: WAF does not attach to HTTP APIs). */
const API_TYPES = ['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'];
const REST_API_TYPES = ['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi'];

export default defineRule({
  id: 'SLS311',
  name: 'api-waf-missing',
  category: 'public-access',
  defaultSeverity: 'info',
  profile: 'strict',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  summary: 'A public API or the CloudFront distribution in front of it has no AWS WAF web ACL',
  rationale: `AWS WAF in front of an API blocks what an authorizer does not see: request floods from one address
(rate-based rules), known bad inputs and bots (AWS managed rule groups), before they invoke functions and cost
money. A CloudFront distribution whose origin is an API Gateway API or a Lambda function URL takes \`WebACLId\`;
a public REST API stage takes an \`AWS::WAFv2::WebACLAssociation\` (HTTP APIs cannot). This is hygiene, not a hole:
authorization, throttling and usage plans still decide who gets in, so it runs in the strict profile. A web ACL
associated outside this template (Firewall Manager, another stack) is not visible here; an association whose
target cannot be read makes the rule stay silent on every API.`,
  howToFix: `Create an \`AWS::WAFv2::WebACL\` (scope \`CLOUDFRONT\` for a distribution, created in us-east-1; \`REGIONAL\` for a
REST API stage) with a rate-based rule and the AWS managed common rule set, then set \`DistributionConfig.WebACLId:
!GetAtt WebAcl.Arn\` or add an \`AWS::WAFv2::WebACLAssociation\` whose \`ResourceArn\` is the stage
(\`!Sub arn:aws:apigateway:\${AWS::Region}::/restapis/\${Api}/stages/\${Stage}\`).`,
  references: [
    { title: 'AWS WAF: protecting API Gateway REST APIs', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html' },
    { title: 'AWS Security Hub: [APIGateway.4] API Gateway should be associated with a WAF Web ACL', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-4' },
    { title: 'AWS Security Hub: [CloudFront.6] CloudFront distributions should have WAF enabled', url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-6' },
  ],
  example: {
    format: 'yaml',
    invalid: `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
`,
    valid: `Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
  Protection:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:aws:apigateway:\${AWS::Region}::/restapis/\${Api}/stages/prod
      WebACLArn: !GetAtt Acl.Arn
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    const associated = associatedIds(template);
    if (!associated) return;
    const apis = new Set(template.ofType(...API_TYPES).map((r) => r.logicalId));
    for (const distribution of template.ofType('AWS::CloudFront::Distribution')) {
      const config = get(distribution.properties, 'DistributionConfig');
      if (!isMap(config) || asIntrinsic(config) || get(config, 'WebACLId') !== undefined) continue;
      const fronted = frontedApi(get(config, 'Origins'), apis);
      if (!fronted) continue;
      ctx.report({ at: distribution.idNode, message: `Distribution ${distribution.logicalId} fronts ${fronted} without an AWS WAF web ACL (DistributionConfig.WebACLId).` });
    }
    for (const api of template.ofType(...REST_API_TYPES)) {
      if (isPrivate(api) || associated.has(api.logicalId) || stagesOf(template, api).some((s) => associated.has(s))) continue;
      ctx.report({ at: api.idNode, message: `REST API ${api.logicalId} is public and no AWS WAF web ACL is associated with its stage (AWS::WAFv2::WebACLAssociation).` });
    }
  },
});

/** Ids the template's web ACL associations reference; undefined when one names something we cannot tie to a resource. */
function associatedIds(template: Template): Set<string> | undefined {
  const ids = new Set<string>();
  for (const association of template.ofType('AWS::WAFv2::WebACLAssociation', 'AWS::WAFRegional::WebACLAssociation')) {
    const arn = get(association.properties, 'ResourceArn');
    const referenced = referencedIds(arn);
    if (referenced.size === 0) return undefined;
    for (const id of referenced) ids.add(id);
  }
  return ids;
}

/** What API a distribution's origins point at: a template API, an execute-api domain or a function URL. */
function frontedApi(origins: Node | undefined, apis: ReadonlySet<string>): string | undefined {
  for (const origin of asList(origins)) {
    const domain = get(origin, 'DomainName');
    const api = [...referencedIds(domain)].find((id) => apis.has(id));
    if (api) return `API ${api}`;
    const text = literalString(domain) ?? subText(domain) ?? '';
    if (text.includes('.execute-api.')) return 'an API Gateway API';
    if (text.includes('.lambda-url.')) return 'a Lambda function URL';
  }
  return undefined;
}

function subText(node: Node | undefined): string | undefined {
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn !== 'Fn::Sub') return undefined;
  return literalString(intrinsic.arg.kind === 'seq' ? intrinsic.arg.items[0] : intrinsic.arg);
}

function isPrivate(api: Resource): boolean | undefined {
  const config = get(api.properties, 'EndpointConfiguration');
  const type = literalString(getPath(config, 'Type')) ?? literalString(getPath(config, 'Types', 0)) ?? literalString(config);
  if (config !== undefined && type === undefined) return true; // computed: not judged
  return type?.toUpperCase() === 'PRIVATE';
}

/** Stage resources of a REST API (an association may name the stage instead of the API). */
function stagesOf(template: Template, api: Resource): string[] {
  return template
    .ofType('AWS::ApiGateway::Stage')
    .filter((stage) => referencedIds(get(stage.properties, 'RestApiId')).has(api.logicalId))
    .map((stage) => stage.logicalId);
}
