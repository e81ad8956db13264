/**
 * One string per distinct ELF name across a scan. A layer's results arrive from its scan thread
 * as a copy, so every file's names are new strings, though a few thousand make most of them (the
 * 2× bench image: 237,852 imports, 25,022 distinct, when scans kept them all). Replacing each by
 * the first equal one seen lets the copies die young: about 5 MB less peak RSS on the 2× bench
 * image (docs/benchmarks.md, seventh session), 2 MB more since the version and library names of
 * the dynamic section, `.comment` and the interpreter are shared too (eighth session).
 */
import type { LayerScan } from './layer-scanner.js';

export class SharedNames {
  private readonly names = new Map<string, string>();

  /**
   * Points `scan`'s ELF names at the strings this table holds (in place): imports, the dynamic
   * section's library and version names, and the strings most files repeat (interpreter,
   * `.comment`, machine and OS ABI names).
   */
  share(scan: LayerScan): LayerScan {
    for (const entry of scan.entries) {
      const elf = entry.payload?.elf;
      if (!elf) continue;
      this.shareAll(elf.imports);
      this.shareAll(elf.comment);
      elf.machineName = this.one(elf.machineName);
      elf.osabiName = this.one(elf.osabiName);
      if (elf.interpreter !== null) elf.interpreter = this.one(elf.interpreter);
      const dynamic = elf.dynamic;
      if (!dynamic) continue;
      this.shareAll(dynamic.needed);
      this.shareAll(dynamic.verdef);
      for (const need of dynamic.verneed) {
        need.file = this.one(need.file);
        for (const version of need.versions) version.name = this.one(version.name);
      }
    }
    return scan;
  }

  private shareAll(list: string[]): void {
    for (let i = 0; i < list.length; i++) list[i] = this.one(list[i]!);
  }

  private one(name: string): string {
    const held = this.names.get(name);
    if (held !== undefined) return held;
    this.names.set(name, name);
    return name;
  }
}
