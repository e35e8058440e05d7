/**
 * The values a property may take once CloudFormation has chosen its `Fn::If` branches, and under which conditions.
 *
 * A rule that reads a property only when it is a literal is silent on `!If [Cond, insecure, secure]`, although one of
 * the branches deploys the insecure value. `possibleValues` gives every branch (nested ones too) with the conditions
 * leading to it; `AWS::NoValue` is a branch where the property is absent. A branch no allowed parameter value reaches
 * is dropped. `describeWhen` says in a message which condition deploys a branch and whether the parameters' defaults
 * do, so a finding on a branch never reads as if the value were unconditional.
 *
 * Conditions are evaluated over the template's parameters: a parameter's `AllowedValues`, or its `Default`, the
 * literals the conditions compare it with and "any other value". Anything else a condition reads (pseudo parameters,
 * `Fn::FindInMap`, list parameters, SSM-typed parameters) is unknown, and an unknown condition may go either way.
 * Bounded: at most `MAX_ASSIGNMENTS` combinations of parameter values per question, `MAX_VARIANTS` branches per property.
 */
import { asIntrinsic, asList, get, isMap, isScalar, isSeq, literalString, type Node } from '../documents/node';
import type { Template } from './template';

/** One `Fn::If` choice on the way to a value. */
export interface ConditionChoice {
  readonly condition: string;
  /** The branch taken: true for the second item of the `Fn::If`, false for the third. */
  readonly holds: boolean;
}

/** A value a property may take. */
export interface PossibleValue {
  /** The value; undefined when the property is absent in this branch (`AWS::NoValue`) or not written at all. */
  readonly node: Node | undefined;
  /** Where the branch is written: the value, or the `!Ref AWS::NoValue`; undefined when the property is not written. */
  readonly at: Node | undefined;
  /** The `Fn::If` choices leading to it, outermost first; empty for an unconditional value. */
  readonly when: readonly ConditionChoice[];
}

const MAX_VARIANTS = 64;
const MAX_DEPTH = 8;
const MAX_ASSIGNMENTS = 256;

/** Every value `node` may deploy, through its `Fn::If` branches; a reachable branch each. */
export function possibleValues(template: Template | undefined, node: Node | undefined, when: readonly ConditionChoice[] = []): PossibleValue[] {
  const found: PossibleValue[] = [];
  const visit = (current: Node | undefined, path: readonly ConditionChoice[], depth: number): void => {
    if (found.length >= MAX_VARIANTS) return;
    const intrinsic = asIntrinsic(current);
    if (intrinsic?.fn === 'Ref' && literalString(intrinsic.arg) === 'AWS::NoValue') {
      found.push({ node: undefined, at: current, when: path });
      return;
    }
    if (intrinsic?.fn === 'Fn::If' && depth < MAX_DEPTH && isSeq(intrinsic.arg) && intrinsic.arg.items.length === 3) {
      const condition = literalString(intrinsic.arg.items[0]);
      if (condition !== undefined) {
        for (const holds of [true, false]) {
          const next = [...path, { condition, holds }];
          if (template && reach(template, next).kind === 'never') continue;
          visit(intrinsic.arg.items[holds ? 1 : 2], next, depth + 1);
        }
        return;
      }
    }
    found.push({ node: current, at: current, when: path });
  };
  visit(node, when, 0);
  return found;
}

/**
 * The values at a path of map keys below `node`, through the `Fn::If` branches of every step. A step missing in a written
 * map, or an `AWS::NoValue` branch, gives a value with no node; its `at` is where the branch is written (the map lacking
 * the key, or the `!Ref AWS::NoValue`), undefined when `node` itself is. A step through
 * any other intrinsic (`!Ref Block`) is unknown and gives nothing.
 */
export function possibleValuesAt(template: Template | undefined, node: Node | undefined, path: readonly string[]): PossibleValue[] {
  let current: PossibleValue[] = [{ node, at: undefined, when: [] }];
  for (const step of path) {
    const next: PossibleValue[] = [];
    for (const value of current) {
      if (value.node === undefined) {
        next.push(value);
        continue;
      }
      if (!isMap(value.node) || asIntrinsic(value.node)) continue;
      const child = get(value.node, step);
      if (child === undefined) next.push({ node: undefined, at: value.node, when: value.when });
      else next.push(...possibleValues(template, child, value.when));
    }
    current = next;
  }
  return current;
}

/**
 * The items a list property may hold, each with the choices that deploy it: the list's own branches, then each item's
 * (an `AWS::NoValue` item is no item). A value that is not a list counts as one item, as IAM's "string or list" does.
 */
export function possibleItems(template: Template | undefined, node: Node | undefined, when: readonly ConditionChoice[] = []): PossibleValue[] {
  const items: PossibleValue[] = [];
  for (const list of possibleValues(template, node, when)) {
    for (const item of asList(list.node)) {
      for (const value of possibleValues(template, item, list.when)) if (value.node !== undefined) items.push(value);
    }
  }
  return items;
}

