/**
 * The language server's Node host (see workspace.ts and file-workspace.ts): files through
 * `node:fs`, `file:` URIs, project config files cached by modification time, IAM data from
 * dist/iam and dist/aws, and the project walk for the workspace scan.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rules } from '../../../rules/index';
import { ConfigCache, findConfigFile } from '../node/config-files';
import { createNodeIamData } from '../node/iam-source';
import { idleCollector } from '../node/idle-collect';
import { readTextFile } from '../node/read-text';
import { createSourceFiles, SourceFileCache } from '../node/source-files';
import { walkFiles } from '../node/walk';
import { FileWorkspace, type HostFiles } from './file-workspace';
import type { HostCallbacks } from './workspace';

export class NodeWorkspace extends FileWorkspace {
  readonly afterPublish = idleCollector();

  constructor(callbacks: HostCallbacks) {
    super(callbacks, nodeFiles());
  }
}

function nodeFiles(): HostFiles {
  const iam = createNodeIamData();
  // With the catalogue, so a config file naming an unknown rule is reported at its key.
  const configs = new ConfigCache(rules);
  const sourceFiles = new SourceFileCache();
  return {
    iam,
    path,
    uriToPath(uri) {
      if (!uri.startsWith('file:')) return undefined;
      try {
        return fileURLToPath(uri);
      } catch {
        return undefined;
      }
    },
    pathToUri: (file) => pathToFileURL(file).toString(),
    readFile(file, maxBytes) {
      const read = readTextFile(file, maxBytes);
      return 'text' in read ? read.text : undefined;
    },
    isFile(file) {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    },
    findConfigFile,
    loadConfig: (file) => configs.load(file),
    sourceFiles: (documentPath, roots, watching) => createSourceFiles(documentPath, roots, watching ? sourceFiles : undefined),
    filesChanged(paths) {
      for (const file of paths) configs.invalidate(file);
      sourceFiles.clear();
    },
    listFiles: (roots) => walkFiles(roots),
  };
}
