import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError as JsonParseError } from 'jsonc-parser';
import { mapEntry, mapNode, scalarNode, seqNode, type MapEntry, type Node, type ScalarNode } from './node';
import type { ParseError, ParseLimits } from './parse';
import { exactly } from './exact-array';

/** Parses JSON (comments and trailing commas tolerated, as editors do) into the shared tree. */
export function parseJson(text: string, limits: ParseLimits): { root: Node | undefined; errors: ParseError[] } {
  const depth = maxBracketDepth(text);
  if (depth > limits.maxDepth) {
    // jsonc-parser recurses per level; refuse before it can exhaust the stack.
    return {
      root: undefined,
      errors: [{ message: `JSON nested ${depth} levels deep (limit ${limits.maxDepth}); it is not analysed.`, span: { start: 0, end: Math.min(1, text.length) }, fatal: true }],
    };
  }
  const jsonErrors: JsonParseError[] = [];
  const tree = parseTree(text, jsonErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const errors: ParseError[] = [];
  const first = jsonErrors[0];
  if (first) {
    // Errors at end of input sit one past the last character; keep spans inside the text.
    const start = Math.min(first.offset, Math.max(0, text.length - 1));
    errors.push({
      message: `JSON syntax error: ${describe(printParseErrorCode(first.error))}`,
      span: { start, end: Math.min(text.length, Math.max(first.offset + first.length, start + 1)) },
    });
  }
  return { root: tree ? convert(tree) : undefined, errors };
}

function describe(code: string): string {
  // 'CommaExpected' -> 'comma expected'
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Deepest `{`/`[` nesting outside strings: one linear pass, no recursion. */
function maxBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) max = Math.max(max, ++depth);
    else if (ch === 125 || ch === 93) depth--;
  }
  return max;
}

function convert(node: JsonNode): Node {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case 'object': {
      const entries: MapEntry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = scalar(keyNode);
        const value = valueNode ? convert(valueNode) : nullAt(key.end);
        entries.push(mapEntry(key, value, property.offset, property.offset + property.length));
      }
      return mapNode(exactly(entries), start, end, true);
    }
    case 'array':
      return seqNode((node.children ?? []).map(convert), start, end, true);
    default:
      return scalar(node);
  }
}

function scalar(node: JsonNode): ScalarNode {
  const value = node.value;
  return scalarNode(value === undefined ? null : (value as ScalarNode['value']), node.offset, node.offset + node.length, node.type === 'string');
}

function nullAt(offset: number): ScalarNode {
  return scalarNode(null, offset, offset, false);
}
