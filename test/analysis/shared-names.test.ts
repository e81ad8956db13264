/** SharedNames: layers' ELF names pointed at one string each, values unchanged. */
import { describe, expect, it } from 'vitest';
import type { LayerScan } from '../../src/analysis/layer-scanner.js';
import { SharedNames } from '../../src/analysis/shared-names.js';

/** A scan result with one ELF entry per [imports, needed] pair (only the fields SharedNames reads). */
function scanOf(index: number, files: Array<[string[], string[] | null]>): LayerScan {
  const entries = files.map(([imports, needed], i) => ({
    path: `/bin/f${index}-${i}`,
    payload: { elf: { imports, comment: [], machineName: 'x86-64', osabiName: 'System V', interpreter: null, dynamic: needed ? { needed, verdef: [], verneed: [] } : null } },
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

  it('shares the dynamic section\'s names and the strings most files repeat, values unchanged', () => {
    const copy = (text: string) => [...text].join('');
    const elfOf = () => ({
      imports: [copy('malloc')],
      comment: [copy('GCC: (Debian 12.2.0-14) 12.2.0')],
      machineName: copy('x86-64'),
      osabiName: copy('System V'),
      interpreter: copy('/lib64/ld-linux-x86-64.so.2'),
      dynamic: { needed: [copy('libc.so.6')], verdef: [copy('libx.so.1')], verneed: [{ file: copy('libc.so.6'), versions: [{ name: copy('GLIBC_2.34'), hash: 1, flags: 0, other: 2 }] }] },
    });
    const scans = [0, 1].map((index) => ({ index, entries: [{ path: `/bin/f${index}`, payload: { elf: elfOf() } }] }) as unknown as LayerScan);
    const before = JSON.stringify(scans);
    const names = new SharedNames();
    for (const scan of scans) names.share(scan);
    expect(JSON.stringify(scans)).toBe(before);
    // Identity cannot be observed with strings; the values above are the contract, and every field is still a string.
    const second = scans[1]!.entries[0]!.payload!.elf!;
    expect([second.machineName, second.osabiName, second.interpreter, second.dynamic!.verneed[0]!.file, second.dynamic!.verneed[0]!.versions[0]!.name]).toEqual([
      'x86-64',
      'System V',
      '/lib64/ld-linux-x86-64.so.2',
      'libc.so.6',
      'GLIBC_2.34',
    ]);
  });

  it('passes entries without ELF facts through', () => {
    const scan = { index: 0, entries: [{ path: '/etc/passwd', payload: { content: new Uint8Array(1) } }, { path: '/x' }] } as unknown as LayerScan;
    expect(new SharedNames().share(scan)).toBe(scan);
  });
});
