import { parseJson } from './json';
import { LineIndex } from './lines';
import { asList, get, isMap, literalString, type MapNode, type Node, type Span } from './node';
import { parseYaml } from './yaml';
import type { IncrementalYamlParser } from './yaml-incremental';

export type DocumentKind = 'iam-policy' | 'cloudformation' | 'sam' | 'serverless';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['iam-policy', 'cloudformation', 'sam', 'serverless'];
/** `script`: a serverless.ts/js, read by `model/serverless-script.ts` (analyze.ts), never by `parseDocument`. */
export type DocumentFormat = 'yaml' | 'json' | 'script';

export interface ParseError {
  readonly message: string;
  readonly span: Span;
  /** The document could not be analysed at all (too large, too deep, alias bomb). */
  readonly fatal?: boolean;
  /** The document is longer than `maxLength` (a host says "too large" rather than "cannot parse"). */
  readonly tooLarge?: boolean;
}

export interface ParseLimits {
  /** Documents longer than this many UTF-16 units are declined with one diagnostic. */
  readonly maxLength: number;
  /** Deeper nesting is not analysed (real templates stay well under 40 levels). */
  readonly maxDepth: number;
  /** Refuse documents whose YAML aliases expand to more nodes than this. */
  readonly maxNodes: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxLength: 5_000_000, maxDepth: 256, maxNodes: 1_000_000 };

export interface ParsedDocument {
  readonly text: string;
  readonly format: DocumentFormat;
  readonly root: Node | undefined;
  readonly errors: readonly ParseError[];
  readonly lines: LineIndex;
}

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * Words at least one of which every document we analyse contains. A document with none of them
 * is skipped before parsing, so unrelated YAML and JSON costs one scan.
 */
const MARKERS = /AWSTemplateFormatVersion|AWS::|Statement|provider|Transform|Resources/;

export function mightBeRelevant(text: string): boolean {
  return MARKERS.test(text);
}

/** JSON when the first meaningful character opens an object or array, YAML otherwise. */
export function detectFormat(text: string, hint?: DocumentFormat): DocumentFormat {
  if (hint) return hint;
  const first = /[^\s\uFEFF]/.exec(text);
  return first && (first[0] === '{' || first[0] === '[') ? 'json' : 'yaml';
}

/** What the previous parse of an open document leaves for the next one (`DocumentMemo` is one). */
export interface ParseMemo {
  /** Reuses the trees of unchanged YAML entries of the previous version. */
  readonly yaml: IncrementalYamlParser;
  /** The previous version's line index: the line starts outside an edit are carried over. */
  lines: LineIndex | undefined;
}

/** `memo` (one per open document) carries what is unchanged over from the previous version. */
export function parseDocument(text: string, format: DocumentFormat, limits: ParseLimits = DEFAULT_LIMITS, memo?: ParseMemo): ParsedDocument {
  const lines = memo?.lines ? LineIndex.edited(memo.lines, text) : new LineIndex(text);
  if (memo) memo.lines = lines;
  if (text.length > limits.maxLength) {
    return {
      text,
      format,
      root: undefined,
      lines,
      errors: [
        {
          message: `File is ${size(text.length)}, above the ${size(limits.maxLength)} limit (setting maxFileSize); it is not analysed.`,
          span: { start: 0, end: Math.min(1, text.length) },
          fatal: true,
          tooLarge: true,
        },
      ],
    };
  }
  if (format === 'script') return { text, format, root: undefined, lines, errors: [] }; // needs the workspace: parseServerlessScript
  const { root, errors } = format === 'json' ? parseJson(text, limits) : memo ? memo.yaml.parse(text, limits) : parseYaml(text, limits);
  return { text, format, root, errors, lines };
}

/** `5.0 MB`, or `2.3 KB` below a megabyte (a small maxFileSize must not read "0.0 MB, above the 0.0 MB limit"). */
function size(characters: number): string {
  return characters >= 1_000_000 ? `${(characters / 1_000_000).toFixed(1)} MB` : `${(characters / 1000).toFixed(1)} KB`;
}

/** Recognises the document by its content, whatever the file is called. */
export function detectKind(root: Node | undefined): DocumentKind | undefined {
  if (!isMap(root)) return undefined;
  if (isSam(root)) return 'sam';
  if (get(root, 'AWSTemplateFormatVersion') !== undefined || hasAwsResources(root)) return 'cloudformation';
  if (get(root, 'service') !== undefined && get(root, 'provider') !== undefined) return isOtherCloud(get(root, 'provider')) ? undefined : 'serverless';
  if (get(root, 'Statement') !== undefined && (get(root, 'Version') !== undefined || isStatementShaped(get(root, 'Statement')))) {
    // A CloudFormation stack policy has the same shape, but its Principal must be "*" and it grants nothing: it only
    // limits which updates callers who may already update the stack can make. Judged as IAM, it reads as public.
    if (isStackPolicy(get(root, 'Statement'))) return undefined;
    return 'iam-policy';
  }
  return undefined;
}

/**
 * The Serverless Framework deploys to other clouds too (`provider: {name: google}`, azure, openwhisk…): such a file
 * has no API Gateway, IAM or Lambda, so judging it as AWS reports routes and logs that do not exist. A provider
 * written as a variable (`${opt:provider}`) or left out is taken as AWS, the framework's default.
 */
function isOtherCloud(provider: Node | undefined): boolean {
  const name = literalString(isMap(provider) ? get(provider, 'name') : provider)?.trim().toLowerCase();
  return name !== undefined && name !== '' && name !== 'aws' && !name.includes('${');
}

function isSam(root: MapNode): boolean {
  const transform = get(root, 'Transform');
  if (asList(transform).some((t) => literalString(t) === SAM_TRANSFORM)) return true;
  // SAM's own test inputs (and many hand-written templates) omit the Transform line.
  return resourceTypes(root).some((type) => type.startsWith('AWS::Serverless::'));
}

function hasAwsResources(root: MapNode): boolean {
  return resourceTypes(root).some((type) => /^(AWS|Alexa|Custom)::/.test(type) || type === 'AWS::CloudFormation::Stack');
}

function resourceTypes(root: MapNode): string[] {
  const resources = get(root, 'Resources');
  if (!isMap(resources)) return [];
  const types: string[] = [];
  for (const e of resources.entries) {
    const type = literalString(get(e.value, 'Type'));
    if (type) types.push(type);
  }
  return types;
}

/** Every action of every statement is a stack-policy action (`Update:Modify`, `Update:Replace`, `Update:Delete`, `Update:*`). */
function isStackPolicy(statement: Node | undefined): boolean {
  const statements = asList(statement);
  if (statements.length === 0) return false;
  return statements.every((s) => {
    const actions = asList(get(s, 'Action') ?? get(s, 'NotAction'));
    return actions.length > 0 && actions.every((a) => /^Update:(\*|Modify|Replace|Delete)$/i.test(literalString(a)?.trim() ?? ''));
  });
}

function isStatementShaped(statement: Node | undefined): boolean {
  return asList(statement).some((s) => isMap(s) && (get(s, 'Effect') !== undefined || get(s, 'Action') !== undefined));
}
