/**
 * The linear rewrites of quadratic regular expressions (test/robustness/regex-safety.test.ts)
 * behave exactly like the patterns they replace: both are run on random strings built from the
 * characters and words that matter to each pattern (fixed seed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeholders, substitute } from '../../server/src/engine/documents/node';
import { parsePolicyArn } from '../../server/src/engine/iam/attachments';
import { isAwsSecretName, isPointerName } from '../../server/src/engine/secrets/detect';

const SEED = 20261128;
const RUNS = 3000;
const textOf = (...pieces: string[]) => fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(''));

function oldPolicyArn(arn: string) {
  const match = /^arn:(.*?):iam::(.*?):policy\/(.*)$/.exec(arn);
  if (!match) return undefined;
  const account = match[2]!;
  const path = match[3]!;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const awsManaged = account === 'aws' ? true : account === '${AWS::AccountId}' || !account.includes('${') ? false : undefined;
  return { name: name && !name.includes('${') && !name.includes('*') ? name : undefined, awsManaged };
}

describe('linear rewrites match the regular expressions they replace', () => {
  it('placeholders() = /\\$\\{([^}]*)\\}/g, /\\$\\{([^}]+)\\}/g and /\\$\\{([^}!]+)\\}/g', () => {
    fc.assert(
      fc.property(textOf('${', '$', '{', '}', '!', 'a', '.', '\n', 'AWS::Region'), (text) => {
        const runs = (re: RegExp) => [...text.matchAll(re)].map((m) => ({ name: m[1], start: m.index, end: m.index + m[0].length }));
        expect(placeholders(text)).toEqual(runs(/\$\{([^}]*)\}/g));
        expect(placeholders(text, { nonEmpty: true })).toEqual(runs(/\$\{([^}]+)\}/g));
        expect(placeholders(text, { nonEmpty: true, without: '!' })).toEqual(runs(/\$\{([^}!]+)\}/g));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('substitute() = the Fn::Sub loops it replaced in symbolic-arns.ts and template-narrowing.ts', () => {
    /** The former loop: scan for `${`, fail on a `${` never closed or a placeholder without a value. */
    const formerSub = (text: string, value: (name: string) => string | undefined): string | undefined => {
      let out = '';
      let at = 0;
      while (at < text.length) {
        const open = text.indexOf('${', at);
        if (open < 0) return out + text.slice(at);
        const close = text.indexOf('}', open + 2);
        if (close < 0) return undefined;
        const replaced = value(text.slice(open + 2, close));
        if (replaced === undefined) return undefined;
        out += text.slice(at, open) + replaced;
        at = close + 1;
      }
      return out;
    };
    const value = (name: string) => (name.includes('!') ? undefined : `<${name}>`);
    fc.assert(
      fc.property(textOf('${', '$', '{', '}', '!', 'a', '.', '\n', 'AWS::Region'), (text) => {
        expect(substitute(text, value)).toEqual(formerSub(text, value));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('parsePolicyArn() = /^arn:(.*?):iam::(.*?):policy\\/(.*)$/', () => {
    fc.assert(
      fc.property(textOf('arn:', 'aws', ':iam::', ':policy/', ':', '/', 'Name', '${AWS::AccountId}', '${x}', '*', '\n', '\u2028', 'iam'), (text) => {
        expect(parsePolicyArn(text)).toEqual(oldPolicyArn(text));
        expect(parsePolicyArn(`arn:${text}`)).toEqual(oldPolicyArn(`arn:${text}`));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('isAwsSecretName() = /aws\\w*secret|secret_?access/i', () => {
    fc.assert(
      fc.property(textOf('aws', 'AWS', 'secret', 'SECRET', '_', 'access', '-', 'x', '9', 'é', 'ſ', 'K', ' '), (name) => {
        expect(isAwsSecretName(name)).toBe(/aws\w*secret|secret_?access/i.test(name));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('isPointerName() = the former POINTER_NAME pattern (with address, added since)', () => {
    const old = /(?:_?(?:arn|name|id|path|param(?:eter)?|url|uri|endpoint|table|bucket|queue|topic|ttl|expir\w*|length|header|type|field|key_?id|version|region|policy|file|dir|enabled|secret_?key_?ref|address)|(?:^|_)(?:is|use|enable|disable)_\w+)$/i;
    fc.assert(
      fc.property(textOf('is', 'use', 'enable', 'disable', '_', 'expir', 'ES', 'key', 'id', 'ID', 'secret', 'ref', 'name', 'param', 'eter', 'address', '-', 'x', 'K', 'ſ', '.'), (name) => {
        expect(isPointerName(name)).toBe(old.test(name));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
