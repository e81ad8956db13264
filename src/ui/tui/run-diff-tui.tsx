/** The `imgslim diff` terminal UI; see run-ink.tsx for the terminal handling. */
import type { ImageDiff } from '../../diff/index.js';
import { lineToString } from '../format/palette.js';
import { buildDiffModel } from '../model/diff.js';
import type { Terminal } from '../types.js';
import { diffHeaderLine } from '../view/diff-sections.js';
import { DiffApp } from './DiffApp.js';
import { runInk } from './run-ink.js';

export async function runDiffTui(diff: ImageDiff, term: Terminal, options: { color: boolean }): Promise<void> {
  const model = buildDiffModel(diff);
  await runInk(term, {
    draw: ({ columns, rows }, interactive) => <DiffApp model={model} columns={columns} rows={rows} color={options.color} interactive={interactive} />,
    // The header (both images, size and efficiency deltas) stays in the scrollback.
    exitText: () => `${lineToString(diffHeaderLine(model, Infinity), options.color)}\n`,
  });
}
