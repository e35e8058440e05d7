import type { Span } from '../documents/node';

/** Markdown shown on hover, and the span it describes (the LSP layer turns it into a range). */
export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
  /** Where the whole text is when a hover has to cut it (Markdown, e.g. a command name). */
  readonly more?: string;
}

export type CompletionKind = 'service' | 'action' | 'condition-key' | 'value';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line shown beside the label, e.g. the access level. */
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert when it differs from the label. */
  readonly insertText?: string;
}

export interface CompletionResult {
  /** The text the entries replace (the partial word under the cursor). */
  readonly span: Span;
  readonly entries: readonly CompletionEntry[];
}

/** What one function (SAM/CloudFormation/Serverless) is granted, grouped for display. */
export interface EffectivePermissions {
  readonly functionName: string;
  /** Where the function is declared (its logical id or name). */
  readonly span: Span;
  readonly markdown: string;
}
