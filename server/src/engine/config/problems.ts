/**
 * Config file problems in words a user acts on: one message per problem, at the exact key or value,
 * naming it, with "did you mean" where a near name exists. JSON-schema errors are translated here
 * (never shown raw: a message such as `must match pattern "^(SLS[0-9]{3}|...)$"` explains nothing), and
 * rule keys are checked against the catalogue the host runs with.
 */
import type { ErrorObject } from 'ajv';
import { closestNames } from '../iam/suggest';
import { entry, isMap, type MapNode, type Node, type Span } from '../documents/node';

export interface ConfigProblem {
  readonly message: string;
  readonly span: Span;
}

/** A rule as the config file may name it: by id (`SLS101`) or name (`iam-wildcard-action`). */
export interface RuleIdentity {
  readonly id: string;
  readonly name: string;
}

const SETTINGS = ['off', 'error', 'warning', 'info', 'hint'];

/** `; did you mean \`A\`?` or a pointer to the rule list. */
function suggestion(candidates: readonly string[], fallback: string): string {
  return candidates.length ? ` Did you mean ${candidates.map((c) => `\`${c}\``).join(' or ')}?` : ` ${fallback}`;
}

/** Rule ids and names the catalogue does not know, at the key that names them. */
export function unknownRuleProblems(root: Node | undefined, catalogue: readonly RuleIdentity[]): ConfigProblem[] {
  const rules = isMap(root) ? entry(root, 'rules') : undefined;
  if (!rules || !isMap(rules.value)) return [];
  const known = new Set(catalogue.flatMap((r) => [r.id, r.name]));
  const problems: ConfigProblem[] = [];
  for (const e of rules.value.entries) {
    const key = String(e.key.value);
    if (known.has(key)) continue;
    // `sls101` is SLS101 written in lower case: say so rather than suggest a distant name.
    const near = known.has(key.toUpperCase()) ? [key.toUpperCase()] : closestNames(key, [...known], 2);
    problems.push({
      message: `Unknown rule \`${key}\` in \`rules\`.${suggestion(near, 'Rules are named by id (SLS101) or name (iam-wildcard-action): `serverless-security rules` lists them.')}`,
      span: e.key.span,
    });
  }
  return problems;
}

/**
 * Schema errors as problems. `catalogue` given: rule keys are checked by `unknownRuleProblems`, so the
 * schema's own key pattern is not reported a second time.
 */
export function schemaProblems(errors: readonly ErrorObject[], root: Node | undefined, topLevelKeys: readonly string[], rulesChecked: boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const push = (problem: ConfigProblem) => {
    const key = `${problem.span.start}:${problem.span.end}:${problem.message}`;
    if (!seen.has(key)) seen.add(key), problems.push(problem);
  };
  const fallbackSpan = root?.span ?? { start: 0, end: 0 };
  for (const error of errors) {
    const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const at = locate(root, path);
    const where = path.length ? `\`${dotted(path)}\`` : 'The configuration';
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        const keyNode = isMap(at) ? entry(at, key)?.key : undefined;
        const allowed = path.length === 0 ? topLevelKeys : [];
        const near = closestNames(key, allowed, 1);
        push({
          message: `Unknown key \`${key}\`${path.length ? ` in ${where}` : ''}.${suggestion(near, allowed.length ? `Known keys: ${allowed.map((k) => `\`${k}\``).join(', ')}.` : '')}`.trimEnd(),
          span: keyNode?.span ?? at?.span ?? fallbackSpan,
        });
        break;
      }
      case 'propertyNames':
      case 'pattern': {
        if (rulesChecked && path[0] === 'rules') break;
        const name = (error.params as { propertyName?: string }).propertyName;
        if (error.keyword === 'propertyNames' || name === undefined) break; // the `pattern` error names the key
        const keyNode = isMap(at) ? entry(at, name)?.key : undefined;
        push({ message: `\`${name}\` in ${where} is not a rule id (SLS and three digits) or a rule name (lower-case words joined by hyphens).`, span: keyNode?.span ?? at?.span ?? fallbackSpan });
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const value = at && at.kind === 'scalar' ? String(at.value) : undefined;
        // `warn` for `warning`: a prefix is as telling as a small edit distance.
        const near = value === undefined ? [] : value.length >= 2 && allowed.some((a) => a.startsWith(value.toLowerCase())) ? allowed.filter((a) => a.startsWith(value.toLowerCase())).slice(0, 1) : closestNames(value, allowed, 1);
        const list = allowed.join(', ');
        const isSetting = allowed.length === SETTINGS.length && allowed.every((a) => SETTINGS.includes(a));
        push({
          message: `${where} is ${value !== undefined ? `\`${value}\`` : 'not a plain value'}: it must be one of ${list}${isSetting ? ' (off disables the rule; a severity replaces its default)' : ''}.${near.length ? ` Did you mean \`${near[0]}\`?` : ''}`,
          span: at?.span ?? fallbackSpan,
        });
        break;
      }
      case 'type':
        push({ message: `${where} must be ${article((error.params as { type: string }).type)}.`, span: at?.span ?? fallbackSpan });
        break;
      case 'minimum':
        push({ message: `${where} must be at least ${(error.params as { limit: number }).limit}.`, span: at?.span ?? fallbackSpan });
        break;
      case 'minLength':
        push({ message: `${where} must not be empty.`, span: at?.span ?? fallbackSpan });
        break;
      default:
        push({ message: `${where} ${error.message ?? 'is invalid'}.`, span: at?.span ?? fallbackSpan });
    }
  }
  return problems;
}

function article(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping of keys to values';
    case 'array':
      return 'a list';
    case 'integer':
      return 'a whole number';
    default:
      return `a ${type}`;
  }
}

function dotted(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function locate(root: Node | undefined, path: readonly string[]): Node | undefined {
  let node = root;
  for (const part of path) {
    if (!node) return undefined;
    if (node.kind === 'map') node = entry(node as MapNode, part)?.value;
    else if (node.kind === 'seq') node = node.items[Number(part)];
    else return undefined;
  }
  return node;
}
