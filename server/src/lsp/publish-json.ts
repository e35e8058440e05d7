/**
 * The JSON of a diagnostics publish assembled from each diagnostic's kept JSON (`DiagnosticCache`): at 50,000 lines a
 * publish is ~1.8 MB of JSON, and a keystroke changes a handful of its ~3,000 diagnostics. A diagnostics array built
 * by the cache carries, under `KEPT_JSON`, each diagnostic's JSON cut around its `data.version` (the only part that
 * changes with every publish); the writer (node-message-writer.ts) joins those pieces instead of serialising the
 * array, and produces the same characters as `JSON.stringify` of the message. Free of Node APIs.
 */
import type { Diagnostic } from 'vscode-languageserver';

/** Where a diagnostics array built by the cache keeps its diagnostics' JSON (a symbol: `JSON.stringify` skips it). */
export const KEPT_JSON = Symbol('kept diagnostic JSON');

/** A diagnostic's JSON without its `data.version`: `head` + the version + `tail`. */
export interface JsonPieces {
  readonly head: string;
  readonly tail: string;
}

/** What a kept diagnostic gives for its JSON (computed on first use, then kept). */
export interface KeptJson {
  pieces(): JsonPieces;
}

export type DiagnosticsWithJson = Diagnostic[] & { [KEPT_JSON]?: readonly (KeptJson | undefined)[] };

const VERSION_KEY = '"data":{"version":';

/** `diagnostic` (whose `data` is `{ version, … }`, last) as JSON pieces around its version. */
export function jsonPieces(diagnostic: Diagnostic): JsonPieces {
  const json = JSON.stringify({ ...diagnostic, data: { ...(diagnostic.data as object), version: 0 } });
  // `data` is the last key: its version is the last occurrence (a string value escapes its quotes).
  const at = json.lastIndexOf(`${VERSION_KEY}0`);
  return { head: json.slice(0, at + VERSION_KEY.length), tail: json.slice(at + VERSION_KEY.length + 1) };
}

/** `diagnostics` as `concat` would join them, keeping the kept JSON of the first list's (the others have none). */
export function withMore(diagnostics: DiagnosticsWithJson, more: readonly Diagnostic[]): DiagnosticsWithJson {
  if (!more.length) return diagnostics;
  const joined: DiagnosticsWithJson = [...diagnostics, ...more];
  const kept = diagnostics[KEPT_JSON];
  if (kept) joined[KEPT_JSON] = [...kept, ...more.map(() => undefined)];
  return joined;
}

const PLACEHOLDER = '\u0000kept diagnostics\u0000';
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/**
 * The JSON text of `message` when it is a diagnostics publish whose array was built by the cache (else undefined):
 * the message serialised with a placeholder for the array, the array assembled from its pieces.
 */
export function publishJson(message: unknown): string | undefined {
  const { method, params } = message as { method?: unknown; params?: { diagnostics?: unknown } };
  if (method !== 'textDocument/publishDiagnostics' || !params || !Array.isArray(params.diagnostics)) return undefined;
  const diagnostics = params.diagnostics as DiagnosticsWithJson;
  const kept = diagnostics[KEPT_JSON];
  if (!kept || kept.length !== diagnostics.length) return undefined;
  const outer = JSON.stringify(message, (_key, value: unknown) => (value === diagnostics ? PLACEHOLDER : value));
  const at = outer.lastIndexOf(PLACEHOLDER_JSON);
  if (at < 0) return undefined;
  let body = '[';
  for (let i = 0; i < diagnostics.length; i++) {
    if (i) body += ',';
    const pieces = kept[i]?.pieces();
    const version = (diagnostics[i]!.data as { version?: unknown } | undefined)?.version;
    body += pieces && typeof version === 'number' ? pieces.head + JSON.stringify(version) + pieces.tail : JSON.stringify(diagnostics[i]);
  }
  return `${outer.slice(0, at)}${body}]${outer.slice(at + PLACEHOLDER_JSON.length)}`;
}
