/**
 * The stdio transport's message writer (Node server root): each message's JSON is encoded into one buffer kept for
 * the life of the server and written with its header in one write. The library's writer allocates a new buffer of
 * the message's size for every message; a publish of a 50,000-line template is ~1.7 MB, and on this kind of machine
 * a fresh large buffer (pages touched for the first time, then collected) costs more than the UTF-8 encoding
 * itself (BENCHMARKS.md, "Issue 16, fifth run — the keystroke path outside the rules"). The bytes are the
 * library's: `Content-Length: n\r\n\r\n` and `JSON.stringify(message)` in UTF-8.
 * The buffer is reused only after the stream's write callback, when a file descriptor stream is done with it.
 */
import type { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { publishJson } from './publish-json';

/** Room kept before the body for its `Content-Length` header. */
const HEADER_ROOM = 64;

export class BufferedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  /** The previous write: the next message is encoded once the stream is done with the buffer. */
  private last: Promise<void> = Promise.resolve();
  private errors = 0;

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const written = this.last.then(() => this.writeNow(message));
    this.last = written.catch(() => undefined);
    return written;
  }

  end(): void {
    this.stream.end();
  }

  private writeNow(message: Message): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = this.encode(message);
    } catch (error) {
      this.fireError(error as Error, message, ++this.errors);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errors);
        reject(error);
      });
    });
  }

  /** The message framed (`Content-Length: n\r\n\r\n` + its UTF-8 JSON) in this writer's buffer. */
  private encode(message: Message): Buffer {
    // A diagnostics publish built by the DiagnosticCache: joined from each diagnostic's kept JSON (same characters).
    const json = publishJson(message) ?? JSON.stringify(message);
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const room = HEADER_ROOM + json.length * 3;
    if (room > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2));
    const length = this.buffer.write(json, HEADER_ROOM, 'utf8');
    const header = `Content-Length: ${length}\r\n\r\n`;
    const start = HEADER_ROOM - header.length;
    this.buffer.write(header, start, 'ascii');
    return this.buffer.subarray(start, HEADER_ROOM + length);
  }
}
