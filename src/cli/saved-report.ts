/** Reading a saved `analyze --format json` report (--report FILE), with the words a missing image gets. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseReportJson, type Report } from '../report/index.js';
import { InputError } from '../shared/errors.js';
import { systemErrorText } from '../shared/system-error.js';
import type { CliIO } from './io.js';

export async function loadSavedReport(file: string, io: CliIO): Promise<Report> {
  const text = await readFile(path.resolve(io.cwd, file), 'utf8').catch((error: unknown) => {
    throw new InputError(`${file}: ${systemErrorText(error)}`, { code: 'E_OPEN', cause: error });
  });
  return parseReportJson(text, file);
}
