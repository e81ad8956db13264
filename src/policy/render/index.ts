/** Every output format of `imgslim check`, as strings (the CLI writes them). */
import type { CheckResult } from '../result-schema.js';
import { renderGithubAnnotations } from './github.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderCheckText } from './text.js';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function renderCheckResult(result: CheckResult, format: CheckFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'sarif':
      return renderSarif(result);
    case 'junit':
      return renderJunit(result);
    case 'github':
      return renderGithubAnnotations(result);
    case 'text':
      return renderCheckText(result);
  }
}

export { renderCheckText, summaryLine } from './text.js';
export { escapeData, escapeProperty, renderGithubAnnotations, workflowCommand } from './github.js';
export { renderJunit, xmlEscape } from './junit.js';
export { renderSarif } from './sarif.js';
