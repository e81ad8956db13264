/**
 * Zeroed buffers for large, short-lived ranges of big ELF files: look-backs, and kept ranges that
 * no scan thread's arena (src/elf/retention-arena.ts) holds. From LARGE_BYTES up they are
 * WebAssembly memory, which V8 maps and unmaps itself, instead of a malloc'd ArrayBuffer:
 * glibc raises its mmap threshold to the size of every mmapped block freed (up to 32 MiB), after
 * which each smaller block comes from a thread's arena and stays resident once freed. A 16 MiB
 * range freed in a worker thus kept tens of MB resident (docs/decisions/elf.md, Memory).
 */

/** Below this, a plain ArrayBuffer: one mmapped block this small raises the threshold little. */
export const LARGE_BYTES = 4 << 20;
const WASM_PAGE = 64 * 1024;

// The part of the WebAssembly global used here (the project's TypeScript libs do not declare it).
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer } };

export function largeBytes(size: number): Uint8Array {
  if (size < LARGE_BYTES) return new Uint8Array(size);
  const pages = Math.ceil(size / WASM_PAGE);
  try {
    return new Uint8Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, size);
  } catch {
    // No address space for another wasm memory (each reserves its guard region): malloc it.
    return new Uint8Array(size);
  }
}
