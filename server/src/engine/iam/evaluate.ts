/**
 * IAM policy evaluation for one request: is `action` on `resource` Allowed, explicitly denied, implicitly denied,
 * or Unknown because something the decision depends on cannot be read (an intrinsic the caller could not resolve,
 * a condition this evaluator cannot decide, a policy variable)?
 *
 * It follows AWS's identity-policy logic (IAM User Guide, "Policy evaluation logic"): an explicit Deny wins, then
 * an Allow, otherwise the request is implicitly denied; with a permissions boundary a request must be allowed by
 * both; actions that need no permission (`sts:GetCallerIdentity`) are always allowed. Action names match case-insensitively with `*` and `?`; resource ARNs are compared segment by segment
 * (partition, service, region and account ignoring case, the resource part case-sensitively, the resource type
 * before its first `/` or `:` literally, since AWS allows no wildcard there) and identity-policy ARNs with fewer
 * than six segments are padded with `*`. These are the answers of the AGPL `@cloud-copilot/iam-simulate`, which a
 * development-only test (`test/iam/evaluate-differential.test.ts`) compares with this module on generated
 * policies and requests.
 *
 * Soundness over reach: an Allow counts only when every part of it is decided; a Deny that may apply makes an
 * otherwise allowed request Unknown. Request resources may contain *holes* (`hole(n)`): a template resource's
 * unknown physical name, region or account. A pattern matches a hole only through `*` (surely) and may match it
 * through literal text (then the match is Unknown). No regular expressions: every match is linear in the product
 * of the two lengths.
 */
import { asIntrinsic, asList, isMap, isScalar, isSeq, type Node } from '../documents/node';
import { NO_PERMISSION_NEEDED } from './actions';
import type { PolicyStatement, ValueList } from './policies';

export type Decision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny' | 'Unknown';

/** A written value: its text, or undefined when it is computed and the caller could not resolve it. */
export type Written = string | undefined;

/** A condition block as JSON (`{StringEquals: {key: value}}`), or `unknown` when it cannot be read. */
export type ConditionBlock = Readonly<Record<string, unknown>> | 'unknown';

export interface EvalStatement {
  readonly effect: 'Allow' | 'Deny' | undefined;
  readonly action?: readonly Written[];
  readonly notAction?: readonly Written[];
  readonly resource?: readonly Written[];
  readonly notResource?: readonly Written[];
  readonly condition?: ConditionBlock;
}

export interface EvalRequest {
  /** `service:Action`. */
  readonly action: string;
  /**
   * The ARN acted on (`*` for actions without resource types); may contain holes. Undefined: a resource nobody
   * can name (the code computes it), which only `Resource: "*"` surely covers.
   */
  readonly resource: string | undefined;
  /**
   * The request context, keys matched case-insensitively. Undefined: the context is not known, so every
   * condition is undecidable (Unknown), which is what a fix verification wants.
   */
  readonly context?: Readonly<Record<string, string>>;
}

/** Three-valued truth: undefined is "cannot tell". */
type Tri = boolean | undefined;

const HOLE_BASE = 0xe000;

/** A hole in a request resource: an unknown, non-empty text without `:` or `/` (a physical name, region, account). */
export function hole(n: number): string {
  return String.fromCharCode(HOLE_BASE + (n % 0x1000));
}

function isHole(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= HOLE_BASE && code < HOLE_BASE + 0x1000;
}

/** Identity statements, and optionally a permissions boundary's, decide the request. */
export function evaluate(statements: readonly EvalStatement[], request: EvalRequest, boundary?: readonly EvalStatement[]): Decision {
  // AWS answers these for any authenticated caller, even under an explicit Deny.
  if (NO_PERMISSION_NEEDED.has(request.action.toLowerCase())) return 'Allowed';
  const identity = evaluatePolicySet(statements, request);
  if (boundary === undefined) return identity;
  const bounded = evaluatePolicySet(boundary, request);
  if (identity === 'ExplicitDeny' || bounded === 'ExplicitDeny') return 'ExplicitDeny';
  if (identity === 'Allowed' && bounded === 'Allowed') return 'Allowed';
  if (identity === 'Unknown' || bounded === 'Unknown') return 'Unknown';
  return 'ImplicitDeny';
}

