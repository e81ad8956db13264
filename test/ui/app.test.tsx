import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildReportModel } from '../../src/ui/model/report-model.js';
import { App, CHROME_LINES, pageSizeFor } from '../../src/ui/tui/App.js';
import { makeReport } from '../helpers/report-fixture.js';
import { makeServiceImageReport, makeSlimReport } from './fixtures.js';

const KEYS = { tab: '\t', shiftTab: '\x1b[Z', up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', pageDown: '\x1b[6~', pageUp: '\x1b[5~', enter: '\r', escape: '\x1b', end: '\x1b[F' };

// eslint-disable-next-line no-control-regex
const plain = (frame: string | undefined) => (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function show(report = makeServiceImageReport(), size = { columns: 100, rows: 30 }) {
  // ink-testing-library's terminal is 100 columns: a Box of the size under test stands in for it.
  const instance = render(
    <Box width={size.columns}>
      <App model={buildReportModel(report)} columns={size.columns} rows={size.rows} color={false} interactive />
    </Box>,
  );
  unmount = instance.unmount;
  const frame = () => plain(instance.lastFrame());
  const press = async (key: string, expected: string | RegExp) => {
    instance.stdin.write(key);
    await vi.waitFor(() => expect(frame()).toMatch(expected));
  };
  return { ...instance, frame, press };
}

const lines = (frame: string) => frame.split('\n');

describe('terminal UI', () => {
  test('opens on the Summary: header with image, platform and short digest; tabs; help line', () => {
    const { frame } = show();
    const [header, tabs] = lines(frame());
    expect(header).toBe('example/app:1.0 (image.tar, docker-archive)  linux/amd64  sha256:cccccccccccc');
    expect(tabs).toMatch(/^ Summary {3}Binaries 12 {3}Layers 6 {3}Findings 5 {3}Files/);
    expect(frame()).toContain('binaries     12 ELF: 7 executables · 5 libraries · 2 will fail');
    expect(frame()).toContain('✓ can start');
    expect(lines(frame()).at(-1)).toMatch(/^Tab\/←→ section {2}↑↓ move {2}PgUp\/PgDn page {2}\/ filter {2}q quit/);
  });

  test('the frame fits the terminal: one line short of its height, no line wider than it', () => {
    const { frame } = show(makeServiceImageReport(), { columns: 100, rows: 24 });
    expect(lines(frame())).toHaveLength(pageSizeFor(24) + CHROME_LINES);
    expect(lines(frame()).length).toBeLessThan(24);
    for (const line of lines(frame())) expect(line.length).toBeLessThanOrEqual(100);
  });

  test('Tab, Shift-Tab and arrows switch sections', async () => {
    const { press, frame } = show();
    await press(KEYS.tab, /STATUS {2}PATH/);
    expect(frame()).toContain('FAIL    /usr/local/bin/exporter');
    await press(KEYS.right, /CREATED BY/);
    expect(frame()).toContain('RUN apt-get update && apt-get install -y --n');
    expect(frame()).toMatch(/efficiency +87\.3%/);
    await press(KEYS.right, /SEVERITY/);
    expect(frame()).toMatch(/^error +missing-library +\/usr\/local\/bin\/exporter +libpq\.so\.5 not found/m);
    await press(KEYS.shiftTab, /CREATED BY/);
    await press(KEYS.left, /STATUS {2}PATH/);
    await press(KEYS.left, /binaries {5}12 ELF/);
  });

  test('↓ moves the cursor, the footer shows the full text of the row, Enter opens details and Esc goes back', async () => {
    const { press, frame } = show();
    await press(KEYS.tab, /1\/12$/m);
    await press(KEYS.enter, /Binary 1 of 12/);
    expect(frame()).toContain('/app/server  ok');
    expect(frame()).toContain('libssl.so.3 → /usr/lib/x86_64-linux-gnu/libssl.so.3  [default-path /usr/lib/x86_64-linux-gnu]');
    expect(lines(frame()).at(-1)).toMatch(/^↑↓ scroll .*Enter\/Esc back/);
    await press(KEYS.escape, /1\/12$/m);
    expect(frame()).toContain('STATUS  PATH');
    for (const row of [2, 3, 4]) await press(KEYS.down, new RegExp(`${row}/12$`, 'm'));
    expect(frame()).toContain('/usr/local/bin/exporter: libpq.so.5: not found (needed by /usr/local/bin/exporter;');
  });

  test('lists scroll with PgDn/PgUp and keep the cursor on screen', async () => {
    const { press, frame } = show(makeServiceImageReport(), { columns: 100, rows: 14 });
    await press(KEYS.shiftTab, /PATH +SIZE +FILES/);
    await press(KEYS.enter, /▾ usr\//);
    await press(KEYS.down, /2\/\d+$/m);
    await press(KEYS.enter, /▾ lib\//);
    await press(KEYS.down, /3\/\d+$/m);
    await press(KEYS.enter, /▾ x86_64-linux-gnu\//);
    // A page is the list height less one line of overlap.
    const page = pageSizeFor(14) - 1;
    await press(KEYS.pageDown, new RegExp(`\\s${3 + page}/\\d+$`, 'm'));
    expect(frame()).not.toContain('▾ usr/');
    await press(KEYS.pageUp, /\s3\/\d+$/m);
    await press('g', /\s1\/\d+$/m);
    expect(frame()).toContain('▾ usr/');
    await press(KEYS.end, /\s(\d+)\/\1$/m);
  });

  test('slim Files: the largest dropped first (Enter shows one in the tree), then a tree that Enter folds', async () => {
    const { press, frame } = show(makeSlimReport(), { columns: 141, rows: 40 });
    await press(KEYS.shiftTab, /PATH +SIZE +STATUS +WHY KEPT/);
    // Right of the layer list (`merged image` selected) is the tree.
    expect(lines(frame())[3]).toMatch(/^merged image +│Largest dropped$/);
    const screen = lines(frame()).map((line) => line.slice(line.indexOf('│') + 1));
    expect(screen[3]).toBe('Largest dropped');
    expect(screen[4]).toMatch(/^\/usr\/lib\/x86_64-linux-gnu\/libLLVM-15\.so\.1 +98\.1 MiB {2}dropped$/);
    expect(screen[8]).toBe('Kept and dropped');
    expect(frame()).toMatch(/▾ usr\/ +\d+\.\d MiB {2}4\/1,512 kept/);
    expect(frame()).toMatch(/server +9\.4 MiB {2}kept +entrypoint/);
    expect(frame()).toMatch(/▸ share\/ +\d+\.\d MiB {2}dropped/);
    await press(KEYS.down, /2\/\d+$/m);
    expect(frame()).toContain('(Enter shows it in the tree)');
    await press(KEYS.enter, /│\/usr\/lib\/x86_64-linux-gnu\/libLLVM-15\.so\.1 98\.1 MiB$/m);
    await press('g', /\s1\/\d+$/m);
    for (let i = 2; i <= 7; i++) await press(KEYS.down, new RegExp(`\\s${i}/\\d+$`, 'm'));
    await press(KEYS.enter, /▸ usr\//);
    expect(frame()).not.toContain('libcrypto.so.3');
    await press(KEYS.enter, /▾ usr\//);
    expect(frame()).toContain('libcrypto.so.3');
  });

  test('/ filters the binaries and the file tree by path; Enter keeps it, Esc clears it', async () => {
    const { press, frame } = show(makeServiceImageReport(), { columns: 100, rows: 30 });
    await press(KEYS.tab, /STATUS +PATH/);
    // Typed at once with `/`: the text is the filter, not commands.
    await press('/libc', /Binaries 2\/12/);
    // Typed text is text: `q` does not quit while the filter is typed.
    await press('r', /^\/libcr▏/m);
    await press('\x7f', /^\/libc▏/m);
    const binaries = lines(frame()).filter((line) => /^(ok|FAIL)\s/.test(line));
    expect(binaries.every((line) => /libc/i.test(line))).toBe(true);
    await press(KEYS.enter, /^filter 'libc' \(Esc clears\)/m);
    await press(KEYS.enter, /Binary \d+ of 12/);
    expect(frame()).toMatch(/libc/);
    await press(KEYS.escape, /Binaries 2\/12/);
    await press(KEYS.shiftTab, /verdict/);
    await press(KEYS.shiftTab, /LAYER +│PATH/);
    // The tree keeps the matching paths and the directories above them, unfolded.
    expect(frame()).toMatch(/│▾ usr\//);
    expect(frame()).toMatch(/│ +libc\.so\.6 /);
    expect(frame()).not.toMatch(/python3/);
    await press(KEYS.escape, /Binaries 12 /);
    expect(frame()).not.toMatch(/filter 'libc'/);
  });

  test('the slim Summary leads with before → after, bars and reductions', () => {
    const { frame } = show(makeSlimReport(), { columns: 100, rows: 40 });
    expect(frame()).toContain('Slim: before → after');
    expect(frame()).toMatch(/size +\d+\.\d MiB → \d+\.\d MiB {2}█+░+ +−\d+\.\d%/);
    expect(frame()).toMatch(/files +1,635 → +6 .*−99\.6%/);
  });

  test('narrow terminals hide low-priority columns and shorten paths from the left, keeping the file name', async () => {
    const { press, frame } = show(makeServiceImageReport(), { columns: 60, rows: 30 });
    await press(KEYS.tab, /STATUS {2}PATH/);
    expect(frame()).not.toContain('HARDENING');
    expect(frame()).not.toContain('INTERPRETER');
    expect(frame()).toMatch(/ …[\w-]*\/libcrypto\.so\.3 /);
    for (const line of lines(frame())) expect(line.length).toBeLessThanOrEqual(60);
  });


  test('an image without binaries or findings says so', async () => {
    const { press, frame } = show(makeReport({ binaries: [], findings: [] }));
    await press(KEYS.tab, /no ELF binaries in this image/);
    await press(KEYS.tab, /CREATED BY/);
    await press(KEYS.tab, /no findings/);
    expect(frame()).toContain('no findings');
  });
});
