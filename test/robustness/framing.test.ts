/**
 * Malformed LSP framing: the server says why on stderr and exits non-zero (the client restarts
 * it) instead of living on deaf. The guard reads headers as vscode-jsonrpc's reader does.
 */
import { describe, expect, it } from 'vitest';
import { FrameGuard } from '../../server/src/node/frame-guard';
import { TestClient } from '../protocol/client';

function errorsOf(chunks: (string | Buffer)[]): string[] {
  const errors: string[] = [];
  const guard = new FrameGuard((m) => errors.push(m));
  for (const chunk of chunks) guard.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return errors;
}

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('FrameGuard', () => {
  const traffic = [frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'), 'content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', frame('{"text":"é\\r\\n\\r\\nContent-Length: x"}')].join('');

  it('accepts well-formed traffic however it is split into chunks', () => {
    const bytes = Buffer.from(traffic);
    for (let size = 1; size <= bytes.length; size += 7) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(errorsOf(chunks)).toEqual([]);
    }
  });

  it('skips a header block with a line without a colon, as the reader does', () => {
    expect(errorsOf(['garbage line without colon\r\n\r\n', frame('{}')])).toEqual([]);
  });

  it.each([
    ['no Content-Length', 'Content-Type: application/json\r\n\r\n{}', /no Content-Length/],
    ['a negative length', 'Content-Length: -5\r\n\r\n', /not a number/],
    ['a length that is not a number', 'Content-Length: abc\r\n\r\n{}', /not a number/],
    ['LF-only separators', 'Content-Length: 2\n\n{}' + frame('{}'), /CRLF/],
    ['an absurd length', 'Content-Length: 99999999999\r\n\r\n{}', /above the/],
    ['a length too short for its body (the rest is read as a header)', 'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","method":"x"}' + frame('{}'), /no Content-Length/],
    ['a header that never ends', 'Content-Length: 1' + ' '.repeat(9000), /no end of header/],
  ])('reports %s once', (_name, bytes, message) => {
    const errors = errorsOf([bytes, frame('{}'), 'x: y\r\n\r\n']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});

describe('the built server on a malformed header', () => {
  it.each([
    ['no Content-Length', 'Content-Type: application/json\r\n\r\n{}'],
    ['LF-only separators', 'Content-Length: 2\n\n{}'],
    ['an absurd length', 'Content-Length: 99999999999\r\n\r\n{}'],
  ])('%s: logs why on stderr and exits with 1', async (_name, bytes) => {
    const client = new TestClient();
    await client.initialize();
    client.process.stdin!.write(bytes);
    // LF-only is only known to be wrong once the next message's CRLFs arrive.
    client.process.stdin!.write(frame('{"jsonrpc":"2.0","method":"$/ping"}'));
    expect(await client.exited).toBe(1);
    expect(client.stderr).toMatch(/malformed LSP message header/);
    client.connection.dispose();
  });
});
