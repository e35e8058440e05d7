/**
 * A narrowing fix is offered only when the engine's evaluator proves that the edited policy still allows what the
 * function needs: every action its code calls, on the resources the calls reach (through environment variables
 * naming template resources; a resource the code computes is unknown), every platform action (logs, tracing,
 * event sources, … — code/platform.ts) and every dependent action (KMS on encrypted resources it reaches).
 *
 * A request passes when the edited policy evaluates to Allowed, when the edited statement still applies wherever
 * the original did (`stillApplies`: then the edit changed nothing the request depends on), or when the request was
 * already denied before the edit (not the fix's doing: SLS170 reports it). Anything else — a condition the
 * evaluator cannot decide, a resource it cannot tell — counts against the fix.
 *
 * A permissions boundary on the role only takes away (allowed = identity ∩ boundary), so a request the edited
 * identity statements still allow stays allowed whatever the boundary says: a boundary that cannot be read (a customer
 * managed policy defined elsewhere) needs no evaluation and refuses nothing more. A known boundary adds the requests
 * it already denied before the edit to those the fix cannot break — the call fails today and SLS170 says why.
 */
import type { Template } from '../model/template';
import { actionMatches, evaluate, statementFromPolicy, stillApplies, type EvalRequest, type EvalStatement, type Written } from '../iam/evaluate';
import type { IamData } from '../iam/iam-data';
import type { PolicyStatement } from '../iam/policies';
import { SymbolicArns } from '../iam/symbolic-arns';
import type { Node } from '../documents/node';
import type { FixIntrinsic } from '../fixes/edits';
import type { FunctionCode } from './function-code';
import type { FunctionGrants, PermissionsBoundary } from './grants';
import type { Grant } from '../iam/grants';
import { environmentResources } from './environment';

/** One statement's replacement lists; what is not given stays as written. */
export interface StatementEdit {
  readonly statement: PolicyStatement;
  /** Replacement `Action` items (undefined: an item the edit keeps and that is computed). */
  readonly action?: readonly Written[];
  /** The patterns whose kept actions the title counts (default: the edited `Action`); SLS101 counts its item's. */
  readonly counted?: readonly string[];
  /** Replacement `Resource` items as the fix writes them (`getAtt('Orders', 'Arn')`). */
  readonly resource?: readonly (string | FixIntrinsic)[];
}

export interface NarrowingVerdict {
  readonly proven: boolean;
  /** Distinct actions kept for the code, the platform and dependent services. */
  readonly kept: { readonly code: number; readonly platform: number; readonly dependent: number };
  /** The requests the edit would break or that could not be proven (`dynamodb:GetItem on Orders: ImplicitDeny`). */
  readonly failures: readonly string[];
}

interface NeededRequest extends EvalRequest {
  readonly kind: 'code' | 'platform' | 'dependent';
  readonly label: string;
}

/** The requests a function needs allowed, resources written with holes where the template names them. */
export function neededRequests(code: FunctionCode, template: Template | undefined, iam: IamData | undefined, arns: SymbolicArns, serverlessProvider?: Node): NeededRequest[] {
  const requests = new Map<string, NeededRequest>();
  const add = (request: NeededRequest) => requests.set(`${request.action.toLowerCase()} ${request.resource ?? ''}`, request);
  const env = environmentResources(code.location, template, serverlessProvider);
  const implied = new Set((code.implied ?? []).map((i) => i.action));
  for (const call of code.calls) {
    const reached = call.envVars.flatMap((v) => env.get(v) ?? []);
    const resources = reached.map((r) => ({ id: r.logicalId, arn: arns.arnOf(r.logicalId) })).filter((r) => r.arn !== undefined);
    for (const action of call.actions) {
      if (resources.length === 0) add({ kind: 'code', action, resource: undefined, label: action });
      for (const r of resources) {
        // Object-level S3 actions act on `bucket/key`, bucket-level ones on the bucket.
        if (actsOnObjects(action, iam)) add({ kind: 'code', action, resource: `${r.arn}/${arns.keyHole(r.id)}`, label: `${action} on objects of ${r.id}` });
        else add({ kind: 'code', action, resource: r.arn, label: `${action} on ${r.id}` });
      }
    }
  }
  for (const i of code.implied ?? []) add({ kind: 'dependent', action: i.action, resource: undefined, label: `${i.action} (key of ${i.resource.logicalId})` });
  for (const p of code.platform ?? []) if (!implied.has(p.action)) add({ kind: p.dependent ? 'dependent' : 'platform', action: p.action, resource: undefined, label: `${p.action} (${p.reason})` });
  return [...requests.values()];
}

