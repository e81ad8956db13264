/**
 * The `imgslim diff` terminal UI without a terminal: the view-model (tree marks, change words,
 * binary and package rows), the sections at 80 columns, the reducer over them (fold, filter,
 * details), and the Ink frame at 80×24.
 */
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { DiffFile, ImageDiff, Totals } from '../../src/diff/index.js';
import { DIFF_SCHEMA_VERSION } from '../../src/diff/index.js';
import { displayWidth } from '../../src/ui/format/text-width.js';
import { buildDiffModel } from '../../src/ui/model/diff.js';
import { visibleRows } from '../../src/ui/model/file-tree.js';
import { DiffApp } from '../../src/ui/tui/DiffApp.js';
import { DiffSectionCache } from '../../src/ui/tui/diff-section-cache.js';
import { initialStateOf, reduce, type UiAction } from '../../src/ui/tui/state.js';
import { buildDiffSection, diffBinaryDetailLines, diffHeaderLine, DIFF_SECTION_IDS } from '../../src/ui/view/diff-sections.js';
import type { Line } from '../../src/ui/types.js';

const text = (line: Line) => line.map((segment) => segment.text).join('');

function file(path: string, overrides: Partial<DiffFile> = {}): DiffFile {
  return { path, type: 'file', size: 1024, mode: 0o644, uid: 0, gid: 0, digest: `sha256:${'a'.repeat(64)}`, linkTarget: null, layer: 0, ...overrides };
}

function totals(overrides: Partial<Totals> = {}): Totals {
  return { size: 4 << 20, compressedSize: 2 << 20, entries: 40, files: 30, layers: 2, binaries: 3, packages: 2, efficiencyScore: 0.95, wastedBytes: 1024, reclaimableBytes: 0, ...overrides };
}

const image = (path: string) => ({ path, format: 'docker-archive' as const, manifestDigest: `sha256:${'b'.repeat(64)}`, configDigest: `sha256:${'c'.repeat(64)}`, platform: 'linux/amd64', reference: null });

/** A base-image upgrade: a library rewritten, a config's mode changed, a tool added, docs removed; one binary relinked. */
function makeDiff(): ImageDiff {
  const many = Array.from({ length: 30 }, (_, i) => file(`/usr/share/doc/pkg${String(i).padStart(2, '0')}/copyright`, { size: 100 }));
  return {
    diffVersion: DIFF_SCHEMA_VERSION,
    tool: { name: 'imgslim', version: '0.0.0-test' },
    a: image('base-1.tar'),
    b: image('base-2.tar'),
    files: {
      added: [file('/usr/bin/newtool', { size: 2048, mode: 0o755 })],
      removed: [...many, file('/usr/share/man/man1/old.1', { size: 10 })],
      changed: [
        { path: '/usr/lib/libz.so.1', changes: ['content'], before: file('/usr/lib/libz.so.1', { size: 1000 }), after: file('/usr/lib/libz.so.1', { size: 3000 }) },
        { path: '/etc/app.conf', changes: ['mode', 'owner'], before: file('/etc/app.conf'), after: file('/etc/app.conf', { mode: 0o600, uid: 1000, gid: 1000 }) },
      ],
      unchanged: 9,
    },
    binaries: {
      added: [{ path: '/usr/bin/newtool', linkage: 'dynamic', libc: 'glibc', glibcFloor: 'GLIBC_2.34', status: 'ok' }],
      removed: [],
      changed: [
        {
          path: '/usr/bin/app',
          fields: [
            { field: 'glibcFloor', before: 'GLIBC_2.28', after: 'GLIBC_2.34' },
            { field: 'hardening.relro', before: 'partial', after: 'full' },
          ],
          neededAdded: ['libz.so.1'],
          neededRemoved: [],
          closureAdded: ['/usr/lib/libz.so.1'],
          closureRemoved: [],
        },
        { path: '/usr/lib/libz.so.1', fields: [{ field: 'glibcFloor', before: 'GLIBC_2.14', after: 'GLIBC_2.33' }], neededAdded: [], neededRemoved: [], closureAdded: [], closureRemoved: [] },
      ],
    },
    packages: {
      added: [],
      removed: [{ manager: 'dpkg', name: 'docs', architecture: 'all', version: '1' }],
      changed: [{ manager: 'dpkg', name: 'zlib1g', architecture: 'amd64', before: '1:1.2.13.dfsg-1', after: '1:1.3.dfsg-3' }],
    },
    totals: { a: totals(), b: totals({ size: 3 << 20, efficiencyScore: 0.99 }) },
  };
}

