import type { Connection } from 'vscode-languageserver/node';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** Messages to the client's output channel, at or above the configured level. */
export function createLogger(connection: Connection, level: LogLevel): Logger {
  const enabled = (l: LogLevel) => ORDER[l] <= ORDER[level];
  return {
    error: (m) => enabled('error') && connection.console.error(m),
    warn: (m) => enabled('warn') && connection.console.warn(m),
    info: (m) => enabled('info') && connection.console.info(m),
    debug: (m) => enabled('debug') && connection.console.log(m),
  };
}