function evaluatePolicySet(statements: readonly EvalStatement[], request: EvalRequest): Decision {
  let denyMaybe = false;
  let allow: Tri = false;
  for (const statement of statements) {
    if (statement.effect === undefined) {
      // A computed Effect: it may allow or deny whatever it matches.
      const applies = statementApplies(statement, request);
      if (applies !== false) {
        denyMaybe = true;
        if (allow === false) allow = undefined;
      }
      continue;
    }
    const applies = statementApplies(statement, request);
    if (statement.effect === 'Deny') {
      if (applies === true) return 'ExplicitDeny';
      if (applies === undefined) denyMaybe = true;
    } else if (applies === true) allow = true;
    else if (applies === undefined && allow === false) allow = undefined;
  }
  if (allow === true) return denyMaybe ? 'Unknown' : 'Allowed';
  if (allow === undefined) return 'Unknown';
  return denyMaybe ? 'Unknown' : 'ImplicitDeny';
}

function statementApplies(statement: EvalStatement, request: EvalRequest): Tri {
  const action = statement.action ? anyOf(statement.action, (p) => actionMatches(p, request.action)) : statement.notAction ? not(anyOf(statement.notAction, (p) => actionMatches(p, request.action))) : false;
  if (action === false) return false;
  const resource = statement.resource ? anyOf(statement.resource, (p) => resourceMatches(p, request.resource)) : statement.notResource ? not(anyOf(statement.notResource, (p) => notResourceMatches(p, request.resource))) : false;
  if (resource === false) return false;
  const condition = statement.condition === undefined ? true : conditionHolds(statement.condition, request.context);
  return and(and(action, resource), condition);
}

/**
 * True when `edited` applies to the request wherever `original` did: it still applies, the original never did, or
 * the part that decides is written the same in both (the same `Resource` list, the same condition). A narrowing
 * edits one statement; where this holds for a request, the edit changed nothing the request depends on, whatever
 * the other statements (managed policies with resources this evaluator cannot see) say.
 */
export function stillApplies(original: EvalStatement, edited: EvalStatement, request: EvalRequest): boolean {
  if (original.effect !== edited.effect) return false;
  if (statementApplies(original, request) === false || statementApplies(edited, request) === true) return true;
  const same = (a: readonly Written[] | undefined, b: readonly Written[] | undefined) => a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x !== undefined && x === b[i]));
  const actionKept = same(original.action, edited.action) && same(original.notAction, edited.notAction);
  const actionCovers = actionKept || (edited.action !== undefined && anyOf(edited.action, (p) => actionMatches(p, request.action)) === true);
  const resourceCovers = (same(original.resource, edited.resource) && same(original.notResource, edited.notResource)) || (edited.resource !== undefined && anyOf(edited.resource, (p) => resourceMatches(p, request.resource)) === true);
  const conditionKept = original.condition === edited.condition || edited.condition === undefined;
  return actionCovers && resourceCovers && conditionKept;
}

function anyOf(patterns: readonly Written[], match: (pattern: string) => Tri): Tri {
  let result: Tri = false;
  for (const pattern of patterns) {
    const one = pattern === undefined ? undefined : match(pattern);
    if (one === true) return true;
    if (one === undefined) result = undefined;
  }
  return result;
}

