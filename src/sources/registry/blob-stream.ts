/**
 * A blob's bytes straight from the registry, no temporary file: a transfer that breaks is
 * resumed with `Range` from the byte where it stopped (a server that ignores the range has the
 * bytes already received skipped). The caller verifies size and digest (verifyStream).
 * The body is read through one reused buffer (bulk-get.ts); each chunk is copied out of it
 * unless the caller asks for `transient` chunks, valid only until it asks for the next one.
 */
import { InputError } from '../../shared/errors.js';
import type { Descriptor } from '../../image/index.js';
import { describeNetworkFailure, type RegistryClient } from './client.js';
import { isTransientNetworkError } from './http.js';
import { backoffMs, sleep } from './retry.js';

export function blobPath(repository: string, digest: string): string {
  return `/v2/${repository}/blobs/${digest}`;
}

function rangeStart(header: string | undefined): number | null {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header ?? '');
  return match ? Number(match[1]) : null;
}

export async function* streamBlob(
  client: RegistryClient,
  repository: string,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  label: string,
  { transient = false }: { transient?: boolean } = {},
): AsyncGenerator<Uint8Array> {
  let received = 0;
  let breaks = 0;
  const scopes = [`repository:${repository}:pull`];
  for (;;) {
    const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
    const response = await client.request({ method: 'GET', path: blobPath(repository, descriptor.digest), headers, scopes, bulk: true });
    if (response.status === 404) {
      response.body.destroy();
      throw new InputError(`${label}: blob ${descriptor.digest} is not in the registry ${client.registry}`, { code: 'E_BLOB_MISSING' });
    }
    if (response.status !== 200 && response.status !== 206) throw await client.failure(response, label);
    let skip = 0;
    if (received > 0 && response.status === 200) skip = received;
    else if (received > 0 && rangeStart(response.headers['content-range']) !== received) {
      response.body.destroy();
      throw new InputError(`${label}: the registry answered a resumed transfer with the wrong range`, { code: 'E_RANGE' });
    }
    try {
      for await (const chunk of response.body) {
        let bytes = chunk;
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.length);
          skip -= dropped;
          bytes = bytes.subarray(dropped);
          if (bytes.length === 0) continue;
        }
        received += bytes.length;
        yield transient ? bytes : bytes.slice();
      }
      // A body that ended cleanly but short (no Content-Length) is resumed like a broken one.
      if (received >= descriptor.size) return;
    } catch (error) {
      if (!isTransientNetworkError(error)) throw describeNetworkFailure(client.apiHost, error);
      if (breaks + 1 >= client.retry.attempts) throw describeNetworkFailure(client.apiHost, error);
    }
    breaks++;
    if (breaks >= client.retry.attempts) {
      throw new InputError(`${label}: the transfer broke ${breaks} times (${received} of ${descriptor.size} bytes)`, { code: 'E_NETWORK' });
    }
    await sleep(backoffMs(client.retry, breaks - 1));
  }
}
