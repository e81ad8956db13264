/** The findings view-model: errors first, coloured by severity. */
import type { Finding, Severity } from '../../report/index.js';
import type { Table } from '../format/table.js';
import type { Tone } from '../types.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export const SEVERITY_TONE: Record<Severity, Tone> = { error: 'error', warning: 'warning', info: 'info' };

/** By severity, then path (image-wide findings first), then id; stable otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings.slice().sort((a, b) => {
    const bySeverity = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
    if (bySeverity !== 0) return bySeverity;
    const pathA = a.path ?? '';
    const pathB = b.path ?? '';
    if (pathA !== pathB) return pathA < pathB ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export function findingsTable(sorted: readonly Finding[]): Table {
  return {
    columns: [
      { header: 'SEVERITY', priority: 0 },
      { header: 'ID', priority: 2 },
      { header: 'PATH', priority: 1, flex: 'path', min: 16 },
      { header: 'MESSAGE', priority: 0, flex: 'end', min: 20 },
    ],
    rows: sorted.map((finding) => [
      { text: finding.severity, tone: SEVERITY_TONE[finding.severity], bold: finding.severity === 'error' },
      { text: finding.id, tone: 'muted' },
      { text: finding.path ?? '(image)', tone: finding.path ? undefined : 'muted' },
      { text: finding.message, tone: SEVERITY_TONE[finding.severity] },
    ]),
  };
}
