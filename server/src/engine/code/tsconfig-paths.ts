/**
 * Module aliases of a TypeScript project: `compilerOptions.paths` (`"@libs/*": ["src/libs/*"]`) and `baseUrl`, read from
 * a tsconfig.json and the local files it `extends`, as TypeScript and the bundlers that follow it (serverless-esbuild,
 * esbuild's tsconfig support, tsconfig-paths) resolve a non-relative import. The aws-nodejs-typescript template imports
 * its functions and libraries this way (`@functions/hello`, `@libs/handler-resolver`): without the aliases such a
 * module looks like a package and what it calls goes unseen.
 */
import { parseJson } from '../documents/json';
import { getPath, isMap, isScalar, isSeq } from '../documents/node';
import { DEFAULT_LIMITS } from '../documents/parse';
import { dirname, joinPath } from './source-files';

export interface TsconfigAliases {
  /** `baseUrl`, relative to the folder the paths are read from (the service or code folder). */
  readonly baseUrl?: string;
  /** `paths` patterns (at most one `*`) with their targets, already relative to that folder. */
  readonly patterns: readonly { readonly pattern: string; readonly targets: readonly string[] }[];
  /** The tsconfig.json the aliases come from. */
  readonly file: string;
}

/** `extends` followed this many files deep. */
const MAX_EXTENDS = 4;
const MAX_PATTERNS = 100;
const MAX_TARGETS = 10;

/** The aliases of `folder/tsconfig.json` (with what it extends); undefined when there is no such file or it sets neither. */
export function tsconfigAliases(folder: string, read: (path: string) => string | undefined): TsconfigAliases | undefined {
  const first = joinPath(folder, 'tsconfig.json');
  let path: string | undefined = first;
  let baseUrl: string | undefined;
  let patterns: { pattern: string; targets: string[] }[] | undefined;
  let patternsFolder = '';
  for (let level = 0; level < MAX_EXTENDS && path !== undefined; level++) {
    const text = read(path);
    if (text === undefined) break;
    const { root } = parseJson(text, DEFAULT_LIMITS);
    if (!isMap(root)) break;
    const here = dirname(path);
    const options = getPath(root, 'compilerOptions');
    const base = getPath(options, 'baseUrl');
    // The nearest file that sets an option wins; `baseUrl` and `paths` are relative to the file that sets them.
    if (baseUrl === undefined && isScalar(base) && typeof base.value === 'string') baseUrl = joinPath(here, base.value) ?? '';
    const paths = getPath(options, 'paths');
    if (patterns === undefined && isMap(paths)) {
      patternsFolder = here;
      patterns = paths.entries.slice(0, MAX_PATTERNS).map((e) => ({
        pattern: String(e.key.value),
        targets: (isSeq(e.value) ? e.value.items : [e.value]).flatMap((t) => (isScalar(t) && typeof t.value === 'string' ? [t.value] : [])).slice(0, MAX_TARGETS),
      }));
    }
    const extended = getPath(root, 'extends');
    // Only a relative `extends` names a workspace file; a package's config (`@tsconfig/node20`) is not read.
    path = isScalar(extended) && typeof extended.value === 'string' && extended.value.startsWith('.') ? joinPath(here, /\.json$/i.test(extended.value) ? extended.value : `${extended.value}.json`) : undefined;
  }
  if (baseUrl === undefined && patterns === undefined) return undefined;
  // `paths` targets are relative to baseUrl, or without one to the file that declares them.
  const targetBase = baseUrl ?? patternsFolder;
  const resolved = (patterns ?? []).map((p) => ({ pattern: p.pattern, targets: p.targets.map((t) => joinPath(targetBase, t)).filter((t): t is string => t !== undefined) }));
  return { baseUrl, patterns: resolved, file: first ?? 'tsconfig.json' };
}

/**
 * Where a non-relative `specifier` may be by the aliases, without extension: `alias` when a `paths` pattern matched
 * (the only places it can be), `base` the `baseUrl` place (tried before packages, which it may also be).
 */
export function aliasedPaths(aliases: TsconfigAliases | undefined, specifier: string): { readonly alias: readonly string[]; readonly base: readonly string[] } {
  if (!aliases || specifier.startsWith('.') || specifier.startsWith('/')) return { alias: [], base: [] };
  let best: { prefix: number; paths: string[] } | undefined;
  for (const { pattern, targets } of aliases.patterns) {
    const star = pattern.indexOf('*');
    let matched: string | undefined;
    if (star < 0) matched = pattern === specifier ? '' : undefined;
    else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix)) matched = specifier.slice(prefix.length, specifier.length - suffix.length);
    }
    if (matched === undefined) continue;
    // TypeScript takes the pattern with the longest prefix before `*`.
    const prefixLength = star < 0 ? pattern.length + 1 : star;
    if (best && best.prefix >= prefixLength) continue;
    const paths = targets.map((t) => joinPath(t.replace('*', matched!))).filter((t): t is string => t !== undefined);
    best = { prefix: prefixLength, paths };
  }
  const base = aliases.baseUrl !== undefined ? [joinPath(aliases.baseUrl, specifier)].filter((p): p is string => p !== undefined) : [];
  return { alias: best?.paths ?? [], base: best ? [] : base };
}
