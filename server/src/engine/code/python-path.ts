/**
 * Folders a Python file adds to `sys.path` (`sys.path.append(…)`, `sys.path.insert(0, …)`), so that imports of the
 * function's own modules shipped in another folder of its code (a `site-packages/` or `vendored/` folder beside the
 * handlers) are followed. Held-out judged sample seed 2506: gzock/harvest-serverless-api's handlers import their
 * package through `sys.path.append(os.path.join(os.path.dirname(__file__), '../site-packages'))`, and its token check
 * was never read.
 *
 * Only folders the text decides exactly are added: string literals (relative ones from Lambda's working folder, the
 * code root; `/var/task/…` inside it), `__file__`'s folder (`os.path.dirname`, `abspath`/`realpath`, pathlib's `Path(
 * __file__).parent`), `os.environ['LAMBDA_TASK_ROOT']` and `os.getcwd()` (Lambda's working folder is the code root), joined with `os.path.join`, `+` or pathlib's `/`, and a
 * module-level name assigned once to such a value. Anything else (a value computed at run time) is `computed`, with its
 * line: the imports it may serve are not known. Bounded: at most MAX_ADDITIONS calls per file, each argument read up
 * to MAX_ARGUMENT characters, names followed MAX_DEPTH deep; no regular expression is built from workspace text.
 */
import { onCommentLine, lineOf } from './text-scan';
import { dirname, normalizePath } from './source-files';

export interface PythonPathAdditions {
  /** Folders added, relative to the document's folder (as file paths are). */
  readonly folders: readonly string[];
  /** Additions whose folder is not known exactly: zero-based line and the argument as written. */
  readonly computed: readonly { readonly line: number; readonly text: string }[];
}

const MAX_ADDITIONS = 16;
const MAX_ARGUMENT = 300;
const MAX_DEPTH = 4;
const MAX_TOKENS = 64;

const ADDITION = /\bsys\s*\.\s*path\s*\.\s*(append|insert)\s*\(/g;

/**
 * The folders `text` (the file `file`, relative to the document's folder) adds to `sys.path`. `codeRoot`: the
 * function's code root, Lambda's working folder and `/var/task`.
 */
export function pythonPathAdditions(text: string, file: string, codeRoot: string): PythonPathAdditions {
  const folders: string[] = [];
  const computed: { line: number; text: string }[] = [];
  if (!text.includes('sys')) return { folders, computed };
  ADDITION.lastIndex = 0;
  for (let found = ADDITION.exec(text), n = 0; found && n < MAX_ADDITIONS; found = ADDITION.exec(text), n++) {
    if (onCommentLine(text, found.index)) continue;
    const args = callArguments(text, ADDITION.lastIndex);
    const argument = found[1] === 'insert' ? args?.slice(1) : args;
    const lineStart = text.lastIndexOf('\n', found.index) + 1;
    const written = text.slice(lineStart, lineStart + 160).split('\n')[0]!.trim();
    const value = argument && argument.length === 1 ? evaluate(argument[0]!, { text, file, codeRoot, depth: 0 }) : undefined;
    const folder = value?.kind === 'path' ? value.path : undefined;
    if (folder === undefined) {
      if (value?.kind !== 'outside') computed.push({ line: lineOf(text, found.index), text: written });
      continue;
    }
    if (!folders.includes(folder)) folders.push(folder);
  }
  return { folders, computed };
}

/** A call's top-level arguments as token lists, from just after its `(`; undefined past MAX_ARGUMENT or unbalanced. */
function callArguments(text: string, from: number): Token[][] | undefined {
  const tokens = tokenize(text.slice(from, from + MAX_ARGUMENT), true);
  if (!tokens) return undefined;
  const args: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && (token.text === '(' || token.text === '[')) depth++;
    if (token.kind === 'punct' && (token.text === ')' || token.text === ']')) {
      if (depth === 0) return args[args.length - 1]!.length ? args : args.slice(0, -1);
      depth--;
    }
    if (depth === 0 && token.kind === 'punct' && token.text === ',') { args.push([]); continue; }
    args[args.length - 1]!.push(token);
  }
  return undefined;
}

