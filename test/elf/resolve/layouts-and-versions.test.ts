import { describe, expect, test } from 'vitest';
import { detectImageLibc, parseLdSoCache, resolveClosure, staleLdSoCache } from '../../../src/elf/resolve/index.js';
import { EM_386, EM_AARCH64, EM_X86_64, FakeImage, fakeElf, lib, program } from './_fake-image.js';

const INTERP = '/lib64/ld-linux-x86-64.so.2';
const ctx = { env: [] as string[] };

describe('distribution layouts: the default directories and $LIB follow where the loader really is', () => {
  test('RHEL/Fedora: /lib64 and /usr/lib64 only, $LIB = lib64', () => {
    const image = new FakeImage()
      .file('/usr/lib64/ld-linux-x86-64.so.2', lib('ld-linux-x86-64.so.2'))
      .symlink('/lib64', 'usr/lib64')
      .file('/usr/lib64/libc.so.6', lib('libc.so.6'))
      .file('/usr/lib/libonly32.so', lib('libonly32.so'))
      .file('/opt/lib64/libl.so', lib('libl.so'));
    const result = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6', 'libonly32.so', 'libl.so'], rpath: ['/opt/$LIB'] }), image, ctx);
    expect(result.deps.slice(1).map((d) => `${d.name} ${d.via} ${d.viaDetail}`)).toEqual([
      'libc.so.6 default-path /lib64',
      'libonly32.so not-found null',
      'libl.so rpath /opt/lib64',
    ]);
    expect(result.problems[0]).toContain('system directories /lib64:/usr/lib64');
  });

  test('Arch/Wolfi: /lib and /usr/lib; a private prefix (glibc-compat) only its own directory', () => {
    const arch = new FakeImage().file('/usr/lib/ld-linux-x86-64.so.2', lib('ld-linux-x86-64.so.2')).symlink('/lib64', 'usr/lib').file('/usr/lib/libc.so.6', lib('libc.so.6'));
    expect(resolveClosure('/app', program(INTERP, { needed: ['libc.so.6'] }), arch, ctx).deps[1]).toMatchObject({ via: 'default-path', viaDetail: '/usr/lib' });
    const compat = new FakeImage()
      .file('/usr/glibc-compat/lib/ld-linux-x86-64.so.2', lib('ld-linux-x86-64.so.2'))
      .symlink('/lib64/ld-linux-x86-64.so.2', '/usr/glibc-compat/lib/ld-linux-x86-64.so.2')
      .file('/usr/glibc-compat/lib/libc.so.6', lib('libc.so.6'))
      .file('/usr/lib/libz.so.1', lib('libz.so.1'));
    const result = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6', 'libz.so.1'] }), compat, ctx);
    expect(result.deps.slice(1).map((d) => `${d.name} ${d.via} ${d.viaDetail}`)).toEqual(['libc.so.6 default-path /usr/glibc-compat/lib', 'libz.so.1 not-found null']);
  });
});

describe('detectImageLibc', () => {
  test('glibc: the canonical loader, the libc it would load, the highest GLIBC_ version', () => {
    const image = new FakeImage().debianGlibc('2.31');
    expect(detectImageLibc(image)).toEqual({
      glibc: { loader: '/lib64/ld-linux-x86-64.so.2', libc: '/usr/lib/x86_64-linux-gnu/libc.so.6', maxVersion: 'GLIBC_2.31' },
      musl: null,
    });
  });

  test('musl, both, and the e_machine filter', () => {
    const image = new FakeImage()
      .file('/lib/ld-musl-x86_64.so.1', lib('libc.so'))
      .file('/lib/ld-musl-aarch64.so.1', lib('libc.so', {}, EM_AARCH64))
      .file('/lib/ld-linux.so.2', lib('ld-linux.so.2', {}, EM_386))
      .file('/lib/libc.so.6', lib('libc.so.6', { verdef: ['libc.so.6', 'GLIBC_2.0', 'GLIBC_2.1.3', 'GLIBC_2.28'] }, EM_386));
    expect(detectImageLibc(image, EM_AARCH64)).toEqual({ glibc: null, musl: { loader: '/lib/ld-musl-aarch64.so.1' } });
    expect(detectImageLibc(image, EM_X86_64)).toEqual({ glibc: null, musl: { loader: '/lib/ld-musl-x86_64.so.1' } });
    expect(detectImageLibc(image, EM_386)).toEqual({ glibc: { loader: '/lib/ld-linux.so.2', libc: '/lib/libc.so.6', maxVersion: 'GLIBC_2.28' }, musl: null });
  });

  test('scratch: neither', () => {
    expect(detectImageLibc(new FakeImage())).toEqual({ glibc: null, musl: null });
  });
});

