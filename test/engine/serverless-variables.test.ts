/**
 * Serverless variables resolved where the value is in the workspace, through the real parser and
 * model (the same path rules use): literals, `self:` chains, defaults, `sls:stage`, `file(…)`; and
 * everything else, cycles and hostile nesting, unknown.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../server/src/engine/documents/parse';
import { getPath, isMap } from '../../server/src/engine/documents/node';
import { ServerlessApp } from '../../server/src/engine/model/serverless';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { WorkspaceFiles } from '../../server/src/engine/model/workspace-files';

function resolveAt(text: string, path: string[], files: Record<string, string> = {}) {
  const root = parseDocument(text, 'yaml').root;
  if (!isMap(root)) throw new Error('not a map');
  const sources: SourceFiles = { read: (p) => files[p] };
  return new ServerlessApp(root, new WorkspaceFiles(sources)).resolve(getPath(root, ...path));
}

describe('Serverless variables', () => {
  it('resolves self: chains, quoted and numeric defaults, and sls:stage', () => {
    const text = `service: s
custom:
  a: \${self:custom.b}
  b: nodejs16.x
  stage: \${opt:stage, 'prod'}
  sizes: {prod: 1024}
provider:
  name: aws
  stage: \${self:custom.stage}
  runtime: \${self:custom.a}
  memorySize: \${self:custom.sizes.\${sls:stage}}
  timeout: \${env:TIMEOUT, 30}
`;
    expect(resolveAt(text, ['provider', 'runtime'])).toMatchObject({ known: true, value: 'nodejs16.x' });
    expect(resolveAt(text, ['provider', 'memorySize'])).toMatchObject({ known: true, value: '1024' });
    const timeout = resolveAt(text, ['provider', 'timeout']);
    expect(timeout).toMatchObject({ known: true, value: '30' });
    expect(timeout?.known && timeout.sources[0]?.isDefault).toBe(true);
  });

  it('reads ${file(…)} YAML and JSON through SourceFiles, with the file and line', () => {
    const text = 'service: s\nprovider:\n  name: aws\n  runtime: ${file(./cfg.yml):lambda.runtime}\n  region: ${file(../shared.json):region}\n';
    const files = { 'cfg.yml': '# config\nlambda:\n  runtime: python3.8\n', '../shared.json': '{"region": "eu-west-1"}' };
    const runtime = resolveAt(text, ['provider', 'runtime'], files);
    expect(runtime).toEqual({ known: true, value: 'python3.8', sources: [{ variable: '${file(./cfg.yml):lambda.runtime}', file: 'cfg.yml', line: 2 }] });
    expect(resolveAt(text, ['provider', 'region'], files)).toMatchObject({ known: true, value: 'eu-west-1' });
  });

  it('leaves deploy-time sources, missing files, code files, absolute paths and cycles unknown', () => {
    const text = `service: s
custom:
  loop: \${self:custom.loop}
provider:
  name: aws
  a: \${ssm:/x}
  b: \${env:X}
  c: \${file(./missing.yml):x}
  d: \${file(./config.js):x}
  e: \${file(/etc/passwd):x}
  f: \${self:custom.loop}
  g: \${self:custom.absent}
  h: \${self:custom}
`;
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) expect(resolveAt(text, ['provider', key], { 'config.js': 'x' }), key).toEqual({ known: false });
  });

  it('stays bounded on deeply nested and long variable chains', () => {
    const nested = `${'${self:custom.'.repeat(2000)}x${'}'.repeat(2000)}`;
    const text = `service: s\nprovider:\n  name: aws\n  runtime: '${nested}'\n`;
    expect(resolveAt(text, ['provider', 'runtime'])).toEqual({ known: false });
  });
});
