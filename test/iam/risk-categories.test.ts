import { describe, expect, it } from 'vitest';
import { describeRisks, riskCategory, riskCategoryEntries } from '../../server/src/engine/iam/risk-categories';
import { iam } from '../helpers/engine';

describe('risk categories', () => {
  it('names only actions the bundled IAM data knows', () => {
    for (const [action] of riskCategoryEntries()) {
      const [service, name] = action.split(':');
      expect(iam!.action(service!, name!), action).toBeDefined();
    }
  });

  it('classifies whatever the spelling and describes groups in a fixed order', () => {
    expect(riskCategory('ECR:getAuthorizationToken')).toBe('credentials exposure');
    expect(riskCategory('s3:GetObject')).toBe('data exfiltration');
    expect(riskCategory('iam:GetAccountAuthorizationDetails')).toBe('account export');
    expect(riskCategory('s3:ListBucket')).toBeUndefined();
    expect(describeRisks(['s3:GetObject', 'sts:AssumeRole', 'dynamodb:GetItem'])).toBe('credentials exposure (sts:AssumeRole); data exfiltration (s3:GetObject)');
    expect(describeRisks(['s3:GetObject', 'sts:AssumeRole'], ['credentials exposure'])).toBe('credentials exposure (sts:AssumeRole)');
    expect(describeRisks(['dynamodb:GetItem'])).toBe('');
  });
});
