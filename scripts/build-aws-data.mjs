// Builds data/: compact AWS reference data that no npm package ships, in the shapes the engine
// reads (server/src/engine/iam/managed-policies.ts, sam-templates.ts).
//   data/managed-policies.json      AWS managed policy name → ARN path, flags, statements
//   data/sam-policy-templates.json  SAM policy template name → description, parameters, statements
// Input: ../shared/data (see data/README.md for sources and licences). The outputs are committed,
// so a checkout without ../shared still builds; this script only refreshes them when the input
// exists. Run: node scripts/build-aws-data.mjs
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const input = process.env.AWS_DATA_INPUT ?? join('..', 'shared', 'data');
const outDir = process.env.AWS_DATA_OUTPUT ?? 'data';
if (!existsSync(join(input, 'aws-managed-policies.json'))) {
  console.log(`build-aws-data: ${input} not found; keeping the committed data/`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });

// ---- managed policies ----------------------------------------------------------------------
const managed = JSON.parse(readFileSync(join(input, 'aws-managed-policies.json'), 'utf8'));

/**
 * The dataset leaves out a few policies (see its `_meta.skipped`). The two that matter most for a
 * security linter are added from the AWS Managed Policy Reference, which publishes their documents:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html
 */
const ADDED = {
  AdministratorAccess: {
    arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    deprecated: false,
    privesc: true,
  },
  PowerUserAccess: {
    arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    document: {
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'account:GetAccountInformation',
            'account:GetPrimaryEmail',
            'account:ListRegions',
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeOrganization',
          ],
          Resource: '*',
        },
      ],
    },
    deprecated: false,
    privesc: true,
  },
};

const list = (v) => (v === undefined ? 0 : Array.isArray(v) ? v : [v]);
// Statement: [effect (1 Allow, 0 Deny), Action list or 0, NotAction list or 0, Resource list or 0, NotResource list or 0, has Condition (1/0)]
const compactStatement = (s) => [s.Effect === 'Deny' ? 0 : 1, list(s.Action), list(s.NotAction), list(s.Resource), list(s.NotResource), s.Condition ? 1 : 0];
// SAM's name → ARN table fills the ARNs the dataset lacks (null for some older policies).
const samArns = existsSync(join(input, 'sam-aws-managed-policy-arns.json')) ? JSON.parse(readFileSync(join(input, 'sam-aws-managed-policy-arns.json'), 'utf8')).aws ?? {} : {};
const policies = {};
const all = { ...managed.policies, ...ADDED };
for (const name of Object.keys(all).sort()) {
  const p = all[name];
  // A few dataset keys carry a stray file extension; the clean name wins when both exist.
  if (name.endsWith('.json') && all[name.slice(0, -5)]) continue;
  const clean = name.replace(/\.json$/, '');
  const arn = p.arn ?? samArns[clean];
  const path = arn ? /^arn:aws:iam::aws:policy\/(.*)$/.exec(arn)?.[1] : undefined;
  // ARN path before the name (`service-role/`), or null when no source gives the ARN.
  const prefix = path === undefined ? null : path.slice(0, path.length - clean.length);
  // Flags: d deprecated, p privilege escalation, r resource exposure, c credentials exposure, a data access.
  const flags = [p.deprecated && 'd', p.privesc && 'p', p.resource_exposure && 'r', p.credentials_exposure && 'c', p.data_access && 'a'].filter(Boolean).join('');
  policies[clean] = [prefix, flags, list(p.document?.Statement).map(compactStatement)];
}
writeFileSync(
  join(outDir, 'managed-policies.json'),
  // One policy per line (still one JSON document): the Node host indexes the lines and parses only the policies a
  // document names (ManagedPolicyLines in server/src/engine/iam/managed-policies.ts).
  `{"source":${JSON.stringify(`${managed._meta.source} @ ${managed._meta.commit} (${managed._meta.license}); AdministratorAccess and PowerUserAccess from the AWS Managed Policy Reference`)},"policies":{\n` +
    Object.entries(policies).map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',\n') +
    '\n}}\n',
);

// ---- SAM policy templates ------------------------------------------------------------------
const sam = JSON.parse(readFileSync(join(input, 'sam-policy-templates.json'), 'utf8'));
const templates = {};
for (const name of Object.keys(sam.Templates).sort()) {
  const t = sam.Templates[name];
  templates[name] = { d: t.Description ?? '', p: Object.keys(t.Parameters ?? {}), s: list(t.Definition?.Statement) };
}
writeFileSync(
  join(outDir, 'sam-policy-templates.json'),
  JSON.stringify({
    source: 'aws/serverless-application-model samtranslator/policy_templates_data/policy_templates.json @ 7000d0a3b0e5e0d9fca014ce135850718aad1290 (Apache-2.0)',
    version: sam.Version,
    templates,
  }),
);
console.log(`data/: ${Object.keys(policies).length} managed policies, ${Object.keys(templates).length} SAM policy templates`);
