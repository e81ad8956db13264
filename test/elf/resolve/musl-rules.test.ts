import { describe, expect, test } from 'vitest';
import { resolveClosure } from '../../../src/elf/resolve/index.js';
import { EM_386, FakeImage, fakeElf, lib, program } from './_fake-image.js';

const LDSO = '/lib/ld-musl-x86_64.so.1';
const ctx = { env: [] as string[], workingDir: '/' };
const alpine = () => new FakeImage().file(LDSO, lib('libc.so')).symlink('/lib/libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1');
const summary = (deps: Array<{ name: string; path: string | null; via: string }>) => deps.map((d) => `${d.name} ${d.via} ${d.path}`);

describe('musl', () => {
  test('libc.so, libc.musl-*, libpthread/libm/libdl/librt/libutil/libxnet and the loader’s names are musl itself', () => {
    const names = ['libc.musl-x86_64.so.1', 'libc.so', 'libpthread.so.0', 'libm.so.6', 'libdl.so.2', 'librt.so.1', 'libutil.so.1', 'libxnet.so', LDSO, 'ld-musl-x86_64.so.1'];
    const result = resolveClosure('/app', program(LDSO, { needed: names }), alpine(), ctx);
    expect(result.flavour).toBe('musl');
    expect(result.deps[0]).toMatchObject({ via: 'interpreter', path: LDSO });
    expect(result.deps.slice(1).map((d) => [d.via, d.path, d.viaDetail])).toEqual(names.map(() => ['musl-builtin', LDSO, LDSO]));
    expect(result.problems).toEqual([]);
  });

  test('names that merely start like a reserved one are searched: libcrypto, libmagic, libdlt', () => {
    const img = alpine().file('/usr/lib/libcrypto.so.3', lib('libcrypto.so.3')).file('/usr/lib/libmagic.so.1', lib('libmagic.so.1'));
    const result = resolveClosure('/app', program(LDSO, { needed: ['libcrypto.so.3', 'libmagic.so.1', 'libdlt.so'] }), img, ctx);
    expect(summary(result.deps.slice(1))).toEqual(['libcrypto.so.3 default-path /usr/lib/libcrypto.so.3', 'libmagic.so.1 default-path /usr/lib/libmagic.so.1', 'libdlt.so not-found null']);
  });

  test('LD_LIBRARY_PATH (first definition) comes before RPATH/RUNPATH, which are inherited up the needed-by chain', () => {
    const img = alpine()
      .file('/llp/liba.so', lib('liba.so'))
      .file('/r/liba.so', lib('liba.so', { needed: ['libb.so'] }))
      .file('/r2/libb.so', lib('libb.so'));
    const main = program(LDSO, { needed: ['liba.so'], runpath: ['/r', '/r2'] });
    expect(resolveClosure('/app', main, img, { env: ['LD_LIBRARY_PATH=/llp', 'LD_LIBRARY_PATH=/x'] }).deps[1]).toMatchObject({ via: 'ld-library-path', path: '/llp/liba.so' });
    const result = resolveClosure('/app', main, img, ctx);
    expect(summary(result.deps.slice(1))).toEqual(['liba.so runpath /r/liba.so', 'libb.so runpath /r2/libb.so']);
    expect(result.deps[2]!.neededBy).toBe('/r/liba.so');
  });

  test('RUNPATH replaces RPATH; $ORIGIN and ${ORIGIN} expand; any other $ makes musl ignore the path', () => {
    const img = alpine().file('/opt/app/bin/app', program(LDSO)).file('/opt/app/lib/liba.so', lib('liba.so')).file('/x/lib64/libl.so', lib('libl.so'));
    const origin = resolveClosure('/opt/app/bin/app', program(LDSO, { needed: ['liba.so'], rpath: ['/nowhere'], runpath: ['${ORIGIN}/../lib'] }), img, ctx);
    expect(origin.deps[1]).toMatchObject({ via: 'runpath', path: '/opt/app/lib/liba.so', viaDetail: '/opt/app/bin/../lib' });
    const lib64 = resolveClosure('/app', program(LDSO, { needed: ['libl.so'], rpath: ['/x/$LIB'] }), img, ctx);
    expect(lib64.deps[1]!.via).toBe('not-found');
  });

  test('/etc/ld-musl-<arch>.path replaces the default /lib:/usr/local/lib:/usr/lib; an empty file searches nothing', () => {
    // Image-wide inputs are read once per lookup: each variant is a fresh image.
    const img = (pathFile?: string) => {
      const image = alpine().file('/usr/local/lib/libl.so', lib('libl.so')).file('/opt/musl/libl.so', lib('libl.so'));
      return pathFile === undefined ? image : image.file('/etc/ld-musl-x86_64.path', pathFile);
    };
    expect(resolveClosure('/app', program(LDSO, { needed: ['libl.so'] }), img(), ctx).deps[1]).toMatchObject({ via: 'default-path', viaDetail: '/usr/local/lib' });
    const withFile = resolveClosure('/app', program(LDSO, { needed: ['libl.so'] }), img('/opt/musl\n/usr/lib:/lib\n'), ctx);
    expect(withFile.deps[1]).toMatchObject({ via: 'musl-path', viaDetail: '/opt/musl', path: '/opt/musl/libl.so' });
    const none = resolveClosure('/app', program(LDSO, { needed: ['libl.so'] }), img(''), ctx);
    expect(none.problems).toEqual(['libl.so not found (needed by /app); searched /etc/ld-musl-x86_64.path (empty)']);
  });

  test('the path file sits under the parent of the loader’s directory', () => {
    const ldso = '/usr/lib/musl/ld-musl-x86_64.so.1';
    const img = new FakeImage().file(ldso, lib('libc.so')).file('/usr/lib/etc/ld-musl-x86_64.path', '/vendor').file('/vendor/libv.so', lib('libv.so'));
    expect(resolveClosure('/app', program(ldso, { needed: ['libv.so'] }), img, ctx).deps[1]).toMatchObject({ via: 'musl-path', path: '/vendor/libv.so' });
  });

  test('musl takes the first file found, whatever its class: a wrong-class library is fatal, not skipped', () => {
    const img = alpine().file('/lib/libw.so', fakeElf({ machine: EM_386, dynamic: { soname: 'libw.so' } })).file('/usr/lib/libw.so', lib('libw.so'));
    const result = resolveClosure('/app', program(LDSO, { needed: ['libw.so'] }), img, ctx);
    expect(result.problems).toEqual(['libw.so (needed by /app) cannot be loaded: /lib/libw.so: wrong class/machine: it is ELF32 i386, musl maps the first match and fails']);
  });

  test('already loaded by the file name a search found, or by file identity; SONAMEs are not consulted', () => {
    const img = alpine()
      .file('/usr/lib/libz.so.1.3', lib('libz.so.1'))
      .symlink('/usr/lib/libz.so.1', 'libz.so.1.3')
      .symlink('/usr/lib/libz.so', 'libz.so.1')
      .file('/usr/lib/liba.so', lib('liba.so', { needed: ['libz.so.1', 'libz.so'] }));
    const result = resolveClosure('/app', program(LDSO, { needed: ['libz.so.1', 'liba.so'] }), img, ctx);
    expect(summary(result.deps.slice(1))).toEqual([
      'libz.so.1 default-path /usr/lib/libz.so.1.3',
      'liba.so default-path /usr/lib/liba.so',
      'libz.so.1 already-loaded /usr/lib/libz.so.1.3',
      'libz.so already-loaded /usr/lib/libz.so.1.3',
    ]);
  });

  test('a musl binary on a glibc image', () => {
    const img = new FakeImage().debianGlibc();
    const result = resolveClosure('/app', program(LDSO, { needed: ['libc.musl-x86_64.so.1'] }), img, ctx);
    expect(result.problems).toEqual([`interpreter ${LDSO} is not in the image — a musl binary on a glibc image: the image has /lib64/ld-linux-x86-64.so.2`]);
    expect(result.deps[1]).toMatchObject({ via: 'musl-builtin', path: null, problem: null });
  });

  test('a musl library analysed on its own uses the image’s musl loader; without one, its libc is missing', () => {
    const img = alpine().file('/usr/lib/libq.so', lib('libq.so', { needed: ['libc.musl-x86_64.so.1'] }));
    const ok = resolveClosure('/usr/lib/libq.so', img.elf('/usr/lib/libq.so')!, img, ctx);
    expect(ok.flavour).toBe('musl');
    expect(ok.deps).toMatchObject([{ via: 'musl-builtin', path: LDSO }]);
    const bare = new FakeImage().file('/usr/lib/libq.so', lib('libq.so', { needed: ['libc.musl-x86_64.so.1'] }));
    expect(resolveClosure('/usr/lib/libq.so', bare.elf('/usr/lib/libq.so')!, bare, ctx).problems).toEqual([
      'libc.musl-x86_64.so.1 (needed by /usr/lib/libq.so) is provided by the musl loader, which is not in the image',
    ]);
  });
});
