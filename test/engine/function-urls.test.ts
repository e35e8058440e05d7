import { describe, expect, it } from 'vitest';
import { isAuthTypeNone, publicServerlessUrl } from '../../server/src/engine/model/function-urls';
import { run } from '../helpers/engine';

const functions = run(
  `service: s
provider:
  name: aws
functions:
  flag:
    handler: a.handler
    url: true
  off:
    handler: a.handler
    url: false
  computed:
    handler: a.handler
    url: \${param:url}
  open:
    handler: a.handler
    url: {cors: true}
  iam:
    handler: a.handler
    url: {authorizer: aws_iam}
  none:
    handler: a.handler
`,
  { rules: [] },
).model!.serverless!.functions;

describe('publicServerlessUrl', () => {
  it('is the flag or the map without authorizer, and nothing when off, computed or absent', () => {
    expect(functions.map((fn) => [fn.name, publicServerlessUrl(fn)?.form])).toEqual([
      ['flag', 'enabled-flag'],
      ['off', undefined],
      ['computed', undefined],
      ['open', 'no-authorizer'],
      ['iam', undefined],
      ['none', undefined],
    ]);
  });
});

describe('isAuthTypeNone', () => {
  it('reads NONE in any case and nothing else', () => {
    const [open, iam] = run(`Resources:\n  A: {Type: AWS::Lambda::Url, Properties: {AuthType: none}}\n  B: {Type: AWS::Lambda::Url, Properties: {AuthType: AWS_IAM}}\n`, { rules: [] }).model!.template!.resources;
    expect(isAuthTypeNone(open!.properties?.entries[0]?.value)).toBe(true);
    expect(isAuthTypeNone(iam!.properties?.entries[0]?.value)).toBe(false);
    expect(isAuthTypeNone(undefined)).toBe(false);
  });
});