describe('diff view-model', () => {
  const model = buildDiffModel(makeDiff());

  test('the tree marks each changed path; parents stay plain; removals add no bytes', () => {
    const mark = (path: string) => visibleRows(model.tree, new Set()).find((row) => row.node.path === path)?.node;
    expect(mark('/usr/bin/newtool')?.change).toBe('added');
    expect(mark('/usr/lib/libz.so.1')?.change).toBe('modified');
    expect(mark('/usr/share/doc/pkg00/copyright')?.change).toBe('removed');
    expect(mark('/usr')?.change).toBeNull();
    expect(mark('/usr')?.size).toBe(2048 + 3000);
    // 30 removed directories under /usr/share/doc start folded; the rest is open.
    expect(model.folded.has('/usr/share/doc')).toBe(true);
    expect(model.folded.has('/usr/bin')).toBe(false);
  });

  test('what changed about a path, in words', () => {
    expect(model.fileChanges.get('/usr/lib/libz.so.1')).toBe('content 1000 B → 2.9 KiB');
    expect(model.fileChanges.get('/etc/app.conf')).toBe('mode 0644 → 0600, owner 0:0 → 1000:1000');
  });

  test('binaries: changed first, one change in full, several as the facts that changed; added with its facts', () => {
    expect(model.binaries.map((row) => [row.change, row.path, row.summary])).toEqual([
      ['modified', '/usr/bin/app', 'glibcFloor, hardening, NEEDED +libz.so.1'],
      ['modified', '/usr/lib/libz.so.1', 'glibcFloor GLIBC_2.14 → GLIBC_2.33'],
      ['added', '/usr/bin/newtool', 'dynamic, glibc, GLIBC_2.34, ok'],
    ]);
  });

  test('packages: upgrades as before → after', () => {
    expect(model.packages).toEqual([
      { change: 'modified', name: 'zlib1g:amd64 (dpkg)', version: '1:1.2.13.dfsg-1 → 1:1.3.dfsg-3' },
      { change: 'removed', name: 'docs:all (dpkg)', version: '1' },
    ]);
  });
});

