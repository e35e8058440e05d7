import type { Connection } from 'vscode-languageserver';
import type { LogLevel } from '../shared/protocol';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Takes a function: debug messages are built only when the level lets them through (one per analysis). */
  debug(message: () => string): void;
}

/** Messages to the client's output channel (window/logMessage), at or above the level. */
export function createLogger(connection: Connection, level: () => LogLevel): Logger {
  const enabled = (l: LogLevel) => ORDER[l] <= ORDER[level()];
  return {
    error: (m) => void (enabled('error') && connection.console.error(m)),
    warn: (m) => void (enabled('warn') && connection.console.warn(m)),
    info: (m) => void (enabled('info') && connection.console.info(m)),
    debug: (m) => void (enabled('debug') && connection.console.log(m())),
  };
}
