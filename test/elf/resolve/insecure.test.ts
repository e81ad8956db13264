import { describe, expect, test } from 'vitest';
import { insecureSearchPaths } from '../../../src/elf/resolve/index.js';
import { fakeElf } from './_fake-image.js';

const elf = (rpath: string[], runpath: string[] = []) => fakeElf({ dynamic: { rpath, runpath } });

describe('insecureSearchPaths', () => {
  test('absolute, $ORIGIN, $LIB and $PLATFORM entries are fine in ordinary programs', () => {
    expect(insecureSearchPaths(elf(['/opt/lib', '$ORIGIN/../lib', '${ORIGIN}', '/usr/$LIB', '$PLATFORM/x']), { setuid: false })).toEqual([]);
    expect(insecureSearchPaths(elf([''], ['']), { setuid: false })).toEqual([]);
  });

  test('empty and relative entries mean the working directory', () => {
    expect(insecureSearchPaths(elf(['/opt/lib', ''], ['lib', './x']), { setuid: false })).toEqual([
      'RPATH has an empty entry: libraries are looked up in the working directory',
      "RUNPATH entry 'lib' is relative: libraries are looked up relative to the working directory",
      "RUNPATH entry './x' is relative: libraries are looked up relative to the working directory",
    ]);
  });

  test('world-writable directories', () => {
    expect(insecureSearchPaths(elf(['/tmp/build/lib', '/var/tmp', '/tmpfoo']), { setuid: false })).toEqual([
      "RPATH entry '/tmp/build/lib' is in a world-writable directory: anyone can plant a library there",
      "RPATH entry '/var/tmp' is in a world-writable directory: anyone can plant a library there",
    ]);
  });

  test('$ORIGIN in setuid/setgid programs', () => {
    expect(insecureSearchPaths(elf([], ['$ORIGIN/../lib']), { setuid: true })).toEqual([
      "RUNPATH entry '$ORIGIN/../lib' uses $ORIGIN in a setuid/setgid program: hard links can point it at attacker-controlled directories (glibc accepts it only inside trusted directories, musl ignores it)",
    ]);
  });

  test('no dynamic section: nothing', () => {
    expect(insecureSearchPaths(fakeElf({ dynamic: null }), { setuid: true })).toEqual([]);
  });
});
