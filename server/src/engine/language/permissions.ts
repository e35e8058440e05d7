import type { Analysis } from '../analyze';
import type { IamData } from '../iam/iam-data';
import type { EffectivePermissions } from './types';

/** Effective permissions of the function declared at, or enclosing, `offset`. */
export function effectivePermissionsAt(analysis: Analysis, offset: number, iam: IamData | undefined): EffectivePermissions | undefined {
  void analysis;
  void offset;
  void iam;
  return undefined;
}
