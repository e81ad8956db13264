import { describe, expect, test } from 'vitest';
import { canReadKeys, colorEnabled, isCi, textWidth, wantsTui } from '../../src/ui/terminal.js';
import { fakeTerminal } from './fake-terminal.js';

describe('wantsTui', () => {
  const tty = () => fakeTerminal({ tty: true, env: { TERM: 'xterm-256color' } });
  test('auto: only when stdout and stdin are terminals, outside CI, on a capable terminal', () => {
    expect(wantsTui(tty(), {})).toBe(true);
    expect(wantsTui(fakeTerminal({ tty: true, stdinTty: false }), {})).toBe(false);
    expect(wantsTui(fakeTerminal({ tty: false, stdinTty: true }), {})).toBe(false);
    expect(wantsTui(fakeTerminal({ tty: true, env: { CI: 'true' } }), {})).toBe(false);
    expect(wantsTui(fakeTerminal({ tty: true, env: { CONTINUOUS_INTEGRATION: '1' } }), {})).toBe(false);
    expect(wantsTui(fakeTerminal({ tty: true, env: { TERM: 'dumb' } }), {})).toBe(false);
  });
  test('--tui and --no-tui force it; an explicit --format always wins', () => {
    expect(wantsTui(fakeTerminal(), { tui: true })).toBe(true);
    expect(wantsTui(tty(), { tui: false })).toBe(false);
    expect(wantsTui(tty(), { format: 'text' })).toBe(false);
    expect(wantsTui(tty(), { format: 'json', tui: true })).toBe(false);
  });
  test('CI detection matches is-in-ci: set and not 0/false', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '' })).toBe(true);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
  test('keys can be read only from a TTY stdin with raw mode', () => {
    expect(canReadKeys(tty())).toBe(true);
    expect(canReadKeys(fakeTerminal({ stdinTty: false }))).toBe(false);
  });
});

describe('colour and width', () => {
  test('FORCE_COLOR wins (unless 0/false), NO_COLOR turns colour off, else a TTY that is not dumb', () => {
    expect(colorEnabled({ FORCE_COLOR: '1' }, { isTTY: false })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '', NO_COLOR: '1' }, { isTTY: false })).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, { isTTY: true })).toBe(true);
    expect(colorEnabled({}, { isTTY: true })).toBe(true);
    expect(colorEnabled({ TERM: 'dumb' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({}, { isTTY: false })).toBe(false);
  });
  test('text width: the TTY columns, else $COLUMNS, else 100', () => {
    expect(textWidth(fakeTerminal({ tty: true, columns: 132 }))).toBe(132);
    expect(textWidth(fakeTerminal({ env: { COLUMNS: '72' } }))).toBe(72);
    expect(textWidth(fakeTerminal({ env: { COLUMNS: 'wide' } }))).toBe(100);
    expect(textWidth(fakeTerminal())).toBe(100);
  });
});
