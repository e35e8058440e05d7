import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IamDataSource } from '../engine/iam/data';
import { ManagedPolicyLines } from '../engine/iam/managed-policies';
import type { CompactSamTemplates } from '../engine/iam/sam-templates';

/**
 * Node host for the AWS reference data of data/ (managed policies, SAM policy templates): each
 * file is read the first time a rule or hover asks for it, never at start.
 */
export function awsDataLoaders(directory = defaultAwsDataDirectory()): Pick<IamDataSource, 'loadManagedPolicies' | 'loadSamTemplates'> {
  const load = <T>(file: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(join(directory, file), 'utf8')) as T;
    } catch {
      return undefined;
    }
  };
  return {
    // 2.3 MB: each policy read, decoded and parsed when a document names it, at the place the build indexed
    // (dist/aws); without an index for this very file (run from source: data/) its bytes are scanned once.
    loadManagedPolicies: () => {
      const file = join(directory, 'managed-policies.json');
      try {
        return indexedManagedPolicies(file) ?? ManagedPolicyLines.scan(readFileSync(file));
      } catch {
        return undefined;
      }
    },
    loadSamTemplates: () => load<CompactSamTemplates>('sam-policy-templates.json'),
  };
}

/** The build's index of managed-policies.json (`{ bytes, spans }`), if it was made for a file of this size. */
function indexedManagedPolicies(file: string): ManagedPolicyLines | undefined {
  let index: { bytes: number; spans: Record<string, [number, number]> };
  try {
    index = JSON.parse(readFileSync(file.replace(/\.json$/, '.index.json'), 'utf8')) as typeof index;
  } catch {
    return undefined;
  }
  if (typeof index?.bytes !== 'number' || typeof index.spans !== 'object' || index.spans === null) return undefined;
  const size = statSync(file).size;
  if (index.bytes !== size) return undefined;
  return ManagedPolicyLines.indexed(new Map(Object.entries(index.spans)), (start, end) => {
    if (start < 0 || end > size || end < start) return undefined;
    // Read when a document names the policy, maybe hours after start: a file removed or replaced since (an
    // update of the extension under a running server) makes that policy unknown, never an error or another policy.
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const bytes = Buffer.alloc(end - start);
      return readSync(fd, bytes, 0, bytes.length, start) === bytes.length ? bytes : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  });
}

/** dist/aws beside the bundled dist/*.js (copied by scripts/build.mjs), or the project's data/ from source. */
export function defaultAwsDataDirectory(): string {
  const candidates = [join(__dirname, 'aws'), join(__dirname, '..', '..', '..', 'data'), join(process.cwd(), 'data')];
  return candidates.find((dir) => existsSync(join(dir, 'managed-policies.json'))) ?? candidates[0]!;
}
