/**
 * Minimal, local text edits for fixes. Rules describe *what* to write as a `FixValue`; these
 * helpers decide *how*, in the document's own format and indentation, touching nothing else.
 */
import { type MapNode, type Node, type Span } from '../documents/node';
import type { ParsedDocument } from '../documents/parse';
import type { TextEdit } from '../rule';

/** An intrinsic function call to write: `!Ref X` in YAML, `{"Ref": "X"}` in JSON. */
export interface FixIntrinsic {
  readonly intrinsic: 'Ref' | 'Fn::GetAtt' | 'Fn::Sub';
  /** `Ref`/`Fn::Sub`: a string; `Fn::GetAtt`: `Logical.Attribute`. */
  readonly arg: string;
}

export type FixValue = string | number | boolean | FixIntrinsic | readonly FixValue[] | { readonly [key: string]: FixValue };

export function ref(logicalId: string): FixIntrinsic {
  return { intrinsic: 'Ref', arg: logicalId };
}
export function getAtt(logicalId: string, attribute: string): FixIntrinsic {
  return { intrinsic: 'Fn::GetAtt', arg: `${logicalId}.${attribute}` };
}
export function sub(template: string): FixIntrinsic {
  return { intrinsic: 'Fn::Sub', arg: template };
}

function isIntrinsic(value: FixValue): value is FixIntrinsic {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'intrinsic' in value;
}

export function replace(at: Node | Span, newText: string): TextEdit {
  return { span: 'kind' in at ? at.span : at, newText };
}

/** Replaces a value node with `value`, written inline in the document's format. */
export function replaceValue(document: ParsedDocument, node: Node, value: FixValue): TextEdit {
  if (document.format === 'json') return replace(node, renderJsonInline(value));
  const inline = renderYamlInline(value);
  // An empty value (`key:` then nothing) has an empty span right after the colon: `key:value` would be a plain
  // scalar, not an entry, so the value needs its space.
  if (node.span.start === node.span.end && document.text[node.span.start - 1] === ':') return replace(node, ` ${inline}`);
  return replace(node, inline);
}

/**
 * Adds `key: value` to a map, after its last entry, indented like its siblings. Block maps get
 * a new line (nested maps and lists as indented blocks); flow maps and JSON get `, key: value`.
 */
export function insertEntry(document: ParsedDocument, map: MapNode, key: string, value: FixValue): TextEdit {
  const { text, lines } = document;
  const last = map.entries[map.entries.length - 1];
  if (document.format === 'json' || map.flow) {
    const rendered = document.format === 'json' ? `${JSON.stringify(key)}: ${renderJsonBlock(value, childIndentJson(document, map))}` : `${key}: ${renderYamlInline(value, true)}`;
    if (!last) {
      const open = map.span.start + 1;
      return { span: { start: open, end: open }, newText: document.format === 'json' ? ` ${rendered} ` : ` ${rendered} ` };
    }
    if (document.format === 'json') {
      const indent = childIndentJson(document, map);
      const sameLine = lines.position(last.span.start).line === lines.position(map.span.start).line;
      const separator = sameLine ? ', ' : `,\n${indent}`;
      return { span: { start: last.span.end, end: last.span.end }, newText: `${separator}${rendered}` };
    }
    return { span: { start: last.span.end, end: last.span.end }, newText: `, ${rendered}` };
  }
  if (!last) return { span: { start: map.span.end, end: map.span.end }, newText: `${key}: ${renderYamlInline(value)}` };
  const keyLine = lines.position(last.key.span.start);
  // An anchor or a tag written before the key (`&a Key: 1`, `!!str Key: 1`) is part of the entry, which starts where
  // they do: the key's own column would indent the new entry too deep (a nested compact map, invalid YAML).
  const before = withoutNodeProperties(lines.lineText(keyLine.line).slice(0, keyLine.character));
  // An explicit key (`? complex`): the entry starts at the `?`, which is the map's indentation.
  const question = before.trimEnd().endsWith('?') ? before.trimEnd().length - 1 : -1;
  const indent = ' '.repeat(question >= 0 ? question : before.length);
  // Insert after the last entry's last line (not its comments or the blank lines that follow). Lines indented deeper
  // than the entry still belong to it even where its node's span ends before them (text the parser read past, e.g.
  // a sequence under an explicit `? key`): inserting above them would put them under the new key.
  const endLine = lastLineOfEntry(lines, lines.position(Math.max(last.span.start, last.span.end - 1)).line, indent.length);
  const lineEnd = lines.lineStart(endLine) + lines.lineText(endLine).length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const newText = `\n${indent}${renderYamlEntry(key, value, indent, unitIndent(document))}`;
  return { span: { start: lineEnd, end: lineEnd }, newText: eol === '\n' ? newText : newText.replace(/\n/g, eol) };
}

