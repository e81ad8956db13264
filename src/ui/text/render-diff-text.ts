/**
 * The plain text of `imgslim diff`: the two images, totals side by side with the change, then
 * every added (+), removed (−) and changed (~) file, binary and package. Nothing is cut.
 */
import type { ImageDiff, Totals } from '../../diff/index.js';
import { formatBytes, formatCount, formatPercent, shortDigest } from '../format/numbers.js';
import { pad } from '../format/text-width.js';
import { binaryFacts, bytesChange, fileChangeText, fileFacts, packageName, plusMinus, pointsChange, signedCount } from '../model/diff.js';

type Row = [string, string, string, string];

export function renderDiffText(diff: ImageDiff): string {
  const sections = [...diffOverview(diff), filesSection(diff), binariesSection(diff), packagesSection(diff)];
  return sections.map((lines) => lines.map((line) => line.trimEnd()).join('\n')).join('\n\n') + '\n';
}

/** The two images and the totals side by side (also the terminal UI's Totals section). */
export function diffOverview(diff: ImageDiff): [string[], string[]] {
  return [imagesSection(diff), totalsSection(diff.totals.a, diff.totals.b)];
}

function imagesSection(diff: ImageDiff): string[] {
  const line = (label: string, image: ImageDiff['a']) => `  ${label}  ${image.path}  ${shortDigest(image.manifestDigest)}  ${image.platform}`;
  return ['Images', line('a', diff.a), line('b', diff.b)];
}

function totalsSection(a: Totals, b: Totals): string[] {
  const bytes = (label: string, x: number, y: number): Row => [label, formatBytes(x), formatBytes(y), bytesChange(x, y)];
  const count = (label: string, x: number, y: number): Row => [label, formatCount(x), formatCount(y), signedCount(y - x)];
  const rows: Row[] = [
    ['', 'a', 'b', 'change'],
    bytes('size', a.size, b.size),
    bytes('compressed', a.compressedSize, b.compressedSize),
    count('entries', a.entries, b.entries),
    count('files', a.files, b.files),
    count('layers', a.layers, b.layers),
    count('binaries', a.binaries, b.binaries),
    count('packages', a.packages, b.packages),
    ['efficiency', formatPercent(a.efficiencyScore), formatPercent(b.efficiencyScore), pointsChange(b.efficiencyScore - a.efficiencyScore)],
    bytes('wasted', a.wastedBytes, b.wastedBytes),
    bytes('reclaimable', a.reclaimableBytes, b.reclaimableBytes),
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return ['Totals', ...rows.map((row) => `  ${pad(row[0], widths[0]!)}  ${row.slice(1).map((cell, i) => pad(cell, widths[i + 1]!, 'right')).join('  ')}`)];
}

function filesSection(diff: ImageDiff): string[] {
  const { added, removed, changed, unchanged } = diff.files;
  const lines = [`Files: ${formatCount(added.length)} added, ${formatCount(removed.length)} removed, ${formatCount(changed.length)} changed, ${formatCount(unchanged)} unchanged`];
  for (const file of added) lines.push(`  + ${file.path}  ${fileFacts(file)}`);
  for (const file of removed) lines.push(`  \u2212 ${file.path}  ${fileFacts(file)}`);
  for (const change of changed) lines.push(`  ~ ${change.path}  ${fileChangeText(change)}`);
  return lines;
}

function binariesSection(diff: ImageDiff): string[] {
  const { added, removed, changed } = diff.binaries;
  const lines = [`Binaries: ${formatCount(added.length)} added, ${formatCount(removed.length)} removed, ${formatCount(changed.length)} changed`];
  for (const binary of added) lines.push(`  + ${binary.path}  ${binaryFacts(binary)}`);
  for (const binary of removed) lines.push(`  \u2212 ${binary.path}  ${binaryFacts(binary)}`);
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
  for (const pkg of added) lines.push(`  + ${packageName(pkg)}  ${pkg.version}`);
  for (const pkg of removed) lines.push(`  \u2212 ${packageName(pkg)}  ${pkg.version}`);
  for (const pkg of changed) lines.push(`  ~ ${packageName(pkg)}  ${pkg.before} → ${pkg.after}`);
  return lines;
}
