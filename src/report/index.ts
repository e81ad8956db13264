/**
 * The Report contract. This entry is light on purpose — types, the schema version and loaders —
 * so that analysing an image never loads TypeBox. The TypeBox schema values themselves (for
 * `imgslim schema` and for schemas built on top of the Report's) come from `report/schema.js`.
 */
export type * from './schema.js';
export { SCHEMA_VERSION } from './version.js';
export { summarizeReport, type SummaryInput } from './summarize.js';
/** Reading the Report's `GLIBC_x.y[.z]` names (glibcFloor, glibcProvided, versionNeeds): elf's one parser and comparison. */
export { compareVersionParts, glibcVersionParts } from '../elf/index.js';

/** Parses and validates a saved Report (`imgslim analyze --format json` output). */
export async function parseReportJson(text: string, label = 'report'): Promise<import('./schema.js').Report> {
  return (await import('./validate.js')).parseReportJson(text, label);
}
