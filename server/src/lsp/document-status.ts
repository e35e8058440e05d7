/**
 * What the status item says about a document: whether it was analysed, as what, and when not,
 * why — zero findings in a file that was never read must not look like a clean file. Computed
 * with each publish from the same analysis, so the status and the diagnostics always agree.
 */
import type { Analysis } from '../engine/analyze';
import type { DocumentKind } from '../engine/documents/parse';
import type { DocumentStatus } from '../shared/protocol';

const KIND_LABELS: Record<DocumentKind, string> = {
  'iam-policy': 'IAM policy',
  cloudformation: 'CloudFormation template',
  sam: 'SAM template',
  serverless: 'serverless.yml',
};

/** Why the server did not analyse a document before the engine was asked (or what it was instead). */
export type Outcome =
  | { readonly disabled: true }
  | { readonly excluded: true }
  | { readonly configFile: true; readonly trusted: boolean }
  | { readonly failed: true }
  | { readonly analysis: Analysis; readonly trusted: boolean };

export function documentStatus(uri: string, outcome: Outcome): DocumentStatus {
  if ('disabled' in outcome) return { uri, analysed: false, reason: 'disabled', message: 'Not analysed: the extension is disabled (setting serverlessSecurity.enable).' };
  if ('excluded' in outcome) {
    return { uri, analysed: false, reason: 'excluded', message: 'Not analysed: excluded by an `exclude` pattern (project config file or setting serverlessSecurity.exclude).' };
  }
  if ('failed' in outcome) return { uri, analysed: false, message: 'Not analysed: the analysis failed; the log says why.' };
  if ('configFile' in outcome) {
    return outcome.trusted
      ? { uri, analysed: true, kind: 'project config file', message: 'Project config file: checked against its schema and the rule catalogue.' }
      : { uri, analysed: false, reason: 'untrusted', message: 'Not read: the workspace is untrusted, so project config files are ignored.' };
  }
  const { analysis, trusted } = outcome;
  const fatal = analysis.document?.errors.find((e) => e.fatal);
  if (fatal?.tooLarge) return { uri, analysed: false, reason: 'too-large', message: `Not analysed: ${fatal.message}` };
  if (fatal) return { uri, analysed: false, reason: 'not-parsable', message: `Not analysed: ${fatal.message}` };
  if (!analysis.kind) {
    const syntax = analysis.document?.errors.length ? ' (it has syntax errors)' : '';
    return {
      uri,
      analysed: false,
      reason: 'not-aws-document',
      message: `Not analysed: not an AWS document${syntax}. IAM policies, CloudFormation and SAM templates and serverless.yml files are recognised by their content.`,
    };
  }
  const kind = KIND_LABELS[analysis.kind];
  if (!trusted) {
    return { uri, analysed: true, kind, reason: 'untrusted', message: `Analysed as ${withArticle(kind)} with the built-in defaults: the workspace is untrusted, so the project config file and function code are not read.` };
  }
  return { uri, analysed: true, kind, message: `Analysed as ${withArticle(kind)}.` };
}

/** `an IAM policy`, `a SAM template`. */
function withArticle(kind: string): string {
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
}
