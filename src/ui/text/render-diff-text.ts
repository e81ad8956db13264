/**
 * The plain text of `imgslim diff`: the two images, totals side by side with the change, then
 * every added (+), removed (−) and changed (~) file, binary and package. Nothing is cut.
 */
import type { DiffFile, FileChange, ImageDiff, Totals } from '../../diff/index.js';
import { formatBytes, formatCount, formatPercent, formatReduction, shortDigest } from '../format/numbers.js';
import { pad } from '../format/text-width.js';

type Row = [string, string, string, string];

export function renderDiffText(diff: ImageDiff): string {
  const sections = [imagesSection(diff), totalsSection(diff.totals.a, diff.totals.b), filesSection(diff), binariesSection(diff), packagesSection(diff)];
  return sections.map((lines) => lines.map((line) => line.trimEnd()).join('\n')).join('\n\n') + '\n';
}

function imagesSection(diff: ImageDiff): string[] {
  const line = (label: string, image: ImageDiff['a']) => `  ${label}  ${image.path}  ${shortDigest(image.manifestDigest)}  ${image.platform}`;
  return ['Images', line('a', diff.a), line('b', diff.b)];
}

function totalsSection(a: Totals, b: Totals): string[] {
  const bytes = (label: string, x: number, y: number): Row => [label, formatBytes(x), formatBytes(y), bytesChange(x, y)];
  const count = (label: string, x: number, y: number): Row => [label, formatCount(x), formatCount(y), signed(y - x)];
  const rows: Row[] = [
    ['', 'a', 'b', 'change'],
    bytes('size', a.size, b.size),
    bytes('compressed', a.compressedSize, b.compressedSize),
    count('entries', a.entries, b.entries),
    count('files', a.files, b.files),
    count('layers', a.layers, b.layers),
    count('binaries', a.binaries, b.binaries),
    count('packages', a.packages, b.packages),
    ['efficiency', formatPercent(a.efficiencyScore), formatPercent(b.efficiencyScore), points(b.efficiencyScore - a.efficiencyScore)],
    bytes('wasted', a.wastedBytes, b.wastedBytes),
    bytes('reclaimable', a.reclaimableBytes, b.reclaimableBytes),
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return ['Totals', ...rows.map((row) => `  ${pad(row[0], widths[0]!)}  ${row.slice(1).map((cell, i) => pad(cell, widths[i + 1]!, 'right')).join('  ')}`)];
}

function filesSection(diff: ImageDiff): string[] {
  const { added, removed, changed, unchanged } = diff.files;
  const lines = [`Files: ${formatCount(added.length)} added, ${formatCount(removed.length)} removed, ${formatCount(changed.length)} changed, ${formatCount(unchanged)} unchanged`];
  for (const file of added) lines.push(`  + ${file.path}  ${describe(file)}`);
  for (const file of removed) lines.push(`  \u2212 ${file.path}  ${describe(file)}`);
  for (const change of changed) lines.push(`  ~ ${change.path}  ${changeText(change)}`);
  return lines;
}

function describe(file: DiffFile): string {
  if (file.type === 'file' || file.type === 'hardlink') return `${file.type}, ${formatBytes(file.size)}`;
  if (file.type === 'symlink') return `symlink → ${file.linkTarget ?? ''}`;
  return file.type;
}

function changeText(change: FileChange): string {
  const { before: a, after: b } = change;
  return change.changes
    .map((aspect) => {
      switch (aspect) {
        case 'type':
          return `type ${a.type} → ${b.type}`;
        case 'content':
          return a.size === b.size ? `content (${formatBytes(b.size)})` : `content ${formatBytes(a.size)} → ${formatBytes(b.size)}`;
        case 'mode':
          return `mode ${octal(a.mode)} → ${octal(b.mode)}`;
        case 'owner':
          return `owner ${a.uid}:${a.gid} → ${b.uid}:${b.gid}`;
        case 'link':
          return `link ${a.linkTarget ?? ''} → ${b.linkTarget ?? ''}`;
        case 'xattrs':
          return 'xattrs';
      }
    })
    .join(', ');
}

function binariesSection(diff: ImageDiff): string[] {
  const { added, removed, changed } = diff.binaries;
  const lines = [`Binaries: ${formatCount(added.length)} added, ${formatCount(removed.length)} removed, ${formatCount(changed.length)} changed`];
  const facts = (binary: ImageDiff['binaries']['added'][number]) =>
    [binary.linkage, binary.libc, binary.glibcFloor, binary.status].filter((fact) => fact !== null && fact !== 'none').join(', ');
  for (const binary of added) lines.push(`  + ${binary.path}  ${facts(binary)}`);
  for (const binary of removed) lines.push(`  \u2212 ${binary.path}  ${facts(binary)}`);
  for (const change of changed) {
    lines.push(`  ~ ${change.path}`);
    for (const field of change.fields) lines.push(`      ${field.field}: ${field.before ?? '(none)'} → ${field.after ?? '(none)'}`);
    if (change.neededAdded.length + change.neededRemoved.length > 0) lines.push(`      NEEDED ${plusMinus(change.neededAdded, change.neededRemoved)}`);
    if (change.closureAdded.length + change.closureRemoved.length > 0) lines.push(`      closure ${plusMinus(change.closureAdded, change.closureRemoved)}`);
  }
  return lines;
}

function packagesSection(diff: ImageDiff): string[] {
  const { added, removed, changed } = diff.packages;
  const lines = [`Packages: ${formatCount(added.length)} added, ${formatCount(removed.length)} removed, ${formatCount(changed.length)} changed`];
  const name = (pkg: { manager: string; name: string; architecture: string | null }) => `${pkg.name}${pkg.architecture ? `:${pkg.architecture}` : ''} (${pkg.manager})`;
  for (const pkg of added) lines.push(`  + ${name(pkg)}  ${pkg.version}`);
  for (const pkg of removed) lines.push(`  \u2212 ${name(pkg)}  ${pkg.version}`);
  for (const pkg of changed) lines.push(`  ~ ${name(pkg)}  ${pkg.before} → ${pkg.after}`);
  return lines;
}

function plusMinus(added: string[], removed: string[]): string {
  return [...added.map((x) => `+${x}`), ...removed.map((x) => `\u2212${x}`)].join(' ');
}

/** `−560.0 KiB (−27.2%)`; the percentage only when there was something before. */
function bytesChange(before: number, after: number): string {
  if (after === before) return '0';
  const delta = after > before ? `+${formatBytes(after - before)}` : `\u2212${formatBytes(before - after)}`;
  return before > 0 ? `${delta} (${formatReduction(before, after)})` : delta;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `\u2212${formatCount(-n)}` : '0';
}

function points(delta: number): string {
  const text = (Math.abs(delta) * 100).toFixed(1);
  return text === '0.0' ? '0.0 pt' : `${delta < 0 ? '\u2212' : '+'}${text} pt`;
}
