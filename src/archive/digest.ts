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
 * Checks bytes against an expected digest (and size) as they pass: update() throws
 * IntegrityError E_SIZE_MISMATCH before taking a chunk that goes past `size`, finish() when they
 * are short or their digest differs (E_DIGEST_MISMATCH).
 */
export class StreamVerifier {
  private readonly digester: Digester;

  constructor(
    private readonly expected: { digest: string; size?: number },
    private readonly label: string,
  ) {
    this.digester = new Digester(parseDigest(expected.digest, label).algorithm);
  }

  update(chunk: Uint8Array): void {
    const { size } = this.expected;
    if (size !== undefined && this.digester.bytes + chunk.length > size) throw sizeMismatch(this.label, size, `more`);
    this.digester.update(chunk);
  }

  finish(): void {
    const { size, digest } = this.expected;
    if (size !== undefined && this.digester.bytes !== size) throw sizeMismatch(this.label, size, String(this.digester.bytes));
    const actual = this.digester.digest();
    if (actual !== digest) {
      throw new IntegrityError(`${this.label}: digest mismatch: expected ${digest}, got ${actual}`, { code: 'E_DIGEST_MISMATCH' });
    }
  }
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
  const verifier = new StreamVerifier(expected, label);
  return (async function* verifying() {
    for await (const chunk of source) {
      verifier.update(chunk);
      yield chunk;
    }
    verifier.finish();
  })();
}
