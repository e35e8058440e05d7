/**
 * Serverless Framework variables resolved where their value is in the workspace: `${self:…}`
 * (the service file itself), `${sls:stage}`, `${file(./x.yml):key}` (read through the host's
 * `SourceFiles`), and the default written after a comma (`${opt:stage, 'dev'}`,
 * `${env:RUNTIME, self:custom.runtime}`). Anything else (`${ssm:…}`, `${env:…}` without a
 * default, `${cf:…}`, plugins' sources) stays unknown: it is never guessed.
 *
 * Work is bounded: at most `MAX_STEPS` substitutions per value, `MAX_DEPTH` nested lookups, and
 * files are parsed once per analysis with the document's own limits.
 */
import { getPath, isMap, isScalar, isSeq, type MapNode, type Node, type SeqNode } from '../documents/node';
import type { LineIndex } from '../documents/lines';
import type { WorkspaceDocument, WorkspaceFiles } from './workspace-files';
import { topLevelVariables } from '../secrets/composed';

/** Where a resolved value came from, as a rule's relatedInformation wants it. */
export interface VariableSource {
  /** The variable as written, e.g. `${file(./config.yml):runtime}`. */
  readonly variable: string;
  /** The file the value is written in; undefined for the service file itself. */
  readonly file?: string;
  /** Zero-based line in `file`, or the node in the service file. */
  readonly line?: number;
  readonly node?: Node;
  /** The value came from a default after a comma: a deployment may pass another. */
  readonly isDefault?: boolean;
}

export type ResolvedVariable =
  | { readonly known: true; readonly value: string; readonly sources: readonly VariableSource[] }
  | { readonly known: false };

const MAX_STEPS = 32;
const MAX_DEPTH = 8;
const UNKNOWN: ResolvedVariable = { known: false };

export class ServerlessVariables {
  /** `files` reads paths relative to the service file's folder, as `${file(…)}` writes them. */
  constructor(private readonly root: MapNode, private readonly files: WorkspaceFiles | undefined) {}

  /** The text a scalar resolves to, or unknown. Plain literals resolve to themselves with no sources. */
  resolve(node: Node | undefined): ResolvedVariable | undefined {
    if (!isScalar(node) || node.value === null) return undefined;
    return this.resolveText(String(node.value), 0);
  }

  /**
   * The content that a value written as exactly one `${file(x.yml)}` or `${file(x.yml):a.b}` variable includes (a
   * function's definition, the `functions` of a service split across files, a provider block, an AppSync
   * configuration): a map or a list, with the file it is written in; undefined for any other value, a file that is not
   * in the workspace, or an address that names neither. Variables in the path and address resolve as `resolveText`
   * does, or the include is unknown (undefined).
   */
  includedContent(node: Node | undefined): { readonly node: MapNode | SeqNode; readonly document: WorkspaceDocument } | undefined {
    if (!isScalar(node) || typeof node.value !== 'string' || !this.files) return undefined;
    const file = wholeFileVariable(node.value);
    if (!file) return undefined;
    const path = this.resolveText(file.path);
    const address = this.resolveText(file.address);
    if (!path.known || !address.known) return undefined;
    const document = this.files.document(path.value);
    if (!document) return undefined;
    const content = getPath(document.root, ...(address.value === '' ? [] : address.value.split('.')));
    return isMap(content) || isSeq(content) ? { node: content, document } : undefined;
  }

  /** A text with variables (a `${file(…)}` path such as `secrets.${sls:stage}.yml`), resolved as `resolve` does. */
  resolveText(text: string, depth = 0): ResolvedVariable {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const sources: VariableSource[] = [];
    let current = text;
    for (let step = 0; step < MAX_STEPS; step++) {
      // The innermost variable: the last `${` before the first `}` after it.
      const close = current.indexOf('}', current.indexOf('${') + 2);
      const open = close < 0 ? -1 : current.lastIndexOf('${', close);
      if (open < 0 || close < 0) return { known: true, value: current, sources };
      const expression = current.slice(open + 2, close);
      const resolved = this.resolveExpression(expression, depth);
      if (!resolved.known) return UNKNOWN;
      sources.push(...resolved.sources);
      current = current.slice(0, open) + resolved.value + current.slice(close + 1);
    }
    return UNKNOWN;
  }

