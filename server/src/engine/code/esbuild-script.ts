/**
 * A package's own esbuild script (`build.js`, `esbuild.config.mjs`, …) that bundles one entry into one file:
 * `esbuild.build({ entryPoints: ['src/index.ts'], outfile: 'dist/index.js' })`, with the function's handler
 * `dist/index.handler`. The bundle is the entry and what it imports, so the entry is the handler's source.
 *
 * Read statically, never run: a call whose callee is named `build`, `buildSync` or `context` with an object literal
 * argument (or the name of a top-level `const` holding one) whose `entryPoints` is an array (or an object) of exactly one string literal and whose `outfile` is a
 * string literal, or whose `outdir` is (esbuild names a single entry's output after the entry's file name). An entry
 * written as a variable (`process.env.HANDLER`), a template with `${}`, several entries: no mapping (never a guess).
 * Paths are taken relative to the script's folder, where `node build.js` runs it.
 *
 * Bounded: scripts of at most `MAX_SCRIPT_LENGTH` characters, `MAX_CALLS` build calls per script.
 */
import type { SyntaxNode } from '@lezer/common';
import { typescriptParser } from './grammars';
import { joinPath, type SourceFiles } from './source-files';

/** Script names read in each folder, in this order. */
export const ESBUILD_SCRIPTS = ['build.js', 'build.mjs', 'build.cjs', 'esbuild.js', 'esbuild.mjs', 'esbuild.config.js', 'esbuild.config.mjs', 'esbuild.config.cjs'] as const;

const MAX_SCRIPT_LENGTH = 50_000;
const MAX_CALLS = 20;
/** esbuild's default output extension for a `.ts`/`.js` entry bundled for Node (`outExtension` changes it: not read). */
const ENTRY = /\.(?:[cm]?[jt]sx?)$/;

/** One entry bundled into one file: the output's path and the entry's, relative to the document's folder. */
export interface EsbuildMapping {
  readonly outfile: string;
  readonly entry: string;
  /** `build.js:4` — where the call is written. */
  readonly where: string;
}

/** The single-entry bundles the esbuild scripts of `folder` write. */
export function esbuildMappings(folder: string, sources: SourceFiles): EsbuildMapping[] {
  const mappings: EsbuildMapping[] = [];
  for (const name of ESBUILD_SCRIPTS) {
    const script = joinPath(folder, name);
    const text = script !== undefined ? sources.read(script) : undefined;
    if (script === undefined || text === undefined || text.length > MAX_SCRIPT_LENGTH || !text.includes('entryPoints')) continue;
    mappings.push(...scriptMappings(text, folder, script));
  }
  return mappings;
}

function scriptMappings(text: string, folder: string, script: string): EsbuildMapping[] {
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const mappings: EsbuildMapping[] = [];
  const tree = typescriptParser().parse(text);
  // `const options = { … }; build(options)`: top-level objects by name (one each; a name written twice is none).
  const objects = new Map<string, SyntaxNode | null>();
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name !== 'VariableDeclaration') continue;
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'VariableDefinition') continue;
      const init = child.nextSibling?.name === 'Equals' ? child.nextSibling.nextSibling : null;
      objects.set(src(child), objects.has(src(child)) || init?.name !== 'ObjectExpression' ? null : init);
    }
  }
  let calls = 0;
  tree.iterate({
    enter: (ref) => {
      if (calls >= MAX_CALLS) return false;
      if (ref.name !== 'CallExpression') return undefined;
      const call = ref.node;
      const callee = call.firstChild;
      const name = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
      if (!name || !/^(build|buildSync|context)$/.test(src(name))) return undefined;
      calls++;
      const options = optionsOf(call.getChild('ArgList'), objects, src);
      if (!options) return undefined;
      const entry = singleEntry(property(options, 'entryPoints', src), src);
      const outfile = stringOf(property(options, 'outfile', src), src);
      const outdir = stringOf(property(options, 'outdir', src), src);
      if (entry === undefined || !ENTRY.test(entry)) return undefined;
      // One entry into a folder: `<outdir>/<entry's file name>.js`.
      const written = outfile ?? (outdir !== undefined ? `${outdir}/${entry.slice(entry.lastIndexOf('/') + 1).replace(ENTRY, '.js')}` : undefined);
      const out = written !== undefined ? joinPath(folder, written) : undefined;
      const source = joinPath(folder, entry);
      if (out === undefined || source === undefined || out === source) return undefined;
      mappings.push({ outfile: out, entry: source, where: `${script}:${lineAt(text, call.from)}` });
      return undefined;
    },
  });
  return mappings;
}

/** The build call's options: its first argument, an object literal or the name of a top-level one. */
function optionsOf(args: SyntaxNode | null | undefined, objects: ReadonlyMap<string, SyntaxNode | null>, src: (n: SyntaxNode) => string): SyntaxNode | undefined {
  const first = args?.firstChild?.nextSibling;
  if (first?.name === 'ObjectExpression') return first;
  return first?.name === 'VariableName' ? objects.get(src(first)) ?? undefined : undefined;
}

/** The value of the property `key` of an object literal (`key: value`; a shorthand names a variable: undefined). */
function property(object: SyntaxNode, key: string, src: (n: SyntaxNode) => string): SyntaxNode | undefined {
  for (const p of object.getChildren('Property')) {
    const name = p.getChild('PropertyDefinition');
    const keyText = name ? src(name) : undefined;
    if (keyText === key || keyText === `'${key}'` || keyText === `"${key}"`) return p.getChild(':')?.nextSibling ?? undefined;
  }
  return undefined;
}

/** `['src/index.ts']` or `{ index: 'src/index.ts' }`: the only entry, a string literal. */
function singleEntry(node: SyntaxNode | undefined, src: (n: SyntaxNode) => string): string | undefined {
  if (!node) return undefined;
  if (node.name === 'ArrayExpression') {
    const items = childrenExcept(node, ['[', ']', ',']);
    return items.length === 1 ? stringOf(items[0], src) : undefined;
  }
  if (node.name === 'ObjectExpression') {
    const properties = node.getChildren('Property');
    return properties.length === 1 ? stringOf(properties[0]!.getChild(':')?.nextSibling ?? undefined, src) : undefined;
  }
  return undefined;
}

function childrenExcept(node: SyntaxNode, punctuation: readonly string[]): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (!punctuation.includes(child.name)) children.push(child);
  return children;
}

/** A string literal's value (`'x'`, `"x"`, a template without `${}`), or undefined. */
function stringOf(node: SyntaxNode | undefined, src: (n: SyntaxNode) => string): string | undefined {
  if (!node) return undefined;
  const text = src(node);
  if (node.name === 'String') return text.length >= 2 && !text.includes('\\') ? text.slice(1, -1) : undefined;
  if (node.name === 'TemplateString') return text.length >= 2 && !text.includes('${') && !text.includes('\\') ? text.slice(1, -1) : undefined;
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
