import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BulkClient } from '../../../src/sources/registry/bulk-get.js';
import { isTransientNetworkError } from '../../../src/sources/registry/http.js';

const blob = randomBytes(6 << 20);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const plain = { verify: true };
/** A GET on a client of its own (no connection kept from another test). */
const bulkGet = (url: URL, headers: Record<string, string>, _settings: typeof plain, idleMs: number) => new BulkClient(plain, idleMs).get(url, headers);

let server: http.Server;
let base: string;
const seen: http.IncomingHttpHeaders[] = [];
let connections = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seen.push(request.headers);
    const path = request.url ?? '';
    if (path === '/length') {
      response.writeHead(200, { 'content-length': String(blob.length) });
      response.end(blob);
    } else if (path === '/chunked') {
      // No length: node:http sends chunked, in pieces of odd sizes.
      response.writeHead(200);
      for (let at = 0; at < blob.length; at += 777_777) response.write(blob.subarray(at, at + 777_777));
      response.end();
    } else if (path === '/drop') {
      response.writeHead(200, { 'content-length': String(blob.length) });
      response.write(blob.subarray(0, blob.length / 2), () => response.socket?.destroy());
    } else if (path === '/silent') {
      // Never answers.
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Reads a body the way its contract allows: each chunk used before the next is asked for. */
async function digestOf(body: AsyncIterable<Uint8Array>, slow = false): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) {
    // A slow consumer: the socket must not read into the buffer while this chunk is held.
    if (slow) await sleep(1);
    hash.update(chunk);
  }
  return hash.digest('hex');
}

describe('bulkGet', () => {
  test('a Content-Length body arrives whole, for a fast and a slow reader; the request headers are sent', async () => {
    for (const slow of [false, true]) {
      const response = await bulkGet(new URL(`${base}/length`), { authorization: 'Bearer t', range: 'bytes=0-' }, plain, 10_000);
      expect(response.status).toBe(200);
      expect(response.headers['content-length']).toBe(String(blob.length));
      expect(await digestOf(response.body, slow)).toBe(sha(blob));
    }
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer t', range: 'bytes=0-', 'user-agent': 'imgslim' });
  });

  test('a chunked body is unframed', async () => {
    const response = await bulkGet(new URL(`${base}/chunked`), {}, plain, 10_000);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(await digestOf(response.body, true)).toBe(sha(blob));
  });

  test('an error status keeps its body and status message', async () => {
    const response = await bulkGet(new URL(`${base}/missing`), {}, plain, 10_000);
    expect([response.status, response.body.statusMessage]).toEqual([404, 'Not Found']);
    const parts: Buffer[] = [];
    for await (const chunk of response.body) parts.push(Buffer.from(chunk));
    expect(Buffer.concat(parts).toString()).toContain('BLOB_UNKNOWN');
  });

  test('a connection dropped mid-body fails the read with an error worth resuming', async () => {
    const response = await bulkGet(new URL(`${base}/drop`), {}, plain, 10_000);
    const error = await digestOf(response.body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(isTransientNetworkError(error)).toBe(true);
  });

  test('a server that never answers times out; one that refuses the connection is refused', async () => {
    await expect(bulkGet(new URL(`${base}/silent`), {}, plain, 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(bulkGet(new URL(`http://127.0.0.1:${port}/x`), {}, plain, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('a header value with a line break is refused before anything is sent', async () => {
    const before = seen.length;
    await expect(bulkGet(new URL(`${base}/length`), { authorization: 'Bearer t\r\nx-injected: 1' }, plain, 1000)).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(seen.length).toBe(before);
  });

  test('connections are kept alive: the next GET to the origin reuses one read to its end, not one abandoned', async () => {
    const client = new BulkClient(plain, 10_000);
    const before = connections;
    for (const path of ['/length', '/chunked', '/missing', '/length']) {
      const response = await client.get(new URL(`${base}${path}`), {});
      if (response.status === 200) expect(await digestOf(response.body)).toBe(sha(blob));
      else for await (const chunk of response.body) void chunk;
    }
    expect(connections - before).toBe(1);
    const abandoned = await client.get(new URL(`${base}/length`), {});
    abandoned.body.destroy();
    const after = await client.get(new URL(`${base}/length`), {});
    expect(await digestOf(after.body)).toBe(sha(blob));
    expect(connections - before).toBe(2);
    client.close();
  });

  test('a kept connection the server closed while idle is replaced; close() ends the idle ones', async () => {
    const client = new BulkClient(plain, 10_000);
    const first = await client.get(new URL(`${base}/length`), {});
    expect(await digestOf(first.body)).toBe(sha(blob));
    // The server ends its side of every idle connection, as a keep-alive timeout does.
    server.closeIdleConnections();
    const second = await client.get(new URL(`${base}/length`), {});
    expect(await digestOf(second.body)).toBe(sha(blob));
    client.close();
    await sleep(50);
    const open = await new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
    expect(open).toBe(0);
  });

  test('abandoning a body closes its connection', async () => {
    const response = await bulkGet(new URL(`${base}/length`), {}, plain, 10_000);
    for await (const chunk of response.body) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The server sees its socket closed: a further read of this body yields nothing.
    const rest: Uint8Array[] = [];
    for await (const chunk of response.body) rest.push(chunk);
    expect(rest).toEqual([]);
  });
});
