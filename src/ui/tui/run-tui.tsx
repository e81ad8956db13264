/**
 * Runs the Ink UI on the given terminal. Loaded only through a dynamic import, so text and JSON
 * runs never load Ink or React. Uses the alternate screen and restores the terminal on quit,
 * Ctrl-C, errors and termination signals; without a keyboard it prints one frame and returns.
 */
import { render, renderToString } from 'ink';
import type { Report } from '../../report/index.js';
import { buildReportModel } from '../model/report-model.js';
import { canReadKeys } from '../terminal.js';
import type { CheckView, Terminal } from '../types.js';
import { App } from './App.js';
import { exitSummary } from './exit-summary.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const DEFAULT_SIZE = { columns: 100, rows: 30 };

export interface TuiOptions {
  color: boolean;
  /** A `check` run's results, shown first. */
  check?: CheckView;
}

function sizeOf(term: Terminal): { columns: number; rows: number } {
  return { columns: term.stdout.columns || DEFAULT_SIZE.columns, rows: term.stdout.rows || DEFAULT_SIZE.rows };
}

export async function runTui(report: Report, term: Terminal, options: TuiOptions): Promise<void> {
  const model = buildReportModel(report, options.check ?? null);
  if (!canReadKeys(term)) {
    const { columns, rows } = sizeOf(term);
    term.stdout.write(`${renderToString(<App model={model} columns={columns} rows={rows} color={options.color} interactive={false} />, { columns })}\n`);
    return;
  }
  const stdout = term.stdout as NodeJS.WriteStream;
  const draw = () => {
    const { columns, rows } = sizeOf(term);
    return <App model={model} columns={columns} rows={rows} color={options.color} interactive />;
  };
  const altScreen = term.stdout.isTTY === true;
  let restored = false;
  const restore = () => {
    if (altScreen && !restored) term.stdout.write(LEAVE_ALT_SCREEN);
    restored = true;
  };
  if (altScreen) term.stdout.write(ENTER_ALT_SCREEN);
  const instance = render(draw(), {
    stdout,
    stderr: term.stderr as NodeJS.WriteStream,
    stdin: term.stdin as NodeJS.ReadStream,
    exitOnCtrlC: true,
    patchConsole: false,
  });
  const onResize = () => instance.rerender(draw());
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
  else term.stdout.write(exitSummary(model, options.color));
}
