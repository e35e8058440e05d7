import { describe, expect, it } from 'vitest';
import type { FunctionCode } from '../../server/src/engine/code/function-code';
import { callsNoneOf, describeSharedGrants, grantsMoreThanRead, noneUsedBy, sharedGrantsSeverity } from '../../server/src/engine/iam/shared-role';

const none = { everything: false, permissions: [], write: [] };

describe('shared-role grants', () => {
  it('are worth a finding only beyond reading', () => {
    expect(grantsMoreThanRead(none)).toBe(false);
    expect(grantsMoreThanRead({ ...none, write: ['s3:PutObject'] })).toBe(true);
    expect(grantsMoreThanRead({ ...none, everything: true })).toBe(true);
  });

  it('warn for permissions management or everything, inform for write alone', () => {
    expect(sharedGrantsSeverity({ ...none, write: ['s3:PutObject'] })).toBe('info');
    expect(sharedGrantsSeverity({ ...none, permissions: ['iam:PutRolePolicy'] })).toBe('warning');
    expect(sharedGrantsSeverity({ ...none, everything: true })).toBe('warning');
  });

  it('are described most dangerous first, actions summarised as given', () => {
    expect(describeSharedGrants({ everything: true, permissions: ['iam:PutRolePolicy'], write: ['s3:DeleteObject', 's3:PutObject', 'sqs:SendMessage', 'sns:Publish'] })).toBe(
      'every action (`*` or NotAction) and permissions-management actions (iam:PutRolePolicy) and write actions (s3:DeleteObject, s3:PutObject, sqs:SendMessage and 1 more)',
    );
  });
});

describe('callsNoneOf', () => {
  const code = (status: FunctionCode['status'], usedActions: string[]) => ({ status, usedActions }) as unknown as FunctionCode;
  const granted = new Set(['s3:putobject']);

  it('needs a complete analysis that calls none of the granted actions, in any case', () => {
    expect(callsNoneOf(code('complete', ['s3:GetObject']), granted)).toBe(true);
    expect(callsNoneOf(code('complete', ['S3:PutObject']), granted)).toBe(false);
    expect(callsNoneOf(code('partial', []), granted)).toBe(false);
    expect(callsNoneOf(undefined, granted)).toBe(false);
  });
});

describe('noneUsedBy', () => {
  it('names the functions with the verb agreeing, or says nothing', () => {
    expect(noneUsedBy([])).toBe('');
    expect(noneUsedBy(['list'])).toBe('; list uses none of them');
    expect(noneUsedBy(['list', 'get'])).toBe('; list, get use none of them');
  });
});
