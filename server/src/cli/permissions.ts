/**
 * `serverless-security permissions <template…>`: per function, what its role grants next to what
 * its code calls, so the code analysis can be checked on any real app.
 */
import { dirname, posix, relative } from 'node:path';
import { analyze, functionInsights } from '../engine/analyze';
import { neededActions } from '../engine/code/function-code';
import { isGranted } from '../engine/code/grants';
import type { IamData } from '../engine/iam/iam-data';
import { wildcardMatches } from '../engine/iam/iam-data';
import type { FunctionInsight } from '../engine/rule';
import { createSourceFiles, projectRootOf } from '../node/source-files';
import { formatOfPath } from './check';

export interface FunctionPermissions {
  readonly file: string;
  readonly function: string;
  readonly runtime: string | undefined;
  /** complete | partial | not-found | unavailable | unsupported */
  readonly codeStatus: string;
  readonly reason?: string;
  /** How the code was found when the template's path does not name it directly (a built handler's source, a nested export). */
  readonly notes?: readonly string[];
  readonly codeFiles: readonly string[];
  /** Action patterns of the Allow statements that reach the function. */
  readonly granted: readonly string[];
  /** False when managed policies, policy templates or outside roles are not expanded. */
  readonly grantsComplete: boolean;
  readonly grantsUnknown: readonly string[];
  readonly used: readonly { readonly action: string; readonly sites: readonly string[] }[];
  /** What the Lambda service and other services use with the role (logs, tracing, event sources, …), from the template. */
  readonly platform: readonly { readonly action: string; readonly reason: string; readonly dependent?: boolean }[];
  /** Calls made with credentials the code supplies (an assumed role's, access keys): another principal's permissions, not the role's. */
  readonly otherCredentials?: readonly { readonly action: string; readonly sites: readonly string[] }[];
  /** Used but not granted (only meaningful when grantsComplete). */
  readonly missing: readonly string[];
  /** Granted patterns no call needs (only when the code analysis is complete). */
  readonly unused: readonly string[];
  /**
   * Wildcard patterns that cover needed actions and many more (`dynamodb:*` for one GetItem): how many actions
   * each grants that nothing needs (only when the code analysis is complete and the IAM data knows the service).
   */
  readonly partlyUnused: readonly { readonly pattern: string; readonly needed: readonly string[]; readonly unusedCount: number | 'every other AWS action' }[];
}

/**
 * `text`: the template's text, read by the caller with the guards `check` has. A template the user names is trusted
 * like the working folder: its code is read from `workspaceRoot` and from the template's own project (its folder, or
 * the repository that holds it), so `permissions ../other/template.yaml` reads that template's code.
 */
export function permissionsOf(file: string, text: string, cwd: string, iam: IamData | undefined, workspaceRoot: string): FunctionPermissions[] {
  const sources = createSourceFiles(file, [workspaceRoot, projectRootOf(file)]);
  // A serverless.ts/js is read statically, as `check` reads it: by its name, not its text.
  const format = formatOfPath(file);
  const analysis = analyze({ text, ...(format ? { format } : {}) }, { rules: [], iam, sources });
  if (!analysis.kind || !analysis.model) return [];
  const base = relative(cwd, dirname(file)) || '.';
  return functionInsights(analysis.kind, analysis.model, text, { sources, iam }).map((insight) => describe(insight, relative(cwd, file), base, iam));
}

/** `../other/infra/../src/app.py` → `../other/src/app.py` (code beside a template in infra/); `./src/x.mjs` stays. */
const shown = (path: string) => (path.includes('/../') ? posix.normalize(path) : path);

