/** The header line and the Summary section as styled lines, shared by the text report and the TUI. */
import { formatBytes, formatCount, formatPercent, plural } from '../format/numbers.js';
import { displayWidth, pad, truncatePath } from '../format/text-width.js';
import type { HeaderModel, SummaryModel } from '../model/summary.js';
import { renderBar, type SlimModel } from '../model/slim.js';
import type { Line, Segment } from '../types.js';
import { blank, field, LABEL_WIDTH, paragraph, title } from './lines.js';

/** `example/app:1.0 (image.tar, docker-archive)  linux/amd64  sha256:0123456789ab`, least useful parts dropped first. */
export function headerLine(header: HeaderModel, width: number): Line {
  const origin = header.title === header.path ? ` (${header.format})` : ` (${header.path}, ${header.format})`;
  const tail: Segment[] = [
    { text: `  ${header.platform}`, tone: 'info' },
    { text: `  ${header.manifestDigest}`, tone: 'muted' },
  ];
  const candidates: Segment[][] = [
    [{ text: origin, tone: 'muted' }, ...tail],
    [{ text: ` (${header.format})`, tone: 'muted' }, ...tail],
    tail,
    tail.slice(0, 1),
    [],
  ];
  for (const rest of candidates) {
    const restWidth = rest.reduce((sum, s) => sum + displayWidth(s.text), 0);
    if (displayWidth(header.title) + restWidth <= width || rest.length === 0) {
      return [{ text: truncatePath(header.title, Math.max(1, width - restWidth)), bold: true }, ...rest];
    }
  }
  return [];
}

const joinCounts = (parts: Array<[string, number]>): string => parts.map(([name, n]) => `${name} ${formatCount(n)}`).join(' · ');

function slimLines(slim: SlimModel, width: number): Line[] {
  const lines: Line[] = [title('Slim: before → after')];
  const beforeWidth = Math.max(...slim.rows.map((r) => displayWidth(r.before)));
  const afterWidth = Math.max(...slim.rows.map((r) => displayWidth(r.after)));
  const fixed = 2 + LABEL_WIDTH + 1 + beforeWidth + 3 + afterWidth + 2 + 2 + 7;
  const barWidth = Math.min(30, width - fixed);
  for (const row of slim.rows) {
    const line: Line = [
      { text: `  ${pad(row.label, LABEL_WIDTH)} `, tone: 'muted' },
      { text: pad(row.before, beforeWidth, 'right') },
      { text: ' → ', tone: 'muted' },
      { text: pad(row.after, afterWidth, 'right'), bold: true },
    ];
    if (barWidth >= 6) line.push({ text: `  ${renderBar(row.ratio, barWidth)}`, tone: row.grew ? 'warning' : 'ok' });
    line.push({ text: `  ${pad(row.change, 7, 'right')}`, tone: row.grew ? 'warning' : 'ok', bold: true });
    lines.push(line);
  }
  lines.push(...field('kept', `${plural(slim.kept.count, 'file')}, ${formatBytes(slim.kept.size)}`, width, 'kept'));
  lines.push(...field('dropped', `${plural(slim.dropped.count, 'file')}, ${formatBytes(slim.dropped.size)}`, width, 'dropped'));
  lines.push(...field('output', slim.output ?? 'none (dry run)', width, slim.output ? undefined : 'muted'));
  if (slim.dropped.largest.length > 0) {
    const sizeWidth = Math.max(...slim.dropped.largest.map((f) => displayWidth(formatBytes(f.size))));
    lines.push([{ text: '  largest dropped', tone: 'muted' }]);
    for (const file of slim.dropped.largest) {
      lines.push([
        { text: `    ${pad(formatBytes(file.size), sizeWidth, 'right')}  ` },
        { text: truncatePath(file.path, Math.max(10, width - sizeWidth - 6)), tone: 'dropped' },
      ]);
    }
  }
  if (slim.risks.length > 0) {
    lines.push([{ text: '  risks', tone: 'warning', bold: true }]);
    for (const risk of slim.risks) {
      lines.push(...paragraph(risk.path ? `${risk.path}: ${risk.message}` : risk.message, width, 'warning', 4, '! '));
    }
  }
  lines.push(blank());
  return lines;
}

function entrypointLines(summary: SummaryModel, width: number): Line[] {
  const entrypoint = summary.entrypoint;
  if (!entrypoint) return field('entrypoint', 'none configured (no Entrypoint or Cmd)', width, 'muted');
  const lines = field('entrypoint', entrypoint.command, width, undefined);
  const verdict = entrypoint.startable ? '✓ can start' : '✗ will not start';
  const runs = entrypoint.binary && entrypoint.binary !== entrypoint.command ? `  runs ${entrypoint.binary}` : '';
  lines.push([
    { text: ' '.repeat(LABEL_WIDTH + 3) },
    { text: verdict, tone: entrypoint.startable ? 'ok' : 'error', bold: true },
    { text: runs, tone: 'muted' },
  ]);
  for (const reason of entrypoint.reasons) {
    lines.push(...paragraph(reason, width, entrypoint.startable ? 'muted' : 'error', LABEL_WIDTH + 3, '· '));
  }
  return lines;
}

/** The Summary section; a slim run's before → after comes first, as the headline. */
export function summaryLines(summary: SummaryModel, slim: SlimModel | null, width: number): Line[] {
  const { binaries, findings } = summary;
  const lines: Line[] = slim ? slimLines(slim, width) : [];
  lines.push(
    ...field(
      'size',
      `${formatBytes(summary.size)} of files in ${plural(summary.layers, 'layer')} · ${formatBytes(summary.compressedSize)} stored${summary.storedAs ? ` (${summary.storedAs})` : ''}`,
      width,
    ),
    ...field('files', `${plural(summary.files, 'file')} · ${plural(summary.directories, 'directory', 'directories')} · ${plural(summary.symlinks, 'symlink')}`, width),
    ...field(
      'binaries',
      `${formatCount(binaries.total)} ELF: ${plural(binaries.executables, 'executable')} · ${plural(binaries.libraries, 'library', 'libraries')}` +
        (binaries.failing > 0 ? ` · ${formatCount(binaries.failing)} will fail` : ''),
      width,
      binaries.failing > 0 ? 'error' : undefined,
    ),
    ...field('linkage', joinCounts([['static', binaries.linkage.static], ['static-pie', binaries.linkage['static-pie']], ['dynamic', binaries.linkage.dynamic]]), width),
    ...field('libc', joinCounts([['glibc', binaries.libc.glibc], ['musl', binaries.libc.musl], ['none', binaries.libc.none], ...(binaries.libc.other > 0 ? [['other', binaries.libc.other] as [string, number]] : [])]), width),
    ...entrypointLines(summary, width),
  );
  const findingTone = findings.error > 0 ? 'error' : findings.warning > 0 ? 'warning' : 'ok';
  const findingText =
    findings.error + findings.warning + findings.info === 0
      ? 'none'
      : `${plural(findings.error, 'error')} · ${plural(findings.warning, 'warning')} · ${formatCount(findings.info)} info`;
  lines.push(...field('findings', findingText, width, findingTone));
  const { efficiency } = summary;
  lines.push(
    ...field(
      'efficiency',
      `${formatPercent(efficiency.score)} (dive) · dive wasted ${formatBytes(efficiency.wastedBytes)} · reclaimable ${formatBytes(efficiency.reclaimableBytes)} (hidden by later layers)`,
      width,
    ),
  );
  return lines;
}
