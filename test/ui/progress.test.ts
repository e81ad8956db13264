import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createProgress } from '../../src/ui/index.js';
import { renderPhaseLine, TtyProgress } from '../../src/ui/progress/tty-progress.js';
import { PhaseState, TrackedTask } from '../../src/ui/progress/task.js';
import { ANSI, fakeTerminal } from './fake-terminal.js';

const MiB = 1024 * 1024;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('progress on a TTY', () => {
  test('advance never draws by itself: one draw per 100 ms however many advances', () => {
    const term = fakeTerminal({ stderrTty: true, columns: 120 });
    const progress = createProgress(term, { quiet: false });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const task = progress.start('read', 'layer 1/3 sha256:0123456789ab', 100 * MiB);
    for (let i = 0; i < 100_000; i++) task.advance(64);
    expect(term.stderr.text).toBe('');
    expect(timers).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(99);
    expect(term.stderr.text).toBe('');
    vi.advanceTimersByTime(1);
    expect(term.stderr.text).toContain('layer 1/3 sha256:0123456789ab');
    progress.close();
  });

  test('a steady stream of updates for 2 s draws about 20 times, never more than 10 a second', () => {
    const term = fakeTerminal({ stderrTty: true });
    const progress = createProgress(term, { quiet: false });
    const task = progress.start('read', 'layer', 200 * MiB);
    let writes = 0;
    const write = term.stderr.write;
    term.stderr.write = (chunk) => {
      writes++;
      return write(chunk);
    };
    for (let ms = 0; ms < 2000; ms++) {
      task.advance(100 * 1024);
      vi.advanceTimersByTime(1);
    }
    expect(writes).toBeGreaterThanOrEqual(19);
    expect(writes).toBeLessThanOrEqual(20);
    progress.close();
  });

  test('the bar line: bytes done / total, percent, rate and label', () => {
    const term = fakeTerminal({ stderrTty: true, columns: 120 });
    const progress = createProgress(term, { quiet: false });
    const task = progress.start('read', 'layer 2/5 sha256:ab12cd34ef56', 100 * MiB);
    vi.advanceTimersByTime(1000);
    task.advance(45 * MiB);
    vi.advanceTimersByTime(100);
    const line = term.stderr.text.split('\x1b[2K').at(-1)!;
    expect(line).toBe('read    █████████░░░░░░░░░░░  45.0 MiB / 100.0 MiB   45%  40.9 MiB/s  layer 2/5 sha256:ab12cd34ef56');
    progress.close();
  });

  test('one line per phase, redrawn in place; close erases them and ignores later calls', () => {
    const term = fakeTerminal({ stderrTty: true, columns: 100 });
    const progress = createProgress(term, { quiet: false });
    const read = progress.start('read', 'layer 1/1', 10 * MiB);
    const write = progress.start('write', 'slim.tar', null);
    read.advance(5 * MiB);
    write.advance(MiB);
    vi.advanceTimersByTime(100);
    const first = term.stderr.text;
    expect(first.split('\n')).toHaveLength(2);
    expect(first).toMatch(/^\x1b\[2Kread {4}█+░+ {2}5\.0 MiB \/ 10\.0 MiB {3}50%/);
    expect(first).toMatch(/\n\x1b\[2Kwrite {3}1\.0 MiB {2}10\.0 MiB\/s {2}slim\.tar$/);
    read.done();
    vi.advanceTimersByTime(100);
    const second = term.stderr.text.slice(first.length);
    expect(second.startsWith('\r\x1b[1A\x1b[2Kread    ✓ 1 task  5.0 MiB  0.1s\n')).toBe(true);
    progress.close();
    expect(term.stderr.text.endsWith('\r\x1b[1A\x1b[J')).toBe(true);
    const length = term.stderr.text.length;
    write.advance(1);
    write.done();
    progress.start('read', 'late', 1).advance(1);
    vi.advanceTimersByTime(1000);
    expect(term.stderr.text.length).toBe(length);
  });

  test('concurrent tasks in a phase add up; lines never exceed the terminal width', () => {
    const state = new PhaseState('read');
    const owner = { changed() {}, finished() {} };
    const a = new TrackedTask(owner, 'read', 'layer 1/3 sha256:aaaaaaaaaaaa', 10 * MiB);
    const b = new TrackedTask(owner, 'read', 'layer 2/3 sha256:bbbbbbbbbbbb', 30 * MiB);
    state.add(a);
    state.add(b);
    a.advance(10 * MiB);
    b.advance(10 * MiB);
    const line = renderPhaseLine(state, Date.now() + 2000, 200);
    expect(line).toContain('20.0 MiB / 40.0 MiB   50%  10.0 MiB/s  layer 1/3 sha256:aaaaaaaaaaaa (+1)');
    expect(renderPhaseLine(state, Date.now() + 2000, 50).length).toBeLessThanOrEqual(50);
  });

  test('close before anything was drawn writes nothing', () => {
    const term = fakeTerminal({ stderrTty: true });
    const progress = createProgress(term, { quiet: false });
    progress.start('read', 'x', 1).advance(1);
    progress.close();
    vi.advanceTimersByTime(1000);
    expect(term.stderr.text).toBe('');
    expect(new TtyProgress(term.stderr).draws).toBe(0);
  });
});

describe('progress off a TTY and with --quiet', () => {
  test('one plain line per finished task, no escape codes, nothing while working', () => {
    const term = fakeTerminal({ stderrTty: false });
    const progress = createProgress(term, { quiet: false });
    const task = progress.start('read', 'layer 1/2 sha256:0123456789ab', 4 * MiB);
    task.advance(2 * MiB);
    vi.advanceTimersByTime(500);
    expect(term.stderr.text).toBe('');
    task.advance(2 * MiB);
    vi.advanceTimersByTime(500);
    task.done();
    task.done();
    expect(term.stderr.text).toBe('read      layer 1/2 sha256:0123456789ab  4.0 MiB in 1.0s (4.0 MiB/s)\n');
    expect(term.stderr.text).not.toMatch(ANSI);
    progress.close();
    const late = progress.start('write', 'out', null);
    late.done();
    expect(term.stderr.text.split('\n')).toHaveLength(2);
  });

  test('--quiet draws nothing anywhere', () => {
    for (const stderrTty of [true, false]) {
      const term = fakeTerminal({ stderrTty });
      const progress = createProgress(term, { quiet: true });
      const task = progress.start('read', 'layer', 10);
      task.advance(10);
      task.done();
      vi.advanceTimersByTime(1000);
      progress.close();
      expect(term.stderr.text).toBe('');
      expect(term.stdout.text).toBe('');
    }
  });
});
