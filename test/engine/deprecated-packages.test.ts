import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEPRECATED_PACKAGES, PACKAGES_AS_OF, deprecatedPackage, specMajor } from '../../server/src/engine/data/deprecated-packages';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('deprecated-package table (scripts/build-package-data.mjs)', () => {
  it('is what the script writes from its facts and recorded registry answers (no hand edits)', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['scripts/build-package-data.mjs', '--check'], { stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    }
    expect(stderr).toBe('');
  });

  it('dates every entry and names a source for each', () => {
    expect(PACKAGES_AS_OF).toMatch(DATE);
    for (const entry of DEPRECATED_PACKAGES) {
      expect(entry.source, entry.name).toMatch(/^https:\/\//);
      if (entry.since) expect(entry.since).toMatch(DATE);
      if (entry.status === 'maintenance') expect(entry.endOfSupport).toMatch(DATE);
      if (entry.registry) expect(entry.registry.asked).toMatch(DATE);
    }
  });

  it('finds PyPI projects under any spelling PEP 503 treats as the same', () => {
    expect(deprecatedPackage('pypi', 'AWS_XRay.SDK')?.name).toBe('aws-xray-sdk');
    expect(deprecatedPackage('pypi', 'PyCrypto')?.name).toBe('pycrypto');
    expect(deprecatedPackage('npm', 'Request')).toBeUndefined();
    expect(deprecatedPackage('pypi', 'boto3')).toBeUndefined();
  });

  it('reads one major from plain specs and nothing from wider ones', () => {
    expect(['^3.4.0', '~2.0.1', '3.x', '3', '3.4.0', '==3.4.0', 'v3.1.0', '3.4.0-beta.1'].map(specMajor)).toEqual([3, 2, 3, 3, 3, 3, 3, 3]);
    expect(['>=3.0.0', '*', 'latest', '1 || 2', 'github:a/b', '', '^3 <4'].map(specMajor)).toEqual(Array(7).fill(undefined));
  });
});
