import { describe, expect, test } from 'vitest';
import { buildReportModel } from '../../src/ui/model/report-model.js';
import { keyToAction, type KeyPress } from '../../src/ui/tui/keys.js';
import { SectionCache } from '../../src/ui/tui/section-cache.js';
import { initialState, reduce, type UiAction, type UiContext, type UiState } from '../../src/ui/tui/state.js';
import type { SectionId } from '../../src/ui/view/sections.js';
import { makeSlimReport } from './fixtures.js';

/** A context over plain list lengths; the Files list has one foldable directory at index 0 hiding 5 rows. */
function context(pageSize: number, lengths: Partial<Record<SectionId, number>> = {}): UiContext {
  const base: Record<SectionId, number> = { check: 0, summary: 30, binaries: 50, layers: 8, findings: 0, files: 10, ...lengths };
  return {
    pageSize,
    length: (section, { folded, layer }) => (section === 'files' && layer !== null ? 3 : section === 'files' && folded.has('/usr') ? base.files - 5 : base[section]),
    selectable: (section) => section !== 'summary',
    activate: (section, index) => {
      if (section === 'binaries') return { kind: 'detail', binary: index };
      if (section !== 'files') return null;
      return index === 0 ? { kind: 'fold', path: '/usr' } : index === 1 ? { kind: 'reveal', path: '/usr/lib/libfoo.so' } : null;
    },
    detailLength: () => 25,
    locate: (section, path, { folded }) => (section === 'files' && path === '/usr/lib/libfoo.so' && !folded.has('/usr') && !folded.has('/usr/lib') ? 8 : null),
    sections: ['summary', 'binaries', 'layers', 'findings', 'files'],
    treeSection: 'files',
    filterable: ['binaries', 'files'],
    layers: 2,
    defaultFolded: (layer) => new Set(layer === null ? ['/usr'] : [`/layer${layer}`]),
  };
}

const run = (ctx: UiContext, actions: UiAction[], state: UiState = initialState(new Set())) => actions.reduce((s, a) => reduce(s, a, ctx), state);

