/** The header line and the Summary section as styled lines, shared by the text report and the TUI. */
import { formatBytes, formatCount, formatPercent, plural } from '../format/numbers.js';
import { displayWidth, pad, truncatePath, wrap } from '../format/text-width.js';
import type { EntrypointVerdict, FindingGroup } from '../../report/index.js';
import { SEVERITY_TONE } from '../model/findings.js';
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

const VERSION_FROM = { verdef: 'highest GLIBC_ version defined by', package: 'package of', embedded: 'version string in' } as const;

/**
 * The verdict on one line: program, linkage, the libc it needs and the one the image provides,
 * Go's CGO_ENABLED, then whether it can start and what was checked to say so.
 */
export function verdictText(verdict: EntrypointVerdict): string {
  const parts = [verdict.linkage ?? 'not an ELF file of the image'];
  if (verdict.libc === 'glibc') {
    parts.push(verdict.glibcRequired ? `needs glibc ≥ ${verdict.glibcRequired} (highest GLIBC_ of its closure: ${verdict.glibcRequiredBy})` : 'needs glibc (no versioned symbols)');
  } else if (verdict.libc === 'musl') parts.push('needs musl');
  else if (verdict.libc === 'none') parts.push('no libc');
  else if (verdict.libc) parts.push(`libc ${verdict.libc}`);
  const provided = verdict.libcProvided;
  if (provided) {
    const version = provided.version
      ? `${provided.version} (${VERSION_FROM[provided.versionFrom ?? 'package']} ${provided.path})`
      : `(${provided.path}; version not read: no package owns it and it embeds none)`;
    parts.push(`image provides ${provided.family} ${version}`);
  } else if (verdict.linkage === 'dynamic') parts.push('the image has no glibc or musl');
  if (verdict.go) {
    const cgo = verdict.go.cgoEnabled === null ? 'CGO_ENABLED not recorded' : `CGO_ENABLED=${verdict.go.cgoEnabled ? 1 : 0}`;
    parts.push(`Go ${verdict.go.version} ${cgo}`);
  }
  const checked = verdict.checked.length > 0 ? ` — checked: ${verdict.checked.join('; ')}` : '';
  return `${verdict.canStart ? '✓ can start' : '✗ will not start'}: ${verdict.program}, ${parts.join(', ')}${checked}`;
}

/** The entrypoint's command line, its verdict, and, when it cannot start, why. */
export function entrypointLines(summary: SummaryModel, width: number): Line[] {
  const entrypoint = summary.entrypoint;
  const verdict = summary.verdict;
  if (!entrypoint || !verdict) return field('entrypoint', 'none configured (no Entrypoint or Cmd)', width, 'muted');
  const lines = field('entrypoint', entrypoint.command, width, undefined);
  lines.push(...field('verdict', verdictText(verdict), width, verdict.canStart ? 'ok' : 'error'));
  for (const problem of verdict.problems) lines.push(...paragraph(problem, width, 'error', LABEL_WIDTH + 3, '✗ '));
  return lines;
}

const EXAMPLE_TEXT = (example: FindingGroup['examples'][number]): string => (example.path ? `${example.path}: ${example.message}` : example.message);

/** One line per kind of finding: severity, id ×count, the worst examples; errors and warnings first. */
export function findingGroupLines(groups: readonly FindingGroup[], width: number, indent = LABEL_WIDTH + 3): Line[] {
  const lines: Line[] = [];
  for (const group of groups) {
    const more = group.count - group.examples.length;
    const text = `${group.id} ×${formatCount(group.count)}  ${group.examples.map(EXAMPLE_TEXT).join(' | ')}${more > 0 ? ` (+${formatCount(more)} more)` : ''}`;
    const tone = SEVERITY_TONE[group.severity];
    wrap(text, Math.max(10, width - indent - 9)).forEach((part, i) => {
      lines.push(
        i === 0
          ? [{ text: ' '.repeat(indent) }, { text: pad(group.severity, 7), tone, bold: group.severity === 'error' }, { text: '  ' }, { text: part }]
          : [{ text: ' '.repeat(indent + 9) }, { text: part }],
      );
    });
  }
  return lines;
}

/** The Summary section: the entrypoint verdict first (after a slim run's before → after), then image-wide counts and grouped findings. */
export function summaryLines(summary: SummaryModel, slim: SlimModel | null, width: number): Line[] {
  const { counts } = summary;
  const findings = counts.findings;
  const lines: Line[] = slim ? slimLines(slim, width) : [];
  lines.push(
    ...entrypointLines(summary, width),
    ...field(
      'size',
      `${formatBytes(summary.size)} of files in ${plural(summary.layers, 'layer')} · ${formatBytes(summary.compressedSize)} stored${summary.storedAs ? ` (${summary.storedAs})` : ''}`,
      width,
    ),
    ...field('files', `${plural(summary.files, 'file')} · ${plural(summary.directories, 'directory', 'directories')} · ${plural(summary.symlinks, 'symlink')}`, width),
    ...field(
      'binaries',
      `${formatCount(counts.binaries)} ELF: ${plural(counts.executables, 'executable')} · ${plural(counts.libraries, 'library', 'libraries')}` +
        (counts.paths > counts.binaries ? ` (${plural(counts.paths, 'path')}: hard links counted once)` : '') +
        (counts.failing > 0 ? ` · ${formatCount(counts.failing)} will fail` : '') +
        (counts.neverLoaded > 0 ? ` · ${formatCount(counts.neverLoaded)} never loaded` : ''),
      width,
      counts.failing > 0 ? 'error' : undefined,
    ),
    ...field('linkage', joinCounts([['static', counts.linkage.static], ['static-pie', counts.linkage['static-pie']], ['dynamic', counts.linkage.dynamic]]), width),
    ...field('libc', joinCounts([['glibc', counts.libc.glibc], ['musl', counts.libc.musl], ['none', counts.libc.none], ...(counts.libc.other > 0 ? [['other', counts.libc.other] as [string, number]] : [])]), width),
  );
  const findingTone = findings.error > 0 ? 'error' : findings.warning > 0 ? 'warning' : 'ok';
  const findingText =
    findings.error + findings.warning + findings.info === 0
      ? 'none'
      : `${plural(findings.error, 'error')} · ${plural(findings.warning, 'warning')} · ${formatCount(findings.info)} info`;
  lines.push(...field('findings', findingText, width, findingTone), ...findingGroupLines(summary.findingGroups, width));
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
