// The path-traversal scenarios peer-corpus/README.md lists under "Not included": rebuilt here as
// tar headers, applied the way containerd applies them (parents resolved inside the root, the
// last component never followed), and never anything outside the image.
import { describe, expect, test } from 'vitest';
import { mergeLayers, resolvePath } from '../../src/fs/index.js';
import { InputError } from '../../src/shared/errors.js';
import { dir, file, fromTar, hardlink, header, layers, listing, symlink, whiteout } from './_entries.js';

const etc = [dir('/etc'), file('/etc/passwd', 100), file('/etc/group', 50)];

describe('unsafe names (Go ErrInsecurePath)', () => {
  test.each(['../foo', '/../foo', 'a/b/../../../c'])('%j is rejected before anything is applied', (name) => {
    expect(() => fromTar(0, [header('ok', { size: 1 }), header(name, { size: 1 })])).toThrow(InputError);
  });

  test.each(['.wh..', '.wh...', 'etc/.wh..', 'etc/.wh...'])('whiteout %j is rejected as invalid', (name) => {
    expect(() => fromTar(1, [header(name)])).toThrow(/invalid whiteout/);
  });
});

describe('symlinks in parent paths resolve inside the image root', () => {
  test('an absolute symlink localetc → /etc, then a file written through it, lands in the image /etc', () => {
    const fs = mergeLayers([
      { index: 0, entries: etc },
      fromTar(1, [header('localetc', { type: 'symlink', linkname: '/etc' }), header('localetc/passwd', { size: 7 })]),
    ]);
    expect(listing(fs.entries)).toEqual(['/etc d', '/etc/group f:50', '/etc/passwd f:7', '/localetc l:/etc']);
    expect(fs.redirects).toEqual([{ layer: 1, kind: 'entry', path: '/localetc/passwd', resolved: '/etc/passwd' }]);
  });

  test('/dummy/../etc style targets and chained symlinks stay inside the root', () => {
    const fs = mergeLayers(
      layers(etc, [
        symlink('/hop1', '/dummy/../../../etc'),
        symlink('/hop2', 'hop1'),
        symlink('/hop3', './hop2/'),
        file('/hop3/shadow', 9),
      ]),
    );
    expect(fs.entries.get('/etc/shadow')).toMatchObject({ type: 'file', size: 9, layer: 1 });
    expect(fs.redirects).toEqual([{ layer: 1, kind: 'entry', path: '/hop3/shadow', resolved: '/etc/shadow' }]);
    expect(resolvePath(fs, '/hop3/passwd')!.path).toBe('/etc/passwd');
  });

  test('a relative symlink that climbs past / is clamped at the image root', () => {
    const fs = mergeLayers(layers(etc, [dir('/a'), symlink('/a/up', '../../../../../../etc'), file('/a/up/motd', 2)]));
    expect(fs.entries.get('/etc/motd')).toMatchObject({ size: 2 });
  });

  test('a dangling symlink parent creates its target inside the root', () => {
    const fs = mergeLayers(layers([symlink('/data', '/srv/data')], [file('/data/x', 1)]));
    expect(listing(fs.entries)).toEqual(['/data l:/srv/data', '/srv d', '/srv/data d', '/srv/data/x f:1']);
  });

  test('a hard link through a symlinked directory to /etc/passwd links the image’s own file', () => {
    const fs = mergeLayers(layers(etc, [symlink('/localetc', '/etc'), hardlink('/stolen', '/localetc/passwd')]));
    expect(fs.entries.get('/stolen')).toMatchObject({ type: 'hardlink', linkTarget: '/etc/passwd', size: 100 });
    expect(fs.entries.get('/stolen')!.inode).toBe(fs.entries.get('/etc/passwd')!.inode);
    expect(fs.redirects).toContainEqual({ layer: 1, kind: 'hardlink-target', path: '/localetc/passwd', resolved: '/etc/passwd' });
  });

  test('a symlink loop in a parent fails like containerd (too many links)', () => {
    expect(() => mergeLayers(layers([symlink('/l1', 'l2'), symlink('/l2', 'l1'), file('/l1/x', 1)]))).toThrow(/symlink loop/);
    expect(() => mergeLayers(layers([symlink('/l', 'l/x'), file('/l/f', 1)]))).toThrow(/symlink loop/);
  });
});

describe('whiteouts and symlinks', () => {
  test('a whiteout of a symlink removes the link, not its target', () => {
    const fs = mergeLayers(layers([...etc, symlink('/localetc', '/etc'), symlink('/pw', '/etc/passwd')], [whiteout('/localetc'), whiteout('/pw')]));
    expect(listing(fs.entries)).toEqual(['/etc d', '/etc/group f:50', '/etc/passwd f:100']);
  });

  test('a whiteout through a symlinked parent removes the file the parent points at', () => {
    const fs = mergeLayers(layers([...etc, symlink('/localetc', '/etc')], [whiteout('/localetc/passwd')]));
    expect(listing(fs.entries)).toEqual(['/etc d', '/etc/group f:50', '/localetc l:/etc']);
    expect(fs.redirects).toEqual([{ layer: 1, kind: 'whiteout', path: '/localetc/passwd', resolved: '/etc/passwd' }]);
  });

  test('an opaque marker through a symlinked directory hides the target directory', () => {
    const fs = mergeLayers(layers([...etc, symlink('/localetc', 'etc')], [opaqueThrough('/localetc'), file('/etc/hostname', 3)]));
    expect(listing(fs.entries)).toEqual(['/etc d', '/etc/hostname f:3', '/localetc l:etc']);
    expect(fs.redirects).toContainEqual({ layer: 1, kind: 'opaque', path: '/localetc', resolved: '/etc' });
  });

  test('.wh.etc/somefile is an ordinary file inside a directory named .wh.etc', () => {
    const fs = mergeLayers([{ index: 0, entries: etc }, fromTar(1, [header('.wh.etc/somefile', { size: 4 })])]);
    expect(listing(fs.entries)).toEqual(['/.wh.etc d', '/.wh.etc/somefile f:4', '/etc d', '/etc/group f:50', '/etc/passwd f:100']);
  });
});

function opaqueThrough(path: string) {
  return { ...dir(path), type: 'opaque' as const };
}
