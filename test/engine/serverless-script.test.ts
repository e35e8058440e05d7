/**
 * The static reader of serverless.ts/js (model/serverless-script.ts): what it follows, what stays unknown, where
 * values are placed, and its bounds on hostile input. Files beside the service file come from an in-memory
 * `SourceFiles`, as a host would give them.
 */
import { describe, expect, it } from 'vitest';
import { getPath, isMap, isScalar, resolveString, type Node } from '../../server/src/engine/documents/node';
import { DEFAULT_LIMITS } from '../../server/src/engine/documents/parse';
import { isServerlessScriptPath, readServerlessScript, UNKNOWN_TAG } from '../../server/src/engine/model/serverless-script';
import { WorkspaceFiles } from '../../server/src/engine/model/workspace-files';
import type { SourceFiles } from '../../server/src/engine/code/source-files';
import { run } from '../helpers/engine';

function filesOf(files: Record<string, string>): WorkspaceFiles {
  const sources: SourceFiles = { read: (path) => files[path] };
  return new WorkspaceFiles(sources);
}

function read(text: string, files: Record<string, string> = {}) {
  return readServerlessScript(text, DEFAULT_LIMITS, filesOf(files));
}

function text(node: Node | undefined): string | undefined {
  return isScalar(node) && node.tag !== UNKNOWN_TAG ? String(node.value) : undefined;
}

function isUnknown(node: Node | undefined): boolean {
  return isScalar(node) && node.tag === UNKNOWN_TAG && resolveString(node)?.known === false;
}

