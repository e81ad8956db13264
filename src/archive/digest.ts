/**
 * Streaming digests: a Digester that counts and hashes, and verifyStream, which passes chunks
 * through and fails with an IntegrityError as soon as the size is exceeded or, at the end, when
 * the size or digest differs. Digests are OCI-style `algorithm:hex`.
 */
import { createHash, type Hash } from 'node:crypto';
import { InputError, IntegrityError } from '../shared/errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

export class Digester {
  private readonly hash: Hash;
  private count = 0;
  private result: string | undefined;

  constructor(readonly algorithm: DigestAlgorithm = 'sha256') {
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    if (this.result !== undefined) throw new InputError('Digester.update() after digest()', { code: 'E_DIGEST_FINISHED' });
    this.hash.update(chunk);
    this.count += chunk.length;
  }

  /** Bytes hashed so far. */
  get bytes(): number {
    return this.count;
  }

  /** `algorithm:hex` of everything passed to update(); later calls return the same value. */
  digest(): string {
    this.result ??= `${this.algorithm}:${this.hash.digest('hex')}`;
    return this.result;
  }
}

/** Splits and checks an OCI digest; InputError for malformed digests and unsupported algorithms. */
export function parseDigest(digest: string, label: string): { algorithm: DigestAlgorithm; hex: string } {
  const match = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  if (!match) throw new InputError(`${label}: malformed digest ${JSON.stringify(digest)}`, { code: 'E_BAD_DIGEST' });
  const algorithm = match[1]!;
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new InputError(`${label}: unsupported digest algorithm ${algorithm}`, { code: 'E_UNSUPPORTED_DIGEST' });
  }
  const hex = match[2]!;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) {
    throw new InputError(`${label}: malformed ${algorithm} digest ${JSON.stringify(digest)}`, { code: 'E_BAD_DIGEST' });
  }
  return { algorithm, hex };
}

function sizeMismatch(label: string, expected: number, actual: string): IntegrityError {
  return new IntegrityError(`${label}: size mismatch: expected ${expected} bytes, got ${actual}`, { code: 'E_SIZE_MISMATCH' });
}

/**
 * Re-yields `source` while hashing it. Throws IntegrityError E_SIZE_MISMATCH before yielding a
 * chunk that goes past `size`, or at the end when short; E_DIGEST_MISMATCH at the end.
 */
export function verifyStream(
  source: AsyncIterable<Uint8Array>,
  expected: { digest: string; size?: number },
  label: string,
): AsyncIterable<Uint8Array> {
  const { algorithm } = parseDigest(expected.digest, label);
  const size = expected.size;
  return (async function* verifying() {
    const digester = new Digester(algorithm);
    for await (const chunk of source) {
      if (size !== undefined && digester.bytes + chunk.length > size) throw sizeMismatch(label, size, `more`);
      digester.update(chunk);
      yield chunk;
    }
    if (size !== undefined && digester.bytes !== size) throw sizeMismatch(label, size, String(digester.bytes));
    const actual = digester.digest();
    if (actual !== expected.digest) {
      throw new IntegrityError(`${label}: digest mismatch: expected ${expected.digest}, got ${actual}`, { code: 'E_DIGEST_MISMATCH' });
    }
  })();
}
