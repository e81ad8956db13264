/** Layers and efficiency view-models: one row per layer, dive's efficiency and top wasted paths. */
import type { Efficiency, Layer } from '../../report/index.js';
import { formatBytes, formatCount, formatPercent } from '../format/numbers.js';
import type { Table } from '../format/table.js';
import type { Line } from '../types.js';
import { pack } from '../view/lines.js';

/** `history.created_by` as a reader wants it: `RUN apt-get …`, `COPY …`, whitespace collapsed. */
export function cleanCreatedBy(createdBy: string | null): string {
  if (!createdBy) return '';
  let text = createdBy.replace(/\s+/g, ' ').trim();
  text = text.replace(/ # buildkit$/, '');
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(text);
  if (nop) return text.slice(nop[0].length);
  if (text.startsWith('/bin/sh -c ')) return `RUN ${text.slice('/bin/sh -c '.length)}`;
  return text.replace(/^RUN \/bin\/sh -c /, 'RUN ');
}

/** `+1,204 ~3 −12`: paths added, modified and removed by the layer. */
export function fileChanges(layer: Layer): string {
  const { added, modified, removed } = layer.files;
  const parts = [`+${formatCount(added)}`];
  if (modified > 0) parts.push(`~${formatCount(modified)}`);
  if (removed > 0) parts.push(`\u2212${formatCount(removed)}`);
  return parts.join(' ');
}

export function layersTable(layers: readonly Layer[]): Table {
  return {
    columns: [
      { header: '#', priority: 0, align: 'right' },
      { header: 'SIZE', priority: 0, align: 'right' },
      { header: 'COMPRESSED', priority: 4, align: 'right' },
      { header: 'FILES', priority: 3 },
      { header: 'WASTED', priority: 2, align: 'right' },
      { header: 'CREATED BY', priority: 1, flex: 'end', min: 16 },
    ],
    rows: layers.map((layer) => [
      { text: String(layer.index) },
      { text: formatBytes(layer.size), bold: true },
      { text: formatBytes(layer.compressedSize), tone: 'muted' },
      { text: fileChanges(layer) },
      layer.reclaimableBytes > 0 ? { text: formatBytes(layer.reclaimableBytes), tone: 'warning' } : { text: '0 B', tone: 'muted' },
      { text: cleanCreatedBy(layer.createdBy) || '—', tone: layer.createdBy ? undefined : 'muted' },
    ]),
  };
}

/** A score below this is worth a warning colour (dive's CI default lowest efficiency is 0.9). */
const EFFICIENCY_WARNING = 0.9;

/** dive's efficiency figures, wrapped to `width`. */
export function efficiencyLines(efficiency: Efficiency, width: number): Line[] {
  return pack(
    [
      [
        { text: 'efficiency ', tone: 'muted' },
        { text: formatPercent(efficiency.score), bold: true, tone: efficiency.score < EFFICIENCY_WARNING ? 'warning' : 'ok' },
      ],
      [{ text: 'wasted ', tone: 'muted' }, { text: formatBytes(efficiency.wastedBytes) }],
      [{ text: `(${formatPercent(efficiency.userWastedPercent)} of user layers)`, tone: 'muted' }],
      [{ text: 'reclaimable ', tone: 'muted' }, { text: formatBytes(efficiency.reclaimableBytes) }],
    ],
    width,
    'efficiency '.length,
  );
}

export function topWastedTable(efficiency: Efficiency): Table {
  return {
    columns: [
      { header: 'COUNT', priority: 1, align: 'right' },
      { header: 'TOTAL', priority: 0, align: 'right' },
      { header: 'WASTED PATH', priority: 0, flex: 'path', min: 16 },
    ],
    rows: efficiency.topWasted.map((wasted) => [
      { text: String(wasted.count) },
      { text: formatBytes(wasted.cumulativeSize), tone: 'warning' },
      { text: wasted.path },
    ]),
  };
}
