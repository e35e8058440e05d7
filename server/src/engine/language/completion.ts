import type { Analysis } from '../analyze';
import type { IamData } from '../iam/iam-data';
import type { CompletionResult } from './types';

/** Completion of IAM action names in Action/NotAction and of condition keys in Condition. */
export function completeAt(analysis: Analysis, offset: number, iam: IamData | undefined): CompletionResult | undefined {
  void analysis;
  void offset;
  void iam;
  return undefined;
}
