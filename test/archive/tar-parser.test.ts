/**
 * TarParser on archives built in code: header fields, checksums, numbers, meta records and
 * their precedence, body accounting, chunking and zero-copy delivery, and error reporting.
 */
import { describe, expect, it } from 'vitest';
import { TarParser, type TarHeader } from '../../src/archive/index.js';
import { base256, bytes, concatBytes, END_BLOCKS, metaEntry, octal, parseTar, paxBody, tarEntry, tarHeader, utf8 } from '../helpers/tar-builder.js';

const one = (data: Uint8Array): TarHeader => {
  const { entries, error } = parseTar(data);
  expect(error).toBeUndefined();
  expect(entries).toHaveLength(1);
  return entries[0]!.header;
};
const errorOf = (data: Uint8Array) => parseTar(data, { label: 'case.tar' }).error as { code: string; message: string };

describe('header fields', () => {
  it('accepts signed checksums (old Sun tar) as well as unsigned ones', () => {
    const name = bytes('caf\xe9');
    expect(one(tarEntry({ name, checksum: 'signed' }))).toMatchObject({ name: 'café', rawName: name });
    expect(one(tarEntry({ name, checksum: 'unsigned' })).name).toBe('café');
  });

  it('verifies checksums of header blocks at any memory alignment', () => {
    const data = concatBytes(tarEntry({ name: bytes('\xe9t\xe9'), checksum: 'signed' }, utf8('x')), tarEntry({ name: 'b' }), END_BLOCKS);
    for (let shift = 0; shift < 4; shift++) {
      const shifted = new Uint8Array(data.length + shift);
      shifted.set(data, shift);
      const { entries, error } = parseTar(shifted.subarray(shift));
      expect(error).toBeUndefined();
      expect(entries.map((e) => e.header.name)).toEqual(['été', 'b']);
    }
  });

  it('rejects a wrong checksum with the label and byte offset', () => {
    const data = concatBytes(tarEntry({ name: 'ok' }), tarEntry({ name: 'bad', checksum: 1234 }));
    expect(errorOf(data)).toMatchObject({ code: 'E_TAR_HEADER', message: 'case.tar: invalid tar header at byte 512: checksum mismatch' });
  });

  it('reads octal padded with spaces and NULs, and base-256 numbers', () => {
    const header = one(
      tarEntry(
        { name: 'f', mode: bytes(' 755 \0\0\0'), uid: base256(831580115, 8), gid: bytes('\0\0\0 12 '), mtime: base256(1700000000n, 12) },
        utf8('abc'),
      ),
    );
    expect(header).toMatchObject({ mode: 0o755, uid: 831580115, gid: 0o12, mtime: 1700000000, size: 3 });
    const huge = parseTar(tarHeader({ name: 'big', size: base256(2n ** 40n, 12) }));
    expect(huge.entries[0]!.header.size).toBe(2 ** 40);
    expect(huge.error).toMatchObject({ code: 'E_TAR_TRUNCATED' });
  });

  it('rejects invalid octal digits, negative and overflowing base-256 sizes', () => {
    expect(errorOf(tarEntry({ name: 'f', uid: bytes('12x4\0') })).code).toBe('E_TAR_HEADER');
    expect(errorOf(tarEntry({ name: 'f', size: base256(-1n, 12) })).message).toContain('negative size');
    expect(errorOf(concatBytes(metaEntry('x', paxBody({ size: '1' })), tarHeader({ name: 'f', size: base256(-1n, 12) }))).message).toContain('negative size');
    expect(parseTar(tarHeader({ name: 'l', typeflag: '2', size: base256(-5n, 12) })).entries[0]!.header.type).toBe('symlink');
    expect(errorOf(tarEntry({ name: 'f', size: new Uint8Array(12).fill(0xff).fill(0x80, 0, 1).fill(0x7f, 1, 2) })).message).toContain('overflows');
    expect(errorOf(tarEntry({ name: 'f', size: base256(2n ** 60n, 12) })).message).toContain('too large');
  });

  it('joins the USTAR prefix and the star prefix; V7 headers have neither', () => {
    expect(one(tarEntry({ name: 'file', prefix: 'some/dir' })).name).toBe('some/dir/file');
    expect(one(tarEntry({ name: 'file', prefix: 'star/dir', magic: 'star' }))).toMatchObject({ name: 'star/dir/file', format: 'star' });
    expect(one(tarEntry({ name: 'file', prefix: 'ignored', magic: 'v7', uname: 'ignored' }))).toMatchObject({ name: 'file', uname: '', format: 'v7' });
    expect(one(tarEntry({ name: 'file', magic: 'gnu', uname: 'root', patches: [[345, utf8('00000000000\0')]] }))).toMatchObject({ name: 'file', format: 'gnu' });
  });

  it('types: a NUL typeflag with a trailing slash is a bodiless directory; "0" named x/ keeps its body', () => {
    const data = concatBytes(
      tarEntry({ name: 'old/', typeflag: 0, size: 700 }),
      tarEntry({ name: 'odd/', typeflag: '0' }, utf8('body')),
      tarEntry({ name: 'vol', typeflag: 'V' }, utf8('label')),
      tarEntry({ name: 'c', typeflag: '7' }, utf8('contiguous')),
      END_BLOCKS,
    );
    const { entries, error } = parseTar(data);
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.header.name, e.header.type, e.header.size, e.header.dataSize, e.body.length])).toEqual([
      ['old/', 'directory', 0, 0, 0],
      ['odd/', 'directory', 0, 4, 4],
      ['vol', 'other', 5, 5, 5],
      ['c', 'file', 10, 10, 10],
    ]);
  });

  it('header-only types carry no body whatever the size field says', () => {
    const data = concatBytes(tarHeader({ name: 'l', typeflag: '2', linkname: 'target', size: 5 }), tarEntry({ name: 'next' }, utf8('x')));
    const { entries } = parseTar(data);
    expect(entries.map((e) => [e.header.name, e.header.type, e.header.size, e.body.length])).toEqual([
      ['l', 'symlink', 0, 0],
      ['next', 'file', 1, 1],
    ]);
  });
});

