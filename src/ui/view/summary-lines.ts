/** The header line and the Summary section as styled lines, shared by the text report and the TUI. */
import { formatBytes, formatCount, formatPercent, plural } from '../format/numbers.js';
import { displayWidth, truncatePath } from '../format/text-width.js';
import type { HeaderModel, SummaryModel } from '../model/summary.js';
import type { SlimModel } from '../model/slim.js';
import { slimLines } from './slim-lines.js';
import type { Line, Segment } from '../types.js';
import { field, LABEL_WIDTH, paragraph } from './lines.js';

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

/** The entrypoint, whether it can start, and the steps that decided it. */
export function entrypointLines(summary: SummaryModel, width: number): Line[] {
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
