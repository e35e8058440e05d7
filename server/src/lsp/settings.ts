/**
 * `serverlessSecurity.*` settings (pulled with workspace/configuration, or pushed in
 * didChangeConfiguration by clients that cannot be asked) → the engine's config. Values come
 * from the user's JSON, so every field is checked; a wrong one falls back to its default.
 */
import { mergeConfigs, resolveConfig, type ResolvedConfig, type RuleSetting } from '../engine/config/config';
import { DEFAULT_SETTINGS, LOG_LEVELS, type LogLevel, type Settings } from '../shared/protocol';

const RULE_SETTINGS: readonly string[] = ['off', 'error', 'warning', 'info', 'hint'];

/** Settings from whatever the client sent (null, partial, wrongly typed). */
export function toSettings(value: unknown): Settings {
  if (typeof value !== 'object' || value === null) return DEFAULT_SETTINGS;
  const v = value as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (typeof v.rules === 'object' && v.rules !== null && !Array.isArray(v.rules)) {
    for (const [key, setting] of Object.entries(v.rules)) {
      if (typeof setting === 'string' && RULE_SETTINGS.includes(setting)) rules[key] = setting as RuleSetting;
    }
  }
  const number = (x: unknown, min: number, max: number, fallback: number) => (typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : fallback);
  return {
    enable: typeof v.enable === 'boolean' ? v.enable : DEFAULT_SETTINGS.enable,
    profile: v.profile === 'strict' ? 'strict' : 'default',
    rules,
    exclude: Array.isArray(v.exclude) ? v.exclude.filter((p): p is string => typeof p === 'string' && p.length > 0) : [],
    maxFileSize: number(v.maxFileSize, 1000, 100_000_000, DEFAULT_SETTINGS.maxFileSize),
    debounceMs: number(v.debounceMs, 0, 5000, DEFAULT_SETTINGS.debounceMs),
    logLevel: typeof v.logLevel === 'string' && (LOG_LEVELS as readonly string[]).includes(v.logLevel) ? (v.logLevel as LogLevel) : DEFAULT_SETTINGS.logLevel,
  };
}

/** The editor settings as an engine config; `exclude` globs are relative to the workspace folder. */
export function settingsConfig(settings: Settings): ResolvedConfig {
  return resolveConfig({ rules: settings.rules, exclude: settings.exclude, maxFileSize: settings.maxFileSize, profile: settings.profile });
}

/** Editor settings first, then the project's config file (the file wins, as in the CLI). */
export function effectiveConfig(settings: Settings, project: ResolvedConfig | undefined): ResolvedConfig {
  const fromSettings = settingsConfig(settings);
  return project ? mergeConfigs(fromSettings, { ...project, exclude: [] }) : fromSettings;
}
