/** SharedNames: layers' ELF names pointed at one string each, values unchanged. */
import { describe, expect, it } from 'vitest';
import type { LayerScan } from '../../src/analysis/layer-scanner.js';
import { SharedNames } from '../../src/analysis/shared-names.js';

/** A scan result with one ELF entry per [imports, needed] pair (only the fields SharedNames reads). */
function scanOf(index: number, files: Array<[string[], string[] | null]>): LayerScan {
  const entries = files.map(([imports, needed], i) => ({
    path: `/bin/f${index}-${i}`,
    payload: { elf: { imports, dynamic: needed ? { needed } : null } },
  }));
  return { index, entries } as unknown as LayerScan;
}

describe('SharedNames', () => {
  it('keeps every name, list and entry as it was, in place, across layers', () => {
    const names = new SharedNames();
    // Names built at run time, as a structured clone's copies are: equal values, distinct strings.
    const copy = (text: string) => [...text].join('');
    const first = scanOf(0, [[[copy('malloc'), copy('free')], [copy('libc.so.6')]], [[], null]]);
    const second = scanOf(1, [[[copy('free'), copy('dlopen'), copy('malloc')], [copy('libc.so.6'), copy('libm.so.6')]]]);
    const before = JSON.stringify([first, second]);
    const lists = second.entries.map((entry) => entry.payload!.elf!.imports);
    expect(names.share(first)).toBe(first);
    expect(names.share(second)).toBe(second);
    expect(JSON.stringify([first, second])).toBe(before);
    expect(second.entries.map((entry) => entry.payload!.elf!.imports)).toEqual(lists);
    expect(second.entries[0]!.payload!.elf!.imports).toBe(lists[0]);
  });

  it('passes entries without ELF facts through', () => {
    const scan = { index: 0, entries: [{ path: '/etc/passwd', payload: { content: new Uint8Array(1) } }, { path: '/x' }] } as unknown as LayerScan;
    expect(new SharedNames().share(scan)).toBe(scan);
  });
});
