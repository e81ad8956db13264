/** Layers and efficiency view-models: one row per layer, dive's efficiency and top wasted paths. */
import type { Efficiency, Layer } from '../../report/index.js';
import { formatBytes, formatCount, formatPercent, layerNumber } from '../format/numbers.js';
import type { Table } from '../format/table.js';
import type { Line } from '../types.js';
import { field } from '../view/lines.js';

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

/** How a layer blob is stored: `gzip`, `zstd`, or `tar` when it is not compressed (docker-archive). */
export function storedAs(layer: Layer): string {
  return layer.compression === 'none' ? 'tar' : layer.compression;
}

/**
 * One row per layer, each number named for what it is: CONTENT is the bytes of the files the
 * layer holds (dive's layer size), BLOB the bytes stored (a plain tar, headers and padding
 * included, is larger than its content), CHANGES the paths added/modified/removed, RECLAIMABLE
 * the bytes of this layer that later layers hide or delete (the column sums to `reclaimable`).
 */
export function layersTable(layers: readonly Layer[]): Table {
  return {
    columns: [
      { header: '#', priority: 0, align: 'right' },
      { header: 'CONTENT', priority: 0, align: 'right' },
      { header: 'BLOB', priority: 4, align: 'right' },
      { header: 'CHANGES', priority: 3 },
      { header: 'RECLAIMABLE', priority: 2, align: 'right' },
      { header: 'CREATED BY', priority: 1, flex: 'end', min: 16 },
    ],
    rows: layers.map((layer) => [
      { text: String(layerNumber(layer.index)) },
      { text: formatBytes(layer.size), bold: true },
      { text: `${formatBytes(layer.compressedSize)} ${storedAs(layer)}`, tone: 'muted' },
      { text: fileChanges(layer) },
      layer.reclaimableBytes > 0 ? { text: formatBytes(layer.reclaimableBytes), tone: 'warning' } : { text: '0 B', tone: 'muted' },
      { text: cleanCreatedBy(layer.createdBy) || '—', tone: layer.createdBy ? undefined : 'muted' },
    ]),
  };
}

/** What the columns mean, printed under the table. */
export const LAYERS_LEGEND =
  'CONTENT: bytes of the files in the layer · BLOB: bytes stored (gzip, zstd, or a plain tar with its headers) · CHANGES: paths +added ~modified −removed · RECLAIMABLE: bytes later layers hide or delete';

/** A score below this is worth a warning colour (dive's CI default lowest efficiency is 0.9). */
const EFFICIENCY_WARNING = 0.9;

/**
 * dive's efficiency figures, each with what it counts: dive's score and its "wasted" (every
 * copy of each path written by two or more layers), and the reclaimable bytes (the sum of the
 * layers' RECLAIMABLE column). Wrapped to `width`.
 */
export function efficiencyLines(efficiency: Efficiency, width: number): Line[] {
  const score = formatPercent(efficiency.score);
  return [
    ...field('efficiency', `${score} (dive's score)`, width, efficiency.score < EFFICIENCY_WARNING ? 'warning' : undefined, 0),
    ...field(
      'wasted',
      `${formatBytes(efficiency.wastedBytes)}: every copy of the paths written by 2+ layers (dive), ${formatPercent(efficiency.userWastedPercent)} of user layers`,
      width,
      undefined,
      0,
    ),
    ...field('reclaimable', `${formatBytes(efficiency.reclaimableBytes)}: bytes that later layers hide or delete (Σ RECLAIMABLE)`, width, undefined, 0),
  ];
}

export function topWastedTable(efficiency: Efficiency): Table {
  return {
    columns: [
      { header: 'LAYERS', priority: 1, align: 'right' },
      { header: 'ALL COPIES', priority: 0, align: 'right' },
      { header: 'PATH IN 2+ LAYERS', priority: 0, flex: 'path', min: 16 },
    ],
    rows: efficiency.topWasted.map((wasted) => [
      { text: String(wasted.count) },
      { text: formatBytes(wasted.cumulativeSize), tone: 'warning' },
      { text: wasted.path },
    ]),
  };
}