/** `attr`: `.name` after a value (`Path(__file__).parent`), the name without its dot. */
type Token = { readonly kind: 'name' | 'attr' | 'string' | 'number' | 'punct' | 'fstring'; readonly text: string; readonly rest?: string };

/**
 * Tokens of a short Python expression: dotted names, plain string literals (no escapes, no f-strings), integers and
 * the punctuation `( ) [ ] , + /`, and f-strings of one leading expression (`f"{root}/lib"`). Undefined at anything else (the expression is not read). `call`: the source follows a
 * call's `(`, and reading stops at its closing parenthesis.
 */
function tokenize(source: string, call = false): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0;
  while (i < source.length && tokens.length < MAX_TOKENS) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '\\' && source[i + 1] === '\n') { i += 2; continue; }
    const name = /^[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_][\w]*)*/.exec(source.slice(i, i + 120));
    if (name) {
      const after = source[i + name[0].length];
      // A prefixed string: `r'…'` is read as written; an f-string only as `f"{expression}/rest"` (the expression read
      // as any other); `b'…'` and the rest are no path.
      if (after === '"' || after === "'") {
        const prefix = name[0].toLowerCase();
        if (prefix === 'f') {
          const end = source.indexOf(after, i + 2);
          const content = end < 0 ? undefined : /^\{([^{}]{1,120})\}(\/[^{}]{0,120})?$/.exec(source.slice(i + 2, end));
          if (!content) return undefined;
          tokens.push({ kind: 'fstring', text: content[1]!, rest: content[2] ?? '' });
          i = end + 1;
          continue;
        }
        if (prefix !== 'r') return undefined;
        i += name[0].length;
        continue;
      }
      tokens.push({ kind: 'name', text: name[0].replace(/\s+/g, '') });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      if (end < 0) return undefined;
      const value = source.slice(i + 1, end);
      if (value.includes('\\') || value.includes('\n')) return undefined;
      tokens.push({ kind: 'string', text: value });
      i = end + 1;
      continue;
    }
    if (/\d/.test(c)) {
      const digits = /^\d+/.exec(source.slice(i, i + 12))![0];
      tokens.push({ kind: 'number', text: digits });
      i += digits.length;
      continue;
    }
    if (c === '.' && tokens.length > 0) {
      const attribute = /^\.\s*([A-Za-z_]\w*)/.exec(source.slice(i, i + 80));
      if (!attribute) return undefined;
      tokens.push({ kind: 'attr', text: attribute[1]! });
      i += attribute[0].length;
      continue;
    }
    if ('()[],+/'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
      if (c === '(' || c === '[') depth++;
      // A call's arguments end at its closing parenthesis: what follows is not read.
      else if ((c === ')' || c === ']') && --depth < 0 && call) return tokens;
      continue;
    }
    return undefined;
  }
  return tokens;
}

/** A folder relative to the document's folder, `outside` the function's code (a layer's `/opt/…`), or undefined (not known). */
type PathValue = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'outside' };

interface Scope {
  readonly text: string;
  readonly file: string;
  readonly codeRoot: string;
  readonly depth: number;
}

/**
 * The folder an expression names, read as the file `__file__` would run it from: `a + 'x'` and `Path(a) / 'x'` join,
 * as does `os.path.join(a, 'x', …)`; `os.path.dirname(a)` and `.parent` go up.
 */
function evaluate(tokens: readonly Token[], scope: Scope): PathValue | undefined {
  // `str(…)`, `os.path.abspath(…)`, `os.path.realpath(…)`, `os.path.normpath(…)`, `Path(…)`, `.resolve()`: the same path.
  const parsed = parseJoin(tokens, 0, scope);
  return parsed && parsed.next === tokens.length ? parsed.value : undefined;
}

type Parsed = { readonly value: PathValue | undefined; readonly next: number };

