/**
 * An HTTP/1.1 response, parsed as its bytes arrive (RFC 9112): the status line and headers, then
 * a body framed by Content-Length, by chunked transfer coding, or by the connection's close.
 * Pure: bytes in, the head and body views out. Body chunks are views into the bytes pushed, so
 * a caller that reuses its read buffer must be done with them before the next push.
 */

export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** HTTP/1.1 (not 1.0): the connection stays open unless the server says otherwise. */
  http11: boolean;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

/** A response no HTTP/1.1 client should accept, or one cut short. */
export class HttpParseError extends Error {
  constructor(
    message: string,
    /** Transient (worth a retry or a resumed transfer) when the connection closed early. */
    readonly code: 'HPE_INVALID_RESPONSE' | 'ERR_STREAM_PREMATURE_CLOSE',
  ) {
    super(message);
    this.name = 'HttpParseError';
  }
}

/** The most head bytes accepted (node:http's default is 16 KiB). */
export const HEAD_LIMIT = 64 * 1024;
const LINE_LIMIT = 4096;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** A character of an HTTP token (RFC 9110, 5.6.2), which header names are made of. */
const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
export const HEADER_NAME = new RegExp(`^${TCHAR}+$`);
const HEADER_FIELD = new RegExp(`^(${TCHAR}+):[ \\t]*(.*?)[ \\t]*$`);

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };
type ChunkState = 'size' | 'data' | 'data-end' | 'trailers';

export class ResponseParser {
  head: ResponseHead | null = null;
  /** The whole body has been parsed. */
  done = false;
  private headBytes: Buffer = Buffer.alloc(0);
  private framing: Framing = { kind: 'none' };
  private chunk: ChunkState = 'size';
  private chunkLeft = 0;
  private line = '';
  /** Bytes came after the body. */
  private trailing = false;

  /**
   * Parses `bytes`, appending the body bytes in them to `body` (views into `bytes`). Bytes after
   * the body are dropped, and the connection is then not reused (nothing was asked for them).
   */
  push(bytes: Uint8Array, body: Uint8Array[]): void {
    let rest = bytes;
    while (rest.length > 0 && !this.done) {
      if (!this.head) rest = this.readHead(rest);
      else rest = this.readBody(rest, body);
    }
    if (rest.length > 0) this.trailing = true;
  }

  /**
   * Whether the connection may carry another request once this body is done: HTTP/1.1, no
   * `Connection: close`, and a body whose end was framed (not the close).
   */
  get keepAlive(): boolean {
    if (!this.head?.http11 || this.framing.kind === 'close' || this.trailing) return false;
    return !(this.head.headers.connection ?? '').split(',').some((option) => option.trim().toLowerCase() === 'close');
  }

  /** The connection closed: ends a close-delimited body, else throws when the response was cut short. */
  end(): void {
    if (this.done) return;
    if (this.head && this.framing.kind === 'close') {
      this.done = true;
      return;
    }
    throw new HttpParseError(this.head ? 'the connection closed before the response body ended (aborted)' : 'the connection closed before a response', 'ERR_STREAM_PREMATURE_CLOSE');
  }

  /** Accumulates head bytes; once the blank line arrives, parses the head and returns what follows it. */
  private readHead(bytes: Uint8Array): Uint8Array {
    const before = this.headBytes.length;
    // The terminator may straddle pushes: search from three bytes before the new ones.
    this.headBytes = Buffer.concat([this.headBytes, bytes]);
    const at = this.headBytes.indexOf(CRLF_CRLF, Math.max(0, before - 3));
    if (at < 0) {
      if (this.headBytes.length > HEAD_LIMIT) throw new HttpParseError(`the response head is over ${HEAD_LIMIT} bytes`, 'HPE_INVALID_RESPONSE');
      return bytes.subarray(bytes.length);
    }
    if (at > HEAD_LIMIT) throw new HttpParseError(`the response head is over ${HEAD_LIMIT} bytes`, 'HPE_INVALID_RESPONSE');
    const head = parseHead(this.headBytes.toString('latin1', 0, at));
    const rest = bytes.subarray(at + 4 - before);
    this.headBytes = Buffer.alloc(0);
    // 1xx answers (100 Continue, 103 Early Hints) come before the real one.
    if (head.status >= 100 && head.status < 200) return rest;
    this.head = head;
    this.framing = framingOf(head);
    if (this.framing.kind === 'none' || (this.framing.kind === 'length' && this.framing.left === 0)) this.done = true;
    return rest;
  }

