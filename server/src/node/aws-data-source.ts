import { existsSync, readFileSync } from 'node:fs';
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
    // 2.3 MB: its bytes indexed by line, each policy decoded and parsed when a document names it.
    loadManagedPolicies: () => {
      try {
        return new ManagedPolicyLines(readFileSync(join(directory, 'managed-policies.json')));
      } catch {
        return undefined;
      }
    },
    loadSamTemplates: () => load<CompactSamTemplates>('sam-policy-templates.json'),
  };
}

/** dist/aws beside the bundled dist/*.js (copied by scripts/build.mjs), or the project's data/ from source. */
export function defaultAwsDataDirectory(): string {
  const candidates = [join(__dirname, 'aws'), join(__dirname, '..', '..', '..', 'data'), join(process.cwd(), 'data')];
  return candidates.find((dir) => existsSync(join(dir, 'managed-policies.json'))) ?? candidates[0]!;
}
