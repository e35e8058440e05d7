/**
 * The extension is safe to open any repository with: the bundles reach no network and run no
 * process of their own, nothing a document contains is compiled as code, and an untrusted
 * workspace cannot change which rules run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../protocol/client';

/** Module names the bundle really `require`s (ajv's generated-code strings such as `'require("ajv/dist/runtime/equal").default'` are text, not calls). */
function requiredModules(bundle: string): string[] {
  const found = new Set<string>();
  for (const match of bundle.matchAll(/(?<!['"`])\brequire\("([^"]+)"\)/g)) found.add(match[1]!.replace(/^node:/, ''));
  return [...found].sort();
}

/** The text of one bundled module (esbuild keeps `// node_modules/<path>` before each). */
function moduleOf(bundle: string, offset: number): string {
  const start = bundle.lastIndexOf('\n// ', offset);
  return bundle.slice(start + 4, bundle.indexOf('\n', start + 1));
}

describe('bundled server and CLI: no network, no processes', () => {
  // dist/server.js and dist/cli.js are the code cache loaders (pinned below); these are the bundles they run.
  const server = readFileSync('dist/server.bundle.js', 'utf8');
  const cli = readFileSync('dist/cli.bundle.js', 'utf8');

  it('the server requires only file, path and transport modules', () => {
    expect(requiredModules(server)).toEqual([
      'buffer', // yaml's !!binary tag
      // Imported by vscode-languageserver/lib/node/files.js for Files.resolveGlobalNodePath/resolveModulePath
      // (npm/yarn global folders); our server never calls those helpers (asserted below).
      'child_process',
      // vscode-jsonrpc/lib/node/main.js: random names for the --pipe transport.
      'crypto',
      'fs',
      // vscode-jsonrpc/lib/node/main.js: the --socket=<port> and --pipe=<name> transports connect to the
      // editor's local socket or named pipe; --stdio and --node-ipc (what editors use) never touch it.
      'net',
      'os', // vscode-jsonrpc: temp folder for pipe names
      'path',
      'process',
      'url',
      'util',
      'v8', // the heap's size, for the idle collection after large documents (server/src/node/idle-collect.ts)
      'vm', // measureMemory only, the same collection (asserted below): nothing is compiled or run
    ]);
    for (const banned of ['http', 'https', 'tls', 'dgram', 'http2', 'dns', 'worker_threads']) expect(requiredModules(server)).not.toContain(banned);
  });

  it('vm is used only to make V8 collect garbage (measureMemory), never to compile or run anything', () => {
    const uses = [...server.matchAll(/\bimport_node_vm\.(\w+)|\brequire\("(?:node:)?vm"\)/g)];
    expect(uses.length).toBeGreaterThan(1);
    for (const use of uses) {
      expect(moduleOf(server, use.index)).toBe('server/src/node/idle-collect.ts');
      if (use[1] !== undefined) expect(use[1]).toBe('measureMemory');
    }
  });

  it('child_process is used only inside vscode-languageserver’s unused global-module helpers', () => {
    const uses = [...server.matchAll(/child_process_1\.|\brequire\("(?:node:)?child_process"\)/g)].map((m) => moduleOf(server, m.index));
    expect(uses.length).toBeGreaterThan(0);
    expect(new Set(uses)).toEqual(new Set(['node_modules/vscode-languageserver/lib/node/files.js']));
    // Those helpers are reached only through Files.resolve*; nothing of ours calls them.
    const ours = readdirSync('server/src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    // An import of child_process is what is banned; its name as data (the modules a handler may import, graded by
    // engine/code/route-effects.ts) is not a use, and the bundle's requires above would show one.
    for (const file of ours) expect(readFileSync(join('server/src', file), 'utf8'), file).not.toMatch(/\bFiles\.|resolveGlobalNodePath|resolveModulePath|(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](?:node:)?child_process['"]/);
  });

  it('crypto and child_process are required on first use, never while the bundle loads (scripts/bundles.mjs lazyBuiltins)', () => {
    for (const name of ['crypto', 'child_process']) {
      const requires = [...server.matchAll(new RegExp(`\\brequire\\("(?:node:)?${name}"\\)`, 'g'))];
      expect(requires.length, name).toBeGreaterThan(0);
      // Each inside the proxy's getter standing for the module: nothing requires it at the top of a module.
      for (const use of requires) expect(server.slice(server.lastIndexOf('\n', use.index) + 1, server.indexOf('\n', use.index)), name).toMatch(new RegExp(`^\\s*var \\w+ = new Proxy\\(\\{\\}, \\{ get: \\(_, key\\) => require\\("${name}"\\)\\[key\\] \\}\\);$`));
    }
  });

  it('net is used only by the socket/pipe transports of vscode-jsonrpc', () => {
    const uses = [...server.matchAll(/\bnet_1\./g)].map((m) => moduleOf(server, m.index));
    expect(uses.length).toBeGreaterThan(0);
    for (const module of uses) expect(module).toMatch(/^node_modules\/(?:vscode-languageserver-protocol\/node_modules\/)?vscode-jsonrpc\/lib\/node\/main\.js$/);
  });

  it('the CLI requires no network or process module at all', () => {
    // v8: the optimizing compiler let go on a long run (server/src/node/optimizing-compiler.ts).
    expect(requiredModules(cli)).toEqual(['buffer', 'crypto', 'fs', 'path', 'process', 'url', 'v8']);
    // crypto: a content hash of a finding's line, for SARIF partialFingerprints and baselines (server/src/cli/baseline.ts).
    const crypto = [...cli.matchAll(/\brequire\("node:crypto"\)/g)].map((m) => moduleOf(cli, m.index));
    expect(crypto).toEqual(['server/src/cli/baseline.ts']);
  });

  it('the bins are loaders that compile only their own bundle, from the folder they lie in', () => {
    for (const [loader, bundle] of [['dist/server.js', 'server.bundle.js'], ['dist/cli.js', 'cli.bundle.js']] as const) {
      const text = readFileSync(loader, 'utf8');
      // vm: compiling the bundle with V8's code cache (server/src/node/code-cache.ts); buffer: is it ASCII; v8: V8 checks the
      // cache's checksum, and the CLI's optimizing compiler waits (node/optimizing-compiler.ts); os: the home folder without $HOME.
      expect(requiredModules(text), loader).toEqual(['buffer', 'fs', 'module', 'os', 'path', 'v8', 'vm']);
      expect([...text.matchAll(/new import_node_vm\.Script\(/g)], loader).toHaveLength(1);
      expect(text, loader).toContain(`(0, import_node_path2.join)(__dirname, "${bundle}")`);
      expect(text, loader).not.toMatch(/new Function\b|\beval\(|runInNewContext|compileFunction/);
    }
  });

  it('the only code compiled at run time is ajv compiling OUR config schema', () => {
    // `new Function` appears once per bundle, in ajv's compile(); `eval(` never.
    for (const bundle of [server, cli]) {
      const compiled = [...bundle.matchAll(/new Function\b|\beval\(/g)].map((m) => moduleOf(bundle, m.index));
      expect(compiled).toEqual(['node_modules/ajv/dist/compile/index.js']);
    }
    // ajv is given schemas/config.schema.json only: one compile() call, on the imported schema.
    const compiles = readdirSync('server/src', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join('server/src', f), 'utf8').matchAll(/\.compile\(([^)]*)\)/g)].map((m) => `${f}: ${m[1]}`));
    expect(compiles).toEqual(['engine/config/config.ts: schema']);
    expect(readFileSync('server/src/engine/config/config.ts', 'utf8')).toMatch(/import schema from '..\/..\/..\/..\/schemas\/config.schema.json'/);
  });
});

describe('no document text is ever compiled or run', () => {
  it('analysing hostile documents and config files constructs no function after the schema compile', async () => {
    const constructed: string[] = [];
    const RealFunction = globalThis.Function;
    const trap = new Proxy(RealFunction, {
      construct(target, args: unknown[]) {
        constructed.push(String(args.at(-1)));
        return Reflect.construct(target, args);
      },
      apply(target, self, args: unknown[]) {
        constructed.push(String(args.at(-1)));
        return Reflect.apply(target, self, args);
      },
    });
    const realEval = globalThis.eval;
    const evaluated: string[] = [];
    globalThis.Function = trap;
    globalThis.eval = ((code: string) => {
      evaluated.push(String(code));
      return realEval(code);
    }) as typeof eval;
    try {
      const { analyze } = await import('../../server/src/engine/analyze');
      const { parseConfig, resolveConfig } = await import('../../server/src/engine/config/config');
      const { rules } = await import('../../rules/index');
      parseConfig('rules: {}\n', 'yaml'); // compiles our schema (once)
      const afterSchema = constructed.length;
      expect(afterSchema, 'the trap sees ajv compile our schema').toBeGreaterThan(0);
      expect(constructed.join('\n')).not.toContain('PAYLOAD');
      const payload = 'PAYLOAD"); globalThis.pwned = 1; //';
      const hostile = [
        `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Code:\n        ZipFile: "require('child_process').execSync('touch /tmp/pwned'); ${payload}"\n`,
        `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      InlineCode: "__import__('os').system('touch /tmp/pwned') # ${payload}"\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: "\${${payload}}"\n              Resource: "*"\n`,
        `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${payload.replace(/"/g, '\\"')}", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/\${x}": "$(rm -rf /)"}}}]}`,
        `service: x\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: "\`touch /tmp/pwned\`.${payload}"\n`,
      ];
      for (const text of hostile) analyze({ text }, { rules, now: '2026-01-01', config: resolveConfig({ profile: 'strict' }) });
      for (const text of [`rules:\n  ${payload}: off\nexclude: ["${payload}"]\n`, `{"rules": {"SLS101": "${payload}"}, "$schema": "javascript:${payload}"}`, `rules: !!js/function "function () { ${payload} }"\n`]) {
        parseConfig(text, text.startsWith('{') ? 'json' : 'yaml');
      }
      expect(constructed.slice(afterSchema)).toEqual([]);
      expect(evaluated).toEqual([]);
      expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    } finally {
      globalThis.Function = RealFunction;
      globalThis.eval = realEval;
    }
  });
});

describe('workspace trust', () => {
  const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

  async function codesWith(isTrusted: boolean): Promise<(string | undefined)[]> {
    const dir = mkdtempSync(join(tmpdir(), 'sls-trust-'));
    writeFileSync(join(dir, '.serverless-security.yml'), 'rules:\n  SLS401: off\n');
    const client = new TestClient();
    try {
      await client.initialize(dir, { isTrusted });
      const uri = pathToFileURL(join(dir, 'template.yaml')).toString();
      await client.open(uri, 'yaml', TOPIC);
      return (await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a project config file that turns a rule off applies in a trusted workspace', async () => {
    expect(await codesWith(true)).not.toContain('SLS401');
  });

  it('the same config file is ignored in an untrusted workspace: the finding stays', async () => {
    expect(await codesWith(false)).toContain('SLS401');
  });
});
