/**
 * Runs an Ink view on the given terminal: the alternate screen, redrawn on resize, and the
 * terminal restored on quit, Ctrl-C, errors and termination signals. Without a keyboard it prints
 * one frame and returns. Loaded only through dynamic imports, so text and JSON runs never load Ink.
 */
import { render, renderToString } from 'ink';
import type { ReactElement } from 'react';
import { canReadKeys } from '../terminal.js';
import type { Terminal } from '../types.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const DEFAULT_SIZE = { columns: 100, rows: 30 };

export interface InkView {
  /** The view at this terminal size; `interactive` false: one frame, no key handling. */
  draw(size: { columns: number; rows: number }, interactive: boolean): ReactElement;
  /** Left in the scrollback after the UI closes (not after a signal). */
  exitText(): string;
}

function sizeOf(term: Terminal): { columns: number; rows: number } {
  return { columns: term.stdout.columns || DEFAULT_SIZE.columns, rows: term.stdout.rows || DEFAULT_SIZE.rows };
}

export async function runInk(term: Terminal, view: InkView): Promise<void> {
  if (!canReadKeys(term)) {
    const size = sizeOf(term);
    term.stdout.write(`${renderToString(view.draw(size, false), { columns: size.columns })}\n`);
    return;
  }
  const stdout = term.stdout as NodeJS.WriteStream;
  const altScreen = term.stdout.isTTY === true;
  let restored = false;
  const restore = () => {
    if (altScreen && !restored) term.stdout.write(LEAVE_ALT_SCREEN);
    restored = true;
  };
  if (altScreen) term.stdout.write(ENTER_ALT_SCREEN);
  const instance = render(view.draw(sizeOf(term), true), {
    stdout,
    stderr: term.stderr as NodeJS.WriteStream,
    stdin: term.stdin as NodeJS.ReadStream,
    exitOnCtrlC: true,
    patchConsole: false,
  });
  const onResize = () => instance.rerender(view.draw(sizeOf(term), true));
  let signal: NodeJS.Signals | null = null;
  const onSignal = (received: NodeJS.Signals) => {
    signal = received;
    instance.unmount();
  };
  stdout.on?.('resize', onResize);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    await instance.waitUntilExit();
  } finally {
    stdout.off?.('resize', onResize);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    restore();
  }
  // Terminal restored: now die of the signal as if we had never caught it.
  if (signal) process.kill(process.pid, signal);
  else term.stdout.write(view.exitText());
}
