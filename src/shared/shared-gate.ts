/**
 * A gate one thread holds at a time, over one Int32 of a SharedArrayBuffer: scan threads take it
 * before they keep a big ELF file's tables, so that two such windows are not resident at once
 * (docs/decisions/elf.md, "One big window at a time"). Each thread makes its own SharedGate over
 * the same buffer. Waiting is bounded: after `patienceMs` a thread goes ahead without the gate,
 * so a holder that stalls can cost memory, never a hang.
 */
export class SharedGate {
  private readonly cell: Int32Array;
  private held = false;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.cell = new Int32Array(buffer, 0, 1);
  }

  /** Takes the gate, waiting at most `patienceMs` for its holder; false when it went ahead without it. */
  enter(patienceMs: number): boolean {
    if (this.held) return true;
    const deadline = Date.now() + patienceMs;
    for (;;) {
      if (Atomics.compareExchange(this.cell, 0, 0, 1) === 0) {
        this.held = true;
        return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.cell, 0, 1, left);
    }
  }

  /** Gives the gate back, if this thread holds it, and wakes one waiting thread. */
  leave(): void {
    if (!this.held) return;
    this.held = false;
    Atomics.store(this.cell, 0, 0);
    Atomics.notify(this.cell, 0, 1);
  }
}
