/** The untitled-buffer detector of the VS Code client (client/src/aws-text.ts) on real documents. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { awsDocumentFormat } from '../client/src/aws-text';

describe('awsDocumentFormat', () => {
  it('recognises the examples as pasted text', () => {
    expect(awsDocumentFormat(readFileSync('examples/iam/policy.json', 'utf8'))).toBe('json');
    expect(awsDocumentFormat(readFileSync('examples/sam-app/template.yaml', 'utf8'))).toBe('yaml');
    expect(awsDocumentFormat(readFileSync('examples/serverless-app/serverless.yml', 'utf8'))).toBe('yaml');
  });
  it('recognises a bare policy in YAML and a JSON template', () => {
    expect(awsDocumentFormat('Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Action: s3:*\n    Resource: "*"\n')).toBe('yaml');
    expect(awsDocumentFormat('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')).toBe('json');
  });
  it('leaves other text alone', () => {
    expect(awsDocumentFormat('{"name": "app", "version": "1.0.0"}')).toBeUndefined();
    expect(awsDocumentFormat('just some notes\nStatement: none\n')).toBeUndefined();
    expect(awsDocumentFormat('services:\n  web:\n    image: nginx\n')).toBeUndefined();
    expect(awsDocumentFormat('')).toBeUndefined();
  });
});