describe('serverless.ts reader', () => {
  it('names: serverless.ts/js and stage variants, not declarations or other files', () => {
    for (const path of ['serverless.ts', 'a/b/serverless.js', 'serverless.prod.ts', 'Serverless.TS', 'x\\serverless.mjs']) expect(isServerlessScriptPath(path)).toBe(true);
    for (const path of ['serverless.d.ts', 'my-serverless.ts', 'serverless.yml', 'handler.ts', 'serverless.ts.bak', 'serverless/index.ts']) expect(isServerlessScriptPath(path)).toBe(false);
  });

  it('reads each export form into the tree, spans in the file', () => {
    const forms = [
      `const c: AWS = { service: 's', provider: { name: 'aws' } };\nmodule.exports = c;`,
      `export default { service: 's', provider: { name: 'aws' } } satisfies AWS;`,
      `module.exports = { service: 's', provider: { name: 'aws' } };`,
      `const c = { service: 's', provider: { name: 'aws' } } as const;\nexport = c;`,
      `const c = { service: 's', provider: { name: 'aws' } };\nexport default c;`,
    ];
    for (const source of forms) {
      const { root, errors } = read(source);
      expect(errors).toEqual([]);
      expect(text(getPath(root, 'service'))).toBe('s');
      const name = getPath(root, 'provider', 'name')!;
      expect(source.slice(name.start, name.end)).toBe(`'aws'`);
    }
  });

  it('literals: escapes, numbers, booleans, null, template text; serverless variables stay variables', () => {
    const { root } = read(
      [
        `const stage = 'dev';`,
        'export default {',
        `  a: 'it\\'s\\n', b: "x\\u0041", c: -1.5e3, d: 0x10, e: true, f: null, g: undefined, h: 1_000,`,
        '  t: `plain \\${self:custom.x}`, u: `${stage}-table`, v: "${ssm:/a/b}", w: `multi',
        'line`,',
        '};',
      ].join('\n'),
    );
    expect(text(getPath(root, 'a'))).toBe("it's\n");
    expect(text(getPath(root, 'b'))).toBe('xA');
    expect(text(getPath(root, 'c'))).toBe('-1500');
    expect(text(getPath(root, 'd'))).toBe('16');
    expect((getPath(root, 'e') as { value: unknown }).value).toBe(true);
    expect((getPath(root, 'f') as { value: unknown }).value).toBe(null);
    expect((getPath(root, 'g') as { value: unknown }).value).toBe(null);
    expect(text(getPath(root, 'h'))).toBe('1000');
    expect((getPath(root, 't') as { value: unknown }).value).toBe('plain ${self:custom.x}');
    expect(resolveString(getPath(root, 't'))?.known).toBe(false); // a Serverless variable, as in YAML
    expect(text(getPath(root, 'u'))).toBe('dev-table');
    expect((getPath(root, 'v') as { value: unknown }).value).toBe('${ssm:/a/b}');
    expect(text(getPath(root, 'w'))).toBe('multi\nline');
  });

  it('process.env.X is ${env:X}; calls, conditionals, unknown names, methods are unknown', () => {
    const { root } = read(
      `import { x } from 'a-package';\nexport default { env: process.env.TOKEN, call: f(), cond: a ? 'b' : 'c', name: nowhere, pkg: x, m() { return 1; }, tpl: \`\${f()}-x\` };`,
    );
    expect((getPath(root, 'env') as { value: unknown }).value).toBe('${env:TOKEN}');
    for (const key of ['call', 'cond', 'name', 'pkg', 'm', 'tpl']) expect(isUnknown(getPath(root, key))).toBe(true);
  });

  it('an object with a spread or computed key it cannot follow is unknown as a whole; a followed spread merges', () => {
    const { root } = read(
      `const base = { a: 1, b: 2 };\nexport default { known: { ...base, b: 3 }, spread: { ...make(), c: 1 }, computed: { [k]: 1, c: 1 }, list: [...[1, 2], 3], badList: [...make()] };`,
    );
    const known = getPath(root, 'known');
    expect(text(getPath(known, 'a'))).toBe('1');
    expect(text(getPath(known, 'b'))).toBe('3'); // the later key wins, as in JavaScript
    expect(isUnknown(getPath(root, 'spread'))).toBe(true);
    expect(isUnknown(getPath(root, 'computed'))).toBe(true);
    expect(getPath(root, 'list', 2)).toBeDefined();
    expect(text(getPath(root, 'list', 0))).toBe('1');
    expect(isUnknown(getPath(root, 'badList'))).toBe(true);
  });

  it('follows imports: relative, tsconfig paths through extends, baseUrl, re-exports, JSON; values placed at the use', () => {
    const files = {
      'tsconfig.json': `{ "extends": "./tsconfig.paths.json", /* comment */ "compilerOptions": {} }`,
      'tsconfig.paths.json': `{ "compilerOptions": { "baseUrl": ".", "paths": { "@functions/*": ["src/functions/*"], "@libs/*": ["src/libs/*"] } } }`,
      'src/functions/index.ts': `export { default as hello } from './hello';\nexport * from './more';`,
      'src/functions/hello/index.ts': `import { handlerPath } from '@libs/handler-resolver';\nexport default { handler: \`\${handlerPath(__dirname)}/handler.main\`, events: [{ http: { method: 'get', path: 'hello' } }] };`,
      'src/functions/more.ts': `export const other = { handler: 'src/other.main' };`,
      'src/libs/handler-resolver.ts': 'export const handlerPath = (context: string) => `${context.split(process.cwd())[1].substring(1)}`;',
      'plugins.ts': `export default ['serverless-esbuild'];`,
      'settings.json': `{ "region": "eu-west-1" }`,
    };
    const source = [
      `import { hello, other } from '@functions/index';`,
      `import plugins from 'plugins';`,
      `import settings from './settings.json';`,
      `export default { service: 's', plugins, provider: { name: 'aws', region: settings.region }, functions: { hello, other } };`,
    ].join('\n');
    const { root, modules } = read(source, { ...files, 'tsconfig.paths.json': files['tsconfig.paths.json'] });
    expect(text(getPath(root, 'functions', 'hello', 'handler'))).toBe('src/functions/hello/handler.main');
    expect(text(getPath(root, 'functions', 'hello', 'events', 0, 'http', 'path'))).toBe('hello');
    expect(text(getPath(root, 'functions', 'other', 'handler'))).toBe('src/other.main');
    expect(text(getPath(root, 'plugins', 0))).toBe('serverless-esbuild');
    expect(text(getPath(root, 'provider', 'region'))).toBe('eu-west-1');
    // Everything read from another module sits on the name that brought it in.
    const path = getPath(root, 'functions', 'hello', 'events', 0, 'http', 'path')!;
    expect(source.slice(path.start, path.end)).toBe('hello');
    expect(modules).toContain('src/functions/hello/index.ts');
  });

  it('handlerPath is followed only when imported from a module that defines it as the template does', () => {
    const files = {
      'fn/index.ts': `import { handlerPath } from '../lib';\nexport default { handler: \`\${handlerPath(__dirname)}/handler.main\` };`,
      'lib.ts': `export const handlerPath = (d: string) => d.replace('/build', '');`,
    };
    const { root } = read(`import fn from './fn';\nexport default { functions: { fn } };`, files);
    expect(isUnknown(getPath(root, 'functions', 'fn', 'handler'))).toBe(true);
  });

  it('stops at MAX_IMPORT_DEPTH, on import cycles and on modules not in the workspace', () => {
    const chain = {
      'a.ts': `import { v } from './b';\nexport const v1 = v;\nexport { v };`,
      'b.ts': `import { v as w } from './c';\nexport const v = w;`,
      'c.ts': `import { v } from './d';\nexport { v };`,
      'd.ts': `export const v = 'deep';`,
      'x.ts': `import { y } from './y';\nexport const x = y;`,
      'y.ts': `import { x } from './x';\nexport const y = x;`,
    };
    const { root } = read(`import { v } from './a';\nimport { x } from './x';\nimport { z } from './missing';\nexport default { v, x, z };`, chain);
    expect(isUnknown(getPath(root, 'v'))).toBe(true); // d.ts is a fourth import away
    expect(isUnknown(getPath(root, 'x'))).toBe(true);
    expect(isUnknown(getPath(root, 'z'))).toBe(true);
  });

  it('hostile input: deep nesting, huge literals, long escape runs, self-reference end bounded', () => {
    let started = process.cpuUsage();
    const deep = `export default ${'{a:'.repeat(5000)}1${'}'.repeat(5000)};`;
    const nested = read(deep);
    expect(nested.root).toBeUndefined();
    expect(nested.errors[0]?.fatal).toBe(true);
    // Refused before the parser sees it (a lezer parse of it costs about a second of CPU).
    expect((process.cpuUsage(started).user) / 1000).toBeLessThan(500);
    started = process.cpuUsage();

    const wide = `export default { list: [${'1,'.repeat(300_000)}] };`;
    const big = read(wide);
    expect(big.root).toBeUndefined();
    expect(big.errors[0]?.fatal).toBe(true);

    const escapes = `export default { s: '${'\\\\'.repeat(20_000)}', t: \`${'\\u0041\\$'.repeat(10_000)}\` };`;
    started = process.cpuUsage();
    const result = read(escapes);
    const used = process.cpuUsage(started);
    expect(result.errors).toEqual([]);
    expect(text(getPath(result.root, 's'))?.length).toBe(20_000);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);

    const selfReference = read(`const a = { b: a };\nconst c = d;\nconst d = c;\nexport default { a, c };`);
    expect(isUnknown(getPath(selfReference.root, 'a', 'b'))).toBe(true);
    expect(isUnknown(getPath(selfReference.root, 'c'))).toBe(true);
  });

  it('analyze: a serverless.ts is a Serverless document and its findings carry no fixes', () => {
    const source = `export default { service: 's', provider: { name: 'aws', runtime: 'nodejs16.x' }, functions: { f: { handler: 'h.main', events: [{ http: { method: 'post', path: 'x' } }] } } };`;
    const analysis = run(source, { format: 'script' });
    expect(analysis.kind).toBe('serverless');
    expect(analysis.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['SLS301', 'SLS801']));
    expect(analysis.findings.every((f) => f.fixes.length === 0)).toBe(true);
    // The same text as YAML is no document of ours: the format comes from the file's name, never guessed.
    expect(run(source).kind).toBeUndefined();
    expect(isMap(analysis.document?.root)).toBe(true);
  });
});
