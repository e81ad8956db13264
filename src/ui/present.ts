/**
 * The one entry point commands call with a finished Report: JSON, the terminal UI, or the plain
 * text report. Ink and React load only when the UI is actually shown.
 */
import type { ImageDiff } from '../diff/index.js';
import type { Report } from '../report/index.js';
import { colorEnabled, textWidth, wantsTui } from './terminal.js';
import { renderTextReport } from './text/render-text.js';
import { renderSlimText } from './text/render-slim-text.js';
import { renderDiffText } from './text/render-diff-text.js';
import type { PresentOptions, Terminal } from './types.js';
import { writeJson } from './json-chunks.js';

export function renderJsonReport(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function presentReport(report: Report, term: Terminal, options: PresentOptions): Promise<void> {
  if (options.format === 'json') {
    writeJson(report, (text) => term.stdout.write(text));
    return;
  }
  const color = colorEnabled(term.env, term.stdout);
  if (wantsTui(term, options)) {
    const { runTui } = await import('./tui/run-tui.js');
    await runTui(report, term, { color, check: options.check });
    return;
  }
  // Off a terminal nothing is cut: paths and columns stay whole for grep, diff and CI logs.
  const width = term.stdout.isTTY === true ? textWidth(term) : Infinity;
  const render = options.text === 'slim' ? renderSlimText : renderTextReport;
  term.stdout.write(render(report, { width, color, findings: options.findings }));
}

/** `imgslim diff` on stdout: the terminal UI on a terminal (the same rule as analyze), else the plain text. */
export async function presentDiff(diff: ImageDiff, term: Terminal, options: Pick<PresentOptions, 'tui'> & { format?: 'text' }): Promise<void> {
  if (wantsTui(term, options)) {
    const { runDiffTui } = await import('./tui/run-diff-tui.js');
    await runDiffTui(diff, term, { color: colorEnabled(term.env, term.stdout) });
    return;
  }
  term.stdout.write(renderDiffText(diff));
}