/** `term (('+' | '/') term)*`: the joins of a path. */
function parseJoin(tokens: readonly Token[], at: number, scope: Scope): Parsed | undefined {
  let left = parseTerm(tokens, at, scope);
  while (left && left.next < tokens.length) {
    const op = tokens[left.next]!;
    if (op.kind !== 'punct' || (op.text !== '+' && op.text !== '/')) break;
    const right = parseTerm(tokens, left.next + 1, scope);
    if (!right) return undefined;
    const segment = tokens[left.next + 1]?.kind === 'string' && right.next === left.next + 2 ? tokens[left.next + 1]!.text : undefined;
    // `+` concatenates text: only a literal starting with `/` appends a folder (`dirname(__file__) + '/lib'`); pathlib's
    // `/` joins as `os.path.join` does.
    const value = segment === undefined ? undefined : op.text === '+' ? (segment.startsWith('/') ? joined(left.value, segment.slice(1), scope) : undefined) : joined(left.value, segment, scope);
    left = { value, next: right.next };
  }
  return left;
}

/** `os.path.join(base, segment)`: an absolute segment replaces the base. */
function joined(base: PathValue | undefined, segment: string | undefined, scope: Scope): PathValue | undefined {
  if (!base || segment === undefined) return undefined;
  if (segment.startsWith('/')) return literal(segment, scope);
  if (base.kind === 'outside') return base;
  const path = normalizePath(`${base.path}/${segment}`);
  return path === undefined ? undefined : { kind: 'path', path };
}

/** A literal path: relative ones from the working folder (the code root), `/var/task/…` in it, other absolute ones outside. */
function literal(value: string, scope: Scope): PathValue | undefined {
  if (value === '/var/task' || value.startsWith('/var/task/')) {
    const path = normalizePath(`${scope.codeRoot}/${value.slice('/var/task'.length)}`);
    return path === undefined ? undefined : { kind: 'path', path };
  }
  if (value.startsWith('/')) return { kind: 'outside' };
  const path = normalizePath(`${scope.codeRoot}/${value}`);
  return path === undefined ? undefined : { kind: 'path', path };
}

const SAME_PATH = new Set(['str', 'os.path.abspath', 'os.path.realpath', 'os.path.normpath', 'path.abspath', 'path.realpath', 'path.normpath', 'Path', 'pathlib.Path', 'PurePath', 'os.fspath']);
const PARENT = new Set(['os.path.dirname', 'path.dirname']);
const JOIN = new Set(['os.path.join', 'path.join']);
/** Methods and attributes on a pathlib path. */
const PATH_METHODS = /^(?:resolve|absolute)$/;

function parseTerm(tokens: readonly Token[], at: number, scope: Scope): Parsed | undefined {
  const token = tokens[at];
  if (!token) return undefined;
  if (token.kind === 'string') return { value: literal(token.text, scope), next: at + 1 };
  if (token.kind === 'fstring') {
    const inner = tokenize(token.text);
    const base = inner ? evaluate(inner, scope) : undefined;
    return { value: token.rest ? joined(base, token.rest.slice(1), scope) : base, next: at + 1 };
  }
  if (token.kind === 'punct' && token.text === '(') {
    const inner = parseJoin(tokens, at + 1, scope);
    if (!inner || tokens[inner.next]?.text !== ')') return undefined;
    return attributes(tokens, inner.next + 1, inner.value, scope);
  }
  if (token.kind !== 'name') return undefined;
  const name = token.text;
  if (tokens[at + 1]?.text === '(') {
    const args = splitArguments(tokens, at + 2);
    if (!args) return undefined;
    let value: PathValue | undefined;
    if (SAME_PATH.has(name) && args.lists.length === 1) value = evaluate(args.lists[0]!, scope);
    else if (PARENT.has(name) && args.lists.length === 1) value = parent(evaluate(args.lists[0]!, scope));
    else if (JOIN.has(name) && args.lists.length >= 1) {
      value = evaluate(args.lists[0]!, scope);
      for (const part of args.lists.slice(1)) {
        const segment = part.length === 1 && part[0]!.kind === 'string' ? part[0]!.text : undefined;
        value = joined(value, segment, scope);
      }
    } else if (name === 'os.getcwd' && args.lists.length === 0) value = { kind: 'path', path: scope.codeRoot };
    else if ((name === 'os.environ.get' || name === 'os.getenv') && args.lists.length >= 1) value = taskRoot(args.lists[0]!, scope);
    return attributes(tokens, args.next, value, scope);
  }
  if (tokens[at + 1]?.text === '[' && name === 'os.environ') {
    const close = tokens[at + 3]?.text === ']' ? at + 3 : -1;
    if (close < 0) return undefined;
    return { value: taskRoot([tokens[at + 2]!], scope), next: close + 1 };
  }
  // `__file__`: the file itself; `x.parent` (pathlib) goes up; a module-level name assigned once is read.
  const [head, ...rest] = name.split('.');
  let value: PathValue | undefined = head === '__file__' ? { kind: 'path', path: scope.file } : assigned(head!, scope);
  for (const attribute of rest) value = attribute === 'parent' ? parent(value) : PATH_METHODS.test(attribute) ? value : undefined;
  return attributes(tokens, at + 1, value, scope);
}

