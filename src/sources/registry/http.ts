/**
 * One HTTP exchange with node:http / node:https (keep-alive agents, the registry's TLS
 * settings). Bodies stream both ways; nothing here retries, authenticates or follows redirects.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { InputError } from '../../shared/errors.js';
import { BulkClient, timedOut, type ResponseBody } from './bulk-get.js';
import { tlsOptions, type TlsSettings } from './tls.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: Uint8Array | Readable;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  body: ResponseBody;
}

/** A socket silent this long is dropped (and the request retried by the caller). */
const IDLE_TIMEOUT_MS = 60_000;

export class HttpAgents {
  private readonly plain = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly secure: https.Agent;
  private readonly bulk: BulkClient;

  constructor(tls: TlsSettings) {
    this.bulk = new BulkClient(tls, IDLE_TIMEOUT_MS);
    this.secure = new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      ...tlsOptions(tls),
    });
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const secure = request.url.protocol === 'https:';
    const module = secure ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = module.request(request.url, {
        method: request.method,
        headers: { 'user-agent': 'imgslim', ...request.headers },
        agent: secure ? this.secure : this.plain,
        timeout: IDLE_TIMEOUT_MS,
      });
      outgoing.on('timeout', () => outgoing.destroy(timedOut()));
      outgoing.on('error', reject);
      outgoing.on('response', (body) => {
        body.setTimeout(IDLE_TIMEOUT_MS, () => body.destroy(timedOut()));
        resolve({ status: body.statusCode ?? 0, headers: body.headers, url: request.url, body });
      });
      const body = request.body;
      if (body === undefined) outgoing.end();
      else if (body instanceof Uint8Array) outgoing.end(body);
      else {
        body.on('error', (error) => outgoing.destroy(error));
        body.pipe(outgoing);
      }
    });
  }

  /** A GET whose body is read through one reused buffer (bulk-get.ts): each chunk valid until the next is asked for. */
  async bulkGet(request: { url: URL; headers: Record<string, string> }): Promise<HttpResponse> {
    const response = await this.bulk.get(request.url, request.headers);
    return { ...response, url: request.url };
  }

  close(): void {
    this.bulk.close();
    this.plain.destroy();
    this.secure.destroy();
  }
}

/** Reads a response body whole, refusing more than `limit` bytes. */
export async function readBody(response: HttpResponse, limit: number, label: string): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (declared > limit) {
    response.body.destroy();
    throw new InputError(`${label} is ${declared} bytes, more than the ${limit}-byte limit`, { code: 'E_TOO_LARGE' });
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > limit) {
      response.body.destroy();
      throw new InputError(`${label} is more than the ${limit}-byte limit`, { code: 'E_TOO_LARGE' });
    }
    // A copy: a bulk body's chunks are views into a buffer the next read reuses.
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts, total);
}

/** Reads and drops a body so that its socket can be reused (small bodies) or closes it. */
export async function discardBody(response: HttpResponse): Promise<void> {
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (!(declared <= 64 * 1024)) {
    response.body.destroy();
    return;
  }
  try {
    for await (const chunk of response.body) void chunk;
  } catch {
    // The body does not matter; its socket is closed.
  }
}

/** A network failure worth another attempt (reset, refused mid-run, timeout, truncated body). */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE' ||
    code === 'ECONNABORTED' ||
    code === 'EAI_AGAIN' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && /socket hang up|aborted/.test(error.message))
  );
}

/** The server answered a TLS handshake in plain HTTP. */
export function isPlainHttpAnswer(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  return code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /wrong version number|packet length too long/.test(message);
}
