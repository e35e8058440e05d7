/**
 * Watches the LSP byte stream (`Content-Length: n\r\n\r\n` + n bytes) beside the JSON-RPC reader
 * and reports the first framing error. The reader in vscode-jsonrpc, given a header without a
 * usable Content-Length, a negative or absurd length, or LF-only separators, stops reading for
 * good without a word: the server stays alive and deaf. Framing cannot be recovered (where the
 * next message starts is unknown), so the honest answer is to say why and exit, and let the
 * client restart the server.
 */

/** Headers are a few dozen bytes; anything longer without its blank line is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
/** Above the largest document the server accepts (maxFileSize ≤ 100 MB) with JSON escaping. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const SEPARATOR = Buffer.from('\r\n\r\n');

export class FrameGuard {
  private header: Buffer = Buffer.alloc(0);
  /** Body bytes still to skip; -1 while reading a header. */
  private remaining = -1;
  private failed = false;

  /** @param onError called once, with a one-line description, at the first framing error. */
  constructor(private readonly onError: (message: string) => void) {}

  push(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0 && !this.failed) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, data.length);
        this.remaining -= skip;
        data = data.subarray(skip);
        continue;
      }
      const joined = this.header.length ? Buffer.concat([this.header, data]) : data;
      const end = joined.indexOf(SEPARATOR);
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES) return this.fail(`no end of header within ${MAX_HEADER_BYTES} bytes`);
        this.header = Buffer.from(joined);
        return;
      }
      if (end > MAX_HEADER_BYTES) return this.fail(`no end of header within ${MAX_HEADER_BYTES} bytes`);
      const length = contentLength(joined.subarray(0, end).toString('latin1'));
      if (typeof length === 'string') return this.fail(length);
      this.header = Buffer.alloc(0);
      this.remaining = length;
      data = joined.subarray(end + SEPARATOR.length);
    }
  }

  private fail(reason: string): void {
    this.failed = true;
    this.onError(`malformed LSP message header: ${reason}`);
  }
}

/**
 * The body length of a header block, read as the JSON-RPC reader reads it, or why it has none.
 * A block with a line without a colon is dropped whole by the reader, which then carries on: 0.
 */
function contentLength(header: string): number | string {
  let value: string | undefined;
  for (const line of header.split('\r\n')) {
    if (line.includes('\n')) return 'header lines must end with CRLF';
    const colon = line.indexOf(':');
    if (colon < 0) return 0;
    if (line.slice(0, colon).toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
  }
  if (value === undefined || value === '') return 'no Content-Length';
  const length = Number.parseInt(value, 10);
  if (Number.isNaN(length) || length < 0) return `Content-Length is not a number of bytes: ${JSON.stringify(value.slice(0, 40))}`;
  if (length > MAX_MESSAGE_BYTES) return `Content-Length ${length} is above the ${MAX_MESSAGE_BYTES}-byte limit`;
  return length;
}
