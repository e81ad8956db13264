/**
 * GETs of large bodies, read through one reused buffer per connection. node:http allocates a
 * new 64 KiB Buffer for every socket read and passes each through its parser and a Readable;
 * for a layer blob that was most of the main thread's CPU time on the registry path, and the
 * garbage made V8 collect often (docs/benchmarks.md, 2026-12-07). Here the socket reads into one
 * 1 MiB buffer (`onread`), ResponseParser frames the body, and each body chunk is a view into
 * that buffer: valid until the next one is asked for (reading pauses until then). Connections
 * are kept alive per origin as node:http's Agent keeps them, and a kept one the server closed
 * in the meantime is replaced once; TLS as the registry's other requests have it.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { HEADER_NAME, ResponseParser, type ResponseHead } from './response-parser.js';
import { tlsOptions, type TlsSettings } from './tls.js';

const READ_BUFFER = 1 << 20;
/** Idle connections kept per origin (as many as layers stream at once, at most). */
const IDLE_PER_ORIGIN = 4;

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

/** The error a socket silent too long is ended with (a transient one: the caller retries). */
export function timedOut(): Error {
  return Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
}

/** As node:http does: a value from elsewhere (a token) must not add lines to the request. */
function invalidHeader(headers: Record<string, string>): Error | null {
  const invalid = Object.entries(headers).find(([name, value]) => !HEADER_NAME.test(name) || /[\r\n\0]/.test(value));
  return invalid ? Object.assign(new TypeError(`invalid character in the request header "${invalid[0]}"`), { code: 'ERR_INVALID_CHAR' }) : null;
}

export class BulkClient {
  private readonly idle = new Map<string, BulkConnection[]>();

  constructor(
    private readonly settings: TlsSettings,
    private readonly idleMs: number,
  ) {}

  /** Sends `GET url` with `headers`; resolves once the response head has arrived. */
  async get(url: URL, headers: Record<string, string>): Promise<BulkResponse> {
    const invalid = invalidHeader(headers);
    if (invalid) throw invalid;
    const kept = this.takeIdle(url.origin);
    if (kept) {
      try {
        return await kept.send(url, headers);
      } catch (error) {
        // The server closed the kept connection before it read this request: once more, anew.
        if (kept.heardBack) throw error;
      }
    }
    return new BulkConnection(url, this.settings, this.idleMs, (connection) => this.keep(url.origin, connection)).send(url, headers);
  }

  /** Ends the idle connections (the ones in use end with their bodies). */
  close(): void {
    for (const connections of this.idle.values()) for (const connection of connections) connection.socket.destroy();
    this.idle.clear();
  }

  private takeIdle(origin: string): BulkConnection | null {
    const connections = this.idle.get(origin) ?? [];
    for (let connection = connections.pop(); connection; connection = connections.pop()) {
      if (!connection.socket.destroyed) return connection;
    }
    return null;
  }

  private keep(origin: string, connection: BulkConnection): void {
    const connections = this.idle.get(origin) ?? [];
    this.idle.set(origin, connections);
    if (connections.length < IDLE_PER_ORIGIN) connections.push(connection);
    else connection.socket.destroy();
  }
}

/** One connection: its read buffer, and the response being read on it (none while idle). */
class BulkConnection {
  readonly socket: net.Socket;
  private body: BulkBody | null = null;
  /** Some bytes of the current response arrived. */
  heardBack = false;

  constructor(
    url: URL,
    settings: TlsSettings,
    idleMs: number,
    private readonly onIdle: (connection: BulkConnection) => void,
  ) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const onread: net.OnReadOpts = { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (n, buffer) => this.received(buffer.subarray(0, n)) };
    // tls.connect takes `onread` as net.connect does (Node's documentation; @types/node omits it).
    const secure: tls.ConnectionOptions & { onread: net.OnReadOpts } = {
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      ...tlsOptions(settings),
      onread,
    };
    this.socket = url.protocol === 'https:' ? tls.connect(secure) : net.connect({ host, port, onread });
    this.socket.setTimeout(idleMs, () => this.socket.destroy(timedOut()));
    // While idle, any of these ends the connection; the pool skips it then.
    this.socket.on('error', (error) => this.body?.fail(error));
    this.socket.on('end', () => (this.body ? this.body.closed() : this.socket.destroy()));
    this.socket.on('close', () => this.body?.closed());
  }

  send(url: URL, headers: Record<string, string>): Promise<BulkResponse> {
    return new Promise((resolve, reject) => {
      this.heardBack = false;
      this.socket.ref();
      const body: BulkBody = new BulkBody(this, (head) => resolve({ status: head.status, headers: head.headers, body }), reject);
      this.body = body;
      const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'user-agent: imgslim'];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      this.socket.resume();
    });
  }

  /** The body is done with this connection: kept for the next request when it can be, else ended. */
  release(body: BulkBody, reusable: boolean): void {
    if (this.body !== body) return;
    this.body = null;
    if (!reusable || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    // Idle: read on (to see the server close it), without keeping the process alive.
    this.socket.unref();
    this.socket.resume();
    this.onIdle(this);
  }

  private received(bytes: Uint8Array): boolean {
    if (!this.body) {
      // Bytes nobody asked for: the connection is not in a state to reuse.
      this.socket.destroy();
      return false;
    }
    this.heardBack = true;
    return this.body.received(bytes);
  }
}

/** The body of one response: views into the connection's read buffer, in order. */
class BulkBody implements ResponseBody {
  private readonly parser = new ResponseParser();
  /** Body views of the last read, not yet taken. */
  private queue: Uint8Array[] = [];
  private error: Error | null = null;
  /** No more bytes will come: the body is complete (or was destroyed). */
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly connection: BulkConnection,
    private readonly onHead: (head: ResponseHead) => void,
    private readonly onFailure: (error: Error) => void,
  ) {}

  get statusMessage(): string | undefined {
    return this.parser.head?.statusMessage;
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
    if (!hadHead && this.parser.head) this.onHead(this.parser.head);
    if (this.parser.done) this.ended = true;
    this.wake?.();
    return this.queue.length === 0 && !this.ended;
  }

  /** The connection ended: a close-delimited body is complete, any other is cut short. */
  closed(): void {
    if (this.ended || this.error) return;
    try {
      this.parser.end();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.ended = true;
    this.wake?.();
  }

  fail(error: Error): void {
    if (this.error || (this.ended && this.parser.done)) return;
    this.error = error;
    this.connection.release(this, false);
    if (!this.parser.head) this.onFailure(error);
    this.wake?.();
  }

  destroy(): void {
    const complete = this.ended && this.parser.done && this.queue.length === 0;
    this.ended = true;
    this.queue = [];
    this.connection.release(this, complete && this.parser.keepAlive);
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
        this.connection.socket.resume();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      // Read to its end, the connection may serve the next request; abandoned, it is closed.
      this.destroy();
    }
  }
}