/** From `line`, the last following line indented deeper than `indent` (blank and comment lines passed over, not kept). */
function lastLineOfEntry(lines: ParsedDocument['lines'], line: number, indent: number): number {
  let last = line;
  for (let next = line + 1; next < lines.lineCount; next++) {
    const content = lines.lineText(next);
    let column = 0;
    while (column < content.length && (content[column] === ' ' || content[column] === '\t')) column++;
    if (column === content.length || content[column] === '#') continue;
    if (column <= indent) break;
    last = next;
  }
  return last;
}

/**
 * The text before a key without the anchors and tags written last before it (`    &a !!str ` → `    `): token by
 * token from the right, in linear time (a regular expression for it backtracks polynomially on a long line).
 */
function withoutNodeProperties(before: string): string {
  let end = before.length;
  for (;;) {
    let tokenEnd = end;
    while (tokenEnd > 0 && (before[tokenEnd - 1] === ' ' || before[tokenEnd - 1] === '\t')) tokenEnd--;
    let tokenStart = tokenEnd;
    while (tokenStart > 0 && before[tokenStart - 1] !== ' ' && before[tokenStart - 1] !== '\t') tokenStart--;
    if (tokenStart === tokenEnd || (before[tokenStart] !== '&' && before[tokenStart] !== '!')) return before.slice(0, end);
    end = tokenStart;
  }
}

/** The document's indentation unit, read from its first indented line (two spaces by default). */
export function unitIndent(document: ParsedDocument): string {
  const match = /\n( +)\S/.exec(document.text);
  return match ? ' '.repeat(Math.min(match[1]!.length, 8)) : '  ';
}

function childIndentJson(document: ParsedDocument, map: MapNode): string {
  const first = map.entries[0];
  if (first) return ' '.repeat(document.lines.position(first.span.start).character);
  const line = document.lines.position(map.span.start).line;
  return /^\s*/.exec(document.lines.lineText(line))![0] + unitIndent(document);
}

const PLAIN_SAFE = /^[A-Za-z0-9_./:*@-][A-Za-z0-9_./:*@ ${}-]*$/;
const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|-?\d[\d.e+-]*)$/i;

/** Flow indicators: inside `{…}` or `[…]` a plain scalar holding one ends early (`{path: users/{userId}}` is no YAML). */
const FLOW_INDICATOR = /[{}[\],]/;

function yamlScalar(value: string | number | boolean, inFlow = false): string {
  if (typeof value !== 'string') return String(value);
  if (inFlow && FLOW_INDICATOR.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (PLAIN_SAFE.test(value) && !YAML_RESERVED.test(value) && !value.endsWith(' ') && !value.includes(': ') && !value.startsWith('*')) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function renderYamlInline(value: FixValue, inFlow = false): string {
  if (isIntrinsic(value)) {
    const tag = value.intrinsic === 'Ref' ? '!Ref' : value.intrinsic === 'Fn::GetAtt' ? '!GetAtt' : '!Sub';
    return `${tag} ${value.intrinsic === 'Fn::Sub' ? `'${value.arg.replace(/'/g, "''")}'` : value.arg}`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => renderYamlInline(item, true)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, FixValue>);
    return `{${entries.map(([k, v]) => `${yamlScalar(k, true)}: ${renderYamlInline(v, true)}`).join(', ')}}`;
  }
  return yamlScalar(value as string | number | boolean, inFlow);
}

