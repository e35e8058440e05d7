import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompactService, IamDataSource } from '../engine/iam/data';
import { IamData } from '../engine/iam/iam-data';
import { awsDataLoaders } from './aws-data-source';

/**
 * Node host for the IAM reference: reads dist/iam/index.json at start (service names only) and
 * one service file the first time a rule or hover asks for that service.
 */
export function createNodeIamData(directory = defaultIamDirectory(), awsDataDirectory?: string): IamData | undefined {
  const indexFile = join(directory, 'index.json');
  if (!existsSync(indexFile)) return undefined;
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { services: Record<string, string>; version?: string };
  const source: IamDataSource = {
    // Managed policies and SAM policy templates (data/, copied to dist/aws/), loaded on first use.
    ...awsDataLoaders(awsDataDirectory),
    services: index.services,
    ...(index.version ? { version: index.version } : {}),
    loadService(prefix: string): CompactService | undefined {
      // Prefixes come from the index, never from document text, so no path can escape the folder.
      if (!Object.prototype.hasOwnProperty.call(index.services, prefix)) return undefined;
      try {
        return JSON.parse(readFileSync(join(directory, `${prefix}.json`), 'utf8')) as CompactService;
      } catch {
        return undefined;
      }
    },
  };
  return new IamData(source);
}

/** dist/iam beside the bundled dist/*.js, or the project's dist/iam when run from source. */
function defaultIamDirectory(): string {
  const candidates = [join(__dirname, 'iam'), join(__dirname, '..', '..', '..', 'dist', 'iam'), join(process.cwd(), 'dist', 'iam')];
  return candidates.find((dir) => existsSync(join(dir, 'index.json'))) ?? candidates[0]!;
}
