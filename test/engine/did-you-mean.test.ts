import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../server/src/engine/iam/did-you-mean';

describe('didYouMean', () => {
  it('lists the suggestions as code, or ends the sentence', () => {
    expect(didYouMean([])).toBe('.');
    expect(didYouMean(['DynamoDBCrudPolicy'])).toBe('; did you mean `DynamoDBCrudPolicy`?');
    expect(didYouMean(['A', 'B'])).toBe('; did you mean `A`, `B`?');
  });
});
