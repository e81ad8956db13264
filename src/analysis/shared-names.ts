/**
 * One string per distinct ELF symbol or library name across a scan. A layer's results arrive from
 * its scan thread as a copy, so every file's import names are new strings, though a few thousand
 * names make most of them (the 2× bench image: 237,852 imports, 25,022 distinct). Replacing each
 * by the first equal one seen lets the copies die young: about 5 MB less peak RSS on the 2× bench
 * image (docs/benchmarks.md, seventh session).
 */
import type { LayerScan } from './layer-scanner.js';

export class SharedNames {
  private readonly names = new Map<string, string>();

  /** Points `scan`'s ELF import and needed names at the strings this table holds (in place). */
  share(scan: LayerScan): LayerScan {
    for (const entry of scan.entries) {
      const elf = entry.payload?.elf;
      if (!elf) continue;
      this.shareAll(elf.imports);
      if (elf.dynamic) this.shareAll(elf.dynamic.needed);
    }
    return scan;
  }

  private shareAll(list: string[]): void {
    for (let i = 0; i < list.length; i++) {
      const name = list[i]!;
      const held = this.names.get(name);
      if (held === undefined) this.names.set(name, name);
      else list[i] = held;
    }
  }
}
