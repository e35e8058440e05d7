import { asList, defineRule, describeWhen, edits, get, getPath, possibleItems, possibleValues, resolveString, type ConditionChoice, type Node, type Related } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS405',
  name: 'api-domain-tls-outdated',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An API Gateway custom domain accepts TLS 1.0',
  rationale: `The \`TLS_1_0\` security policy lets clients negotiate TLS 1.0 and 1.1, deprecated by RFC 8996 for their
weak ciphers and handshake flaws; PCI DSS and most compliance regimes forbid them. Clients that still need them
are rare, and \`TLS_1_2\` is available for every endpoint type. A policy chosen by \`Fn::If\` is judged branch by
branch; the message names the condition and whether the parameters' defaults deploy it.`,
  howToFix: `Set \`SecurityPolicy: TLS_1_2\` on the domain (\`AWS::ApiGateway::DomainName\`, each
\`DomainNameConfigurations\` item of \`AWS::ApiGatewayV2::DomainName\`, \`Domain\` of SAM APIs, or
\`custom.customDomain.securityPolicy: tls_1_2\` with serverless-domain-manager). Check first that no client relies
on TLS 1.0.`,
  references: [
    { title: 'API Gateway: choosing a security policy for a custom domain', url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html' },
    { title: 'RFC 8996: deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  ],
  fix: { availability: 'always', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
      SecurityPolicy: TLS_1_0
`,
    valid: `Resources:
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
      SecurityPolicy: TLS_1_2
`,
  },
  check(ctx) {
    const template = ctx.template;
    // A Globals domain is shared by every API: report it once.
    const seen = new Set<Node>();
    const report = (node: Node | undefined, owner: string, replacement: string, related: readonly Related[] = [], when: readonly ConditionChoice[] = []) => {
      // Each branch of an `Fn::If` the domain may deploy with (model/conditions.ts), as SLS401/402/406 read theirs.
      for (const branch of possibleValues(template, node, when)) {
        const at = branch.node;
        if (!at || seen.has(at)) continue;
        seen.add(at);
        const value = resolveString(at);
        if (!value?.known || value.value.toUpperCase() !== 'TLS_1_0') continue;
        ctx.report({
          at,
          message: `${owner} uses security policy ${value.value}: clients may connect with TLS 1.0 or 1.1.${describeWhen(template, branch.when)}`,
          ...(related.length ? { related } : {}),
          fixes: () => [{ title: `Require TLS 1.2 (${replacement})`, applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, at, replacement)] }],
        });
      }
    };
    for (const domain of template?.ofType('AWS::ApiGateway::DomainName') ?? []) report(get(domain.properties, 'SecurityPolicy'), `Custom domain ${domain.logicalId}`, 'TLS_1_2');
    for (const domain of template?.ofType('AWS::ApiGatewayV2::DomainName') ?? []) {
      for (const config of possibleItems(template, get(domain.properties, 'DomainNameConfigurations'))) report(get(config.node, 'SecurityPolicy'), `Custom domain ${domain.logicalId}`, 'TLS_1_2', [], config.when);
    }
    for (const api of template?.ofType('AWS::Serverless::Api', 'AWS::Serverless::HttpApi') ?? []) {
      const located = template!.property(api, 'Domain', 'SecurityPolicy');
      const related = located?.fromGlobals ? [{ span: api.idNode.span, message: `API ${api.logicalId} inherits its Domain from Globals` }] : [];
      report(located?.node, `The custom domain of API ${api.logicalId}`, 'TLS_1_2', related);
    }
    if (ctx.kind === 'serverless') {
      const custom = get(ctx.root, 'custom');
      for (const key of ['customDomain', 'customDomains']) {
        for (const domain of asList(get(custom, key))) {
          // serverless-domain-manager: one domain, or a list of `{rest: {...}}` / `{http: {...}}` entries.
          report(get(domain, 'securityPolicy'), `custom.${key}`, 'tls_1_2');
          for (const type of ['rest', 'http', 'websocket']) report(getPath(domain, type, 'securityPolicy'), `custom.${key} (${type})`, 'tls_1_2');
        }
      }
    }
  },
});
