import { describe, expect, test } from 'vitest';
import { createResolveMemo, resolveClosure } from '../../../src/elf/resolve/index.js';
import { EM_386, FakeImage, fakeElf, lib, program } from './_fake-image.js';

const INTERP = '/lib64/ld-linux-x86-64.so.2';
const ctx = { env: [] as string[], workingDir: '/' };
const summary = (deps: Array<{ name: string; path: string | null; via: string }>) => deps.map((d) => `${d.name} ${d.via} ${d.path}`);

describe('glibc: interpreter and link map', () => {
  test('the interpreter comes first with its symlink chain, and a DT_NEEDED of its SONAME is already loaded', () => {
    const image = new FakeImage().debianGlibc();
    const result = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6'] }), image, ctx);
    expect(result.flavour).toBe('glibc');
    expect(result.problems).toEqual([]);
    expect(result.deps[0]).toEqual({
      name: INTERP,
      path: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      via: 'interpreter',
      viaDetail: null,
      neededBy: '/app',
      chain: [INTERP, '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'],
      depth: 1,
      problem: null,
    });
    expect(summary(result.deps.slice(1))).toEqual([
      'libc.so.6 default-path /usr/lib/x86_64-linux-gnu/libc.so.6',
      'ld-linux-x86-64.so.2 already-loaded /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
    expect(result.deps[1]).toMatchObject({ viaDetail: '/lib/x86_64-linux-gnu', chain: ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6'], depth: 1 });
    expect(result.deps[2]).toMatchObject({ neededBy: '/usr/lib/x86_64-linux-gnu/libc.so.6', depth: 2 });
  });

  test('vDSO names are the kernel’s: no path, never a problem', () => {
    const image = new FakeImage().debianGlibc();
    const result = resolveClosure('/app', program(INTERP, { needed: ['linux-vdso.so.1', 'linux-gate.so.1', 'linux-vdso64.so.1', 'linux-vdso32.so.1'] }), image, ctx);
    expect(result.deps.slice(1).map((d) => [d.via, d.path, d.problem])).toEqual(Array(4).fill(['vdso', null, null]));
    expect(result.problems).toEqual([]);
  });

  test('a missing interpreter fails exec; on a musl image the message says so', () => {
    const bare = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6'] }), new FakeImage(), ctx);
    expect(bare.problems[0]).toBe(`interpreter ${INTERP} is not in the image: exec fails with "no such file or directory"`);
    expect(bare.deps[0]).toMatchObject({ path: null, via: 'interpreter' });
    const alpine = new FakeImage().file('/lib/ld-musl-x86_64.so.1', lib('libc.so')).symlink('/lib/libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1');
    const result = resolveClosure('/app', program(INTERP, { needed: ['libc.so.6'] }), alpine, ctx);
    expect(result.problems[0]).toBe(`interpreter ${INTERP} is not in the image — a glibc binary on a musl image: the image has /lib/ld-musl-x86_64.so.1`);
    expect(result.problems[1]).toMatch(/^libc\.so\.6 not found \(needed by \/app\); searched /);
  });

  test('an interpreter of the wrong class or machine, or not ELF, cannot be loaded by the kernel', () => {
    const image = new FakeImage().file('/lib/ld-linux.so.2', lib('ld-linux.so.2', {}, EM_386)).file('/lib/ld-text.so', 'not elf');
    const wrong = resolveClosure('/app', program('/lib/ld-linux.so.2'), image, ctx);
    expect(wrong.problems).toEqual(['interpreter /lib/ld-linux.so.2 is ELF32 i386 but /app is ELF64 x86-64: wrong class/machine, the kernel cannot load it']);
    expect(resolveClosure('/app', program('/lib/ld-text.so'), image, ctx).problems[0]).toBe('interpreter /lib/ld-text.so (/lib/ld-text.so) is not an ELF file: the kernel cannot load it');
  });

  test('objects are matched by SONAME, by every name they were loaded as, and by file identity', () => {
    const image = new FakeImage()
      .debianGlibc()
      .file('/usr/lib/x86_64-linux-gnu/libz.so.1.3', lib('libz.so.1'))
      .symlink('/usr/lib/x86_64-linux-gnu/libz.so.1', 'libz.so.1.3')
      .symlink('/usr/lib/x86_64-linux-gnu/libz.so', 'libz.so.1')
      .file('/usr/lib/x86_64-linux-gnu/liba.so.1', lib('liba.so.1', { needed: ['libz.so', 'libz.so.1'] }));
    const result = resolveClosure('/app', program(INTERP, { needed: ['libz.so.1', 'liba.so.1'] }), image, ctx);
    expect(summary(result.deps.slice(1))).toEqual([
      'libz.so.1 default-path /usr/lib/x86_64-linux-gnu/libz.so.1.3',
      'liba.so.1 default-path /usr/lib/x86_64-linux-gnu/liba.so.1',
      'libz.so already-loaded /usr/lib/x86_64-linux-gnu/libz.so.1.3',
      'libz.so.1 already-loaded /usr/lib/x86_64-linux-gnu/libz.so.1.3',
    ]);
  });

  test('breadth-first load order, and cycles terminate', () => {
    const dir = '/usr/lib/x86_64-linux-gnu';
    const image = new FakeImage()
      .debianGlibc()
      .file(`${dir}/liba.so`, lib('liba.so', { needed: ['libc.so.6', 'libc2.so'] }))
      .file(`${dir}/libb.so`, lib('libb.so', { needed: ['libb2.so'] }))
      .file(`${dir}/libc2.so`, lib('libc2.so', { needed: ['liba.so'] }))
      .file(`${dir}/libb2.so`, lib('libb2.so', { needed: ['libb.so'] }));
    const result = resolveClosure('/app', program(INTERP, { needed: ['liba.so', 'libb.so'] }), image, ctx);
    const loaded = result.deps.filter((d) => d.via === 'default-path').map((d) => d.name);
    expect(loaded).toEqual(['liba.so', 'libb.so', 'libc.so.6', 'libc2.so', 'libb2.so']);
    expect(result.deps.filter((d) => d.via === 'already-loaded').map((d) => `${d.name}<-${d.neededBy.split('/').pop()}`)).toEqual([
      'ld-linux-x86-64.so.2<-libc.so.6',
      'liba.so<-libc2.so',
      'libb.so<-libb2.so',
    ]);
    expect(result.problems).toEqual([]);
  });

  test('a DT_NEEDED with a slash is a path; relative paths start at the working directory', () => {
    const image = new FakeImage().debianGlibc().file('/opt/x/libp.so', lib('libp.so'));
    const abs = resolveClosure('/app', program(INTERP, { needed: ['/opt/x/libp.so'] }), image, ctx);
    expect(abs.deps[1]).toMatchObject({ via: 'path', path: '/opt/x/libp.so', viaDetail: '/opt/x/libp.so' });
    const rel = resolveClosure('/app', program(INTERP, { needed: ['x/libp.so'] }), image, { env: [], workingDir: '/opt' });
    expect(rel.deps[1]).toMatchObject({ via: 'path', path: '/opt/x/libp.so' });
  });
});

describe('glibc: search order', () => {
  const dir = '/usr/lib/x86_64-linux-gnu';
  const image = () =>
    new FakeImage()
      .debianGlibc()
      .file('/rpath/libx.so', lib('libx.so'))
      .file('/llp/libx.so', lib('libx.so'))
      .file('/runpath/libx.so', lib('libx.so'))
      .file('/cached/libx.so', lib('libx.so'))
      .file(`${dir}/libx.so`, lib('libx.so'));
  const found = (img: FakeImage, dynamic: Parameters<typeof program>[1], env: string[] = []) => {
    const dep = resolveClosure('/app', program(INTERP, { needed: ['libx.so'], ...dynamic }), img, { env }).deps[1]!;
    return `${dep.via} ${dep.path}`;
  };

  test('RPATH, then LD_LIBRARY_PATH from the image Env, then RUNPATH, then the default directories', () => {
    const img = image();
    const env = ['LD_LIBRARY_PATH=/llp'];
    expect(found(img, { rpath: ['/rpath'] }, env)).toBe('rpath /rpath/libx.so');
    img.remove('/rpath/libx.so');
    expect(found(img, { rpath: ['/rpath'] }, env)).toBe('ld-library-path /llp/libx.so');
    // RUNPATH turns RPATH off and comes after LD_LIBRARY_PATH.
    expect(found(img, { runpath: ['/runpath'], rpath: ['/llp'] }, [])).toBe('runpath /runpath/libx.so');
    expect(found(img, { runpath: ['/runpath'] }, env)).toBe('ld-library-path /llp/libx.so');
    img.remove('/runpath/libx.so');
    expect(found(img, { runpath: ['/runpath'] })).toBe(`default-path ${dir}/libx.so`);
  });

  test('LD_LIBRARY_PATH: the last definition in Env wins, `;` separates too, an empty element is the working directory', () => {
    const img = image().file('/work/libx.so', lib('libx.so'));
    expect(found(img, {}, ['LD_LIBRARY_PATH=/nowhere', 'LD_LIBRARY_PATH=/none;/llp'])).toBe('ld-library-path /llp/libx.so');
    const dep = resolveClosure('/app', program(INTERP, { needed: ['libx.so'] }), img, { env: ['LD_LIBRARY_PATH=/none::/llp'], workingDir: '/work' }).deps[1]!;
    expect(dep).toMatchObject({ via: 'ld-library-path', path: '/work/libx.so', viaDetail: '/work' });
  });

  test('DT_RPATH is inherited up the loader chain and from the main program; DT_RUNPATH is not', () => {
    const img = new FakeImage()
      .debianGlibc()
      .file('/opt/a/liba.so', lib('liba.so', { needed: ['libb.so'] }))
      .file('/opt/b/libb.so', lib('libb.so', { needed: ['libc2.so'] }))
      .file('/opt/c/libc2.so', lib('libc2.so'));
    const viaRpath = resolveClosure('/app', program(INTERP, { needed: ['liba.so'], rpath: ['/opt/a:/opt/b', '/opt/c'] }), img, ctx);
    expect(summary(viaRpath.deps.slice(1))).toEqual(['liba.so rpath /opt/a/liba.so', 'libb.so rpath /opt/b/libb.so', 'libc2.so rpath /opt/c/libc2.so']);
    expect(viaRpath.deps[3]!.viaDetail).toBe('/opt/c');

    const viaRunpath = resolveClosure('/app', program(INTERP, { needed: ['liba.so'], runpath: ['/opt/a', '/opt/b'] }), img, ctx);
    expect(summary(viaRunpath.deps.slice(1))).toEqual(['liba.so runpath /opt/a/liba.so', 'libb.so not-found null']);
    expect(viaRunpath.problems[0]).toMatch(/^libb\.so not found \(needed by \/opt\/a\/liba\.so\); searched \/etc\/ld\.so\.cache|^libb\.so not found \(needed by \/opt\/a\/liba\.so\); searched system directories/);

    // A library with its own RUNPATH ignores every inherited RPATH.
    img.file('/opt/a/liba.so', lib('liba.so', { needed: ['libb.so'], runpath: ['/nowhere'] }));
    const blocked = resolveClosure('/app', program(INTERP, { needed: ['liba.so'], rpath: ['/opt/a', '/opt/b'] }), img, ctx);
    expect(blocked.deps[2]).toMatchObject({ name: 'libb.so', via: 'not-found' });
  });

  test('$ORIGIN is the real directory of the main program and the opened directory of a library; $LIB and $PLATFORM follow the layout', () => {
    const img = new FakeImage()
      .debianGlibc()
      .file('/opt/app/bin/real', program(INTERP))
      .symlink('/usr/bin/app', '/opt/app/bin/real')
      .file('/opt/app/lib/liba.so', lib('liba.so', { needed: ['libb.so'], rpath: ['${ORIGIN}/../plugins'] }))
      .file('/opt/app/plugins/libb.so', lib('libb.so'))
      .file('/x/lib/x86_64-linux-gnu/libl.so', lib('libl.so'))
      .file('/y/x86_64/libp.so', lib('libp.so'));
    const main = program(INTERP, { needed: ['liba.so', 'libl.so', 'libp.so'], rpath: ['$ORIGIN/../lib', '/x/$LIB', '/y/$PLATFORM', '/z/$UNKNOWN'] });
    const result = resolveClosure('/usr/bin/app', main, img, ctx);
    expect(summary(result.deps.slice(1))).toEqual([
      'liba.so rpath /opt/app/lib/liba.so',
      'libl.so rpath /x/lib/x86_64-linux-gnu/libl.so',
      'libp.so rpath /y/x86_64/libp.so',
      'libb.so rpath /opt/app/plugins/libb.so',
    ]);
    expect(result.deps[1]!.viaDetail).toBe('/opt/app/bin/../lib');
    expect(result.deps[1]!.neededBy).toBe('/opt/app/bin/real');
  });

  test('a library opened through a symlinked directory keeps that directory as $ORIGIN', () => {
    const img = new FakeImage()
      .debianGlibc()
      .file('/real/lib/liba.so', lib('liba.so', { needed: ['libb.so'], runpath: ['$ORIGIN/sub'] }))
      .symlink('/opt/lib', '/real/lib')
      .file('/opt/lib/sub/libb.so', lib('libb.so'))
      .file('/real/lib/sub/libb.so', lib('libb.so'));
    const result = resolveClosure('/app', program(INTERP, { needed: ['liba.so'], runpath: ['/opt/lib'] }), img, ctx);
    expect(result.deps[2]).toMatchObject({ via: 'runpath', viaDetail: '/opt/lib/sub', path: '/real/lib/sub/libb.so' });
  });

  test('an empty RPATH element is the working directory; a wholly empty RPATH is ignored', () => {
    const img = new FakeImage().debianGlibc().file('/srv/libw.so', lib('libw.so'));
    const withEmpty = resolveClosure('/app', program(INTERP, { needed: ['libw.so'], rpath: ['/nowhere', ''] }), img, { env: [], workingDir: '/srv' });
    expect(withEmpty.deps[1]).toMatchObject({ via: 'rpath', path: '/srv/libw.so', viaDetail: '/srv' });
    const empty = resolveClosure('/app', program(INTERP, { needed: ['libw.so'], rpath: [''] }), img, { env: [], workingDir: '/srv' });
    expect(empty.deps[1]!.via).toBe('not-found');
  });

  test('candidates of the wrong class or machine are skipped; if nothing else exists, the problem says so', () => {
    const img = new FakeImage()
      .debianGlibc()
      .file('/opt/32/libq.so', fakeElf({ machine: EM_386, dynamic: { soname: 'libq.so' } }))
      .file('/opt/arm/libq.so', fakeElf({ machine: 183, dynamic: { soname: 'libq.so' } }))
      .file('/usr/lib/x86_64-linux-gnu/libq.so', lib('libq.so'));
    const skipped = resolveClosure('/app', program(INTERP, { needed: ['libq.so'], rpath: ['/opt/32', '/opt/arm'] }), img, ctx);
    expect(skipped.deps[1]).toMatchObject({ via: 'default-path', path: '/usr/lib/x86_64-linux-gnu/libq.so' });
    img.remove('/usr/lib/x86_64-linux-gnu/libq.so');
    const only = resolveClosure('/app', program(INTERP, { needed: ['libq.so'], rpath: ['/opt/32', '/opt/arm'] }), img, ctx);
    expect(only.problems).toEqual(['libq.so (needed by /app) found only with the wrong class/machine: /opt/32/libq.so (ELF32 i386), /opt/arm/libq.so (ELF64 AArch64)']);
    expect(only.deps[1]!.problem).toBe(only.problems[0]);
  });

  test('a candidate that is not an ELF file stops the load', () => {
    const img = new FakeImage().debianGlibc().file('/opt/libt.so', 'GROUP ( libt.so.1 )').file('/usr/lib/x86_64-linux-gnu/libt.so', lib('libt.so'));
    const result = resolveClosure('/app', program(INTERP, { needed: ['libt.so'], rpath: ['/opt'] }), img, ctx);
    expect(result.problems).toEqual(['libt.so (needed by /app) cannot be loaded: /opt/libt.so: it is not an ELF file (invalid ELF header)']);
  });

  test('DF_1_NODEFLIB skips the default directories and cache entries inside them', () => {
    const img = new FakeImage().debianGlibc().file('/usr/lib/x86_64-linux-gnu/libn.so', lib('libn.so'));
    const nodeflib = program(INTERP, { needed: ['libn.so'], flags1: 0x800 });
    expect(resolveClosure('/app', nodeflib, img, ctx).deps[1]!.via).toBe('not-found');
    expect(resolveClosure('/app', program(INTERP, { needed: ['libn.so'] }), img, ctx).deps[1]!.via).toBe('default-path');
  });

  test('a library (no PT_INTERP) is resolved under the image’s loader, which counts as loaded', () => {
    const img = new FakeImage().debianGlibc().file('/usr/lib/x86_64-linux-gnu/libm.so.6', lib('libm.so.6', { needed: ['libc.so.6', 'ld-linux-x86-64.so.2'] }));
    const result = resolveClosure('/usr/lib/x86_64-linux-gnu/libm.so.6', img.elf('/usr/lib/x86_64-linux-gnu/libm.so.6')!, img, ctx);
    expect(result.flavour).toBe('glibc');
    expect(summary(result.deps)).toEqual([
      'libc.so.6 default-path /usr/lib/x86_64-linux-gnu/libc.so.6',
      'ld-linux-x86-64.so.2 already-loaded /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      'ld-linux-x86-64.so.2 already-loaded /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
  });

  test('a static program needs nothing', () => {
    const result = resolveClosure('/app', fakeElf({ type: 'EXEC', dynamic: null }), new FakeImage(), ctx);
    expect(result).toEqual({ flavour: 'none', deps: [], problems: [], versionProblems: [], warnings: [] });
  });
});

describe('glibc: closures sharing a memo', () => {
  test('every closure comes out as it does alone, whatever the order: RPATH chains, RUNPATH, NODEFLIB, LD_LIBRARY_PATH, slashes and other ABIs bypass it', () => {
    const dir = '/usr/lib/x86_64-linux-gnu';
    const img = new FakeImage()
      .debianGlibc()
      .file('/opt/a/libx.so', lib('libx.so', { needed: ['liby.so'] }))
      .file('/opt/a/liby.so', lib('liby.so'))
      .file('/opt/b/libw.so', lib('libw.so', { needed: ['libx.so'], rpath: ['/opt/a'] }))
      .file('/opt/c/libv.so', lib('libv.so', { needed: ['libx.so'], runpath: ['/opt/a'] }))
      .file(`${dir}/libx.so`, lib('libx.so', { needed: ['liby.so'] }))
      .file(`${dir}/liby.so`, lib('liby.so'))
      .file('/lib/i386-linux-gnu/libx.so', lib('libx.so', {}, EM_386))
      .file('/usr/lib/libx.so', lib('libx.so', {}, EM_386));
    const programs: Array<[string, ReturnType<typeof program>, string[]]> = [
      ['/plain', program(INTERP, { needed: ['libx.so'] }), []],
      ['/rpath', program(INTERP, { needed: ['libx.so'], rpath: ['/opt/a'] }), []],
      ['/inherited', program(INTERP, { needed: ['libw.so'], rpath: ['/opt/b'] }), []],
      ['/chain', program(INTERP, { needed: ['/opt/b/libw.so', '/opt/c/libv.so'] }), []],
      ['/runpath', program(INTERP, { needed: ['libx.so', 'liby.so'], runpath: ['/opt/a'] }), []],
      ['/nodeflib', program(INTERP, { needed: ['libx.so'], flags1: 0x800 }), []],
      ['/llp', program(INTERP, { needed: ['libx.so'] }), ['LD_LIBRARY_PATH=/opt/a']],
      ['/i386', program('/lib/ld-linux.so.2', { needed: ['libx.so'] }, EM_386), []],
      ['/missing', program(INTERP, { needed: ['libnone.so', 'libx.so'] }), []],
    ];
    const alone = programs.map(([path, elf, env]) => resolveClosure(path, elf, img, { env }));
    for (const order of [programs.keys(), [...programs.keys()].reverse()]) {
      const memo = createResolveMemo();
      for (const i of order) {
        const [path, elf, env] = programs[i]!;
        expect(resolveClosure(path, elf, img, { env, memo })).toEqual(alone[i]);
      }
      expect(memo.searches.size).toBeGreaterThan(0);
    }
    expect(summary(alone[1]!.deps.slice(1))).toEqual(['libx.so rpath /opt/a/libx.so', 'liby.so rpath /opt/a/liby.so']);
    expect(summary(alone[0]!.deps.slice(1))).toEqual([`libx.so default-path ${dir}/libx.so`, `liby.so default-path ${dir}/liby.so`]);
  });
});