function not(value: Tri): Tri {
  return value === undefined ? undefined : !value;
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

/** `s3:Get*` against `s3:GetObject`, ignoring case. */
export function actionMatches(pattern: string, action: string): Tri {
  const p = pattern.trim();
  if (p === '*') return true;
  if (hasVariable(p)) return undefined;
  return globMatch(p.toLowerCase(), action.toLowerCase());
}

function hasVariable(text: string): boolean {
  const at = text.indexOf('${');
  return at >= 0 && text.indexOf('}', at) > at;
}

/** A policy `Resource` pattern against the request's resource (which may hold holes). */
export function resourceMatches(pattern: string, resource: string | undefined): Tri {
  if (pattern === '*') return true;
  if (hasVariable(pattern) || resource === undefined) return undefined;
  if (resource === '*') return false;
  if (!pattern.startsWith('arn:')) return false;
  const policy = pattern.split(':');
  // Identity policies: a short ARN stands for its missing segments as `*` (`arn:aws:s3:::*` is six already).
  while (policy.length < 6) policy.push('*');
  const wanted = resource.split(':');
  if (wanted.length < 6 || wanted[0] !== 'arn') return false;
  let result: Tri = true;
  for (let i = 1; i < 5; i++) {
    result = and(result, segmentMatches(policy[i]!.toLowerCase(), wanted[i]!.toLowerCase()));
    if (result === false) return false;
  }
  return and(result, resourcePartMatches(policy.slice(5).join(':'), wanted.slice(5).join(':'), policy[2]!.toLowerCase() === 's3' && policy[3] === '' && policy[4] === ''));
}

/**
 * In `NotResource`, a short ARN that does not match is no proof that the request is outside it: AWS documents
 * short ARNs only for what they include, and iam-simulate does not invert that mismatch either.
 */
function notResourceMatches(pattern: string, resource: string | undefined): Tri {
  const result = resourceMatches(pattern, resource);
  return result === false && pattern.startsWith('arn:') && pattern.split(':').length < 6 ? undefined : result;
}

function segmentMatches(pattern: string, text: string): Tri {
  if (globMatch(pattern, text)) return true;
  if (![...text].some(isHole)) return false;
  return globsIntersect(pattern, text) ? undefined : false;
}

/**
 * The resource part (`table/Orders`): the resource type up to the first `/` or `:` must be written as is (AWS
 * reads no wildcard there: `t*ble/Orders` matches nothing); the rest is a case-sensitive glob. S3 bucket and
 * object ARNs have no resource type.
 */
function resourcePartMatches(pattern: string, text: string, s3: boolean): Tri {
  const product = s3 ? '' : productOf(pattern);
  if (!text.startsWith(product)) return [...text.slice(0, product.length)].some(isHole) && globsIntersect(pattern, text) ? undefined : false;
  return segmentMatches(pattern.slice(product.length), text.slice(product.length));
}

function productOf(resourcePart: string): string {
  const slash = resourcePart.indexOf('/');
  const colon = resourcePart.indexOf(':');
  if (slash < 0 && colon < 0) return '';
  const first = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
  return resourcePart.slice(0, first + 1);
}

/**
 * `*` any run (holes included), `?` one character that is not a hole, a hole only itself: true when every value of
 * the holes matches.
 * Greedy with one back-tracking point per `*`: O(n × m) at worst.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (c !== undefined && (c === text[t] || (c === '?' && !isHole(text[t]!)))) {
      // The same hole in the pattern (a resolved `!GetAtt Orders.Arn`) is the same unknown text.
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** True when some value of the holes (each any non-empty text) makes `text` match `pattern`. */
function globsIntersect(pattern: string, text: string): boolean {
  const n = pattern.length;
  const m = text.length;
  if (n > 2048 || m > 2048) return true;
  // States (i, j, inHole): i in pattern, j in text; inside a hole the text may stay while the pattern advances.
  const seen = new Uint8Array((n + 1) * (m + 1) * 2);
  const stack: number[] = [0, 0, 0];
  while (stack.length) {
    const inside = stack.pop()!;
    const j = stack.pop()!;
    const i = stack.pop()!;
    const key = (i * (m + 1) + j) * 2 + inside;
    if (seen[key]) continue;
    seen[key] = 1;
    if (i === n && j === m) return true;
    const c = pattern[i];
    const h = j < m && isHole(text[j]!);
    if (c === '*') {
      stack.push(i + 1, j, inside);
      if (j < m) stack.push(i, j + 1, 0);
    }
    if (h && c === text[j]) stack.push(i + 1, j + 1, 0);
    if (h) {
      // A hole stands for one or more characters: consume a pattern character and stay in the hole, or leave it.
      if (c !== undefined && c !== '*' && !isHole(c)) {
        stack.push(i + 1, j, 1);
        stack.push(i + 1, j + 1, 0);
      }
      if (inside) stack.push(i, j + 1, 0);
    } else if (c !== undefined && c !== '*' && j < m && (c === '?' || c === text[j])) stack.push(i + 1, j + 1, 0);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions: the string and boolean operators on single-valued keys of a known context. Everything else
// (numeric, date, IP, ARN operators, Null, set operators, multi-valued keys, policy variables) is undecidable.

const STRING_OPERATORS = new Set(['stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase', 'stringlike', 'stringnotlike', 'bool']);

function conditionHolds(condition: ConditionBlock, context: Readonly<Record<string, string>> | undefined): Tri {
  if (condition === 'unknown' || context === undefined) return undefined;
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  let result: Tri = true;
  for (const [operatorName, block] of Object.entries(condition)) {
    let operator = operatorName.toLowerCase();
    const ifExists = operator.endsWith('ifexists');
    if (ifExists) operator = operator.slice(0, -'ifexists'.length);
    if (!STRING_OPERATORS.has(operator) || typeof block !== 'object' || block === null || Array.isArray(block)) return undefined;
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || values.some((v) => (typeof v !== 'string' && typeof v !== 'boolean') || hasVariable(String(v)))) return undefined;
      const present = lowerContext.get(key.toLowerCase());
      result = and(result, operatorHolds(operator, ifExists, values.map(String), present));
      if (result === false) return false;
    }
  }
  return result;
}

function operatorHolds(operator: string, ifExists: boolean, values: readonly string[], present: string | undefined): Tri {
  const negated = operator.includes('not');
  if (present === undefined) return ifExists || negated;
  let matched: boolean;
  switch (operator) {
    case 'stringequals':
    case 'stringnotequals':
      matched = values.includes(present);
      break;
    case 'stringequalsignorecase':
    case 'stringnotequalsignorecase':
      matched = values.some((v) => v.toLowerCase() === present.toLowerCase());
      break;
    case 'stringlike':
    case 'stringnotlike':
      matched = values.some((v) => globMatch(v, present));
      break;
    case 'bool':
      matched = values.some((v) => v.toLowerCase() === present.toLowerCase());
      break;
    default:
      return undefined;
  }
  return negated ? !matched : matched;
}

// ---------------------------------------------------------------------------------------------------------------
// Statements from their sources.

/** A statement written as JSON (a managed policy, a test's policy). Malformed parts read as undecidable. */
export function statementFromJson(json: Readonly<Record<string, unknown>>): EvalStatement {
  const list = (value: unknown): Written[] | undefined => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : undefined)));
  const effect = json.Effect === 'Allow' || json.Effect === 'Deny' ? json.Effect : undefined;
  const condition = json.Condition === undefined ? undefined : typeof json.Condition === 'object' && json.Condition !== null && !Array.isArray(json.Condition) ? (json.Condition as Record<string, unknown>) : 'unknown';
  return { effect, action: list(json.Action), notAction: list(json.NotAction), resource: list(json.Resource), notResource: list(json.NotResource), ...(condition ? { condition } : {}) };
}

