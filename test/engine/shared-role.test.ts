/**
 * SLS150 names the functions that share the provider role but use none of its write actions,
 * when their code was analysed completely (code read through an in-memory SourceFiles: an
 * injected input, as the Node host would supply).
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { rules } from '../../rules/index';
import { iam } from '../helpers/engine';

const rule = rules.find((r) => r.id === 'SLS150')!;

const serverlessYml = `service: orders
provider:
  name: aws
  runtime: nodejs22.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem, dynamodb:PutItem]
          Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
functions:
  create:
    handler: create.handler
  list:
    handler: list.handler
`;

const files: Record<string, string> = {
  'create.js': `const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => db.send(new PutItemCommand({ TableName: 'orders', Item: event.item }));
`,
  'list.js': `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) => db.send(new GetItemCommand({ TableName: 'orders', Key: event.key }));
`,
};
const sources: SourceFiles = { read: (path) => files[path] };

describe('SLS150 with function code', () => {
  it('says which sharing functions use none of the shared write actions', () => {
    const [finding, ...rest] = analyze({ text: serverlessYml }, { rules: [rule], iam, sources }).findings;
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'provider.iam.role.statements grants write actions (dynamodb:PutItem) to the 2 functions that share the provider role; list uses none of them: give each function its own role.',
    );
  });

  it('names nobody when the code cannot be read', () => {
    const [finding] = analyze({ text: serverlessYml }, { rules: [rule], iam }).findings;
    expect(finding!.message).not.toContain('uses none');
  });
});
