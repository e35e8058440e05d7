/**
 * Which path ids name a person's record (code/route-purpose.ts `personalPathId`, SLS301): judged sample seed 2416's
 * `/candidate/{candidateId}` and `/todos/{userId}` do, its `/company/{companyId}` (a public company profile) does not.
 */
import { describe, expect, it } from 'vitest';
import { personalPathId } from '../../server/src/engine/code/route-purpose';

describe('personalPathId', () => {
  it.each([
    ['/candidate/{candidateId}', 'candidateId', 'candidate'],
    ['/todos/{userId}', 'userId', 'user'],
    ['/orders/{id}', 'id', 'order'],
    ['api/v1/accounts/{accountID}', 'accountID', 'account'],
    ['/customers/{customer_id}/addresses', 'customer_id', 'customer'],
    ['/users/{email}', 'email', 'user'],
    ['/users/:userId', 'userId', 'user'],
    // Judged sample seed 2636: a private conversation between two users, its messages and both users' records.
    ['/conversation/{conversationId}', 'conversationId', 'conversation'],
  ])('%s names a person\'s record', (path, param, noun) => {
    expect(personalPathId(path)).toEqual({ param, noun });
  });

  it.each(['/company/{companyId}', '/products/{id}', '/posts/{postId}', '/events', '/{proxy+}', '/companyHandler/{companyHandler}', '/users'])('%s does not', (path) => {
    expect(personalPathId(path)).toBeUndefined();
  });
});
