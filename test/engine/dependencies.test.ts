/**
 * Function dependencies read through the real Node host (createSourceFiles): manifests and lock
 * files beside a template on disk.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSourceFiles } from '../../server/src/node/source-files';
import { rules } from '../../rules/index';
import { run } from '../helpers/engine';

const dir = mkdtempSync(join(tmpdir(), 'sls-deps-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Fn:', '    Type: AWS::Serverless::Function', '    Properties:', '      CodeUri: src/', '      Handler: app.handler', '      Runtime: nodejs22.x', ''].join('\n');

function findings(ruleId: string) {
  const file = join(dir, 'template.yaml');
  writeFileSync(file, TEMPLATE);
  return run(TEMPLATE, { rules: rules.filter((r) => r.id === ruleId), sources: createSourceFiles(file, [dir]) }).findings.filter((f) => f.ruleId === ruleId);
}

describe('function dependencies on disk', () => {
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.js'), "exports.handler = async () => 'ok';\n");
  writeFileSync(join(dir, 'src', 'package.json'), '{ "dependencies": { "uuid": "^9.0.0" } }\n');

  it('reports a package.json without a lock file, at its dependency', () => {
    const [finding] = findings('SLS804');
    expect(finding?.inFile).toMatchObject({ file: 'src/package.json', start: { line: 0, character: 20 } });
  });

  it('finds a lock file larger than what code analysis reads (real lock files reach megabytes)', () => {
    writeFileSync(join(dir, 'src', 'package-lock.json'), `{"packages": {}, "pad": "${'x'.repeat(1_100_000)}"}`);
    expect(findings('SLS804')).toEqual([]);
    rmSync(join(dir, 'src', 'package-lock.json'));
  });

  it('finds a lock file in the template folder above the function folder (npm workspaces)', () => {
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    expect(findings('SLS804')).toEqual([]);
    rmSync(join(dir, 'package-lock.json'));
  });
});
