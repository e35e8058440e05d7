/**
 * Random YAML documents for comparing parsers: random trees of maps, sequences and scalars written in many styles
 * (block and flow, plain, quoted and block scalars, short-form and other tags, comments, blank lines, indentation
 * steps, sequences at their key's indentation), and edits inserting the characters YAML reads specially.
 */
import fc from 'fast-check';


/** Plain scalars, chosen for what the schema resolves and for the characters YAML reads specially. */
const PLAIN = [
  'a', 'Allow', 'Value with spaces', 'true', 'True', 'FALSE', 'yes', 'null', 'Null', '~', '10', '-5', '+7', '007', '0x1F', '0o17', '0b1',
  '1e3', '1.5e-3', '.5', '1.', '.inf', '-.Inf', '.NaN', '1_000', '2024-01-01', '12:30', 's3:GetObject', 's3:*', 'arn:aws:s3:::b/*',
  'a#b', 'x]', 'a,b', '{x}', '-x', 'y', 'it\'s', 'a:b:c', 'http://x.y/z?q=1#f', 'a  b', 'é', '😀', 'a\\b',
];
/** Plain scalars YAML reads otherwise or rejects. */
const ODD = ['<<', 'a: b', 'a #c', 'key:', '@x', '`x', '%x', '&a', '*a', '!x', '?x', ':x', '-', '[a', '"', ''];
const KEYS = ['a', 'Key', 'Type', 'Properties', 'Resources', 'Statement', 'Effect', 'Action', '10', 'true', 'null', 'a b', 'Fn::Sub', "'q'", '"d"', 'é'];
/** Keys YAML reads otherwise, or rejects (in flow collections or everywhere). */
const ODD_KEYS = ['<<', 'key with: colon', '?k', '-k', 's3:x', 'a[0]', 'a #b', '&k'];
const key = fc.oneof({ weight: 25, arbitrary: fc.constantFrom(...KEYS) }, fc.constantFrom(...ODD_KEYS));
const SHORT_TAGS = ['!Ref', '!Sub', '!GetAtt', '!If', '!Join', '!Select', '!GetAZs', '!Equals', '!Base64', '!FindInMap'];
const ODD_TAGS = ['!Foo', '!!str', '!!int', '!'];
const DOUBLE_ESCAPES = ['\\n', '\\t', '\\\\', '\\"', '\\/', '\\u00e9', '\\x41', '\\0', '\\ ', '\\r', '\\e', '\\U0001F600'];

type Tree = { s: string; style: 'plain' | 'raw' | 'single' | 'double' | 'block'; tag?: string } | { map: [string, Tree][]; flow: boolean; tag?: string } | { seq: Tree[]; flow: boolean; tag?: string };

const tag = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constantFrom(...SHORT_TAGS) },
  fc.constantFrom(...ODD_TAGS),
);
const word = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...PLAIN) }, { weight: 1, arbitrary: fc.constantFrom(...ODD) }, fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '#', '-', "'", '"', '\\', ',', '[', '}', '1', '.'), maxLength: 6 }));
const scalar: fc.Arbitrary<Tree> = fc.record({
  s: fc.oneof(
    { weight: 12, arbitrary: word },
    { weight: 1, arbitrary: fc.array(fc.oneof(word, fc.constantFrom(...DOUBLE_ESCAPES)), { maxLength: 3 }).map((p) => p.join('')) },
    { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: word }, fc.constantFrom('', '', '  indented', '# not a comment')), { minLength: 1, maxLength: 5 }).map((l) => l.join('\n')) },
  ),
  style: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'block') }, fc.constant('raw')),
  tag,
}) as fc.Arbitrary<Tree>;

const { tree } = fc.letrec<{ tree: Tree }>((t) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.record({ map: fc.array(fc.tuple(key, t('tree')), { minLength: 1, maxLength: 4 }), flow: fc.boolean(), tag }),
    fc.record({ seq: fc.array(t('tree'), { minLength: 1, maxLength: 4 }), flow: fc.boolean(), tag }),
  ),
}));

interface Style {
  step: number;
  seqAtKeyIndent: boolean;
  comments: boolean;
  blankLines: boolean;
  header: '' | '---\n' | '# top\n' | '\n';
  chomp: '' | '-' | '+' | '2';
  block: '|' | '>';
}
const style: fc.Arbitrary<Style> = fc.record({
  step: fc.constantFrom(1, 2, 2, 4),
  seqAtKeyIndent: fc.boolean(),
  comments: fc.boolean(),
  blankLines: fc.boolean(),
  header: fc.constantFrom('', '', '---\n', '# top\n', '\n'),
  chomp: fc.constantFrom('', '', '-', '-', '+', '2'),
  block: fc.constantFrom('|', '>'),
});

