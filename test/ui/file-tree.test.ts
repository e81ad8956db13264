import { describe, expect, test } from 'vitest';
import { lineText } from '../../src/ui/format/palette.js';
import { layoutTable } from '../../src/ui/format/table.js';
import { buildFileTree, buildLayerTree, defaultFolded, visibleRows, type FileNode } from '../../src/ui/model/file-tree.js';
import { fileTreeTable, treeName } from '../../src/ui/view/file-tree-table.js';
import { makeEntry, makeLayer, makeReport } from '../helpers/report-fixture.js';
import { filterBinaries, filteredRows } from '../../src/ui/model/filter.js';
import { makeServiceImageReport, makeSlimReport } from './fixtures.js';

function find(node: FileNode, path: string): FileNode | undefined {
  if (node.path === path) return node;
  for (const child of node.children) {
    if (path === child.path || path.startsWith(`${child.path}/`)) return find(child, path);
  }
  return undefined;
}

const small = () =>
  makeReport({
    filesystem: {
      files: 4,
      directories: 2,
      symlinks: 1,
      hardlinks: 1,
      other: 0,
      totalSize: 1600,
      entries: [
        makeEntry({ path: '/app', type: 'directory' }),
        makeEntry({ path: '/app/server', size: 1000 }),
        makeEntry({ path: '/app/config.yaml', size: 100 }),
        makeEntry({ path: '/usr/bin/tool', size: 500 }),
        makeEntry({ path: '/usr/bin/tool-alias', type: 'hardlink', size: 500, linkTarget: '/usr/bin/tool' }),
        makeEntry({ path: '/bin', type: 'symlink', linkTarget: 'usr/bin' }),
      ],
    },
  });

describe('file tree', () => {
  test('sums sizes and file counts per directory, creating missing parents, counting hard links once', () => {
    const tree = buildFileTree(small());
    expect(tree.mode).toBe('analyze');
    expect(tree.root).toMatchObject({ size: 1600, files: 4 });
    expect(find(tree.root, '/usr')).toMatchObject({ kind: 'dir', size: 500, files: 2 });
    expect(find(tree.root, '/usr/bin/tool-alias')).toMatchObject({ kind: 'hardlink', size: 0, linkTarget: '/usr/bin/tool' });
    expect(find(tree.root, '/bin')).toMatchObject({ kind: 'symlink', linkTarget: 'usr/bin' });
    expect(tree.root.children.map((c) => c.name)).toEqual(['app', 'usr', 'bin']);
    expect(find(tree.root, '/app')!.children.map((c) => c.name)).toEqual(['server', 'config.yaml']);
  });

  test('analyze: top-level directories start folded; a lone directory chain opens', () => {
    const tree = buildFileTree(small());
    expect([...defaultFolded(tree)].sort()).toEqual(['/app', '/usr', '/usr/bin']);
    const lone = buildFileTree(makeReport({ filesystem: { ...small().filesystem, entries: [makeEntry({ path: '/opt/app/bin/run', size: 5 })] } }));
    expect(defaultFolded(lone).size).toBe(0);
    expect(visibleRows(lone, defaultFolded(lone)).map(treeName)).toEqual(['▾ opt/', '  ▾ app/', '    ▾ bin/', '        run']);
  });

  test('visible rows skip what is inside folded directories', () => {
    const tree = buildFileTree(small());
    expect(visibleRows(tree, defaultFolded(tree)).map(treeName)).toEqual(['▸ app/', '▸ usr/', '  bin → usr/bin']);
    expect(visibleRows(tree, new Set(['/usr/bin'])).map(treeName)).toEqual([
      '▾ app/',
      '    server',
      '    config.yaml',
      '▾ usr/',
      '  ▸ bin/',
      '  bin → usr/bin',
    ]);
  });

  test('slim: kept and dropped per file, mixed directories, reasons, and only dropped directories start folded', () => {
    const tree = buildFileTree(makeSlimReport());
    expect(tree.mode).toBe('slim');
    expect(find(tree.root, '/app/server')).toMatchObject({ status: 'kept', reasons: ['entrypoint'] });
    expect(find(tree.root, '/app')).toMatchObject({ status: 'kept' });
    expect(find(tree.root, '/usr/share')).toMatchObject({ status: 'dropped', keptFiles: 0 });
    const lib = find(tree.root, '/usr/lib/x86_64-linux-gnu')!;
    expect(lib).toMatchObject({ status: 'mixed', keptFiles: 4, files: 6 });
    expect(lib.keptSize).toBeLessThan(lib.size);
    const folded = defaultFolded(tree);
    expect(folded.has('/usr/share')).toBe(true);
    expect(folded.has('/usr/lib/x86_64-linux-gnu')).toBe(false);
    expect(folded.has('/app')).toBe(false);
  });

  test('slim table: status and why kept, mixed directories say how much they keep', () => {
    const tree = buildFileTree(makeSlimReport());
    const rows = visibleRows(tree, defaultFolded(tree));
    const lines = layoutTable(fileTreeTable(tree, rows), 140).rows.map(lineText);
    expect(lines.find((l) => l.trimStart().startsWith('server'))).toMatch(/^ {4}server +9\.4 MiB {2}kept +entrypoint$/);
    expect(lines.find((l) => l.includes('x86_64-linux-gnu/'))).toMatch(/4\/6 kept +keeps \d+\.\d MiB of \d+\.\d MiB$/);
    expect(lines.find((l) => l.includes('share/'))).toMatch(/^ {2}▸ share\/ +\d+\.\d MiB {2}dropped$/);
  });

  test('a few thousand entries build and flatten quickly enough to do on every fold', () => {
    const tree = buildFileTree(makeServiceImageReport());
    const everything = visibleRows(tree, new Set());
    expect(everything.length).toBeGreaterThan(2000);
    expect(everything.filter((r) => r.node.kind !== 'dir').length).toBe(makeServiceImageReport().filesystem.entries.filter((e) => e.type !== 'directory').length);
  });
});