describe('diff sections at 80 columns', () => {
  const model = buildDiffModel(makeDiff());
  const view = { folded: model.folded, layer: null, filter: '' };

  test('header: both images, the size and efficiency deltas, within the width', () => {
    const wide = text(diffHeaderLine(model, 200));
    expect(wide).toBe('base-1.tar → base-2.tar  size 4.0 MiB → 3.0 MiB: −1.0 MiB (−25.0%)  efficiency 95.0% → 99.0% (+4.0 pt)');
    for (const width of [80, 60, 40]) {
      const line = text(diffHeaderLine(model, width));
      expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(line).toContain('−1.0 MiB (−25.0%)');
    }
  });

  test('files: dive marks on every changed row, what changed beside it, lines within the width', () => {
    const files = buildDiffSection(model, 'files', 80, view);
    const lines = files.lines.map(text);
    expect(lines.find((line) => line.includes('newtool'))).toMatch(/^\+ +newtool +2\.0 KiB +added in b/);
    expect(lines.find((line) => line.includes('libz.so.1'))).toMatch(/^~ +libz\.so\.1 +2\.9 KiB +content 1000 B → 2\.9 KiB/);
    expect(lines.find((line) => line.includes('doc/'))).toMatch(/^ +▸ doc\//);
    expect(files.lines.every((line) => displayWidth(text(line)) <= 80)).toBe(true);
    // Tones: added green, modified yellow, removed red.
    expect(files.lines.find((line) => text(line).includes('newtool'))![0]!.tone).toBe('ok');
    expect(files.lines.find((line) => text(line).includes('libz'))![0]!.tone).toBe('warning');
  });

  test('binary details: each field before → after, NEEDED and closure changes', () => {
    const lines = diffBinaryDetailLines(model.binaries[0]!, 80).map(text);
    expect(lines[0]).toBe('~ /usr/bin/app  changed');
    expect(lines.find((line) => line.startsWith('  glibcFloor'))).toMatch(/^ {2}glibcFloor +GLIBC_2\.28 +GLIBC_2\.34$/);
    expect(lines.find((line) => line.startsWith('  hardening.relro'))).toMatch(/partial +full$/);
    expect(lines).toContain('  NEEDED       +libz.so.1');
    expect(lines).toContain('  closure +    /usr/lib/libz.so.1');
  });

  test('the reducer over the diff sections: fold, filter, details', () => {
    const cache = new DiffSectionCache(model, 80);
    const ctx = cache.context(17);
    const run = (actions: UiAction[], state = initialStateOf(model.folded, 'files', DIFF_SECTION_IDS)) => actions.reduce((s, a) => reduce(s, a, ctx), state);
    const at = (state: ReturnType<typeof run>) => text(cache.section(state.section, state).lines[state.cursor[state.section]]!);

    const start = run([]);
    const docRow = cache.section('files', start).lines.findIndex((line) => text(line).includes('doc/'));
    const unfolded = run([{ type: 'move', delta: docRow }, { type: 'activate' }], start);
    expect(unfolded.folded.has('/usr/share/doc')).toBe(false);
    expect(ctx.length('files', unfolded)).toBe(ctx.length('files', start) + 60); // 30 directories, each open on its file

    const filtered = run([{ type: 'filter-start', text: 'libz' }, { type: 'filter-done', keep: true }]);
    expect(cache.section('files', filtered).lines.map(text).filter((line) => line.includes('libz'))).toHaveLength(1);
    expect(ctx.length('files', filtered)).toBe(3); // usr/, lib/, libz.so.1
    const binaries = run([{ type: 'section', step: 1 }], filtered);
    expect(ctx.length('binaries', binaries)).toBe(1);
    expect(at(binaries)).toContain('/usr/lib/libz.so.1');
    const detail = run([{ type: 'activate' }], binaries);
    expect(detail.detail).toEqual({ binary: 1, offset: 0 });
  });
});

// eslint-disable-next-line no-control-regex
const plain = (frame: string | undefined) => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

describe('the diff terminal UI at 80×24', () => {
  test('opens on the changed files; Tab to binaries, Enter shows before → after; fits the terminal', async () => {
    const instance = render(
      <Box width={80}>
        <DiffApp model={buildDiffModel(makeDiff())} columns={80} rows={24} color={false} interactive />
      </Box>,
    );
    unmount = instance.unmount;
    const frame = () => plain(instance.lastFrame());
    const lines = frame().split('\n');
    expect(lines[0]).toContain('base-1.tar → base-2.tar');
    expect(lines[1]).toMatch(/^ Files 34 {3}Binaries 3 {3}Packages 2 {3}Totals/);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.every((line) => displayWidth(line) <= 80)).toBe(true);
    instance.stdin.write('\t');
    await vi.waitFor(() => expect(frame()).toMatch(/~ {2}\/usr\/bin\/app +glibcFloor, hardening/));
    instance.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Binary 1 of 3'));
    expect(frame()).toMatch(/glibcFloor +GLIBC_2\.28 +GLIBC_2\.34/);
  });
});
