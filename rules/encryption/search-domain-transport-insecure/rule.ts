import { asIntrinsic, defineRule, describeWhen, edits, entry, get, isMap, possibleValuesAt, resolveBoolean, resolveString, type Fix, type Node, type RuleContext } from '../../../server/src/engine/api';

export default defineRule({
  id: 'SLS407',
  name: 'search-domain-transport-insecure',
  category: 'encryption',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  scope: 'resource',
  summary: 'An OpenSearch or Elasticsearch domain accepts plain HTTP, old TLS, or sends data between nodes unencrypted',
  rationale: `Without \`DomainEndpointOptions.EnforceHTTPS\` a domain answers plain HTTP, so queries, indexed documents
and credentials (basic auth of fine-grained access control, signed requests' payloads) can cross the network in clear;
its default TLS policy (\`Policy-Min-TLS-1-0-2019-07\`) accepts TLS 1.0 and 1.1, deprecated by RFC 8996. Without
\`NodeToNodeEncryptionOptions.Enabled\` the data travels unencrypted between the nodes of the cluster. Node-to-node
encryption cannot be turned off once on, and fine-grained access control requires both. Options chosen by \`Fn::If\`
are judged branch by branch; the message names the condition and whether the parameters' defaults deploy it, and a
conditional branch gets no quick fix.`,
  howToFix: `Set \`DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10}\` and
\`NodeToNodeEncryptionOptions: {Enabled: true}\`. Enabling node-to-node encryption on an existing domain needs
OpenSearch/Elasticsearch 6.7 or later and a blue/green deployment.`,
  references: [
    { title: 'Amazon OpenSearch Service: node-to-node encryption', url: 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html' },
    { title: 'Amazon OpenSearch Service: DomainEndpointOptions (EnforceHTTPS, TLSSecurityPolicy)', url: 'https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html' },
    { title: 'RFC 8996: deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `Resources:
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      NodeToNodeEncryptionOptions: {Enabled: true}
      DomainEndpointOptions: {EnforceHTTPS: false, TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07}
`,
    valid: `Resources:
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      NodeToNodeEncryptionOptions: {Enabled: true}
      DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07}
`,
  },
  check(ctx) {
    const template = ctx.template;
    if (!template) return;
    for (const domain of template.ofType('AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain')) {
      const properties = domain.properties;
      if (!isMap(properties)) continue;
      const id = domain.logicalId;
      const at = domain.idNode;
      checkFlag(ctx, properties, 'NodeToNodeEncryptionOptions', 'Enabled', at, `Domain ${id} sends data between its nodes unencrypted (NodeToNodeEncryptionOptions.Enabled is not true).`);
      const https = checkFlag(ctx, properties, 'DomainEndpointOptions', 'EnforceHTTPS', at, `Domain ${id} answers plain HTTP (DomainEndpointOptions.EnforceHTTPS is not true).`);
      // Reported only when every branch enforces HTTPS (otherwise the plain-HTTP finding says enough).
      if (https !== 'on') continue;
      const endpoint = get(properties, 'DomainEndpointOptions');
      for (const branch of possibleValuesAt(template, properties, ['DomainEndpointOptions', 'TLSSecurityPolicy'])) {
        const policyNode = branch.node;
        const policy = resolveString(policyNode);
        if (policy && !policy.known) continue;
        if (policy?.value.includes('TLS-1-2')) continue;
        // Absent policy: the service default, TLS 1.0. A conditional branch gets no fix: its value may be chosen for a reason.
        const conditional = branch.when.length > 0;
        ctx.report({
          at: policyNode ?? (conditional ? branch.at : undefined) ?? endpoint ?? at,
          message: `Domain ${id} accepts TLS 1.0 and 1.1 (${policy ? `TLSSecurityPolicy ${policy.value}` : 'the default TLSSecurityPolicy'}).${describeWhen(template, branch.when)}`,
          fixes: (): Fix[] => conditional || !isMap(endpoint) && policyNode === undefined ? [] : [{
            title: 'Require TLS 1.2 (TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07)',
            applicability: 'unsafe',
            edits: [policyNode ? edits.replaceValue(ctx.document, policyNode, 'Policy-Min-TLS-1-2-2019-07') : edits.insertEntry(ctx.document, endpoint as Parameters<typeof edits.insertEntry>[1], 'TLSSecurityPolicy', 'Policy-Min-TLS-1-2-2019-07')],
          }],
        });
      }
    }
  },
});

/**
 * `on` (every branch sets the flag true), `unknown`, or `off` (some branch leaves it off: reported, with a fix setting
 * it to true when that branch is unconditional). Sections and flags chosen by `Fn::If` are read branch by branch
 * (model/conditions.ts), the message naming the condition as SLS401/402/406 do.
 */
function checkFlag(ctx: RuleContext, properties: Node, section: string, flag: string, fallback: Node, message: string): 'on' | 'off' | 'unknown' {
  const options = get(properties, section);
  if (asIntrinsic(options)?.fn === 'Fn::If' || asIntrinsic(get(options, flag))?.fn === 'Fn::If') return checkBranches(ctx, properties, section, flag, message);
  if (options !== undefined && (!isMap(options) || asIntrinsic(options))) return 'unknown';
  const value = resolveBoolean(get(options, flag));
  if (value && !value.known) return 'unknown';
  if (value?.value) return 'on';
  const written = entry(options, flag);
  const fixes = (): Fix[] => {
    // Enforcing HTTPS with the default TLS policy would accept TLS 1.0: write both, when nothing else is in the section.
    if (flag === 'EnforceHTTPS') {
      const value = { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' };
      if (!options) return [{ title: 'Enforce HTTPS with TLS 1.2', applicability: 'unsafe', edits: [edits.insertEntry(ctx.document, properties as Parameters<typeof edits.insertEntry>[1], section, value)] }];
      if (options.entries.every((e) => e.key.value === 'EnforceHTTPS' || e.key.value === 'TLSSecurityPolicy')) {
        return [{ title: 'Enforce HTTPS with TLS 1.2', applicability: 'unsafe', edits: [edits.replaceValue(ctx.document, options, value)] }];
      }
      return [];
    }
    return [{
      title: `Set ${section}.${flag}: true`,
      applicability: 'unsafe',
      edits: [written ? edits.replaceValue(ctx.document, written.value, true) : options ? edits.insertEntry(ctx.document, options, flag, true) : edits.insertEntry(ctx.document, properties as Parameters<typeof edits.insertEntry>[1], section, { [flag]: true })],
    }];
  };
  ctx.report({ at: written?.value ?? (options ? entry(properties, section)!.key : fallback), message, fixes });
  return 'off';
}

/** The flag read through `Fn::If` branches: each branch that leaves it off is reported there, without a fix. */
function checkBranches(ctx: RuleContext, properties: Node, section: string, flag: string, message: string): 'on' | 'off' | 'unknown' {
  const branches = possibleValuesAt(ctx.template, properties, [section, flag]);
  if (branches.length === 0) return 'unknown';
  let answer: 'on' | 'off' | 'unknown' = 'on';
  for (const branch of branches) {
    const value = branch.node === undefined ? { known: true, value: false } : resolveBoolean(branch.node);
    if (!value?.known) {
      if (answer === 'on') answer = 'unknown';
      continue;
    }
    if (value.value) continue;
    answer = 'off';
    const at = branch.node ?? branch.at ?? entry(properties, section)?.key;
    if (at) ctx.report({ at, message: `${message}${describeWhen(ctx.template, branch.when)}` });
  }
  return answer;
}