export const document: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.record({ map: fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 5 }), flow: fc.constant(false) }),
      fc.record({ seq: fc.array(tree, { minLength: 1, maxLength: 4 }), flow: fc.constant(false) }),
    ),
    style,
  )
  .map(([root, s]) => s.header + render(root as Tree, 0, s).join('\n') + '\n');

function quoteScalar(tree: { s: string; style: string }, inFlow: boolean, indent: number, s: Style): string[] {
  const oneLine = tree.s.replace(/\n/g, ' ');
  switch (tree.style) {
    case 'single':
      return [`'${oneLine.replace(/'/g, "''")}'`];
    case 'double':
      return [`"${oneLine.replace(/(?<!\\)"/g, '\\"')}"`];
    case 'block':
      if (!inFlow) {
        const pad = ' '.repeat(indent + s.step);
        return [`${s.block}${s.chomp}`, ...tree.s.split('\n').map((l) => (l === '' ? '' : pad + l))];
      }
      return quoteScalar({ s: tree.s, style: 'plain' }, inFlow, indent, s);
    case 'raw':
      return [oneLine];
    default:
      // Plain where YAML reads it back as written; else single-quoted ('raw' writes anything plain).
      return [(inFlow ? /[,[\]{}#]|:( |$)|^[-?:!&*|>'"%@` ]| $/ : /: | #|:$|^[-?:,[\]{}#&*!|>'"%@` ]| $/).test(oneLine) || oneLine === '' ? `'${oneLine.replace(/'/g, "''")}'` : oneLine];
  }
}

function flowText(tree: Tree): string {
  const tagged = (t: string | undefined, body: string) => (t ? `${t} ${body}` : body);
  if ('s' in tree) return tagged(tree.tag, quoteScalar(tree, true, 0, { step: 2 } as Style)[0]!);
  if ('map' in tree) return tagged(tree.tag, `{${tree.map.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')}}`);
  return tagged(tree.tag, `[${tree.seq.map(flowText).join(', ')}]`);
}

/** Lines of `tree` written as a block node starting on its own line at `indent` (callers put the first after a key or dash). */
function render(tree: Tree, indent: number, s: Style): string[] {
  const pad = ' '.repeat(indent);
  const comment = (line: string) => (s.comments && line.length % 3 === 0 ? `${line}  # note` : line);
  if ('s' in tree) {
    const lines = quoteScalar(tree, false, indent, s);
    return [pad + (tree.tag ? `${tree.tag} ` : '') + lines[0], ...lines.slice(1)];
  }
  if (tree.flow) return [comment(pad + flowText(tree))];
  const lines: string[] = [];
  const childIndent = indent + s.step;
  if ('map' in tree) {
    for (const [key, value] of tree.map) {
      if ('s' in value || value.flow) {
        const [first, ...rest] = render(value, indent, s);
        lines.push(comment(`${pad}${key}: ${first!.slice(indent)}`), ...rest);
      } else {
        lines.push(comment(`${pad}${key}:${value.tag ? ` ${value.tag}` : ''}`));
        lines.push(...render({ ...value, tag: undefined } as Tree, 'seq' in value && s.seqAtKeyIndent ? indent : childIndent, s));
      }
      if (s.blankLines && key.length % 2 === 0) lines.push('');
    }
    return lines;
  }
  for (const item of tree.seq) {
    if (!('s' in item) && !item.flow && item.tag) {
      lines.push(`${pad}- ${item.tag}`, ...render({ ...item, tag: undefined } as Tree, childIndent, s));
    } else {
      const [first, ...rest] = render(item, indent + 2, s);
      lines.push(comment(`${pad}- ${first!.slice(indent + 2)}`), ...rest);
    }
  }
  return lines;
}

const SPECIAL = ['\t', '\r', '\r\n', ' ', '  ', '#', ' #', ':', ': ', '- ', '\n', '\n  ', '&a ', '*a', '|', '>', '"', "'", '[', ']', '{', '}', ',', '? ', '---\n', '...\n', '!Ref ', '\ufeff', '%YAML 1.1\n', '<<: ', '\\', 'x'];
export const mutations = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.constantFrom(...SPECIAL, '') }), { maxLength: 3 });

export function applyMutations(text: string, edits: { at: number; remove: number; insert: string }[]): string {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.remove);
  }
  return out;
}