  private readBody(bytes: Uint8Array, body: Uint8Array[]): Uint8Array {
    const framing = this.framing;
    if (framing.kind === 'close') {
      body.push(bytes);
      return bytes.subarray(bytes.length);
    }
    if (framing.kind === 'length') {
      const take = Math.min(framing.left, bytes.length);
      body.push(bytes.subarray(0, take));
      framing.left -= take;
      if (framing.left === 0) this.done = true;
      return bytes.subarray(take);
    }
    return this.readChunked(bytes, body);
  }

  private readChunked(bytes: Uint8Array, body: Uint8Array[]): Uint8Array {
    if (this.chunk === 'data') {
      const take = Math.min(this.chunkLeft, bytes.length);
      body.push(bytes.subarray(0, take));
      this.chunkLeft -= take;
      if (this.chunkLeft === 0) this.chunk = 'data-end';
      return bytes.subarray(take);
    }
    // The size line, the CRLF after the data and the trailer lines are read a line at a time.
    const newline = bytes.indexOf(0x0a);
    const end = newline < 0 ? bytes.length : newline + 1;
    this.line += Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
    if (this.line.length > LINE_LIMIT) throw new HttpParseError('a chunk line is too long', 'HPE_INVALID_RESPONSE');
    if (newline < 0) return bytes.subarray(end);
    const line = this.line.replace(/\r?\n$/, '');
    this.line = '';
    if (this.chunk === 'data-end') {
      if (line !== '') throw new HttpParseError('chunk data is not followed by CRLF', 'HPE_INVALID_RESPONSE');
      this.chunk = 'size';
    } else if (this.chunk === 'size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!size) throw new HttpParseError(`invalid chunk size line "${line.slice(0, 40)}"`, 'HPE_INVALID_RESPONSE');
      this.chunkLeft = parseInt(size[1]!, 16);
      this.chunk = this.chunkLeft === 0 ? 'trailers' : 'data';
    } else if (line === '') {
      this.done = true;
    }
    return bytes.subarray(end);
  }
}

function parseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!status) throw new HttpParseError(`not an HTTP/1.1 status line: "${lines[0]!.slice(0, 40)}"`, 'HPE_INVALID_RESPONSE');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const field = HEADER_FIELD.exec(line);
    if (!field) throw new HttpParseError(`invalid header line "${line.slice(0, 40)}"`, 'HPE_INVALID_RESPONSE');
    const name = field[1]!.toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${field[2]!}` : field[2]!;
  }
  return { status: Number(status[2]), statusMessage: status[3] ?? '', http11: status[1] === '1', headers };
}

function framingOf(head: ResponseHead): Framing {
  if (head.status === 204 || head.status === 304) return { kind: 'none' };
  const coding = head.headers['transfer-encoding'];
  if (coding !== undefined) {
    // Chunked must come last; any other coding is delimited by the close (RFC 9112, 6.3).
    const last = coding.split(',').pop()!.trim().toLowerCase();
    return last === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  }
  const length = head.headers['content-length'];
  if (length === undefined) return { kind: 'close' };
  const values = new Set(length.split(',').map((value) => value.trim()));
  const [value] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(value!)) throw new HttpParseError(`invalid Content-Length "${length.slice(0, 40)}"`, 'HPE_INVALID_RESPONSE');
  return { kind: 'length', left: Number(value) };
}
