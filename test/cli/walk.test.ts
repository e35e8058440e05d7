import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkFiles } from '../../server/src/node/walk';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sls-walk-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function touch(...parts: string[]): string {
  const path = join(root, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  return path;
}
const rel = (files: Iterable<string>) => [...files].map((f) => relative(root, f).split('\\').join('/'));

describe('walkFiles', () => {
  it('walks folders in sorted order, keeping template extensions only', () => {
    touch('b', 'template.yaml');
    touch('a', 'serverless.yml');
    touch('a', 'policy.json');
    touch('a', 'stack.template');
    touch('a', 'handler.js');
    touch('README.md');
    touch('Z.YML');
    expect(rel(walkFiles([root]))).toEqual(['Z.YML', 'a/policy.json', 'a/serverless.yml', 'a/stack.template', 'b/template.yaml']);
  });

  it('yields Serverless configurations written in TypeScript or JavaScript, no other code', () => {
    touch('api', 'serverless.ts');
    touch('api', 'src', 'functions', 'index.ts');
    touch('api', 'serverless.d.ts');
    touch('web', 'serverless.js');
    touch('web', 'serverless.prod.ts');
    touch('web', 'handler.ts');
    touch('node_modules', 'pkg', 'serverless.ts');
    expect(rel(walkFiles([root]))).toEqual(['api/serverless.ts', 'web/serverless.js', 'web/serverless.prod.ts']);
    // Asked for given extensions, a walk yields those only.
    expect(rel(walkFiles([root], { extensions: ['.yml'] }))).toEqual([]);
  });

  it('skips dependency, build and VCS folders', () => {
    touch('template.yaml');
    for (const dir of ['node_modules', '.aws-sam', '.serverless', 'cdk.out', '.git']) touch(dir, 'template.yaml');
    touch('amplify', '#current-cloud-backend', 'api', 'cloudformation-template.json');
    touch('nested', 'node_modules', 'pkg', 'package.json');
    expect(rel(walkFiles([root]))).toEqual(['template.yaml']);
  });

  it('always yields files given directly, whatever their extension, and missing paths', () => {
    const js = touch('handler.js');
    const missing = join(root, 'nope.yaml');
    expect([...walkFiles([js, missing])]).toEqual([js, missing]);
  });

  it('honours custom extensions and yields each file once', () => {
    const a = touch('x', 'a.yaml');
    touch('x', 'b.json');
    expect([...walkFiles([join(root, 'x'), a], { extensions: ['.yaml'] })]).toEqual([a]);
  });

  it('survives symlink loops and dangling links', () => {
    touch('app', 'template.yaml');
    try {
      symlinkSync(root, join(root, 'app', 'loop'), 'dir');
      symlinkSync(join(root, 'gone'), join(root, 'app', 'dangling.yaml'));
    } catch {
      return; // platforms without symlink permission
    }
    const files = rel(walkFiles([root]));
    expect(files).toEqual(['app/template.yaml']);
  });
});