function renderYamlEntry(key: string, value: FixValue, indent: string, unit: string): string {
  if (isIntrinsic(value) || typeof value !== 'object') return `${yamlScalar(key)}: ${renderYamlInline(value)}`;
  const inner = indent + unit;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${yamlScalar(key)}: []`;
    return `${yamlScalar(key)}:\n${value.map((item) => `${inner}- ${renderYamlItem(item, inner + '  ', unit)}`).join('\n')}`;
  }
  const entries = Object.entries(value as Record<string, FixValue>);
  if (entries.length === 0) return `${yamlScalar(key)}: {}`;
  return `${yamlScalar(key)}:\n${entries.map(([k, v]) => `${inner}${renderYamlEntry(k, v, inner, unit)}`).join('\n')}`;
}

function renderYamlItem(value: FixValue, indent: string, unit: string): string {
  if (isIntrinsic(value) || typeof value !== 'object' || Array.isArray(value)) return renderYamlInline(value);
  const entries = Object.entries(value as Record<string, FixValue>);
  return entries.map(([k, v], i) => `${i === 0 ? '' : indent}${renderYamlEntry(k, v, indent, unit)}`).join('\n');
}

function renderJsonInline(value: FixValue): string {
  return JSON.stringify(toJson(value));
}

function renderJsonBlock(value: FixValue, indent: string): string {
  const json = toJson(value);
  if (typeof json !== 'object' || json === null) return JSON.stringify(json);
  return JSON.stringify(json, null, 2).replace(/\n/g, `\n${indent}`);
}

function toJson(value: FixValue): unknown {
  if (isIntrinsic(value)) {
    return { [value.intrinsic]: value.intrinsic === 'Fn::GetAtt' ? value.arg.split(/\.(.*)/s).slice(0, 2) : value.arg };
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, FixValue>).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/** Applies edits (non-overlapping) to a text; used by tests, the CLI's --fix and fix-all. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
  return result;
}


/**
 * Replaces a string-or-list value (IAM `Action`, `Resource`) with `values`, keeping the list's
 * style: a YAML block list stays a block list at the same indentation; anything else becomes a
 * flow list (YAML) or an inline array (JSON).
 */
export function replaceList(document: ParsedDocument, node: Node, values: readonly string[]): TextEdit {
  if (document.format === 'json') return replace(node, renderJsonInline(values));
  if (node.kind === 'seq' && !node.flow && node.items.length > 0) {
    const indent = ' '.repeat(document.lines.position(node.span.start).character);
    const eol = document.text.includes('\r\n') ? '\r\n' : '\n';
    return replace(node, values.map((v) => `- ${yamlScalar(v)}`).join(`${eol}${indent}`));
  }
  return replace(node, renderYamlInline(values));
}

/**
 * Replaces one element of a string-or-list value (IAM `Action`, `Resource`) with `values`, in
 * place: the other elements, comments and the list's style are kept. A lone scalar becomes a
 * list (see `replaceList`); in a YAML block list the new items take the replaced item's `- `
 * prefix; flow lists and JSON arrays get `, `-separated items (one per line when the array
 * already spans lines). Quoting follows the replaced item. Undefined when the layout is one
 * this helper does not rewrite (e.g. a nested `- - item`).
 */
export function replaceListItem(document: ParsedDocument, list: Node, item: Node, values: readonly string[]): TextEdit | undefined {
  if (list === item || list.kind !== 'seq') return values.length === 1 ? replaceValue(document, item, values[0]!) : replaceList(document, item, values);
  const quote = item.kind === 'scalar' && item.quoted ? document.text[item.span.start] : undefined;
  const render = (v: string) =>
    document.format === 'json' ? JSON.stringify(v) : quote === '"' ? JSON.stringify(v) : quote === "'" ? `'${v.replace(/'/g, "''")}'` : yamlScalar(v);
  const eol = document.text.includes('\r\n') ? '\r\n' : '\n';
  const at = document.lines.position(item.span.start);
  const before = document.lines.lineText(at.line).slice(0, at.character);
  if (document.format === 'json' || list.flow) {
    const multiLine = document.lines.position(list.span.start).line !== at.line && /^\s*$/.test(before);
    return replace(item, values.map(render).join(multiLine ? `,${eol}${before}` : ', '));
  }
  if (!/^\s*-\s+$/.test(before)) return undefined;
  return replace(item, values.map(render).join(`${eol}${before}`));
}