describe('meta records', () => {
  it('GNU long name and link: the last record wins, an empty one is ignored, NUL cuts', () => {
    const data = concatBytes(
      metaEntry('L', utf8('first/name\0')),
      metaEntry('L', utf8('second/name\0junk')),
      metaEntry('K', utf8('')),
      tarEntry({ name: 'short', typeflag: '2', linkname: 'kept', magic: 'gnu' }),
    );
    expect(one(data)).toMatchObject({ name: 'second/name', linkname: 'kept', format: 'gnu' });
  });

  it('a PAX header replaces the previous one (Go), and an empty value keeps the USTAR field', () => {
    const data = concatBytes(
      metaEntry('x', paxBody({ path: 'from-first-pax', uname: 'u1' })),
      metaEntry('x', paxBody({ uid: '4000000', path: '' })),
      tarEntry({ name: 'ustar-name', uname: 'root' }),
    );
    expect(one(data)).toMatchObject({ name: 'ustar-name', uname: 'root', uid: 4000000, pax: { uid: '4000000', path: '' } });
  });

  it('a global header drops the pending local records (Go) and is not applied', () => {
    const data = concatBytes(
      metaEntry('x', paxBody({ path: 'lost' })),
      metaEntry('g', paxBody({ path: 'global-name', uid: 'garbage', comment: 'g' })),
      tarEntry({ name: 'file' }),
    );
    const { entries, error } = parseTar(data);
    expect(error).toBeUndefined();
    expect(entries.map((e) => [e.header.type, e.header.name, e.header.uid])).toEqual([
      ['pax-global', 'global-name', 0],
      ['file', 'file', 0],
    ]);
  });

  it('PAX numbers and times: size, uid, gid, negative and fractional mtimes', () => {
    const data = concatBytes(metaEntry('x', paxBody({ size: '3', gid: '70000000000', mtime: '-1.5', atime: '1.000000000999' })), tarEntry({ name: 'f', size: 0 }), utf8('abc'));
    const { entries } = parseTar(concatBytes(data, new Uint8Array(509)));
    expect(entries[0]!.header).toMatchObject({ size: 3, gid: 70000000000, mtime: -1.5 });
    expect(Buffer.from(entries[0]!.body).toString()).toBe('abc');
  });

  it.each([
    ['a length that overruns', utf8('99 path=x\n')],
    ['no "="', utf8('9 pathx\n')],
    ['no newline', utf8('9 path=x!')],
    ['a length below 5', utf8('3 a=\n')],
    ['an empty key', utf8('6 =ab\n')],
    ['a NUL in uname', paxBody({ uname: 'a\0b' })],
    ['an unparsable uid', paxBody({ uid: '12a' })],
    ['an unparsable mtime', paxBody({ mtime: '1.2.3' })],
    ['an unparsable ctime', paxBody({ ctime: 'x' })],
    ['misordered GNU sparse 0.0 records', paxBody([['GNU.sparse.numbytes', '1']])],
  ])('a PAX header with %s is an invalid header', (_, body) => {
    expect(errorOf(concatBytes(metaEntry('x', body), tarEntry({ name: 'f' }))).code).toBe('E_TAR_HEADER');
  });

  it('xattrs: SCHILY raw bytes (NULs allowed in values), libarchive base64, SCHILY wins', () => {
    const capability = new Uint8Array([1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0]);
    const body = paxBody([
      ['SCHILY.xattr.security.capability', capability],
      ['LIBARCHIVE.xattr.user.%65x', Buffer.from('libarchive value').toString('base64')],
      ['LIBARCHIVE.xattr.security.capability', Buffer.from('ignored').toString('base64')],
    ]);
    const { xattrs } = one(concatBytes(metaEntry('x', body), tarEntry({ name: 'f' })));
    expect(Object.keys(xattrs).sort()).toEqual(['security.capability', 'user.ex']);
    expect(xattrs['security.capability']).toEqual(capability);
    expect(Buffer.from(xattrs['user.ex']!).toString()).toBe('libarchive value');
  });

  it('a meta record over 1 MiB fails at its header, before any of it is read', () => {
    const parser = new TarParser({ entry: () => undefined }, { label: 'huge' });
    expect(() => parser.write(tarHeader({ name: 'x', typeflag: 'x', size: (1 << 20) + 1 }))).toThrow(
      expect.objectContaining({ code: 'E_TAR_FIELD_TOO_LONG', message: expect.stringMatching(/^huge: tar header field too long at byte 0/) }),
    );
    expect(errorOf(tarHeader({ name: 'x', typeflag: 'L', size: 5 << 20 })).code).toBe('E_TAR_FIELD_TOO_LONG');
  });
});