describe('reducer', () => {
  test('Tab and Shift-Tab cycle through the five sections, wrapping both ways', () => {
    const ctx = context(10);
    expect(run(ctx, [{ type: 'section', step: 1 }]).section).toBe('binaries');
    expect(run(ctx, [{ type: 'section', step: -1 }]).section).toBe('files');
    expect(run(ctx, Array(5).fill({ type: 'section', step: 1 })).section).toBe('summary');
  });

  test('the cursor moves within the list and the view follows it', () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: 1 }]);
    state = run(ctx, Array(12).fill({ type: 'move', delta: 1 }), state);
    expect(state.cursor.binaries).toBe(12);
    expect(state.offset.binaries).toBe(3);
    state = run(ctx, [{ type: 'move', delta: -100 }], state);
    expect(state.cursor.binaries).toBe(0);
    expect(state.offset.binaries).toBe(0);
  });

  test('PgDn/PgUp move cursor and view by a page; End and Home go to the edges', () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: 1 }, { type: 'page', step: 1 }]);
    expect(state.cursor.binaries).toBe(9);
    expect(state.offset.binaries).toBe(9);
    state = run(ctx, [{ type: 'edge', to: 'end' }], state);
    expect(state.cursor.binaries).toBe(49);
    expect(state.offset.binaries).toBe(40);
    state = run(ctx, [{ type: 'page', step: -1 }], state);
    expect(state.cursor.binaries).toBe(40);
    expect(state.offset.binaries).toBe(31);
    state = run(ctx, [{ type: 'edge', to: 'start' }], state);
    expect([state.cursor.binaries, state.offset.binaries]).toEqual([0, 0]);
  });

  test('the summary only scrolls, and never past its end', () => {
    const ctx = context(10);
    const state = run(ctx, [{ type: 'move', delta: 3 }]);
    expect(state.offset.summary).toBe(3);
    expect(run(ctx, [{ type: 'edge', to: 'end' }]).offset.summary).toBe(20);
    expect(run(context(50), [{ type: 'page', step: 1 }]).offset.summary).toBe(0);
  });

  test('each section keeps its own cursor', () => {
    const ctx = context(10);
    const state = run(ctx, [{ type: 'section', step: 1 }, { type: 'move', delta: 4 }, { type: 'section', step: 1 }, { type: 'move', delta: 2 }, { type: 'section', step: -1 }]);
    expect(state.section).toBe('binaries');
    expect(state.cursor).toMatchObject({ binaries: 4, layers: 2 });
  });

  test("Enter opens a binary's details, which scroll on their own; Esc or Enter closes them", () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: 1 }, { type: 'move', delta: 7 }, { type: 'activate' }]);
    expect(state.detail).toEqual({ binary: 7, offset: 0 });
    state = run(ctx, [{ type: 'move', delta: 1 }, { type: 'edge', to: 'end' }], state);
    expect(state.detail).toEqual({ binary: 7, offset: 15 });
    expect(state.cursor.binaries).toBe(7);
    expect(run(ctx, [{ type: 'back' }], state).detail).toBeNull();
    expect(run(ctx, [{ type: 'activate' }], state).detail).toBeNull();
    expect(run(ctx, [{ type: 'section', step: 1 }], state)).toMatchObject({ section: 'layers', detail: null });
  });

  test('Enter on a directory folds and unfolds it, keeping the cursor in range', () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: -1 }, { type: 'activate' }]);
    expect(state.folded.has('/usr')).toBe(true);
    state = run(ctx, [{ type: 'activate' }], state);
    expect(state.folded.has('/usr')).toBe(false);
    state = run(ctx, [{ type: 'edge', to: 'end' }], state);
    expect(state.cursor.files).toBe(9);
    // Folding from elsewhere (the cursor at 9) would leave it past the end: the reducer pulls it back.
    const folded = reduce({ ...state, folded: new Set(['/usr']) }, { type: 'fit' }, ctx);
    expect(folded.cursor.files).toBe(4);
    expect(run(ctx, [{ type: 'move', delta: 1 }, { type: 'activate' }], state).folded.size).toBe(0);
  });

  test('Enter on a largest-dropped file unfolds its directories and puts the cursor on it in the tree', () => {
    const ctx = context(5);
    const start = { ...initialState(new Set(['/usr', '/usr/lib', '/etc']), 'files'), cursor: { ...initialState(new Set()).cursor, files: 1 } };
    const state = reduce(start, { type: 'activate' }, ctx);
    expect([...state.folded]).toEqual(['/etc']);
    expect(state.cursor.files).toBe(8);
    expect(state.offset.files).toBe(4);
  });

  test('an empty list keeps the cursor at 0; a resize re-fits the view', () => {
    const ctx = context(10);
    const empty = run(ctx, [{ type: 'section', step: 1 }, { type: 'section', step: 1 }, { type: 'section', step: 1 }, { type: 'move', delta: 5 }]);
    expect(empty.section).toBe('findings');
    expect(empty.cursor.findings).toBe(0);
    const scrolled = run(ctx, [{ type: 'section', step: 1 }, { type: 'edge', to: 'end' }]);
    const taller = reduce(scrolled, { type: 'fit' }, context(45));
    expect(taller.offset.binaries).toBe(5);
    expect(taller.cursor.binaries).toBe(49);
  });

  test('the real section cache drives the reducer: Files folds change the list length, reveal finds the file', () => {
    const model = buildReportModel(makeSlimReport());
    const cache = new SectionCache(model, 120);
    const ctx = cache.context(20);
    let state = initialState(model.folded, 'files');
    // Line 1 is the largest dropped file (libLLVM, in an unfolded directory): Enter lands on its tree row.
    state = reduce(reduce(state, { type: 'move', delta: 1 }, ctx), { type: 'activate' }, ctx);
    const llvm = cache.section('files', state).describe(state.cursor.files);
    expect(llvm).toMatch(/^\/usr\/lib\/x86_64-linux-gnu\/libLLVM-15\.so\.1 {2}98\.1 MiB$/);
    expect(state.cursor.files).toBeGreaterThan(6);
    // Line 3 (python3.11, inside the folded /usr/bin): Enter unfolds /usr/bin.
    state = reduce(reduce(state, { type: 'edge', to: 'start' }, ctx), { type: 'move', delta: 3 }, ctx);
    expect(state.folded.has('/usr/bin')).toBe(true);
    state = reduce(state, { type: 'activate' }, ctx);
    expect(state.folded.has('/usr/bin')).toBe(false);
    expect(cache.section('files', state).describe(state.cursor.files)).toMatch(/^\/usr\/bin\/python3\.11 /);
    state = reduce(reduce(state, { type: 'edge', to: 'end' }, ctx), { type: 'edge', to: 'start' }, ctx);
    state = reduce(state, { type: 'move', delta: 8 }, ctx);
    const before = ctx.length('files', state);
    state = reduce(state, { type: 'activate' }, ctx);
    expect(ctx.length('files', state)).toBeLessThan(before);
    state = reduce(state, { type: 'activate' }, ctx);
    expect(ctx.length('files', state)).toBe(before);
  });
});