export function verifyNarrowing(code: FunctionCode, grants: FunctionGrants, edit: StatementEdit, template: Template | undefined, iam: IamData | undefined, serverlessProvider?: Node): NarrowingVerdict {
  const arns = new SymbolicArns(template);
  const resolve = (node: Node) => arns.resolve(node);
  const original = statementFromPolicy(edit.statement, resolve);
  const edited: EvalStatement = {
    ...original,
    ...(edit.action ? { action: edit.action, notAction: undefined } : {}),
    ...(edit.resource ? { resource: edit.resource.map((r) => arns.resolveFixValue(r)), notResource: undefined } : {}),
  };
  // Everything the function receives, managed policies and SAM templates included (their resources are not read: unknown).
  const others = [...grants.statements.filter((s) => s !== edit.statement).map((s) => statementFromPolicy(s, resolve)), ...grants.denies.map((s) => statementFromPolicy(s, resolve))];
  const expanded = grants.expanded.map(grantStatement);
  const boundary = boundaryStatements(grants.boundary, resolve);
  const before = [original, ...others, ...expanded];
  const after = [edited, ...others, ...expanded];
  const failures: string[] = [];
  const kept = { code: new Set<string>(), platform: new Set<string>(), dependent: new Set<string>() };
  for (const request of neededRequests(code, template, iam, arns, serverlessProvider)) {
    const decided = evaluate(after, request);
    const identityDenied = isDenied(evaluate(before, request));
    // Only the boundary denies it: the fix keeps nothing that works (not counted in the title).
    const boundaryDenied = boundary !== undefined && !identityDenied && isDenied(evaluate(before, request, boundary));
    const ok = decided === 'Allowed' || stillApplies(original, edited, request) || identityDenied || boundaryDenied;
    if (!ok) failures.push(`${request.label}: ${decided}`);
    else if (!boundaryDenied && (edit.counted ?? edited.action)?.some((p) => p !== undefined && actionMatches(p, request.action) === true)) kept[request.kind].add(request.action.toLowerCase());
  }
  return { proven: failures.length === 0, kept: { code: kept.code.size, platform: kept.platform.size, dependent: kept.dependent.size }, failures };
}

/** An action pattern of a managed policy as a statement: its resources are not read (unknown). */
function grantStatement(g: Grant): EvalStatement {
  return { effect: 'Allow', ...(g.not ? { notAction: [g.pattern] } : { action: [g.pattern] }), resource: [undefined], ...(g.conditional ? { condition: 'unknown' as const } : {}) };
}

/** A known boundary's Allow statements (its Denies are left out: they could only deny more); undefined when unknown. */
function boundaryStatements(boundary: PermissionsBoundary | undefined, resolve: (node: Node) => string | undefined): EvalStatement[] | undefined {
  if (boundary === undefined || !('grants' in boundary)) return undefined;
  return [...boundary.statements.map((s) => statementFromPolicy(s, resolve)), ...boundary.grants.map(grantStatement)];
}

/** An S3 action whose resource is an object (`s3:GetObject`), per the reference; by its name without the data. */
function actsOnObjects(action: string, iam: IamData | undefined): boolean {
  const [service, name] = action.split(':') as [string, string];
  if (service.toLowerCase() !== 's3') return false;
  const known = iam?.action(service, name ?? '');
  if (known) return known.resourceTypes.some((t) => t.name === 'object') && !known.resourceTypes.some((t) => t.name === 'bucket' && t.required);
  return !/bucket/i.test(name ?? '');
}

function isDenied(decision: string): boolean {
  return decision === 'ImplicitDeny' || decision === 'ExplicitDeny';
}

/** "keeps 3 platform actions and 1 dependent action", or '' when the edit keeps none of them. */
export function describeKept(kept: NarrowingVerdict['kept']): string {
  const parts = [
    kept.platform ? `${kept.platform} platform action${kept.platform === 1 ? '' : 's'}` : '',
    kept.dependent ? `${kept.dependent} dependent action${kept.dependent === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? `keeps ${parts.join(' and ')}` : '';
}
