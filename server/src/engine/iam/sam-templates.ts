/**
 * AWS SAM policy templates (`DynamoDBCrudPolicy`, ...): their parameters and the statements they
 * expand to, decoded from `data/sam-policy-templates.json` supplied by the host.
 */
import { placeholders } from '../documents/node';

/** A JSON value as stored: statements keep CloudFormation intrinsics (`{Ref: TableName}`). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

export interface CompactSamTemplates {
  readonly source?: string;
  readonly version?: string;
  readonly templates: Readonly<Record<string, { readonly d: string; readonly p: readonly string[]; readonly s: readonly Json[] }>>;
}

export interface SamPolicyTemplate {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly string[];
  /** Statements with `{Ref: <Parameter>}` placeholders for the parameters. */
  readonly statements: readonly { readonly [key: string]: Json }[];
}

export class SamTemplates {
  private lowerIndex: Map<string, string> | undefined;

  constructor(private readonly compact: CompactSamTemplates) {}

  get names(): readonly string[] {
    return Object.keys(this.compact.templates);
  }

  /** Exact name, as SAM requires; `caseInsensitive` for hovers over misspelt names. */
  get(name: string, caseInsensitive = false): SamPolicyTemplate | undefined {
    let key: string | undefined = name;
    if (!Object.prototype.hasOwnProperty.call(this.compact.templates, name)) {
      if (!caseInsensitive) return undefined;
      key = (this.lowerIndex ??= new Map(this.names.map((n) => [n.toLowerCase(), n]))).get(name.toLowerCase());
      if (key === undefined) return undefined;
    }
    const t = this.compact.templates[key]!;
    return { name: key, description: t.d, parameters: t.p, statements: t.s.filter((s): s is { readonly [key: string]: Json } => typeof s === 'object' && s !== null && !Array.isArray(s)) };
  }
}

/** The actions of a statement (`Action` as string or list), literal ones only. */
export function jsonActions(statement: { readonly [key: string]: Json }, key: 'Action' | 'NotAction' = 'Action'): string[] {
  const value = statement[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/**
 * A parameter's value as written in the document: `alone` where the template uses `{Ref: P}`
 * by itself (`OrdersTable`, or `!Ref OrdersTable` for a computed value), `inSub` inside an
 * `Fn::Sub` string (`OrdersTable`, or `${OrdersTable}`).
 */
export interface FilledParameter {
  readonly alone: string;
  readonly inSub: string;
}

/**
 * Fills a template's parameters into its statements for display: `{Ref: P}` becomes the value
 * (a string), and `Fn::Sub` with a variable map becomes one `Fn::Sub` string.
 */
export function fillParameters(value: Json, parameters: Readonly<Record<string, FilledParameter>>): Json {
  if (Array.isArray(value)) return value.map((v) => fillParameters(v, parameters));
  if (typeof value !== 'object' || value === null) return value;
  const map = value as { readonly [key: string]: Json };
  const keys = Object.keys(map);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof map.Ref === 'string' && parameters[map.Ref] !== undefined) return parameters[map.Ref]!.alone;
  if (keys.length === 1 && keys[0] === 'Fn::Sub' && Array.isArray(map['Fn::Sub'])) {
    const [text, vars] = map['Fn::Sub'] as readonly Json[];
    if (typeof text === 'string' && typeof vars === 'object' && vars !== null && !Array.isArray(vars)) {
      let filled = '';
      let last = 0;
      for (const { name, start, end } of placeholders(text, { nonEmpty: true })) {
        const v = (vars as { readonly [key: string]: Json })[name];
        const ref = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { readonly [key: string]: Json }).Ref : undefined;
        filled += text.slice(last, start) + (typeof ref === 'string' && parameters[ref] ? parameters[ref]!.inSub : typeof v === 'string' ? v : text.slice(start, end));
        last = end;
      }
      filled += text.slice(last);
      return { 'Fn::Sub': filled };
    }
  }
  return Object.fromEntries(keys.map((k) => [k, fillParameters(map[k]!, parameters)]));
}

/** True when `value` refers to the template parameter `name` (`{Ref: name}`, directly or as an `Fn::Sub` variable). */
function refersTo(value: Json, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, name));
  if (typeof value !== 'object' || value === null) return false;
  const map = value as { readonly [key: string]: Json };
  if (map.Ref === name) return true;
  return Object.values(map).some((v) => refersTo(v, name));
}

/** A template statement whose resources a wildcard parameter value opens to every resource of their type. */
export interface WildcardParameterGrant {
  readonly actions: readonly string[];
  /** The statement's resources with the parameter filled in (`arn:${AWS::Partition}:dynamodb:…:table/*`). */
  readonly resources: readonly string[];
}

/**
 * What a template grants when parameter `name` is `*` (`DynamoDBCrudPolicy: {TableName: '*'}`): each
 * statement whose `Resource` uses the parameter, its actions and its resources filled in. SAM writes
 * the value into the ARN, so `*` reaches every table, bucket or function of the account.
 */
export function grantsWithWildcardParameter(template: SamPolicyTemplate, name: string): WildcardParameterGrant[] {
  const filled: Record<string, FilledParameter> = Object.fromEntries(template.parameters.map((p) => [p, p === name ? { alone: '*', inSub: '*' } : { alone: `\${${p}}`, inSub: `\${${p}}` }]));
  const out: WildcardParameterGrant[] = [];
  for (const statement of template.statements) {
    const resource = statement.Resource;
    if (statement.Effect !== 'Allow' || resource === undefined || !refersTo(resource, name)) continue;
    const list = Array.isArray(resource) ? resource : [resource];
    const resources = list.filter((r) => refersTo(r, name)).map((r) => {
      const value = fillParameters(r, filled);
      return typeof value === 'string' ? value : typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { readonly [k: string]: Json })['Fn::Sub'] === 'string' ? ((value as { readonly [k: string]: Json })['Fn::Sub'] as string) : '*';
    });
    out.push({ actions: jsonActions(statement), resources });
  }
  return out;
}
