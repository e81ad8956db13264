import { describe, expect, test } from 'vitest';
import { layerEntryFromTar, mergeLayers } from '../../src/fs/index.js';
import { InputError } from '../../src/shared/errors.js';
import { header } from './_entries.js';

describe('layerEntryFromTar', () => {
  test('a regular file keeps size, permission bits, owner, xattrs and raw name bytes', () => {
    const rawName = Uint8Array.of(0x62, 0x69, 0x6e, 0xff);
    const entry = layerEntryFromTar(
      header('./usr/bin/ping', {
        size: 74_000,
        mode: 0o104755,
        uid: 0,
        gid: 0,
        uname: 'root',
        xattrs: { 'security.capability': Uint8Array.of(1, 2) },
        rawName,
      }),
      3,
    );
    expect(entry).toMatchObject({ path: '/usr/bin/ping', type: 'file', size: 74_000, mode: 0o4755, uname: 'root', linkTarget: null, rawPath: rawName });
    expect(entry!.xattrs!['security.capability']).toEqual(Uint8Array.of(1, 2));
    expect(entry).not.toHaveProperty('gname');
  });

  test('directories, symlinks, hard links and devices', () => {
    expect(layerEntryFromTar(header('etc/', { type: 'directory' }), 0)).toMatchObject({ path: '/etc', type: 'directory', size: 0, mode: 0o755 });
    expect(layerEntryFromTar(header('lib64', { type: 'symlink', linkname: 'usr/lib64' }), 0)).toMatchObject({
      path: '/lib64',
      type: 'symlink',
      linkTarget: 'usr/lib64',
    });
    expect(layerEntryFromTar(header('bin/gunzip', { type: 'hardlink', linkname: './bin/gzip' }), 0)).toMatchObject({
      type: 'hardlink',
      linkTarget: '/bin/gzip',
      size: 0,
    });
    expect(layerEntryFromTar(header('dev/null', { type: 'char', devmajor: 1, devminor: 3 }), 0)).toMatchObject({
      type: 'char',
      devmajor: 1,
      devminor: 3,
    });
    expect(layerEntryFromTar(header('run/fifo', { type: 'fifo' }), 0)).toMatchObject({ type: 'fifo' });
  });

  test('whiteouts and opaque markers carry their target', () => {
    expect(layerEntryFromTar(header('./a/.wh.foo'), 2)).toMatchObject({ path: '/a/foo', type: 'whiteout' });
    expect(layerEntryFromTar(header('d/.wh..wh..opq'), 2)).toMatchObject({ path: '/d', type: 'opaque' });
    expect(layerEntryFromTar(header('.wh.etc/somefile', { size: 3 }), 2)).toMatchObject({ path: '/.wh.etc/somefile', type: 'file', size: 3 });
  });

  test('a whiteout may name a 255-byte file although its own name is 259 bytes', () => {
    const name = 'n'.repeat(255);
    expect(layerEntryFromTar(header(`.wh.${name}`), 0)).toMatchObject({ path: `/${name}`, type: 'whiteout' });
  });

  test('PAX global headers are not filesystem records', () => {
    expect(layerEntryFromTar(header('pax_global_header', { type: 'pax-global' }), 0)).toBeNull();
  });

  test('record types runtimes refuse are rejected with the layer named', () => {
    expect(() => layerEntryFromTar(header('dump/', { type: 'gnu-dumpdir' }), 4)).toThrow(/layer 5: .*'D'.*unhandled tar header type/);
    expect(() => layerEntryFromTar(header('vol', { type: 'other', typeflag: 'V'.charCodeAt(0) }), 4)).toThrow(/'V'/);
  });

  test('unsafe names and invalid whiteouts are rejected with the layer named', () => {
    for (const name of ['../foo', '/../foo', 'a/b/../../../c', '.wh..', '.wh...', 'etc/.wh..', 'etc/.wh...', '']) {
      expect(() => layerEntryFromTar(header(name), 1), name).toThrow(InputError);
    }
    expect(() => layerEntryFromTar(header('../foo'), 1)).toThrow(/^layer 2: /);
  });

  test('links runtimes cannot create are rejected', () => {
    expect(() => layerEntryFromTar(header('s', { type: 'symlink', linkname: '' }), 0)).toThrow(/empty target/);
    expect(() => layerEntryFromTar(header('h', { type: 'hardlink', linkname: '' }), 0)).toThrow(/invalid hard link/);
    expect(() => layerEntryFromTar(header('s', { type: 'symlink', linkname: 'x'.repeat(4096) }), 0)).toThrow(/PATH_MAX/);
  });

  test('a regular file that carries a linkname ignores it (node-tar links-invalid)', () => {
    expect(layerEntryFromTar(header('hardlink-1', { size: 26, linkname: 'hardlink-2' }), 0)).toMatchObject({ type: 'file', linkTarget: null });
  });

  // node-tar's excessively-deep.tar: `./` + `a/` × 222370 + `foo.txt`. Go reads it; no runtime can create it.
  test('a 444749-character path of depth 222372 is rejected quickly with a clear error', () => {
    const name = './' + 'a/'.repeat(222_370) + 'foo.txt';
    expect(name.length).toBe(444_749);
    let error: unknown;
    try {
      layerEntryFromTar(header(name, { size: 3 }), 0);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('E_PATH_TOO_LONG');
    expect((error as Error).message).toMatch(/layer 1: path \/a\/a.*foo\.txt is 444748 bytes long with 222371 components; Linux limits paths to 4095 bytes/);
  });

  test('mergeLayers rejects such a path too when given entries built by hand', () => {
    const path = '/a'.repeat(222_370) + '/foo.txt';
    const entry = { path, type: 'file' as const, size: 3, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkTarget: null };
    expect(() => mergeLayers([{ index: 0, entries: [entry] }])).toThrow(/PATH_MAX/);
  });
});