/**
 * Whether a path of choices is taken with the parameters' defaults (`default`), only with other values (`other`,
 * naming the parameters and the values that lead there), by no allowed value (`never`), or cannot be told (`unknown`).
 */
export type Reach =
  | { readonly kind: 'default'; readonly defaults: readonly (readonly [string, string])[] }
  | { readonly kind: 'other'; readonly needs: readonly string[] }
  | { readonly kind: 'never' }
  | { readonly kind: 'unknown' };

/** Any value of a parameter other than the literals a condition compares it with. */
const OTHER = Symbol('other value');
type Value = string | typeof OTHER;
type Assignment = ReadonlyMap<string, Value>;

interface Candidates {
  readonly values: readonly Value[];
  readonly fallback: string | undefined;
}

const cache = new WeakMap<Template, Map<string, Reach>>();

/** Which parameter values take the path of choices `when` (every choice at once). */
export function reach(template: Template, when: readonly ConditionChoice[]): Reach {
  if (when.length === 0) return { kind: 'unknown' };
  const key = when.map((c) => `${c.holds ? '' : '!'}${c.condition}`).join('\0');
  let known = cache.get(template);
  if (!known) cache.set(template, (known = new Map()));
  const cached = known.get(key);
  if (cached) return cached;
  const result = computeReach(template, when);
  known.set(key, result);
  return result;
}

function computeReach(template: Template, when: readonly ConditionChoice[]): Reach {
  const conditions = template.section('Conditions');
  const read = new Set<string>();
  const literals = new Map<string, Set<string>>();
  for (const choice of when) {
    if (!collect(conditions, get(conditions, choice.condition), read, literals, new Set([choice.condition]), 0)) return { kind: 'unknown' };
  }
  const candidates = new Map<string, Candidates>();
  let combinations = 1;
  for (const name of read) {
    const parameter = template.parameters.find((p) => p.name === name);
    const found = parameter ? candidatesOf(parameter.node, literals.get(name) ?? new Set()) : undefined;
    if (!found) return { kind: 'unknown' };
    candidates.set(name, found);
    combinations *= found.values.length;
    if (combinations > MAX_ASSIGNMENTS) return { kind: 'unknown' };
  }
  const names = [...read];
  const defaults = names.every((n) => candidates.get(n)!.fallback !== undefined) ? new Map(names.map((n) => [n, candidates.get(n)!.fallback!] as const)) : undefined;
  const taken = (assignment: Assignment): boolean | undefined => {
    let result: boolean | undefined = true;
    for (const choice of when) {
      const value = evaluate(conditions, get(conditions, choice.condition), assignment, 0);
      if (value === undefined) result = undefined;
      else if (value !== choice.holds) return false;
    }
    return result;
  };
  if (defaults) {
    const byDefault = taken(defaults);
    if (byDefault === true) return { kind: 'default', defaults: names.map((n) => [n, defaults.get(n) as string] as const) };
  }
  let unknown = false;
  const needs = new Map<string, Set<string>>();
  const assignment = new Map<string, Value>();
  const enumerate = (index: number): void => {
    if (index === names.length) {
      const result = taken(assignment);
      if (result === undefined) unknown = true;
      else if (result) {
        for (const [name, value] of assignment) {
          if (defaults && defaults.get(name) === value) continue;
          const described = value === OTHER ? otherThan(candidates.get(name)!, literals.get(name)) : `'${value}'`;
          let set = needs.get(name);
          if (!set) needs.set(name, (set = new Set()));
          set.add(described);
        }
        if (!defaults) unknown = true; // reached, but with a parameter that has no default: say nothing of defaults
      }
      return;
    }
    for (const value of candidates.get(names[index]!)!.values) {
      assignment.set(names[index]!, value);
      enumerate(index + 1);
    }
  };
  enumerate(0);
  if (needs.size > 0 && defaults) {
    return { kind: 'other', needs: [...needs].map(([name, values]) => `${name} ${[...values].join(' or ')}`) };
  }
  if (unknown || needs.size > 0) return { kind: 'unknown' };
  return { kind: 'never' };
}

function otherThan(candidates: Candidates, literals: Set<string> | undefined): string {
  const compared = [...(literals ?? [])].filter((v) => v !== candidates.fallback);
  const excluded = [candidates.fallback, ...compared].filter((v): v is string => v !== undefined);
  return excluded.length ? `other than ${excluded.map((v) => `'${v}'`).join(', ')}` : 'set';
}

/** The values worth trying for a parameter, and its default. Undefined when its value cannot be compared (lists, SSM). */
function candidatesOf(parameter: Node, compared: Set<string>): Candidates | undefined {
  const type = literalString(get(parameter, 'Type')) ?? 'String';
  if (type !== 'String' && type !== 'Number' && !type.startsWith('AWS::EC2::') && !type.startsWith('AWS::Route53::')) return undefined;
  if (type.startsWith('List') || type.includes('List<')) return undefined;
  const defaultNode = get(parameter, 'Default');
  const fallback = isScalar(defaultNode) && defaultNode.value !== null ? String(defaultNode.value) : undefined;
  const allowed = get(parameter, 'AllowedValues');
  if (isSeq(allowed) && allowed.items.length > 0) {
    const values = allowed.items.map((item) => (isScalar(item) && item.value !== null ? String(item.value) : undefined));
    if (values.every((v): v is string => v !== undefined)) return { values: [...new Set(values)], fallback };
  }
  const values = new Set<Value>(compared);
  if (fallback !== undefined) values.add(fallback);
  values.add(OTHER);
  return { values: [...values], fallback };
}

