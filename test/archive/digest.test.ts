/**
 * Digester and verifyStream: OCI digests, size checks as soon as a stream runs long, digest and
 * size mismatches at the end, malformed or unsupported digests up front, early close.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Digester, parseDigest, verifyStream } from '../../src/archive/index.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<string[]> {
  const seen: string[] = [];
  for await (const chunk of stream) seen.push(Buffer.from(chunk).toString());
  return seen;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('Digester', () => {
  it('hashes and counts across updates; digest() is stable', () => {
    const digester = new Digester();
    digester.update(Buffer.from('hello '));
    digester.update(Buffer.from('world'));
    expect(digester.bytes).toBe(11);
    expect(digester.digest()).toBe(sha256('hello world'));
    expect(digester.digest()).toBe(sha256('hello world'));
    expect(() => digester.update(Buffer.from('!'))).toThrow(/after digest/);
  });

  it('supports sha512 and the empty input', () => {
    const digester = new Digester('sha512');
    expect(digester.digest()).toBe(`sha512:${createHash('sha512').digest('hex')}`);
    expect(new Digester().digest()).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('verifyStream', () => {
  it('passes matching content through unchanged', async () => {
    const verified = verifyStream(chunks('hello ', 'world'), { digest: sha256('hello world'), size: 11 }, 'blob');
    expect(await drain(verified)).toEqual(['hello ', 'world']);
  });

  it('fails at the end on a digest mismatch, naming the label', async () => {
    const verified = verifyStream(chunks('hello'), { digest: sha256('other') }, 'config sha256:ab12');
    await expect(drain(verified)).rejects.toMatchObject({
      name: 'IntegrityError',
      code: 'E_DIGEST_MISMATCH',
      exitCode: 4,
      message: `config sha256:ab12: digest mismatch: expected ${sha256('other')}, got ${sha256('hello')}`,
    });
  });

  it('fails as soon as the size is exceeded, before yielding the extra bytes', async () => {
    const seen: string[] = [];
    const verified = verifyStream(chunks('12345', '67890', 'never'), { digest: sha256('1234567890never'), size: 7 }, 'layer');
    await expect(
      (async () => {
        for await (const chunk of verified) seen.push(Buffer.from(chunk).toString());
      })(),
    ).rejects.toMatchObject({ code: 'E_SIZE_MISMATCH' });
    expect(seen).toEqual(['12345']);
  });

  it('fails at the end when the content is short', async () => {
    await expect(drain(verifyStream(chunks('abc'), { digest: sha256('abc'), size: 4 }, 'layer'))).rejects.toMatchObject({
      code: 'E_SIZE_MISMATCH',
      message: 'layer: size mismatch: expected 4 bytes, got 3',
    });
  });

  it('rejects unsupported algorithms and malformed digests up front with an InputError', () => {
    expect(() => verifyStream(chunks('x'), { digest: 'md5:d41d8cd98f00b204e9800998ecf8427e' }, 'blob')).toThrow(
      expect.objectContaining({ name: 'InputError', code: 'E_UNSUPPORTED_DIGEST' }),
    );
    for (const digest of ['sha256', 'sha256:xyz', `sha256:${'A'.repeat(64)}`, `sha512:${'a'.repeat(64)}`]) {
      expect(() => parseDigest(digest, 'blob')).toThrow(expect.objectContaining({ code: 'E_BAD_DIGEST' }));
    }
  });

  it('stopping early closes the source and raises nothing', async () => {
    let closed = false;
    async function* source() {
      try {
        yield* chunks('a', 'b', 'c');
      } finally {
        closed = true;
      }
    }
    for await (const chunk of verifyStream(source(), { digest: sha256('abc') }, 'blob')) {
      expect(Buffer.from(chunk).toString()).toBe('a');
      break;
    }
    expect(closed).toBe(true);
  });
});