/**
 * A statement of the document. `resolve` turns a computed value (`!GetAtt Table.Arn`, `!Sub …`) into text with
 * holes where it can; what it cannot resolve stays undecidable.
 */
export function statementFromPolicy(statement: PolicyStatement, resolve: (node: Node) => string | undefined = () => undefined): EvalStatement {
  const list = (values: ValueList | undefined): Written[] | undefined => values?.items.map((item) => (item.known ? item.value.trim() : resolve(item.node)));
  return {
    effect: statement.effect,
    action: list(statement.action),
    notAction: list(statement.notAction),
    resource: list(statement.resource),
    notResource: list(statement.notResource),
    ...(statement.condition !== undefined ? { condition: conditionJson(statement.condition) } : {}),
  };
}

/** A condition block as JSON, or `unknown` when it holds intrinsics or is not a map of maps. */
function conditionJson(node: Node): ConditionBlock {
  if (!isMap(node)) return 'unknown';
  const out: Record<string, Record<string, unknown>> = {};
  for (const operator of node.entries) {
    if (!isMap(operator.value) || asIntrinsic(operator.value)) return 'unknown';
    const block: Record<string, unknown> = {};
    for (const e of operator.value.entries) {
      const values = isSeq(e.value) ? e.value.items : [e.value];
      if (values.some((v) => !isScalar(v))) return 'unknown';
      block[String(e.key.value)] = asList(e.value).map((v) => (isScalar(v) ? v.value : undefined));
    }
    out[String(operator.key.value)] = block;
  }
  return out;
}
