/**
 * The web bundles (the extension's `browser` entry and the web-worker server) run where there is no
 * Node: they must load no module but `vscode`, reach no network and compile no code but ajv's
 * compile of our config schema (as the Node bundles, test/robustness/safety.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Module names a bundle really `require`s (ajv's generated-code strings are text, not calls). */
const requiredModules = (bundle: string) => [...new Set([...bundle.matchAll(/(?<!['"`])\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
/** The bundled module around an offset (esbuild keeps `// node_modules/<path>` before each). */
const moduleOf = (bundle: string, offset: number) => {
  const start = bundle.lastIndexOf('\n  // ', offset) >= 0 ? bundle.lastIndexOf('\n  // ', offset) : bundle.lastIndexOf('\n// ', offset);
  return bundle.slice(bundle.indexOf('// ', start) + 3, bundle.indexOf('\n', start + 1));
};
/** Calls and constructions that reach the network (names alone are not: a handler scan's patterns hold them as data). */
const NETWORK = /(?<![.\w])(?:fetch|importScripts)\(|new (?:XMLHttpRequest|WebSocket|EventSource)\b|navigator\.sendBeacon/g;

describe.runIf(existsSync('dist/web/server.js') && existsSync('dist/web/client.js'))('web bundles', () => {
  const server = readFileSync('dist/web/server.js', 'utf8');
  const client = readFileSync('dist/web/client.js', 'utf8');

  it('the worker server loads no module and the client only `vscode`', () => {
    expect(requiredModules(server)).toEqual([]);
    expect(requiredModules(client)).toEqual(['vscode']);
  });

  it('neither reaches the network', () => {
    expect([...server.matchAll(NETWORK)].map((m) => m[0])).toEqual([]);
    expect([...client.matchAll(NETWORK)].map((m) => m[0])).toEqual([]);
  });

  it('the only code the server compiles at run time is ajv compiling our config schema', () => {
    const compiled = [...server.matchAll(/new Function\b|\beval\(/g)].map((m) => moduleOf(server, m.index));
    expect(compiled).toEqual(['node_modules/ajv/dist/compile/index.js']);
  });
});