function describe({ code, grants }: FunctionInsight, file: string, base: string, iam: IamData | undefined): FunctionPermissions {
  const granted = [...new Set([...grants.statements.flatMap((s) => (s.action?.items ?? []).map((i) => (i.known ? i.value : '(computed)'))), ...grants.expanded.filter((g) => !g.not).map((g) => g.pattern)])];
  const site = (c: { file: string; line: number }) => `${c.file === '<inline>' ? '<inline>' : shown(`${base}/${c.file}`)}:${c.line + 1}`;
  // An implied KMS action has no call of its own: its place is the call on the encrypted resource.
  const sitesOf = (action: string) => [
    ...code.calls.filter((c) => c.actions.includes(action)).map(site),
    ...(code.implied ?? []).filter((i) => i.action === action).map((i) => `${site(i.call)} via ${i.resource.logicalId}'s key`),
  ];
  const used = code.usedActions.map((action) => ({ action, sites: sitesOf(action) }));
  const missing = grants.unknown.length === 0 ? code.usedActions.filter((a) => !isGranted(a, grants.statements, grants.expanded)) : [];
  const needed = neededActions(code);
  const unused = code.status === 'complete' ? granted.filter((pattern) => pattern !== '(computed)' && !needed.some((a) => wildcardMatches(pattern, a))) : [];
  const other = [...new Set((code.otherCredentials ?? []).flatMap((c) => c.actions))].sort();
  const otherCredentials = other.map((action) => ({ action, sites: (code.otherCredentials ?? []).filter((c) => c.actions.includes(action)).map(site) }));
  const partlyUnused: FunctionPermissions['partlyUnused'][number][] = [];
  for (const pattern of code.status === 'complete' ? granted : []) {
    if (!/[*?]/.test(pattern)) continue;
    const covered = needed.filter((a) => wildcardMatches(pattern, a)).sort();
    if (covered.length === 0) continue;
    if (pattern.trim() === '*') {
      partlyUnused.push({ pattern, needed: covered, unusedCount: 'every other AWS action' });
      continue;
    }
    const grantedActions = iam?.matchActions(pattern.trim());
    const extra = grantedActions ? grantedActions.filter((a) => !covered.some((c) => c.toLowerCase() === `${a.service}:${a.name}`.toLowerCase())).length : 0;
    if (extra > 0) partlyUnused.push({ pattern, needed: covered, unusedCount: extra });
  }
  const platform = (code.platform ?? []).map((p) => ({ action: p.action, reason: p.reason, ...(p.dependent ? { dependent: true } : {}) }));
  return {
    file,
    function: code.location.name,
    runtime: code.location.runtime,
    codeStatus: code.status,
    ...(code.reason ? { reason: code.reason } : {}),
    ...(code.notes ? { notes: code.notes } : {}),
    codeFiles: code.files.map((f) => (f === '<inline>' ? f : shown(`${base}/${f}`))),
    granted,
    grantsComplete: grants.unknown.length === 0,
    grantsUnknown: grants.unknown,
    used,
    platform,
    ...(otherCredentials.length ? { otherCredentials } : {}),
    missing,
    unused,
    partlyUnused,
  };
}

export function formatPermissionsText(all: readonly FunctionPermissions[]): string {
  if (all.length === 0) return 'No functions found.\n';
  const lines: string[] = [];
  let file = '';
  for (const fn of all) {
    if (fn.file !== file) {
      file = fn.file;
      lines.push(file);
    }
    lines.push(`  ${fn.function}${fn.runtime ? ` (${fn.runtime})` : ''} — code ${fn.codeStatus}${fn.codeFiles.length ? `: ${fn.codeFiles.join(', ')}` : ''}`);
    for (const note of fn.notes ?? []) lines.push(`    found:   ${note}`);
    if (fn.reason) lines.push(`    note:    ${fn.reason}`);
    lines.push(`    granted: ${fn.granted.length ? fn.granted.join(', ') : '(nothing in this document)'}${fn.grantsComplete ? '' : ` + not expanded: ${fn.grantsUnknown.join('; ')}`}`);
    // An action with no call site of its own (none known) is listed bare: never an empty `()`.
    lines.push(`    used:    ${fn.used.length ? fn.used.map((u) => (u.sites.length ? `${u.action} (${u.sites.join(', ')})` : u.action)).join(', ') : '(no AWS calls found)'}`);
    if (fn.platform.length) lines.push(`    platform: ${platformSummary(fn.platform)}`);
    if (fn.otherCredentials?.length) lines.push(`    other credentials: ${fn.otherCredentials.map((u) => `${u.action} (${u.sites.join(', ')})`).join(', ')}  ← made with credentials the code supplies, not the role's`);
    if (fn.missing.length) lines.push(`    missing: ${fn.missing.join(', ')}  ← will fail with AccessDenied`);
    // Wildcards count too: `dynamodb:*` for one GetItem leaves every other DynamoDB action unused.
    const unused = [...fn.unused, ...fn.partlyUnused.map((p) => `${p.pattern} beyond ${p.needed.join(', ')} (${typeof p.unusedCount === 'number' ? `${p.unusedCount} more action${p.unusedCount === 1 ? '' : 's'}` : p.unusedCount})`)];
    if (unused.length) lines.push(`    unused:  ${unused.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

/** `logs:CreateLogGroup, … (CloudWatch Logs); sqs:ReceiveMessage, … (SQS event source)`: actions grouped by why. */
function platformSummary(platform: FunctionPermissions['platform']): string {
  const byReason = new Map<string, string[]>();
  for (const p of platform) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.action]);
  return [...byReason].map(([reason, actions]) => `${actions.join(', ')} (${reason})`).join('; ');
}

