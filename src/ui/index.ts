/** The UI: the Ink terminal view, the plain and JSON reports, and progress. Receives Reports only. */
export type { Terminal, TerminalInput, TerminalOutput, PresentOptions, CheckView } from './types.js';
export { wantsTui, isCi, colorEnabled } from './terminal.js';
export { presentDiff, presentReport, renderJsonReport } from './present.js';
export { writeJson } from './json-chunks.js';
export { renderTextReport, type TextOptions } from './text/render-text.js';
export { renderSlimText } from './text/render-slim-text.js';
export { renderDiffText } from './text/render-diff-text.js';
export { createProgress, type ClosableProgress } from './progress/create-progress.js';
export { formatBytes } from './format/numbers.js';
export { paintTone } from './format/palette.js';
export { renderBinaryText } from './binary-text.js';
