/**
 * A GET for a large body, read through one reused buffer. node:http allocates a new 64 KiB
 * Buffer for every socket read and passes each through its parser and a Readable; for a layer
 * blob that was most of the main thread's CPU time on the registry path, and the garbage made
 * V8 collect often (docs/benchmarks.md, 2026-12-07). Here the socket reads into one 1 MiB buffer
 * (`onread`), ResponseParser frames the body, and each body chunk is a view into that buffer:
 * valid until the next one is asked for (reading pauses until then). One request per
 * connection (`Connection: close`); TLS as the registry's other requests have it.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { HEADER_NAME, ResponseParser } from './response-parser.js';
import type { TlsSettings } from './tls.js';

const READ_BUFFER = 1 << 20;

/** What a response body must offer: node:http's IncomingMessage and BulkBody both do. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  destroy(): void;
  readonly statusMessage?: string | undefined;
}

export interface BulkResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

function timedOut(): Error {
  return Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
}

/** Sends `GET url` with `headers`; resolves once the response head has arrived. */
export function bulkGet(url: URL, headers: Record<string, string>, settings: TlsSettings, idleMs: number): Promise<BulkResponse> {
  return new Promise((resolve, reject) => {
    // As node:http does: a value from elsewhere (a token) must not add lines to the request.
    const invalid = Object.entries(headers).find(([name, value]) => !HEADER_NAME.test(name) || /[\r\n\0]/.test(value));
    if (invalid) return reject(Object.assign(new TypeError(`invalid character in the request header "${invalid[0]}"`), { code: 'ERR_INVALID_CHAR' }));
    const body = new BulkBody();
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const onread: net.OnReadOpts = { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (n, buffer) => body.received(buffer.subarray(0, n)) };
    // tls.connect takes `onread` as net.connect does (Node's documentation; @types/node omits it).
    const secure: tls.ConnectionOptions & { onread: net.OnReadOpts } = {
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: settings.verify,
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.cert ? { cert: settings.cert, key: settings.key } : {}),
      onread,
    };
    const socket = url.protocol === 'https:' ? tls.connect(secure) : net.connect({ host, port, onread });
    body.attach(socket, (head) => resolve({ status: head.status, headers: head.headers, body }), reject);
    socket.setTimeout(idleMs, () => socket.destroy(timedOut()));
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'user-agent: imgslim', 'connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** The body of one response: views into the connection's read buffer, in order. */
class BulkBody implements ResponseBody {
  private readonly parser = new ResponseParser();
  private socket: net.Socket | null = null;
  private onHead: ((head: NonNullable<ResponseParser['head']>) => void) | null = null;
  private onFailure: ((error: Error) => void) | null = null;
  /** Body views of the last read, not yet taken. */
  private queue: Uint8Array[] = [];
  private error: Error | null = null;
  private ended = false;
  private wake: (() => void) | null = null;

  get statusMessage(): string | undefined {
    return this.parser.head?.statusMessage;
  }

  attach(socket: net.Socket, onHead: (head: NonNullable<ResponseParser['head']>) => void, onFailure: (error: Error) => void): void {
    this.socket = socket;
    this.onHead = onHead;
    this.onFailure = onFailure;
    socket.on('error', (error) => this.fail(error));
    socket.on('end', () => this.finish());
    socket.on('close', () => this.finish());
  }

  /** One socket read; returns false to pause reading while its body views are not taken yet. */
  received(bytes: Uint8Array): boolean {
    const hadHead = this.parser.head !== null;
    try {
      this.parser.push(bytes, this.queue);
    } catch (error) {
      this.fail(error as Error);
      return false;
    }
    if (!hadHead && this.parser.head) this.onHead?.(this.parser.head);
    if (this.parser.done) this.finish();
    this.wake?.();
    return this.queue.length === 0;
  }

  destroy(): void {
    this.ended = true;
    this.queue = [];
    this.socket?.destroy();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.error) throw this.error;
        if (this.ended) return;
        // Every view of the last read has been taken: the buffer may be read into again
        // (net.Socket's resume() restarts a read that `onread` stopped).
        this.socket?.resume();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      if (!this.ended || this.error) this.destroy();
    }
  }

  private finish(): void {
    if (this.ended || this.error) return;
    try {
      this.parser.end();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.ended = true;
    // The whole body is in: nothing more is wanted from this connection.
    this.socket?.destroy();
    this.wake?.();
  }

  private fail(error: Error): void {
    if (this.ended || this.error) return;
    this.error = error;
    this.socket?.destroy();
    if (!this.parser.head) this.onFailure?.(error);
    this.wake?.();
  }
}