  /** `source:address, fallback, …`: the first alternative that resolves wins. */
  private resolveExpression(expression: string, depth: number): ResolvedVariable {
    const alternatives = splitAlternatives(expression);
    for (let i = 0; i < alternatives.length; i++) {
      const alternative = alternatives[i]!.trim();
      const isDefault = i > 0;
      const quoted = /^(['"])(.*)\1$/s.exec(alternative);
      if (quoted) return { known: true, value: quoted[2]!, sources: [{ variable: `\${${expression}}`, isDefault }] };
      if (/^-?\d+(?:\.\d+)?$/.test(alternative)) return { known: true, value: alternative, sources: [{ variable: `\${${expression}}`, isDefault }] };
      const resolved = this.resolveSource(alternative, depth);
      if (resolved === 'skip') continue;
      if (!resolved.known) return UNKNOWN;
      return isDefault ? { known: true, value: resolved.value, sources: resolved.sources.map((s) => ({ ...s, isDefault: true })) } : resolved;
    }
    return UNKNOWN;
  }

  /** `skip`: a source only known at deploy time (`opt:`, `env:`…), so the next alternative decides. */
  private resolveSource(text: string, depth: number): ResolvedVariable | 'skip' {
    if (text.startsWith('self:')) return this.lookup(this.root, text.slice(5), `\${${text}}`, undefined, depth);
    if (text === 'sls:stage') {
      // `${sls:stage}` is `${opt:stage, self:provider.stage, "dev"}`.
      // Both are defaults: `--stage` on the command line wins.
      const provider = this.resolveSource('self:provider.stage', depth);
      if (provider !== 'skip' && !provider.known) return UNKNOWN;
      const sources: VariableSource[] = provider === 'skip' ? [{ variable: '${sls:stage}', isDefault: true }] : provider.sources.map((x) => ({ ...x, isDefault: true }));
      return { known: true, value: provider === 'skip' ? 'dev' : provider.value, sources };
    }
    const file = /^file\(([^()]*)\)(?::(.*))?$/.exec(text);
    if (file) {
      const path = file[1]!.trim().replace(/^['"]|['"]$/g, '');
      // .js/.ts files are code: never run. Absolute and home paths are not the workspace's.
      if (!/\.(?:ya?ml|json)$/i.test(path) || !this.files) return UNKNOWN;
      const parsed = this.files.document(path);
      if (!parsed || !isMap(parsed.root)) return UNKNOWN;
      return this.lookup(parsed.root, file[2] ?? '', `\${${text}}`, { path: parsed.path, lines: parsed.lines }, depth);
    }
    // opt:, env:, ssm:, param:, cf:, s3:, aws:, strToBool(…) and plugins: deploy-time values.
    return /^[A-Za-z][\w.-]*:/.test(text) ? 'skip' : UNKNOWN;
  }

  private lookup(root: Node, address: string, variable: string, file: { path: string; lines: LineIndex } | undefined, depth: number): ResolvedVariable | 'skip' {
    const keys = address === '' ? [] : address.split('.');
    // `custom: {secrets: ${file(./secrets.json)}}` read as `${self:custom.secrets.stripeKey}`: the rest of the
    // address is looked up in the file (service file only; files are read for literals).
    if (!file) {
      const through = fileAlongPath(root, keys);
      if (through) {
        // An address computed from variables (`${self:provider.stage}.TOKEN`) is resolved first, or stays unknown.
        const address = through.address.includes('${') ? this.resolveText(through.address, depth + 1) : { known: true as const, value: through.address, sources: [] };
        if (!address.known) return UNKNOWN;
        const inner = this.resolveSource(`file(${through.path})${address.value ? `:${address.value}` : ''}`, depth + 1);
        if (inner === 'skip' || !inner.known) return inner;
        return { known: true, value: inner.value, sources: [{ variable, node: through.node }, ...address.sources, ...inner.sources] };
      }
    }
    const node = getPath(root, ...keys);
    // Serverless falls through to the next alternative when an address is absent.
    if (node === undefined) return 'skip';
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') return UNKNOWN;
    const own: VariableSource = file ? { variable, file: file.path, line: file.lines.position(node.span.start).line } : { variable, node };
    const text = String(node.value);
    // A value in another file is resolved in that file's terms only for `self:`; keep it simple: literals only there.
    if (file) return text.includes('${') ? UNKNOWN : { known: true, value: text, sources: [own] };
    const inner = this.resolveText(text, depth + 1);
    return inner.known ? { known: true, value: inner.value, sources: [own, ...inner.sources] } : UNKNOWN;
  }
}

/**
 * Where an address of the service file passes through a value that is exactly one `${file(…)}` variable before
 * its last key: the file, the node holding the variable, and the rest of the address inside the file.
 */
export function fileAlongPath(root: Node, keys: readonly string[]): { path: string; address: string; node: Node } | undefined {
  let node: Node | undefined = root;
  for (let i = 0; i < keys.length; i++) {
    node = getPath(node, keys[i]!);
    if (!isScalar(node) || typeof node.value !== 'string') continue;
    const file = wholeFileVariable(node.value);
    if (!file) return undefined;
    const address = [file.address, ...keys.slice(i + 1)].filter(Boolean).join('.');
    return { path: file.path, address, node };
  }
  return undefined;
}

/**
 * A value that is exactly one `${file(…)}` variable: its path (quotes taken off) and its address after `:` (empty
 * when none), both as written, so either may still hold variables (`${file(./secrets.yml):${self:provider.stage}}`).
 */
function wholeFileVariable(value: string): { path: string; address: string } | undefined {
  const text = value.trim();
  const whole = topLevelVariables(text);
  if (whole.length !== 1 || whole[0]!.start !== 0 || whole[0]!.end !== text.length) return undefined;
  const file = /^file\(([^()]*)\)(?::(.*))?$/s.exec(whole[0]!.name);
  return file ? { path: file[1]!.trim().replace(/^['"]|['"]$/g, ''), address: (file[2] ?? '').trim() } : undefined;
}

/** Alternatives separated by top-level commas (not inside quotes or parentheses). */
function splitAlternatives(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(expression.slice(start));
  return parts;
}