describe('symbol versions (glibc)', () => {
  const withLibfoo = (verdef: string[]) => new FakeImage().debianGlibc('2.31').file('/usr/lib/x86_64-linux-gnu/libfoo.so.1', lib('libfoo.so.1', { verdef }));
  const needing = (versions: Array<{ name: string; flags?: number }>) =>
    program(INTERP, {
      needed: ['libfoo.so.1', 'libc.so.6'],
      verneed: [
        { file: 'libfoo.so.1', versions: versions.map((v) => ({ name: v.name, hash: 0, flags: v.flags ?? 0, other: 0 })) },
        { file: 'libc.so.6', versions: [{ name: 'GLIBC_2.34', hash: 0, flags: 0, other: 2 }, { name: 'GLIBC_2.2.5', hash: 0, flags: 0, other: 3 }] },
      ],
    });

  test('a missing version is fatal; the message names what the library does provide', () => {
    const result = resolveClosure('/app/server', needing([{ name: 'FOO_2.0' }]), withLibfoo(['libfoo.so.1', 'FOO_1.0']), ctx);
    expect(result.versionProblems).toEqual([
      'will fail: version FOO_2.0 not found in /usr/lib/x86_64-linux-gnu/libfoo.so.1 (required by /app/server); /usr/lib/x86_64-linux-gnu/libfoo.so.1 provides up to FOO_1.0',
      "will fail: version GLIBC_2.34 not found in /usr/lib/x86_64-linux-gnu/libc.so.6 (required by /app/server); the image's libc provides up to GLIBC_2.31",
    ]);
    expect(result.problems).toEqual(result.versionProblems);
    expect(result.deps.find((d) => d.name === 'libc.so.6')!.problem).toBe(result.versionProblems[1]);
  });

  test('weak version needs only warn', () => {
    const result = resolveClosure('/app/server', needing([{ name: 'FOO_2.0', flags: 0x2 }]), withLibfoo(['libfoo.so.1', 'FOO_1.0']), ctx);
    expect(result.versionProblems.filter((p) => p.includes('FOO'))).toEqual([]);
    expect(result.warnings).toEqual(['/usr/lib/x86_64-linux-gnu/libfoo.so.1: weak version FOO_2.0 not found (required by /app/server)']);
  });

  test('libraries that need versions are checked too; musl checks none', () => {
    const image = new FakeImage()
      .debianGlibc('2.31')
      .file('/usr/lib/x86_64-linux-gnu/libssl.so.3', lib('libssl.so.3', { needed: ['libc.so.6'], verneed: [{ file: 'libc.so.6', versions: [{ name: 'GLIBC_2.33', hash: 0, flags: 0, other: 2 }] }] }));
    const result = resolveClosure('/app', program(INTERP, { needed: ['libssl.so.3'] }), image, ctx);
    expect(result.versionProblems).toEqual([
      "will fail: version GLIBC_2.33 not found in /usr/lib/x86_64-linux-gnu/libc.so.6 (required by /usr/lib/x86_64-linux-gnu/libssl.so.3); the image's libc provides up to GLIBC_2.31",
    ]);
    const musl = new FakeImage().file('/lib/ld-musl-x86_64.so.1', lib('libc.so')).file('/usr/lib/libfoo.so.1', lib('libfoo.so.1'));
    const prog = program('/lib/ld-musl-x86_64.so.1', { needed: ['libfoo.so.1'], verneed: [{ file: 'libfoo.so.1', versions: [{ name: 'FOO_9', hash: 0, flags: 0, other: 2 }] }] });
    expect(resolveClosure('/app', prog, musl, ctx).problems).toEqual([]);
  });
});