describe('sparse files built in code', () => {
  const sparse01 = (map: string, blocks: string, realsize: string, stored: Uint8Array) =>
    concatBytes(
      metaEntry('x', paxBody({ 'GNU.sparse.major': '0', 'GNU.sparse.minor': '1', 'GNU.sparse.name': 'real', 'GNU.sparse.realsize': realsize, 'GNU.sparse.numblocks': blocks, 'GNU.sparse.map': map })),
      tarEntry({ name: 'GNUSparseFile.0/real' }, stored),
    );

  it('reports the logical size and the data map, and hands over only stored bytes', () => {
    const { entries, error } = parseTar(sparse01('10,2,100,3', '2', '1000000000000', utf8('abcde')));
    expect(error).toBeUndefined();
    expect(entries[0]!.header).toMatchObject({ name: 'real', size: 1e12, dataSize: 5, sparse: [{ offset: 10, length: 2 }, { offset: 100, length: 3 }] });
    expect(Buffer.from(entries[0]!.body).toString()).toBe('abcde');
  });

  it('rejects overlapping maps and maps past the logical size', () => {
    expect(errorOf(sparse01('10,5,12,1', '2', '100', utf8('abcdef'))).code).toBe('E_TAR_HEADER');
    expect(errorOf(sparse01('95,10', '1', '100', utf8('abcdefghij'))).code).toBe('E_TAR_HEADER');
    expect(errorOf(sparse01('1,1', '2', '100', utf8('a'))).code).toBe('E_TAR_HEADER');
  });

  it('a map that references more data than stored fails when the body is read', () => {
    expect(errorOf(sparse01('0,10', '1', '100', utf8('abc'))).message).toContain('references non-existent data');
    expect(errorOf(sparse01('0,1', '1', '100', utf8('abc'))).message).toContain('unreferenced data');
  });

  it('sparse maps are capped at 1 MiB like Go (errSparseTooLong)', () => {
    const gnuSparse = (extensionBlocks: number) => {
      const extension = (last: boolean) => {
        const block = new Uint8Array(512);
        block[504] = last ? 0 : 1;
        return block;
      };
      const header = tarHeader({ name: 's', typeflag: 'S', magic: 'gnu', size: 0, patches: [[482, [extensionBlocks > 0 ? 1 : 0]], [483, octal(10, 12)]] });
      return concatBytes(header, ...Array.from({ length: extensionBlocks }, (_, i) => extension(i === extensionBlocks - 1)), END_BLOCKS);
    };
    expect(parseTar(gnuSparse(2047)).entries[0]!.header).toMatchObject({ name: 's', size: 10, sparse: [] });
    expect(errorOf(gnuSparse(2048))).toMatchObject({ code: 'E_TAR_FIELD_TOO_LONG', message: expect.stringContaining('sparse map too long') });
    const map = concatBytes(utf8('3\n'), new Uint8Array((1 << 20) + 600).fill(0x30)); // the map never completes
    const pax1x0 = concatBytes(metaEntry('x', paxBody({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' })), tarEntry({ name: 'f' }, map));
    expect(errorOf(pax1x0)).toMatchObject({ code: 'E_TAR_FIELD_TOO_LONG' });
  });

  it("an 'S' entry in a non-GNU header is an invalid header", () => {
    expect(errorOf(tarEntry({ name: 's', typeflag: 'S', magic: 'ustar' })).message).toContain('non-GNU');
  });

  it('a PAX 1.0 map longer than the entry data is an unexpected EOF', () => {
    const data = concatBytes(metaEntry('x', paxBody({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.realsize': '10' })), tarEntry({ name: 'f' }, utf8('1\n0\n')));
    expect(errorOf(data).code).toBe('E_TAR_TRUNCATED');
  });
});

describe('streaming', () => {
  const archive = concatBytes(
    metaEntry('x', paxBody({ path: 'päth/' + 'x'.repeat(200), 'SCHILY.xattr.user.a': 'b' })),
    tarEntry({ name: 'ignored' }, new Uint8Array(3000).fill(7)),
    metaEntry('L', utf8('long/'.repeat(40))),
    tarEntry({ name: 'short', magic: 'gnu' }, utf8('gnu body')),
    tarEntry({ name: 'dir/', typeflag: '5' }),
    tarEntry({ name: 'empty' }),
    END_BLOCKS,
  );

  it('any chunk size gives the same entries and bodies', () => {
    const reference = parseTar(archive);
    expect(reference.error).toBeUndefined();
    expect(reference.entries.map((e) => e.header.name)).toEqual(['päth/' + 'x'.repeat(200), 'long/'.repeat(40), 'dir/', 'empty']);
    for (const chunkSize of [1, 7, 511, 512, 513, 4096]) expect(parseTar(archive, { chunkSize }).entries).toEqual(reference.entries);
  });

  it('bodies are zero-copy views of the written chunk, and position is the data offset', () => {
    const views: Uint8Array[] = [];
    const offsets: number[] = [];
    const parser: TarParser = new TarParser({
      entry(header) {
        offsets.push(parser.position);
        return header.name === 'empty' ? undefined : { data: (chunk) => views.push(chunk), end: () => undefined };
      },
    });
    parser.write(archive);
    parser.end();
    expect(views.map((view) => view.length)).toEqual([3000, 8]);
    for (const view of views) expect(view.buffer).toBe(archive.buffer);
    expect(offsets).toEqual([1536, 6144, 7168, 7680]);
    expect(parser.finished).toBe(true);
  });

  it('skip() moves past unread bodies without their bytes', () => {
    const parser = new TarParser({ entry: () => undefined });
    parser.write(archive.subarray(0, 1536));
    expect(parser.skippable()).toBe(3072);
    parser.skip(3000);
    parser.write(archive.subarray(4536, 4608));
    expect(parser.position).toBe(4608);
    expect(() => parser.skip(1)).toThrow(/beyond/);
  });

  it('a visitor error propagates and the parser stays failed; write after end is a bug', () => {
    const parser = new TarParser({
      entry() {
        throw new Error('visitor failed');
      },
    });
    expect(() => parser.write(archive)).toThrow('visitor failed');
    expect(() => parser.write(new Uint8Array(1))).toThrow('visitor failed');
    const ended = new TarParser({ entry: () => undefined });
    ended.end();
    expect(() => ended.write(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'E_BUG' }));
  });
});