describe("a layer's tree", () => {
  const report = makeReport({
    layers: [
      makeLayer(),
      makeLayer({
        index: 1,
        changes: [
          { path: '/app', change: 'modified', type: 'directory', size: 0, linkTarget: null },
          { path: '/app/new', change: 'added', type: 'file', size: 100, linkTarget: null },
          { path: '/app/old', change: 'removed', type: 'file', size: 5000, linkTarget: null },
          { path: '/usr/lib/libx.so', change: 'added', type: 'symlink', size: 0, linkTarget: 'libx.so.1' },
        ],
      }),
    ],
  });

  test('marks each changed path; parents stay plain; removals show their size but add none to the layer', () => {
    const tree = buildLayerTree(report, 1);
    expect(tree.layer).toBe(1);
    expect(find(tree.root, '/app')).toMatchObject({ change: 'modified', size: 100 });
    expect(find(tree.root, '/app/old')).toMatchObject({ change: 'removed', size: 5000 });
    expect(find(tree.root, '/usr')).toMatchObject({ change: null });
    const rows = visibleRows(tree, defaultFolded(tree));
    const table = layoutTable(fileTreeTable(tree, rows), 60);
    expect(table.rows.map((line) => lineText(line).trimEnd())).toEqual([
      '~ ▾ app/                          100 B        1',
      '−     old                       4.9 KiB',
      '+     new                         100 B',
      '  ▾ usr/                            0 B        0',
      '    ▾ lib/                          0 B        0',
      '+       libx.so → libx.so.1         0 B',
    ]);
    expect(table.rows[0]![0]).toMatchObject({ tone: 'warning' });
    expect(table.rows[1]![0]).toMatchObject({ tone: 'error' });
    expect(table.rows[2]![0]).toMatchObject({ tone: 'ok' });
  });

  test('a layer without changes is an empty tree', () => {
    expect(buildLayerTree(report, 0).root.children).toEqual([]);
  });
});

describe('the / filter', () => {
  test('keeps matching paths (any case) and the directories above them, unfolded; a directory matching by name alone is folded', () => {
    const tree = buildFileTree(makeServiceImageReport());
    const rows = filteredRows(tree, 'LIBSSL');
    expect(rows.map((row) => `${'  '.repeat(row.depth)}${row.node.name}${row.folded ? ' (folded)' : ''}`)).toEqual(['usr', '  lib', '    x86_64-linux-gnu', '      libssl.so.3']);
    const conf = filteredRows(tree, 'conf.d');
    expect(conf[0]!.node.path).toBe('/etc');
    expect(conf.at(-1)).toMatchObject({ folded: false });
    expect(conf.find((row) => row.node.path === '/etc/conf.d')).toMatchObject({ folded: false });
    expect(filteredRows(tree, 'no-such-path')).toEqual([]);
  });

  test('binaries keep their index in the full list', () => {
    const { binaries } = makeServiceImageReport();
    const shown = filterBinaries(binaries, 'bin/');
    expect(shown.length).toBeGreaterThan(0);
    for (const { binary, index } of shown) expect(binaries[index]).toBe(binary);
    expect(filterBinaries(binaries, '')).toHaveLength(binaries.length);
  });
});