describe('ld.so.cache inside resolution', () => {
  const cacheWith = (entries: Array<[string, string, number]>) => {
    const strings: Buffer[] = [];
    let at = 48 + entries.length * 24;
    const offsets: number[] = [];
    for (const [name, path] of entries) {
      for (const text of [name, path]) {
        offsets.push(at);
        strings.push(Buffer.from(`${text}\0`));
        at += text.length + 1;
      }
    }
    const out = Buffer.alloc(at);
    out.write('glibc-ld.so.cache1.1', 0);
    out.writeUInt32LE(entries.length, 20);
    out[28] = 2;
    entries.forEach(([, , flags], i) => {
      out.writeInt32LE(flags, 48 + i * 24);
      out.writeUInt32LE(offsets[i * 2]!, 52 + i * 24);
      out.writeUInt32LE(offsets[i * 2 + 1]!, 56 + i * 24);
    });
    Buffer.concat(strings).copy(out, 48 + entries.length * 24);
    expect(parseLdSoCache(out)).toHaveLength(entries.length);
    return out;
  };

  test('entries of another architecture are skipped via their flags; the cache comes after RUNPATH and before the defaults', () => {
    const image = new FakeImage()
      .debianGlibc()
      .file('/opt/32/libk.so', fakeElf({ machine: EM_386, dynamic: { soname: 'libk.so' } }))
      .file('/opt/64/libk.so', lib('libk.so'))
      .file('/usr/lib/x86_64-linux-gnu/libk.so', lib('libk.so'))
      .file('/etc/ld.so.cache', cacheWith([['libk.so', '/opt/32/libk.so', 0x0003], ['libk.so', '/opt/64/libk.so', 0x0303]]));
    expect(resolveClosure('/app', program(INTERP, { needed: ['libk.so'] }), image, ctx).deps[1]).toMatchObject({ via: 'ld.so.cache', path: '/opt/64/libk.so', viaDetail: '/etc/ld.so.cache' });
  });

  test('a corrupt cache is ignored, as ld.so does, with a warning', () => {
    const image = new FakeImage().debianGlibc().file('/etc/ld.so.cache', 'garbage');
    const result = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6'] }), image, ctx);
    expect(result.deps[1]!.via).toBe('default-path');
    expect(result.warnings).toEqual(['/etc/ld.so.cache is ignored by ld.so: ld.so.cache: unknown format (neither ld.so-1.7.0 nor glibc-ld.so.cache1.1)']);
  });

  test('staleLdSoCache: one line per configured directory whose libraries the cache lacks', () => {
    const image = new FakeImage()
      .debianGlibc()
      .file('/etc/ld.so.conf', '/opt/x\n/opt/y\n')
      .file('/opt/x/libx.so.1.0', lib('libx.so.1'))
      .symlink('/opt/x/libx.so.1', 'libx.so.1.0')
      .symlink('/opt/x/libx.so', 'libx.so.1')
      .file('/opt/x/README', 'text')
      .file('/opt/y/liby.so.2', lib('liby.so.2'))
      .file('/etc/ld.so.cache', cacheWith([['liby.so.2', '/opt/y/liby.so.2', 0x0303]]));
    expect(staleLdSoCache(image)).toEqual(['/etc/ld.so.cache is stale: /opt/x (listed in /etc/ld.so.conf) has libx.so.1, which the cache lacks (run ldconfig in the image build)']);
  });
});

describe('other loaders and odd interpreters', () => {
  test('an unknown PT_INTERP gets the generic ELF rules and says so', () => {
    const image = new FakeImage().file('/system/bin/linker64', lib('linker64')).file('/usr/lib/libq.so', lib('libq.so'));
    const result = resolveClosure('/app', program('/system/bin/linker64', { needed: ['libq.so'] }), image, ctx);
    expect(result.flavour).toBe('other');
    expect(result.deps[1]).toMatchObject({ via: 'default-path', path: '/usr/lib/libq.so' });
    expect(result.warnings).toEqual(["/system/bin/linker64 is neither glibc's nor musl's loader: resolved with the generic ELF rules"]);
  });

  test('a relative PT_INTERP is opened from the working directory', () => {
    const image = new FakeImage().debianGlibc().file('/work/ld.so', lib('ld-linux-x86-64.so.2'));
    const result = resolveClosure('/app', program('ld.so', { needed: [] }), image, { env: [], workingDir: '/work' });
    expect(result.deps[0]).toMatchObject({ via: 'interpreter', path: '/work/ld.so', problem: null });
  });

  test('a loader for another machine is named when the right one is missing', () => {
    const image = new FakeImage().file('/lib/ld-linux-aarch64.so.1', lib('ld-linux-aarch64.so.1', {}, EM_AARCH64));
    expect(resolveClosure('/app', program(INTERP), image, ctx).problems).toEqual([
      `interpreter ${INTERP} is not in the image: exec fails with "no such file or directory" (the image's loader /lib/ld-linux-aarch64.so.1 is for another machine)`,
    ]);
  });
});
