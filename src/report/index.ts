export * from './schema.js';
export { parseReportJson, reportErrors } from './validate.js';
