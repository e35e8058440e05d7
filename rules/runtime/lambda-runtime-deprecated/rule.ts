import {
  daysBetween,
  defineRule,
  edits,
  get,
  getPath,
  lambdaRuntime,
  newestRuntime,
  resolveString,
  RUNTIMES_AS_OF,
  type Node,
  type Related,
  type Resource,
  type RuleContext,
  type ScalarNode,
  type Severity,
  type Template,
} from '../../../server/src/engine/api';

/** How far ahead an upcoming deprecation is announced (info). */
const WARN_AHEAD_DAYS = 180;

export default defineRule({
  id: 'SLS801',
  name: 'lambda-runtime-deprecated',
  category: 'runtime',
  defaultSeverity: 'warning',
  appliesTo: ['cloudformation', 'sam', 'serverless'],
  // A function's own runtime is judged in its entry; a Globals runtime once, with the functions inheriting it, by the
  // judgement of the sections (which selects them through template.whole.select: a function edit judges it again only
  // when that function starts or stops inheriting it).
  scope: 'related',
  sections: true,
  summary: 'A Lambda function uses a deprecated runtime, or one deprecated within 180 days',
  rationale: `After a runtime's deprecation date AWS no longer applies security patches to it and the function loses
technical support; later AWS blocks creating, then updating, functions that use it, so an urgent fix can no longer
be deployed without a runtime migration (OWASP Serverless Top 10, SAS-10: using components with known
vulnerabilities). Deprecated runtimes are reported as warnings, runtimes deprecated within 180 days as information.
Dates come from the table in \`server/src/engine/data/lambda-runtimes.ts\` (AWS "Lambda runtimes" page).`,
  howToFix: `Move the function to a supported runtime of the same language and test it: major versions are not
backwards compatible. The quick fix writes the newest supported runtime of the same language (unsafe: review the
code and dependencies). SAM \`Globals.Function.Runtime\` and Serverless \`provider.runtime\` are reported once, where
they are written.`,
  references: [
    { title: 'AWS Lambda: Lambda runtimes (supported and deprecated runtimes)', url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html' },
    { title: 'AWS Lambda: runtime deprecation policy', url: 'https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html' },
  ],
  fix: { availability: 'sometimes', applicability: 'unsafe' },
  example: {
    format: 'yaml',
    invalid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs16.x
      Role: arn:aws:iam::123456789012:role/worker
      Code: {ZipFile: 'exports.handler = async () => 1;'}
`,
    valid: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs24.x
      Role: arn:aws:iam::123456789012:role/worker
      Code: {ZipFile: 'exports.handler = async () => 1;'}
`,
  },
  check(ctx) {
    const today = ctx.now ?? RUNTIMES_AS_OF;
    // One finding per written runtime value; Globals/provider values list the functions inheriting them.
    const users = new Map<Node, { owner: string; inheritedBy: Related[] }>();
    const add = (node: Node, owner: string, inheritor?: { span: ScalarNode['span']; name: string }) => {
      const entry = users.get(node) ?? { owner, inheritedBy: [] };
      if (inheritor) entry.inheritedBy.push({ span: inheritor.span, message: `${inheritor.name} inherits this runtime` });
      users.set(node, entry);
    };
    const template = ctx.template;
    if (template) {
      for (const fn of template.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
        const located = template.property(fn, 'Runtime');
        // A value written elsewhere (a YAML alias of another function's) is judged where it is written.
        if (located && !located.fromGlobals && located.node.span.start >= fn.node.span.start && located.node.span.end <= fn.node.span.end) add(located.node, `function ${fn.logicalId}`);
      }
      // Only SAM functions inherit Globals (`property` gives Globals.Function.Runtime to a function without its own).
      const inherited = template.judgesSections ? getPath(template.globals, 'Function', 'Runtime') : undefined;
      if (inherited !== undefined) {
        for (const fn of template.whole.select(['AWS::Serverless::Function'], inheritsRuntime)) add(inherited, 'Globals.Function.Runtime', { span: fn.idNode.span, name: `Function ${fn.logicalId}` });
      }
    }
    const app = ctx.serverless;
    if (app) {
      const providerRuntime = get(app.provider, 'runtime');
      if (providerRuntime !== undefined) add(providerRuntime, 'provider.runtime');
      for (const fn of app.functions) {
        const own = get(fn.node, 'runtime');
        if (own !== undefined) add(own, `function ${fn.name}`);
        // Container-image functions have no runtime of their own.
        else if (providerRuntime !== undefined && get(fn.node, 'image') === undefined) add(providerRuntime, 'provider.runtime', { span: fn.nameNode.span, name: `Function ${fn.name}` });
      }
    }
    for (const [node, { owner, inheritedBy }] of users) report(ctx, today, node, owner, inheritedBy);
  },
});

/** Whether a SAM function takes its runtime from Globals (a `Template.select` test: it reads the function and Globals only). */
function inheritsRuntime(fn: Resource, template: Template): boolean {
  return template.property(fn, 'Runtime')?.fromGlobals !== undefined;
}

/**
 * The runtime written at `node`: a literal, or in a serverless.yml a variable whose value is in the workspace
 * (`${self:custom.runtime}`, `${file(./config.yml):runtime}`). `edit` is the node a fix may rewrite: the literal
 * itself or, through `self:` references, the literal in this file that gives the value.
 */
function runtimeAt(ctx: RuleContext, node: Node): { value: string; edit?: Node; related: Related[]; note: string } | undefined {
  const literal = resolveString(node);
  if (literal?.known) return { value: literal.value, edit: node, related: [], note: '' };
  const resolved = ctx.serverless?.resolve(node);
  if (!resolved?.known) return undefined;
  const related: Related[] = [];
  for (const source of resolved.sources) {
    if (source.file !== undefined) related.push({ span: node.span, file: source.file, line: source.line ?? 0, message: `${source.variable} is ${resolved.value}, written in ${source.file}` });
    else if (source.node) related.push({ span: source.node.span, message: `${source.variable} is written here` });
  }
  const last = resolved.sources[resolved.sources.length - 1];
  const edit = last?.node && resolveString(last.node)?.known ? last.node : undefined;
  const note = resolved.sources.some((s) => s.isDefault) ? ' (through a default value: a deployment may pass another)' : '';
  return { value: resolved.value, ...(edit ? { edit } : {}), related, note };
}

function report(ctx: RuleContext, today: string, node: Node, owner: string, inherited: Related[]): void {
  const resolved = runtimeAt(ctx, node);
  if (!resolved) return;
  const related = [...resolved.related, ...inherited];
  const runtime = lambdaRuntime(resolved.value);
  if (!runtime) return;
  const left = daysBetween(today, runtime.deprecation);
  if (left > WARN_AHEAD_DAYS) return;
  let severity: Severity;
  let message: string;
  if (left <= 0) {
    severity = 'warning';
    const blocked =
      runtime.blockUpdate && daysBetween(today, runtime.blockUpdate) <= 0
        ? `; AWS blocks function updates since ${runtime.blockUpdate}`
        : runtime.blockCreate && daysBetween(today, runtime.blockCreate) <= 0
          ? `; AWS blocks function creation since ${runtime.blockCreate}`
          : '';
    message = `Runtime ${resolved.value}${resolved.note} of ${owner} is deprecated since ${runtime.deprecation}: it no longer receives security patches${blocked}.`;
  } else {
    severity = 'info';
    message = `Runtime ${resolved.value}${resolved.note} of ${owner} is deprecated on ${runtime.deprecation} (in ${left} days): plan the upgrade.`;
  }
  const newest = newestRuntime(runtime.language, today);
  // Computed on request: the edit reads the document, which a judgement of one resource records as reading every one.
  const edit = resolved.edit;
  const fixes = () => (newest && newest.id !== runtime.id && edit ? [{ title: `Change the runtime to ${newest.id}`, applicability: 'unsafe' as const, edits: [edits.replaceValue(ctx.document, edit, newest.id)] }] : []);
  ctx.report({ at: node, message, severity, related, fixes });
}
