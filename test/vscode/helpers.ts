// Helpers for the extension-host suite: wait for state through the vscode API (bounded polling, no fixed sleeps).
import * as vscode from 'vscode';

export const SOURCE = 'serverless-security';
/** The settings section the client contributes. */
export const SECTION = 'serverlessSecurity';

export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits for diagnostics from our server that satisfy `predicate`. */
export function diagnosticsWhere(uri: vscode.Uri, what: string, predicate: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = ours(uri);
    return predicate(ds) ? ds : undefined;
  }, timeoutMs);
}

/** First IAM action literal without a wildcard (`service:Action`), as the grammar recognises it. */
export const ACTION = /(?<=[\s"'[,])([a-z][a-z0-9-]*):([A-Z][A-Za-z0-9]+)(?=["'\],\s]|$)/g;

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export function summary(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).join(', ') || 'none';
}
