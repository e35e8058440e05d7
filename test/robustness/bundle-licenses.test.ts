/**
 * Every module inside the shipped bundles (dist/server.js, cli.js, client.js, web/client.js, web/server.js), listed
 * with the licence its package declares: the product is MIT, so no copyleft module may be bundled. The AGPL
 * `@cloud-copilot` packages (iam-simulate, iam-expand, iam-policy, iam-utils) are development-only oracles; this
 * test fails if any of them, or any GPL/LGPL/AGPL/SSPL/EUPL-family module, or a module without a declared licence,
 * lands in a bundle. The bundles are built in memory with the build's own options (scripts/bundles.mjs) and
 * esbuild's metafile, so the list is exactly what the build puts in them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { bundleOptions } from '../../scripts/bundles.mjs';

const ROOT = resolve('.');
const COPYLEFT = /\b(A?GPL|LGPL|SSPL|EUPL|OSL|CPAL|RPL)\b/i;
const DEV_ONLY_ORACLES = ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-expand', '@cloud-copilot/iam-policy', '@cloud-copilot/iam-utils'];

interface BundledPackage {
  readonly name: string;
  readonly license: string;
  readonly bundles: Set<string>;
}

/** The package a bundled file belongs to: the nearest package.json with a name, above the file, inside node_modules. */
function packageOf(file: string): { name: string; license: string } | undefined {
  if (!file.split(sep).includes('node_modules')) return undefined;
  for (let dir = dirname(file); dir.includes(`${sep}node_modules${sep}`) || dir.endsWith(`${sep}node_modules`); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; license?: unknown; licenses?: { type?: string }[] };
    if (!json.name) continue;
    const license = typeof json.license === 'string' ? json.license : typeof json.license === 'object' && json.license !== null ? String((json.license as { type?: string }).type) : (json.licenses ?? []).map((l) => l.type).join(' OR ');
    return { name: json.name, license: license || '(none declared)' };
  }
  return undefined;
}

describe('licences of the bundled modules', async () => {
  const packages = new Map<string, BundledPackage>();
  const ownFiles = new Set<string>();
  for (const options of bundleOptions({ outdir: 'dist' }) as { outfile: string }[]) {
    const result = await build({ ...options, write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    const bundle = options.outfile.replace(/^dist\//, '');
    for (const input of Object.keys(result.metafile!.inputs)) {
      const file = resolve(ROOT, input);
      const pkg = packageOf(file);
      if (!pkg) {
        ownFiles.add(input);
        continue;
      }
      const known = packages.get(pkg.name) ?? { ...pkg, bundles: new Set<string>() };
      known.bundles.add(bundle);
      packages.set(pkg.name, known);
    }
  }
  const table = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
  console.log(`bundled packages (${table.length}):\n${table.map((p) => `  ${p.name.padEnd(40)} ${p.license.padEnd(16)} ${[...p.bundles].join(', ')}`).join('\n')}`);

  it('finds the bundles and the packages in them', () => {
    expect(ownFiles.size).toBeGreaterThan(100);
    expect(table.map((p) => p.name)).toEqual(expect.arrayContaining(['yaml', 'jsonc-parser', 'vscode-languageserver']));
  });

  it('bundles no copyleft module and none without a declared licence', () => {
    const offending = table.filter((p) => COPYLEFT.test(p.license) || p.license === '(none declared)' || /UNLICENSED/i.test(p.license));
    expect(offending.map((p) => `${p.name} (${p.license}) in ${[...p.bundles].join(', ')}`)).toEqual([]);
  });

  it('keeps the AGPL @cloud-copilot oracles out of every bundle and out of shipped sources', () => {
    expect(table.map((p) => p.name).filter((name) => DEV_ONLY_ORACLES.includes(name))).toEqual([]);
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const importers = [...sources('server/src'), ...sources('client/src'), ...sources('rules')].filter((f) => DEV_ONLY_ORACLES.some((o) => readFileSync(f, 'utf8').includes(`'${o}`)));
    expect(importers).toEqual([]);
  });

  it('would notice a copyleft module: the oracle itself is read as AGPL', () => {
    const simulate = packageOf(resolve('node_modules/@cloud-copilot/iam-simulate/dist/esm/index.js'));
    expect(simulate?.name).toBe('@cloud-copilot/iam-simulate');
    expect(simulate?.license).toMatch(COPYLEFT);
  });
});
