/**
 * Names shared by the VS Code client and the language server: commands, custom requests and
 * setting keys are declared once here and imported by both sides. No imports: this module is
 * bundled into both the client and the server.
 */
export const SOURCE = 'serverless-security';
export const SETTINGS_SECTION = 'serverlessSecurity';

export const Commands = {
  scanWorkspace: 'serverlessSecurity.scanWorkspace',
  showRules: 'serverlessSecurity.showRules',
  showEffectivePermissions: 'serverlessSecurity.showEffectivePermissions',
  restartServer: 'serverlessSecurity.restartServer',
  showOutput: 'serverlessSecurity.showOutput',
  /**
   * Server-side command (workspace/executeCommand) behind "Show documentation for <rule>":
   * arguments `[href]`; the server asks the editor to open it with window/showDocument.
   */
  openRuleDocs: 'serverlessSecurity.openRuleDocs',
} as const;

/** Position in a document, as in LSP. */
export interface DocumentPositionParams {
  readonly uri: string;
  readonly position: { readonly line: number; readonly character: number };
}

export interface EffectivePermissionsResult {
  readonly functionName: string;
  readonly markdown: string;
}

export interface ScanWorkspaceResult {
  /** Files recognised as one of our document kinds, open documents included. */
  readonly files: number;
  /** Every finding of those files (several findings on one range show as one diagnostic). */
  readonly findings: number;
  /** How many of `files` are open documents (counted from their current, possibly unsaved, text). */
  readonly openFiles: number;
  readonly cancelled: boolean;
  /** Why the host cannot scan (the web worker has no file listing); nothing was scanned. */
  readonly unavailable?: string;
}

export interface RuleSummary {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly severity: string;
  readonly summary: string;
  readonly url: string;
}

export const Requests = {
  /** DocumentPositionParams → EffectivePermissionsResult | null */
  effectivePermissions: 'serverlessSecurity/effectivePermissions',
  /** {} → ScanWorkspaceResult; progress through `workDoneToken` when given, cancellable. */
  scanWorkspace: 'serverlessSecurity/scanWorkspace',
  /**
   * { uri? } → { rules: RuleSummary[]; indexUrl: string }: severities as they apply to `uri` (the
   * active document) or, without one, to the first workspace folder — settings, profile and the
   * project config file together.
   */
  rules: 'serverlessSecurity/rules',
} as const;

/**
 * Why a document is or is not analysed, sent with each publish of its diagnostics
 * (`Notifications.documentStatus`) so that the status item can say it: zero findings in a file
 * that was never read must not look like a clean file.
 */
export interface DocumentStatus {
  readonly uri: string;
  readonly analysed: boolean;
  /** What it was read as (`SAM template`, `project config file`, …) when analysed. */
  readonly kind?: string;
  /** Why it is not analysed, or what an analysis could not read. */
  readonly reason?: DocumentStatusReason;
  /** One plain sentence for the tooltip: what was analysed, or why not and what to do. */
  readonly message: string;
}

export type DocumentStatusReason = 'not-aws-document' | 'too-large' | 'not-parsable' | 'disabled' | 'excluded' | 'untrusted';

export const Notifications = {
  /** server → client: DocumentStatus of a document, after each publish of its diagnostics. */
  documentStatus: 'serverlessSecurity/documentStatus',
} as const;

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `serverlessSecurity.*` settings as the client sends them. */
export interface Settings {
  readonly enable: boolean;
  /** `strict` also runs the hygiene rules; see `Profile` in the engine's config. */
  readonly profile: 'default' | 'strict';
  readonly rules: Readonly<Record<string, 'off' | 'error' | 'warning' | 'info' | 'hint'>>;
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  readonly debounceMs: number;
  readonly logLevel: LogLevel;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, profile: 'default', rules: {}, exclude: [], maxFileSize: 5_000_000, debounceMs: 150, logLevel: 'info' };

export interface InitializationOptions {
  /** False in an untrusted workspace: project config files are ignored, built-in defaults apply. */
  readonly isTrusted?: boolean;
  /** Settings for clients that cannot answer workspace/configuration. */
  readonly settings?: Partial<Settings>;
}

/**
 * Requests the web-worker server sends to its client: the worker has no file system, so the
 * client reads with `vscode.workspace.fs` (see client/src/web.ts and server/src/web/).
 */
export const HostRequests = {
  /** { path } → string | null: a file of the extension's dist/ (`iam/index.json`, `iam/s3.json`, `aws/managed-policies.json`). */
  readExtensionFile: 'serverlessSecurity/readExtensionFile',
  /** ReadWorkspaceFilesParams → (string | null)[]: null when absent, unreadable, too large or outside the workspace folders. */
  readWorkspaceFiles: 'serverlessSecurity/readWorkspaceFiles',
} as const;

export interface ReadWorkspaceFilesParams {
  readonly uris: readonly string[];
}

/** Largest workspace file the web client reads for the server (the Node host's limit for function code). */
export const MAX_WORKSPACE_FILE_BYTES = 1_000_000;
/** Files per readWorkspaceFiles request; the server batches. */
export const MAX_WORKSPACE_FILES_PER_REQUEST = 200;

/**
 * Serverless configurations written in TypeScript or JavaScript, which the server reads statically
 * (engine/model/serverless-script.ts, `isServerlessScriptPath`): the clients add these to their document selectors; every
 * other .ts/.js file is handler code, read by the templates that use it, never opened as a document of ours.
 */
export const SERVERLESS_SCRIPT_SELECTORS: readonly { readonly language: string; readonly pattern: string }[] = [
  { language: 'typescript', pattern: '**/serverless.ts' },
  { language: 'typescript', pattern: '**/serverless.*.ts' },
  { language: 'javascript', pattern: '**/serverless.js' },
  { language: 'javascript', pattern: '**/serverless.*.js' },
];
