/**
 * A short seeded run of scripts/fuzz.mjs against the built CLI: 40 mutated images (layer bytes,
 * the ELF inside the layer, manifest/config/index JSON, digests recomputed), each through
 * analyze, slim and check. None may exit 70, run over 10 s, print more than one stderr line, or
 * leave anything in the output directory. Longer runs: `node scripts/fuzz.mjs --cases 2000`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ESM script without type declarations
import { runFuzz } from '../../scripts/fuzz.mjs';
import { ensureBuilt } from '../helpers/build.js';

interface CaseResult {
  n: number;
  what: string;
  size: number;
  statuses: Array<number | null>;
  failures: string[];
}

describe.skipIf(!existsSync('/usr/bin/true'))('fuzz harness (seeded)', () => {
  test('40 hostile images: no exit 70, no hang, one stderr line, nothing left behind', () => {
    ensureBuilt();
    const results: CaseResult[] = runFuzz({ seed: 20261205, cases: 40 });
    expect(results).toHaveLength(40);
    expect(results.filter((result) => result.failures.length > 0).map((result) => `#${result.n} ${result.what}: ${result.failures.join('; ')}`)).toEqual([]);
    // The mutations reach the parsers: some cases are refused as unreadable input (exit 3), some read.
    const statuses = new Set(results.flatMap((result) => result.statuses));
    expect(statuses).toContain(3);
    expect(statuses).toContain(0);
  }, 600_000);
});
