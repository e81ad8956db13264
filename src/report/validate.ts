import { Value } from '@sinclair/typebox/value';
import { InputError } from '../shared/errors.js';
import { parseBoundedJson } from '../shared/json.js';
import { Report } from './schema.js';

/** Schema violations of a value claimed to be a Report, as `path: message` lines (empty when valid). */
export function reportErrors(value: unknown): string[] {
  return [...Value.Errors(Report, value)].map((error) => `${error.path || '/'}: ${error.message}`);
}

/** Parses and validates a saved Report (`imgslim analyze --format json` output). */
export function parseReportJson(text: string, label = 'report'): Report {
  const value = parseBoundedJson(text, label, 'E_REPORT');
  const errors = reportErrors(value);
  if (errors.length > 0) {
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    throw new InputError(`${label} is not an imgslim report: ${errors.slice(0, 3).join('; ')}${more}`, { code: 'E_REPORT' });
  }
  return value as Report;
}
