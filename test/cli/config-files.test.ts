import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES, ConfigCache, findConfigFile, isPathExcluded } from '../../server/src/node/config-files';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sls-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findConfigFile', () => {
  it('finds the nearest ancestor config file', () => {
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(root, '.serverless-security.yml'), 'rules: {}\n');
    writeFileSync(join(root, 'a', '.serverless-security.json'), '{}');
    expect(findConfigFile(join(root, 'a', 'b', 'c'))).toBe(join(root, 'a', '.serverless-security.json'));
    expect(findConfigFile(join(root, 'a'))).toBe(join(root, 'a', '.serverless-security.json'));
    expect(findConfigFile(root)).toBe(join(root, '.serverless-security.yml'));
  });

  it('prefers names in CONFIG_FILE_NAMES order within one folder', () => {
    for (const name of [...CONFIG_FILE_NAMES].reverse()) writeFileSync(join(root, name), '{}');
    expect(findConfigFile(root)).toBe(join(root, CONFIG_FILE_NAMES[0]!));
  });

  it('does not climb above stopAt', () => {
    mkdirSync(join(root, 'ws', 'sub'), { recursive: true });
    writeFileSync(join(root, '.serverless-security.yml'), 'rules: {}\n');
    expect(findConfigFile(join(root, 'ws', 'sub'), join(root, 'ws'))).toBeUndefined();
    expect(findConfigFile(join(root, 'ws', 'sub'), root)).toBe(join(root, '.serverless-security.yml'));
  });

  it('ignores a folder named like a config file', () => {
    mkdirSync(join(root, 'x', '.serverless-security.yml'), { recursive: true });
    expect(findConfigFile(join(root, 'x'), root)).toBeUndefined();
  });
});

describe('ConfigCache', () => {
  it('parses YAML and JSON config files', () => {
    const yml = join(root, '.serverless-security.yml');
    writeFileSync(yml, 'rules:\n  SLS101: off\n  api-missing-authorizer: error\nexclude:\n  - "legacy/**"\n');
    const loaded = new ConfigCache().load(yml);
    expect(loaded.problems).toEqual([]);
    expect(loaded.file).toBe(yml);
    expect(loaded.baseDir).toBe(root);
    expect(loaded.config.rules.get('SLS101')).toBe('off');
    expect(loaded.config.rules.get('api-missing-authorizer')).toBe('error');
    expect(loaded.config.exclude).toEqual(['legacy/**']);

    const json = join(root, '.serverless-security.json');
    writeFileSync(json, '{ "rules": { "SLS401": "hint" } }');
    expect(new ConfigCache().load(json).config.rules.get('SLS401')).toBe('hint');
  });

  it('reports problems with spans and keeps the valid parts', () => {
    const file = join(root, '.serverless-security.yml');
    const text = 'rules:\n  SLS101: loud\n  SLS301: off\n';
    writeFileSync(file, text);
    const loaded = new ConfigCache().load(file);
    expect(loaded.problems.length).toBeGreaterThan(0);
    expect(text.slice(loaded.problems[0]!.span.start, loaded.problems[0]!.span.end)).toBe('loud');
    expect(loaded.config.rules.get('SLS301')).toBe('off');
    expect(loaded.config.rules.has('SLS101')).toBe(false);
  });

  it('reports a missing file instead of throwing', () => {
    const loaded = new ConfigCache().load(join(root, 'missing.yml'));
    expect(loaded.problems[0]!.message).toMatch(/Cannot read configuration file: ENOENT/);
    expect(loaded.config.rules.size).toBe(0);
  });

  it('caches by modification time and re-reads a changed file', () => {
    const file = join(root, '.serverless-security.yml');
    writeFileSync(file, 'rules:\n  SLS101: off\n');
    const cache = new ConfigCache();
    const first = cache.load(file);
    expect(cache.load(file)).toBe(first);
    writeFileSync(file, 'rules:\n  SLS101: error\n');
    utimesSync(file, new Date(2030, 0, 1), new Date(2030, 0, 1));
    const second = cache.load(file);
    expect(second).not.toBe(first);
    expect(second.config.rules.get('SLS101')).toBe('error');
    cache.invalidate(file);
    expect(cache.load(file)).not.toBe(second);
    const third = cache.load(file);
    cache.invalidate();
    expect(cache.load(file)).not.toBe(third);
  });
});

describe('isPathExcluded', () => {
  it('matches exclude globs relative to the config folder', () => {
    const file = join(root, '.serverless-security.yml');
    writeFileSync(file, 'exclude:\n  - "legacy/**"\n  - "**/*.test.yaml"\n');
    const loaded = new ConfigCache().load(file);
    expect(isPathExcluded(join(root, 'legacy', 'old', 'template.yaml'), loaded)).toBe(true);
    expect(isPathExcluded(join(root, 'app', 'x.test.yaml'), loaded)).toBe(true);
    expect(isPathExcluded(join(root, 'app', 'template.yaml'), loaded)).toBe(false);
    // Outside the config's folder its patterns do not apply.
    expect(isPathExcluded(join(root, '..', 'legacy', 'template.yaml'), loaded)).toBe(false);
  });
});
