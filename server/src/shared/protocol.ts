/**
 * Names shared by the VS Code client and the language server: commands, custom requests and
 * setting keys are declared once here and imported by both sides.
 */
export const SOURCE = 'serverless-security';
export const SETTINGS_SECTION = 'serverlessSecurity';

export const Commands = {
  scanWorkspace: 'serverlessSecurity.scanWorkspace',
  showRules: 'serverlessSecurity.showRules',
  showEffectivePermissions: 'serverlessSecurity.showEffectivePermissions',
  restartServer: 'serverlessSecurity.restartServer',
  showOutput: 'serverlessSecurity.showOutput',
  /** Server-side command behind "Show documentation for <rule>" code actions. */
  openRuleDocs: 'serverlessSecurity.openRuleDocs',
} as const;

export const Requests = {
  /** params: { uri, position } → { functionName, markdown } | null */
  effectivePermissions: 'serverlessSecurity/effectivePermissions',
  /** params: {} → { files, findings }; progress through workDoneToken, cancellable */
  scanWorkspace: 'serverlessSecurity/scanWorkspace',
} as const;

/** `serverlessSecurity.*` settings as the client sends them. */
export interface Settings {
  readonly enable: boolean;
  readonly rules: Readonly<Record<string, 'off' | 'error' | 'warning' | 'info' | 'hint'>>;
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  readonly debounceMs: number;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, exclude: [], maxFileSize: 5_000_000, debounceMs: 150, logLevel: 'info' };

export interface InitializationOptions {
  /** False in an untrusted workspace: project config files are ignored, built-in defaults apply. */
  readonly isTrusted?: boolean;
  readonly settings?: Partial<Settings>;
}
