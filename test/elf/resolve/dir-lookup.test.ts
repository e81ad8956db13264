import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseElf } from '../../../src/elf/parse.js';
import { createDirLookup } from '../../../src/elf/resolve/index.js';
import type { FileLookup } from '../../../src/elf/types.js';
import { removeDir, scratchDir } from './_real-root.js';

describe('createDirLookup: chroot semantics on a real directory tree', () => {
  let root: string;
  let outside: string;
  let lookup: FileLookup;
  const file = (p: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), content);
  };
  const link = (p: string, target: string) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    symlinkSync(target, path.join(root, p));
  };

  beforeAll(() => {
    root = scratchDir('dir-lookup');
    outside = scratchDir('dir-lookup-outside');
    writeFileSync(path.join(outside, 'secret'), 'host secret');
    file('/usr/lib/x86_64-linux-gnu/libz.so.1.3', 'not elf');
    link('/lib', 'usr/lib');
    link('/usr/lib/x86_64-linux-gnu/libz.so.1', 'libz.so.1.3');
    link('/lib64/ld.so', '/lib/x86_64-linux-gnu/libz.so.1');
    link('/etc/passwd-link', '/etc/passwd');
    file('/etc/passwd', 'root:x:0:0::/:/bin/sh\n');
    link('/escape-abs', outside);
    link('/escape-rel', `../../../../../../../..${outside}/secret`);
    link('/loop-a', 'loop-b');
    link('/loop-b', 'loop-a');
    link('/dangling', '/nowhere');
    file('/bin/true', readFileSync('/bin/true'));
    file('/data/small', 'hello');
  });
  afterAll(() => {
    removeDir(root);
    removeDir(outside);
  });
  beforeAll(() => {
    lookup = createDirLookup(root, parseElf);
  });

  test('symlink chains: every hop, absolute targets restart at the root', () => {
    expect(lookup.resolve('/lib64/ld.so')).toEqual({
      path: '/usr/lib/x86_64-linux-gnu/libz.so.1.3',
      chain: ['/lib64/ld.so', '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1.3'],
      kind: 'file',
    });
    expect(lookup.resolve('/lib/x86_64-linux-gnu/../x86_64-linux-gnu/./libz.so.1.3')).toMatchObject({ path: '/usr/lib/x86_64-linux-gnu/libz.so.1.3' });
    expect(lookup.resolve('/')).toEqual({ path: '/', chain: ['/'], kind: 'directory' });
    expect(lookup.resolve('/usr/lib')).toMatchObject({ kind: 'directory' });
  });

  test('never onto the host: absolute targets and `..` stay inside the root', () => {
    expect(lookup.resolve('/etc/passwd-link')).toMatchObject({ path: '/etc/passwd' });
    expect(Buffer.from(lookup.readFile('/etc/passwd-link')!).toString()).toBe('root:x:0:0::/:/bin/sh\n');
    expect(lookup.resolve('/escape-abs')).toBeNull();
    expect(lookup.resolve('/escape-rel')).toBeNull();
    expect(lookup.resolve('/../../..' + outside + '/secret')).toBeNull();
    expect(lookup.readFile('/escape-rel')).toBeNull();
  });

  test('loops fail (ELOOP after 40 hops), dangling links and paths through files are null', () => {
    expect(lookup.resolve('/loop-a')).toBeNull();
    expect(lookup.resolve('/dangling')).toBeNull();
    expect(lookup.resolve('/data/small/x')).toBeNull();
  });

  test('elf() parses ELF files only; readFile and list follow symlinks', () => {
    expect(lookup.elf('/bin/true')).toMatchObject({ class: 64, type: expect.stringMatching(/DYN|EXEC/) });
    expect(lookup.elf('/data/small')).toBeNull();
    expect(lookup.elf('/usr/lib')).toBeNull();
    expect(Buffer.from(lookup.readFile('/data/small')!).toString()).toBe('hello');
    expect(lookup.readFile('/usr/lib')).toBeNull();
    expect(lookup.list('/lib')).toEqual(['x86_64-linux-gnu']);
    expect(lookup.list('/data/small')).toBeNull();
  });
});
