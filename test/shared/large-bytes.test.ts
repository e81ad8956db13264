/**
 * largeBytes: zeroed, writable buffers of exactly the size asked; from LARGE_BYTES up backed by
 * WebAssembly memory (whole 64 KiB pages, mapped by V8 rather than malloc'd).
 */
import { describe, expect, it } from 'vitest';
import { LARGE_BYTES, largeBytes } from '../../src/shared/large-bytes.js';

describe('largeBytes', () => {
  it.each([0, 1, 4096, LARGE_BYTES - 1, LARGE_BYTES, LARGE_BYTES + 12_345, 16 << 20])('%i bytes: zeroed, writable, that long', (size) => {
    const bytes = largeBytes(size);
    expect(bytes).toHaveLength(size);
    expect(bytes.every((byte) => byte === 0)).toBe(true);
    if (size > 0) {
      bytes[size - 1] = 7;
      expect(bytes[size - 1]).toBe(7);
    }
  });

  it('maps big buffers as whole wasm pages, small ones as they are', () => {
    expect(largeBytes(LARGE_BYTES - 1).buffer.byteLength).toBe(LARGE_BYTES - 1);
    const big = largeBytes(LARGE_BYTES + 1);
    expect(big.buffer.byteLength).toBe(LARGE_BYTES + 65_536);
    expect(big.byteOffset).toBe(0);
  });

  it('survives many in turn (each unmapped when collected)', () => {
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = largeBytes(LARGE_BYTES);
      bytes[i] = 1;
      sum += bytes[i]!;
    }
    expect(sum).toBe(200);
  });
});
