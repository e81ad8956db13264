import { afterAll, describe, expect, test, vi } from 'vitest';
import { presentReport, renderJsonReport } from '../../src/ui/index.js';
import { ANSI, fakeTerminal } from './fake-terminal.js';
import { makeServiceImageReport, makeSlimReport } from './fixtures.js';

// Ink reads CI once, when it loads (lazily, in the first TUI test), and then draws only the final
// frame; these tests drive the real interactive UI, so they run as on a developer's terminal.
const ciEnv = process.env.CI;
delete process.env.CI;
afterAll(() => {
  if (ciEnv !== undefined) process.env.CI = ciEnv;
});

describe('presentReport', () => {
  test('--format json writes the Report exactly, whatever the terminal', async () => {
    const report = makeSlimReport();
    const term = fakeTerminal({ tty: true });
    await presentReport(report, term, { format: 'json', tui: true });
    expect(term.stdout.text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(JSON.parse(term.stdout.text)).toEqual(report);
    expect(renderJsonReport(report)).toBe(term.stdout.text);
  });

  test('off a terminal: the plain report, no escape codes, nothing cut whatever $COLUMNS says', async () => {
    const term = fakeTerminal({ env: { COLUMNS: '60' } });
    const report = makeServiceImageReport();
    await presentReport(report, term, {});
    const text = term.stdout.text;
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('Binaries (12)');
    expect(text).not.toContain('…');
    const header = text.split('\n').find((line) => line.includes('STATUS  PATH'))!;
    for (const column of ['SIZE', 'LINKAGE', 'INTERPRETER', 'GLIBC', 'HARDENING']) expect(header).toContain(column);
    for (const binary of report.binaries) expect(text).toMatch(new RegExp(`^ +\\S+ +${binary.path.replace(/[.+]/g, '\\$&')} `, 'm'));
    expect(term.stdin.rawMode).toBe(false);
  });

  test('--no-tui on a terminal fits its width, shortening paths from the left', async () => {
    const term = fakeTerminal({ tty: true, columns: 60, env: { TERM: 'xterm', NO_COLOR: '1' } });
    await presentReport(makeServiceImageReport(), term, { tui: false });
    for (const line of term.stdout.text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(term.stdout.text).toMatch(/ …[\w-]*\/libcrypto\.so\.3 /);
  });

  test('FORCE_COLOR colours the plain report even in a pipe; NO_COLOR keeps a terminal plain', async () => {
    const forced = fakeTerminal({ env: { FORCE_COLOR: '1' } });
    await presentReport(makeServiceImageReport(), forced, {});
    expect(forced.stdout.text).toMatch(/\x1b\[1;31mFAIL/);
    const noColor = fakeTerminal({ tty: true, env: { NO_COLOR: '1' } });
    await presentReport(makeServiceImageReport(), noColor, { tui: false });
    expect(noColor.stdout.text).not.toMatch(ANSI);
    const colorTty = fakeTerminal({ tty: true, env: { TERM: 'xterm-256color' } });
    await presentReport(makeServiceImageReport(), colorTty, { tui: false });
    expect(colorTty.stdout.text).toMatch(ANSI);
  });

  test('--tui without a keyboard prints one frame of the UI and does not wait for input', async () => {
    const term = fakeTerminal({ tty: false, stdinTty: false });
    await presentReport(makeSlimReport(), term, { tui: true });
    expect(term.stdout.text).toContain(' Summary   Binaries 12   Layers 6   Findings 5   Files');
    expect(term.stdout.text).toContain('Slim: before → after');
    expect(term.stdout.text).toContain('stdin is not a terminal');
    expect(term.stdout.text).not.toContain('\x1b[?1049h');
  });

  test('on a terminal: the alternate screen, keys work, q restores the screen and leaves a one-line verdict', async () => {
    const term = fakeTerminal({ tty: true, columns: 100, rows: 30, env: { TERM: 'xterm' } });
    const done = presentReport(makeSlimReport(), term, {});
    await vi.waitFor(() => expect(term.stdin.rawMode).toBe(true));
    term.stdin.write('\t');
    await vi.waitFor(() => expect(term.stdout.text).toContain('STATUS  PATH'));
    term.stdin.write('q');
    await done;
    expect(term.stdout.text.startsWith('\x1b[?1049h')).toBe(true);
    const after = term.stdout.text.slice(term.stdout.text.lastIndexOf('\x1b[?1049l') + '\x1b[?1049l'.length);
    expect(after.replace(new RegExp(ANSI.source, 'g'), '')).toBe('example/app:1.0: 146.8 MiB → 16.9 MiB (−88.5%) · 12 binaries (2 will fail) · entrypoint can start · 2 errors, 2 warnings\n');
    expect(term.stdin.rawMode).toBe(false);
  });

  test('a resize redraws at the new width', async () => {
    const term = fakeTerminal({ tty: true, columns: 120, rows: 30, env: { TERM: 'xterm' } });
    const done = presentReport(makeServiceImageReport(), term, {});
    await vi.waitFor(() => expect(term.stdin.rawMode).toBe(true));
    term.stdin.write('\t');
    await vi.waitFor(() => expect(term.stdout.text).toContain('HARDENING'));
    term.stdout.columns = 60;
    term.stdout.text = '';
    term.stdout.emit('resize');
    await vi.waitFor(() => expect(term.stdout.text).toContain('STATUS  PATH                        LINKAGE'));
    expect(term.stdout.text).not.toContain('HARDENING');
    term.stdin.write('q');
    await done;
  });
});
