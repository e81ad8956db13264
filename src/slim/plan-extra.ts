/**
 * Paths found in use by other means than static analysis (the traced probes of src/probe), each
 * with its reason. One that exists in the image is kept as a process reaches it: every symlink
 * followed on the way, the entry it ends at (a directory alone, not its tree), an ELF file with its
 * closure. A lookup that fails keeps nothing: the process looked for something the image lacks,
 * which the slimmed image lacks too.
 */
import { lookupTrail } from './lookup.js';
import type { Planner } from './planner.js';
import type { ExtraPath } from './types.js';

export function keepExtraPaths(p: Planner, extras: readonly ExtraPath[]): void {
  for (const extra of extras) {
    const followLast = extra.followLast ?? true;
    if (lookupTrail(p.analysis.merged.entries, extra.path, followLast).final === null) continue;
    p.keep.keepLookup(extra.path, extra.reason, { followLast });
  }
}