describe('layers in the Files tree', () => {
  test('[ and ] step through merged image, layer 0, layer 1 and around, each with its own folds, cursor at the top', () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: -1 }, { type: 'move', delta: 4 }]);
    expect(state).toMatchObject({ section: 'files', layer: null });
    state = reduce(state, { type: 'layer', step: 1 }, ctx);
    expect(state).toMatchObject({ section: 'files', layer: 0, folded: new Set(['/layer0']) });
    expect(state.cursor.files).toBe(0);
    state = run(ctx, [{ type: 'layer', step: 1 }], state);
    expect(state.layer).toBe(1);
    state = run(ctx, [{ type: 'layer', step: 1 }], state);
    expect(state).toMatchObject({ layer: null, folded: new Set(['/usr']) });
    expect(run(ctx, [{ type: 'layer', step: -1 }], state).layer).toBe(1);
  });

  test("Enter on a row of the Layers section opens that layer's tree", () => {
    const model = buildReportModel(makeSlimReport());
    const ctx = new SectionCache(model, 100).context(20);
    const state = run(ctx, [{ type: 'section', step: 1 }, { type: 'section', step: 1 }, { type: 'move', delta: 2 }, { type: 'activate' }], initialState(model.folded));
    expect(state).toMatchObject({ section: 'files', layer: 2 });
  });
});

describe('the / filter', () => {
  test('typing narrows Files (or Binaries) from the top; Enter keeps the filter, Esc drops it', () => {
    const ctx = context(10);
    let state = run(ctx, [{ type: 'section', step: 1 }, { type: 'move', delta: 7 }]);
    state = run(ctx, [{ type: 'filter-start', text: 'li' }, { type: 'filter-type', text: 'bc' }], state);
    expect(state).toMatchObject({ section: 'binaries', filter: 'libc', editingFilter: true });
    expect(state.cursor.binaries).toBe(0);
    state = run(ctx, [{ type: 'filter-erase' }, { type: 'filter-done', keep: true }], state);
    expect(state).toMatchObject({ filter: 'lib', editingFilter: false });
    state = run(ctx, [{ type: 'back' }], state);
    expect(state).toMatchObject({ filter: '', editingFilter: false });
    // From a section without paths, the filter shows the Files tree.
    expect(run(ctx, [{ type: 'filter-start', text: 'x' }]).section).toBe('files');
  });
});

describe('keys', () => {
  const none: KeyPress = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, backspace: false, tab: false, shift: false, ctrl: false };
  test.each<[string, string, Partial<KeyPress>, ReturnType<typeof keyToAction>]>([
    ['q quits', 'q', {}, { type: 'quit' }],
    ['Ctrl-C quits', 'c', { ctrl: true }, { type: 'quit' }],
    ['Tab', '', { tab: true }, { type: 'section', step: 1 }],
    ['Shift-Tab', '', { tab: true, shift: true }, { type: 'section', step: -1 }],
    ['→', '', { rightArrow: true }, { type: 'section', step: 1 }],
    ['←', '', { leftArrow: true }, { type: 'section', step: -1 }],
    ['↓', '', { downArrow: true }, { type: 'move', delta: 1 }],
    ['k', 'k', {}, { type: 'move', delta: -1 }],
    ['PgDn', '', { pageDown: true }, { type: 'page', step: 1 }],
    ['PgUp', '', { pageUp: true }, { type: 'page', step: -1 }],
    ['Home', '', { home: true }, { type: 'edge', to: 'start' }],
    ['G', 'G', { shift: true }, { type: 'edge', to: 'end' }],
    ['Enter', '', { return: true }, { type: 'activate' }],
    ['Esc', '', { escape: true }, { type: 'back' }],
    ['[', '[', {}, { type: 'layer', step: -1 }],
    [']', ']', {}, { type: 'layer', step: 1 }],
    ['/ starts a filter', '/', {}, { type: 'filter-start', text: '' }],
    ['/ with text read along', '/lib', {}, { type: 'filter-start', text: 'lib' }],
    ['anything else', 'x', {}, null],
  ])('%s', (_name, input, key, expected) => expect(keyToAction(input, { ...none, ...key })).toEqual(expected));

  test.each<[string, string, Partial<KeyPress>, ReturnType<typeof keyToAction>]>([
    ['letters are text, q too', 'q', {}, { type: 'filter-type', text: 'q' }],
    ['Backspace (DEL) erases', '', { delete: true }, { type: 'filter-erase' }],
    ['Enter keeps', '', { return: true }, { type: 'filter-done', keep: true }],
    ['Esc drops', '', { escape: true }, { type: 'filter-done', keep: false }],
    ['↓ still moves', '', { downArrow: true }, { type: 'move', delta: 1 }],
    ['Ctrl-C still quits', 'c', { ctrl: true }, { type: 'quit' }],
  ])('while typing a filter: %s', (_name, input, key, expected) => expect(keyToAction(input, { ...none, ...key }, true)).toEqual(expected));
});
