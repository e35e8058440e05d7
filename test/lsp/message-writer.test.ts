/**
 * The stdio server writes its messages through `BufferedMessageWriter` (one buffer reused for every message): the
 * bytes must be what the library's own writer sends, in order, whatever the sizes and characters, and a message must
 * never be overwritten by the next one before the stream is done with it.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BufferedMessageWriter } from '../../server/src/lsp/node-message-writer';
import { DiagnosticCache } from '../../server/src/lsp/diagnostics';
import { publishJson, withMore } from '../../server/src/lsp/publish-json';
import { LineIndex } from '../../server/src/engine/documents/lines';
import type { Finding } from '../../server/src/engine/rule';

/** A stream that, like a file descriptor, is done with each chunk when its callback runs (it copies the chunk then). */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    setImmediate(callback);
  }
}

const framed = (message: unknown) => {
  const json = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
};

describe('BufferedMessageWriter', () => {
  it('writes the library framing of each message, in order, reusing one buffer (small, large, non-ASCII, astral)', async () => {
    const sink = new Sink();
    const writer = new BufferedMessageWriter(sink);
    const diagnostic = (i: number) => ({ range: { start: { line: i, character: 0 }, end: { line: i, character: 4 } }, severity: 2, message: `Topic "t${i}"\nnot encrypted — ✓ 😀`, data: { version: 3 } });
    const messages = [
      { jsonrpc: '2.0', id: 1, result: { capabilities: {} } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///w/t.yaml', version: 3, diagnostics: Array.from({ length: 3_000 }, (_, i) => diagnostic(i)) } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'ü' } },
      { jsonrpc: '2.0', id: 2, result: { contents: 'ünïcode '.repeat(50_000) } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///w/t.yaml', diagnostics: [] } },
    ];
    // Not awaited one by one: the writer keeps the order and waits for each write before encoding the next.
    await Promise.all(messages.map((m) => writer.write(m as never)));
    expect(sink.chunks).toHaveLength(messages.length);
    expect(sink.chunks.map((c) => c.toString('utf8'))).toEqual(messages.map(framed));
  });

  it('a publish built by the DiagnosticCache is written from its kept JSON pieces with the same bytes', async () => {
    const text = 'Resources:\n  T:\n    Type: x # "quoted" ü 😀\n  U:\n    Type: y\n';
    const lines = new LineIndex(text);
    const finding = (start: number, end: number, ruleId: string, message: string, related: Finding['related'] = []): Finding =>
      ({ ruleId, ruleName: `rule-${ruleId}`, category: 'encryption', severity: 'warning', message, span: { start, end }, related, fixes: [] }) as Finding;
    const findings = [
      finding(13, 20, 'SLS401', 'Topic "T"\nnot encrypted — ✓ 😀', [{ message: 'the key', span: { start: 40, end: 44 } }, { message: 'a file', file: 'src/app.js', line: 3, span: { start: 0, end: 0 } }]),
      finding(13, 20, 'SLS201', 'two at one range'),
      finding(40, 47, 'SLS501', 'data: {"version": 0,'),
    ];
    const cache = new DiagnosticCache();
    const sink = new Sink();
    const writer = new BufferedMessageWriter(sink);
    const resolve = (file: string) => `file:///w/${file}`;
    const messages = [1, 2, 3].map((version) => {
      // The second publish reuses every diagnostic; the third adds one that is not the cache's.
      const own = cache.diagnostics(findings, lines, 'file:///w/t.yaml', version, resolve);
      const diagnostics = version === 3 ? withMore(own, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'elsewhere' }]) : own;
      return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///w/t.yaml', version, diagnostics } };
    });
    expect(cache.lastStats).toEqual({ built: 0, alike: 0, kept: 2 });
    await Promise.all(messages.map((m) => writer.write(m as never)));
    expect(sink.chunks.map((c) => c.toString('utf8'))).toEqual(messages.map(framed));
    expect(sink.chunks[2]!.toString('utf8')).toContain('"version":3,"rules":["SLS201","SLS401"]');
    // Written from the pieces (not by serialising the array): the same text.
    for (const message of messages) expect(publishJson(message)).toBe(JSON.stringify(message));
  });

  it('reports a message it cannot encode and goes on with the next', async () => {
    const sink = new Sink();
    const writer = new BufferedMessageWriter(sink);
    const errors: Error[] = [];
    writer.onError(([error]) => errors.push(error));
    const cyclic: Record<string, unknown> = { jsonrpc: '2.0', method: 'x' };
    cyclic.params = cyclic;
    await expect(writer.write(cyclic as never)).rejects.toThrow();
    await writer.write({ jsonrpc: '2.0', method: 'y' } as never);
    expect(errors).toHaveLength(1);
    expect(Buffer.concat(sink.chunks).toString('utf8')).toBe(framed({ jsonrpc: '2.0', method: 'y' }));
  });
});
