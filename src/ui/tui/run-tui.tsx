/** The `analyze` (and `check`, `slim`) terminal UI over a Report; see run-ink.tsx for the terminal handling. */
import type { Report } from '../../report/index.js';
import { buildReportModel } from '../model/report-model.js';
import type { CheckView, Terminal } from '../types.js';
import { App } from './App.js';
import { exitSummary } from './exit-summary.js';
import { runInk } from './run-ink.js';

export interface TuiOptions {
  color: boolean;
  /** A `check` run's results, shown first. */
  check?: CheckView;
}

export async function runTui(report: Report, term: Terminal, options: TuiOptions): Promise<void> {
  const model = buildReportModel(report, options.check ?? null);
  await runInk(term, {
    draw: ({ columns, rows }, interactive) => <App model={model} columns={columns} rows={rows} color={options.color} interactive={interactive} />,
    exitText: () => exitSummary(model, options.color),
  });
}
