/**
 * End to end in a real pseudo-terminal: the built CLI runs under tmux (120×40), we press keys
 * with `send-keys` and read the screen with `capture-pane`. Skips with a notice when tmux is absent
 * (a failure under IMGSLIM_REQUIRE_TOOLS=1); the samples and `--report` are part of the project. Polls the screen until the expected text shows (no timing asserts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { buildImage, writeFixture, type EntrySpec } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { hasTool } from '../helpers/tools.js';
import { makeSlimReport } from './fixtures.js';

const hasTmux = hasTool('tmux', 'the terminal UI end-to-end tests');

const socket = `imgslim-ui-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the pane until `expected` shows up; returns the screen. */
async function screenShowing(session: string, expected: string | RegExp, deadlineMs = 60_000): Promise<string> {
  const until = Date.now() + deadlineMs;
  let screen = '';
  while (Date.now() < until) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) return screen;
    if (/\[exit \d+\]/.test(screen)) break;
    await sleep(100);
  }
  throw new Error(`the screen never showed ${String(expected)}; last screen:\n${screen.trimEnd()}`);
}

/** Starts `imgslim …args` in a fresh tmux session (120×40 unless said) as an interactive user would (no CI variables). */
function startCli(session: string, args: string[], size: { columns: number; rows: number } = { columns: 120, rows: 40 }): void {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `cd '${repoRoot}' && env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR -u FORCE_COLOR '${process.execPath}' bin/imgslim.js ${quoted}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), command);
}

/** The highest GLIBC_x.y[.z] a file needs, as `readelf -V` lists it (numeric collation compares the parts). */
function readelfGlibcFloor(file: string): string | null {
  const versions = [...execFileSync('readelf', ['-V', '--wide', file], { encoding: 'utf8' }).matchAll(/Name: (GLIBC_\d+(?:\.\d+)+)/g)].map((m) => m[1]!);
  return versions.sort((x, y) => x.localeCompare(y, 'en', { numeric: true })).at(-1) ?? null;
}

describe.skipIf(!hasTmux)('imgslim in a real terminal (tmux)', () => {
  let scratch = '';
  beforeAll(() => {
    ensureBuilt();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'imgslim-ui-e2e-'));
  });
  afterAll(() => {
    const socketPath = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (socketPath) rmSync(socketPath, { force: true });
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('analyze samples/glibc-dynamic.tar: sections, details, fold, quit', async () => {
    startCli('sample', ['analyze', 'samples/glibc-dynamic.tar']);
    let screen = await screenShowing('sample', /Summary +Binaries 3 +Layers 2/);
    expect(screen).toContain('glibc-dynamic');
    expect(screen).toContain('linux/amd64');
    expect(screen).toContain('/app/hello world');
    expect(screen).toMatch(/Tab\/←→ section/);

    tmux('send-keys', '-t', 'sample', 'Tab');
    screen = await screenShowing('sample', 'STATUS  PATH');
    expect(screen).toContain('/app/hello');
    expect(screen).toContain('/usr/lib/x86_64-linux-gnu/libc.so.6');

    tmux('send-keys', '-t', 'sample', 'Enter');
    screen = await screenShowing('sample', 'Binary 1 of 3');
    expect(screen).toContain('Dependencies');
    tmux('send-keys', '-t', 'sample', 'Escape');
    await screenShowing('sample', 'STATUS  PATH');

    tmux('send-keys', '-t', 'sample', 'BTab');
    await screenShowing('sample', /entrypoint +\/app\/hello world/);
    tmux('send-keys', '-t', 'sample', 'BTab');
    screen = await screenShowing('sample', /PATH +SIZE +FILES/);
    expect(screen).toMatch(/▸ usr\//);
    tmux('send-keys', '-t', 'sample', 'Enter');
    await screenShowing('sample', /▾ usr\//);

    tmux('send-keys', '-t', 'sample', 'q');
    screen = await screenShowing('sample', '[exit 0]');
    expect(screen).toMatch(/glibc-dynamic.*: .* · 3 binaries · entrypoint can start/);
    expect(screen).not.toContain('STATUS  PATH');
  }, 120_000);

  test("80×24, layers.tar: the layer list beside each layer's changes, marked as dive colours them; resize", async () => {
    startCli('layers', ['analyze', 'samples/layers.tar'], { columns: 80, rows: 24 });
    await screenShowing('layers', /Summary +Binaries 3 +Layers 4/);
    tmux('send-keys', '-t', 'layers', 'BTab');
    let screen = await screenShowing('layers', /LAYER +│PATH +SIZE +FILES/);
    expect(screen).toMatch(/^merged image +│/m);
    expect(screen).toMatch(/^2 +2\.0 MiB {2}\+0 ~1 −6 +│/m);
    // Layer 2 (samples/README.md): /var/cache/big.bin rewritten; /data/remove-me.txt and /data/dir-to-remove/ whited out.
    tmux('send-keys', '-t', 'layers', ']');
    await screenShowing('layers', /│\+ +▾ var\//);
    tmux('send-keys', '-t', 'layers', ']');
    screen = await screenShowing('layers', /│~ +big\.bin +2\.0 MiB/);
    expect(screen).toMatch(/│− +remove-me\.txt +38 B/);
    expect(screen).toMatch(/│− +▾ dir-to-remove\//);
    expect(screen).toMatch(/│− +c\.txt/);
    // Layer 3: the opaque directory's old files removed, the new one added; a file that became a directory.
    tmux('send-keys', '-t', 'layers', ']');
    screen = await screenShowing('layers', /│\+ +new-1\.txt/);
    expect(screen).toMatch(/│− +old-1\.txt/);
    expect(screen).toMatch(/│~ +▾ file-becomes-dir\//);
    expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
    // Narrower and shorter: the layer list shrinks to numbers and changes, nothing wraps.
    tmux('resize-window', '-t', 'layers', '-x', '60', '-y', '20');
    screen = await screenShowing('layers', /^4 \+1 +│/m);
    expect(screen).toMatch(/^3 \+2 ~3 −6 +│/m);
    expect(screen.split('\n').every((line) => line.length <= 60)).toBe(true);
    // `/` filters the tree (here layer 3's changes) and the binaries by path.
    tmux('send-keys', '-t', 'layers', '[');
    await screenShowing('layers', /│~ +big\.bin/);
    tmux('send-keys', '-t', 'layers', '/', 'remove');
    screen = await screenShowing('layers', /^\/remove▏/m);
    expect(screen).toMatch(/│− +remove-me\.txt/);
    expect(screen).not.toMatch(/big\.bin/);
    tmux('send-keys', '-t', 'layers', 'Enter');
    await screenShowing('layers', /filter 'remove' \(Esc clears\)/);
    tmux('send-keys', '-t', 'layers', 'Tab');
    await screenShowing('layers', /verdict/);
    tmux('send-keys', '-t', 'layers', 'Tab');
    await screenShowing('layers', /no binary path contains 'remove'/);
    tmux('send-keys', '-t', 'layers', 'Escape');
    await screenShowing('layers', /STATUS +PATH/);
    tmux('send-keys', '-t', 'layers', 'q');
    await screenShowing('layers', '[exit 0]');
  }, 120_000);

  test('check on a terminal: the results open first, Enter on a violation shows its file, the exit code is the gate', async () => {
    startCli('check', ['check', 'samples/glibc-dynamic.tar', '--rule', 'entrypoint-static', '--rule', 'require-pie'], { columns: 80, rows: 24 });
    let screen = await screenShowing('check', /Check FAIL +Summary +Binaries 3/);
    expect(screen).toMatch(/^Result: FAIL \[pass:1 fail:1\]/m);
    expect(screen).toMatch(/^FAIL {2}entrypoint-static: 1 violation/m);
    expect(screen).toMatch(/^ {6}\/app\/hello NEEDED libc\.so\.6 via PT_INTERP/m);
    expect(screen).toMatch(/^PASS {2}require-pie: no violations/m);
    tmux('send-keys', '-t', 'check', 'Down');
    tmux('send-keys', '-t', 'check', 'Down');
    await screenShowing('check', /3\/4\s*$/m);
    tmux('send-keys', '-t', 'check', 'Enter');
    screen = await screenShowing('check', /LAYER +│PATH/);
    expect(screen).toMatch(/│ +hello +\d/);
    tmux('send-keys', '-t', 'check', 'q');
    screen = await screenShowing('check', '[exit 1]');
    expect(screen).toMatch(/glibc-dynamic.*: check FAIL · /);
  }, 120_000);

  test('analyze --report: a saved slim report shows before → after, and Ctrl-C quits cleanly', async () => {
    const file = path.join(scratch, 'slim-report.json');
    writeFileSync(file, JSON.stringify(makeSlimReport()));
    startCli('saved', ['analyze', '--report', file]);
    const screen = await screenShowing('saved', 'Slim: before → after');
    expect(screen).toMatch(/size +146\.8 MiB → 16\.9 MiB {2}█+░+ +−88\.5%/);
    tmux('send-keys', '-t', 'saved', 'C-c');
    const after = await screenShowing('saved', /\[exit \d+\]/);
    // The screen is restored (no UI left on it) and the verdict line stays.
    expect(after).not.toContain('Slim: before → after');
    expect(after).toContain('example/app:1.0: 146.8 MiB → 16.9 MiB (−88.5%) · 12 binaries (2 will fail) · entrypoint can start');
  }, 120_000);

  test('diff at 80×24: changed-file tree with marks, fold, / filter, a binary before → after, packages; resize', async () => {
    // A base-image upgrade built in code: one program replaced (the host's gzip → ls), a config's mode changed, docs removed, a package upgraded.
    const status = (version: string) => `Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;
    const docs: EntrySpec[] = Array.from({ length: 30 }, (_, i) => ({ path: `usr/share/doc/pkg${i}/copyright`, content: `doc ${i}` }));
    const write = async (name: string, entries: EntrySpec[]) => {
      const file = path.join(scratch, `${name}.tar`);
      await writeFixture('docker25', file, [await buildImage({ layers: [{ entries }] })], { tags: [[`example/${name}:1`]] });
      return file;
    };
    const a = await write('before', [
      { path: 'usr/bin/tool', content: readFileSync('/usr/bin/gzip'), mode: 0o755 },
      { path: 'etc/app.conf', content: 'x=1\n', mode: 0o644 },
      { path: 'var/lib/dpkg/status', content: status('1:1.2.13.dfsg-1') },
      { path: 'usr/share/man/old.1', content: 'man' },
      ...docs,
    ]);
    const b = await write('after', [
      { path: 'usr/bin/tool', content: readFileSync('/usr/bin/ls'), mode: 0o755 },
      { path: 'etc/app.conf', content: 'x=1\n', mode: 0o600 },
      { path: 'etc/added.conf', content: 'new\n' },
      { path: 'var/lib/dpkg/status', content: status('1:1.3.dfsg-3') },
    ]);
    startCli('diff', ['diff', a, b], { columns: 80, rows: 24 });
    let screen = await screenShowing('diff', /Files \d+ +Binaries 1 +Packages 1 +Totals/);
    expect(screen).toMatch(/before\.tar → .*after\.tar {2}size \+/);
    expect(screen).toMatch(/^~ +app\.conf +4 B +mode 0644 → 0600/m);
    expect(screen).toMatch(/^\+ +added\.conf +4 B +added in b/m);
    expect(screen).toMatch(/^~ +tool +\d/m);
    expect(screen).toMatch(/^− +▸ doc\//m);
    expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
    // Fold: Enter on doc/ opens the 30 removed directories.
    const docLine = screen.split('\n').findIndex((line) => /▸ doc\//.test(line)) - 3;
    for (let i = 0; i < docLine; i++) tmux('send-keys', '-t', 'diff', 'Down');
    await screenShowing('diff', /^− \/usr\/share\/doc /m);
    tmux('send-keys', '-t', 'diff', 'Enter');
    await screenShowing('diff', /^− +▾ pkg\d+\//m);
    // `/` narrows the tree to matching paths.
    tmux('send-keys', '-t', 'diff', '/', 'conf');
    screen = await screenShowing('diff', /^\/conf▏/m);
    expect(screen).toMatch(/added\.conf/);
    expect(screen).not.toMatch(/pkg\d+|tool/);
    tmux('send-keys', '-t', 'diff', 'Escape');
    await screenShowing('diff', /^~ +tool/m);
    // Binaries: Enter shows each field before → after.
    tmux('send-keys', '-t', 'diff', 'Tab');
    await screenShowing('diff', /^~ {2}\/usr\/bin\/tool +/m);
    tmux('send-keys', '-t', 'diff', 'Enter');
    screen = await screenShowing('diff', 'Binary 1 of 1');
    expect(screen).toMatch(/NEEDED +\+libselinux\.so\.1/);
    // The glibc floors as readelf -V reads them (Debian 12: gzip GLIBC_2.33, ls GLIBC_2.34).
    const floors = hasTool('readelf', 'the diff view checks the glibc floors') ? ['/usr/bin/gzip', '/usr/bin/ls'].map((file) => readelfGlibcFloor(file)) : [];
    if (floors.length === 2 && floors[0] !== floors[1]) expect(screen).toMatch(new RegExp(`^ {2}glibcFloor +${floors[0]} +${floors[1]}\\s*$`, 'm'));
    tmux('send-keys', '-t', 'diff', 'Escape');
    await screenShowing('diff', /^ +PATH +CHANGE/m);
    tmux('send-keys', '-t', 'diff', 'Tab');
    screen = await screenShowing('diff', /zlib1g:amd64 \(dpkg\)/);
    expect(screen).toMatch(/^~ {2}zlib1g:amd64 \(dpkg\) +1:1\.2\.13\.dfsg-1 → 1:1\.3\.dfsg-3/m);
    tmux('resize-window', '-t', 'diff', '-x', '60', '-y', '20');
    screen = await screenShowing('diff', /^ Files \d+ +Binaries 1 +Packages 1/m);
    expect(screen.split('\n').every((line) => line.length <= 60)).toBe(true);
    tmux('send-keys', '-t', 'diff', 'q');
    screen = await screenShowing('diff', '[exit 0]');
    // The header stays in the scrollback, whole (the terminal wraps it).
    expect(screen.replace(/\n/g, '')).toMatch(/before\.tar → .*after\.tar {2}size .* → .*: \+.* {2}efficiency /);
  }, 120_000);
});