/** The parameters a condition reads and the literals it compares each with; false when it reads anything else. */
function collect(conditions: Node | undefined, node: Node | undefined, read: Set<string>, literals: Map<string, Set<string>>, seen: Set<string>, depth: number): boolean {
  if (node === undefined || depth > MAX_DEPTH) return false;
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return false;
  const args = isSeq(intrinsic.arg) ? intrinsic.arg.items : [];
  switch (intrinsic.fn) {
    case 'Condition': {
      const name = literalString(intrinsic.arg);
      if (name === undefined || seen.has(name)) return false; // a cycle: CloudFormation rejects it
      return collect(conditions, get(conditions, name), read, literals, new Set(seen).add(name), depth + 1);
    }
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return args.length > 0 && args.every((arg) => collect(conditions, arg, read, literals, seen, depth + 1));
    case 'Fn::Equals': {
      if (args.length !== 2) return false;
      const sides = args.map(operand);
      if (sides.some((side) => side === undefined)) return false;
      for (const side of sides) if (side!.parameter) read.add(side!.parameter);
      for (const [a, b] of [[sides[0]!, sides[1]!], [sides[1]!, sides[0]!]] as const) {
        if (a.parameter && b.literal !== undefined) {
          let set = literals.get(a.parameter);
          if (!set) literals.set(a.parameter, (set = new Set()));
          set.add(b.literal);
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/** An `Fn::Equals` operand: a literal, or a parameter (not a pseudo parameter) by `Ref`. */
function operand(node: Node | undefined): { readonly literal?: string; readonly parameter?: string } | undefined {
  if (isScalar(node)) return node.value === null ? { literal: '' } : { literal: String(node.value) };
  const intrinsic = asIntrinsic(node);
  if (intrinsic?.fn !== 'Ref') return undefined;
  const name = literalString(intrinsic.arg);
  return name === undefined || name.startsWith('AWS::') ? undefined : { parameter: name };
}

/** A condition's value under an assignment of every parameter it reads; undefined when it cannot be told. */
function evaluate(conditions: Node | undefined, node: Node | undefined, assignment: Assignment, depth: number): boolean | undefined {
  if (node === undefined || depth > MAX_DEPTH) return undefined;
  const intrinsic = asIntrinsic(node);
  if (!intrinsic) return undefined;
  const args = isSeq(intrinsic.arg) ? intrinsic.arg.items : [];
  switch (intrinsic.fn) {
    case 'Condition': {
      const name = literalString(intrinsic.arg);
      return name === undefined ? undefined : evaluate(conditions, get(conditions, name), assignment, depth + 1);
    }
    case 'Fn::Not': {
      const value = evaluate(conditions, args[0], assignment, depth + 1);
      return value === undefined ? undefined : !value;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const and = intrinsic.fn === 'Fn::And';
      let result: boolean | undefined = and;
      for (const arg of args) {
        const value = evaluate(conditions, arg, assignment, depth + 1);
        if (value === undefined) result = undefined;
        else if (value !== and) return value;
      }
      return result;
    }
    case 'Fn::Equals': {
      const [a, b] = args.map((arg) => valueOf(arg, assignment));
      if (a === undefined || b === undefined) return undefined;
      if (a === OTHER && b === OTHER) return undefined;
      return a === b;
    }
    default:
      return undefined;
  }
}

function valueOf(node: Node | undefined, assignment: Assignment): Value | undefined {
  const side = operand(node);
  if (side === undefined) return undefined;
  return side.parameter !== undefined ? assignment.get(side.parameter) : side.literal;
}

/**
 * A clause for a message: which conditions deploy a branch and whether the parameters' defaults do
 * (" Only when condition BundleSSLCertification is true: CertificateManagerARN other than ''."). Empty for no choice.
 */
export function describeWhen(template: Template | undefined, when: readonly ConditionChoice[]): string {
  if (when.length === 0) return '';
  const choices = when.map((c) => `${c.condition} is ${c.holds}`).join(' and ');
  const reached = template ? reach(template, when) : { kind: 'unknown' as const };
  const conditionWord = when.length === 1 ? 'condition' : 'conditions';
  if (reached.kind === 'default') {
    const defaults = reached.defaults.map(([name, value]) => `${name} '${value}'`).join(', ');
    return ` This branch is deployed when ${conditionWord} ${choices}, as with the parameters' defaults (${defaults}).`;
  }
  if (reached.kind === 'other') return ` This branch is deployed only when ${conditionWord} ${choices}: with ${reached.needs.join(', ')} (not the parameters' defaults).`;
  return ` This branch is deployed when ${conditionWord} ${choices}.`;
}