/**
 * Attributes and methods after a value (`.parent`, `.resolve()`, `.absolute()`, `.joinpath('x')`): pathlib's. Anything
 * else makes the value unknown.
 */
function attributes(tokens: readonly Token[], at: number, value: PathValue | undefined, scope: Scope): Parsed {
  let next = at;
  for (let token = tokens[next]; token?.kind === 'attr'; token = tokens[next]) {
    const name = token.text;
    next++;
    if (tokens[next]?.text === '(') {
      const args = splitArguments(tokens, next + 1);
      if (!args) return { value: undefined, next: tokens.length };
      next = args.next;
      if (PATH_METHODS.test(name) && args.lists.length === 0) continue;
      if (name === 'joinpath' && args.lists.every((l) => l.length === 1 && l[0]!.kind === 'string')) {
        for (const part of args.lists) value = joined(value, part[0]!.text, scope);
        continue;
      }
      value = undefined;
    } else value = name === 'parent' ? parent(value) : undefined;
  }
  return { value, next };
}

function parent(value: PathValue | undefined): PathValue | undefined {
  if (!value || value.kind === 'outside') return value;
  return { kind: 'path', path: dirname(value.path) };
}

function taskRoot(argument: readonly Token[], scope: Scope): PathValue | undefined {
  return argument.length === 1 && argument[0]!.kind === 'string' && argument[0]!.text === 'LAMBDA_TASK_ROOT' ? { kind: 'path', path: scope.codeRoot } : undefined;
}

function splitArguments(tokens: readonly Token[], at: number): { lists: Token[][]; next: number } | undefined {
  const lists: Token[][] = [[]];
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) {
      if (depth === 0) return { lists: lists[lists.length - 1]!.length ? lists : lists.slice(0, -1), next: i + 1 };
      depth--;
    } else if (depth === 0 && t.kind === 'punct' && t.text === ',') { lists.push([]); continue; }
    lists[lists.length - 1]!.push(t);
  }
  return undefined;
}

/**
 * The value of a module-level name (`here = os.path.dirname(os.path.realpath(__file__))`) assigned exactly once at the
 * file's top level, on one line; undefined otherwise (assigned twice, in a function, over several lines).
 */
function assigned(name: string, scope: Scope): PathValue | undefined {
  if (scope.depth >= MAX_DEPTH) return undefined;
  const { text } = scope;
  let value: string | undefined;
  let count = 0;
  for (let at = text.indexOf(name), tries = 0; at >= 0 && tries < 64; at = text.indexOf(name, at + 1), tries++) {
    if (at > 0 && text[at - 1] !== '\n') continue;
    const lineEnd = text.indexOf('\n', at);
    const line = text.slice(at + name.length, lineEnd < 0 ? text.length : Math.min(lineEnd, at + name.length + MAX_ARGUMENT));
    const assignment = /^\s*=(?!=)(.*)$/.exec(line);
    if (!assignment) continue;
    count++;
    value = assignment[1]!.trim();
  }
  if (count !== 1 || value === undefined) return undefined;
  const tokens = tokenize(value);
  return tokens ? evaluate(tokens, { ...scope, depth: scope.depth + 1 }) : undefined;
}
