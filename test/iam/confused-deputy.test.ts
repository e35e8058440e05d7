import { describe, expect, it } from 'vitest';
import { get } from '../../server/src/engine/documents/node';
import { parseDocument } from '../../server/src/engine/documents/parse';
import { namesSource, servicePrincipalKey } from '../../server/src/engine/iam/confused-deputy';

const condition = (yaml: string) => get(parseDocument(`Condition:\n${yaml}`, 'yaml').root, 'Condition');

describe('confused deputy', () => {
  it('reads regional service principals as the service', () => {
    expect(servicePrincipalKey('logs.us-east-1.amazonaws.com')).toBe('logs.amazonaws.com');
    expect(servicePrincipalKey('logs.cn-north-1.amazonaws.com.cn')).toBe('logs.amazonaws.com.cn');
    expect(servicePrincipalKey('delivery.logs.amazonaws.com')).toBe('delivery.logs.amazonaws.com');
    expect(servicePrincipalKey('Cloudfront.amazonaws.com')).toBe('cloudfront.amazonaws.com');
  });

  it('counts only conditions that keep named sources', () => {
    expect(namesSource(undefined)).toBe(false);
    expect(namesSource(condition('  StringEquals:\n    aws:SourceAccount: "111122223333"\n'))).toBe(true);
    expect(namesSource(condition('  ArnLike:\n    AWS:SourceArn: arn:aws:cloudfront::111122223333:distribution/E1\n'))).toBe(true);
    expect(namesSource(condition('  StringNotEquals:\n    aws:SourceAccount: "111122223333"\n'))).toBe(false);
    expect(namesSource(condition('  "Null":\n    aws:SourceArn: "false"\n'))).toBe(false);
    expect(namesSource(condition('  ArnLike:\n    aws:SourceArn: "*"\n'))).toBe(false);
    expect(namesSource(condition('  StringEquals:\n    s3:x-amz-acl: bucket-owner-full-control\n'))).toBe(false);
    expect(namesSource(condition('  ArnLike:\n    kms:EncryptionContext:aws:logs:arn: arn:aws:logs:us-east-1:1:log-group:*\n'), ['kms:encryptioncontext:aws:logs:arn'])).toBe(true);
    expect(namesSource(condition('  Fn::If: [c, {}, {}]\n'))).toBeUndefined();
  });
});
