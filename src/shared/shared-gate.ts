/**
 * A gate one thread holds at a time, over two Int32s of a SharedArrayBuffer (who holds it, and a
 * counter that names each holding): scan threads take it before they keep a big ELF file's
 * tables, so that two such windows are not resident at once (docs/decisions/elf.md, "One big
 * window at a time"). Each thread makes its own SharedGate over the same buffer.
 *
 * Waiting is bounded: after `patienceMs` a thread goes ahead without the gate, so a holder that
 * stalls can cost memory, never a hang. A thread that gave up on one holding does not wait for
 * it again: a holder streaming a huge file makes the other thread wait once, not once per file.
 */
const HOLDER = 0;
const COUNTER = 1;

export class SharedGate {
  private readonly cells: Int32Array;
  private held = false;
  /** The holding this thread stopped waiting for (0: none). */
  private gaveUpOn = 0;

  constructor(readonly buffer: SharedArrayBuffer = SharedGate.newBuffer()) {
    this.cells = new Int32Array(buffer, 0, 2);
  }

  /** A free gate's memory, to share with the threads that use it. */
  static newBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  }

  /** Takes the gate, waiting at most `patienceMs` for its holder; false when it went ahead without it. */
  enter(patienceMs: number): boolean {
    if (this.held) return true;
    const deadline = Date.now() + patienceMs;
    for (;;) {
      // A name for this holding: never 0, which means free.
      const name = (Atomics.add(this.cells, COUNTER, 1) + 1) | 0 || 1;
      const holder = Atomics.compareExchange(this.cells, HOLDER, 0, name);
      if (holder === 0) {
        this.held = true;
        return true;
      }
      if (holder === this.gaveUpOn) return false;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.gaveUpOn = holder;
        return false;
      }
      Atomics.wait(this.cells, HOLDER, holder, left);
    }
  }

  /** Gives the gate back, if this thread holds it, and wakes one waiting thread. */
  leave(): void {
    if (!this.held) return;
    this.held = false;
    Atomics.store(this.cells, HOLDER, 0);
    Atomics.notify(this.cells, HOLDER, 1);
  }
}
