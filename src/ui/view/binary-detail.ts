/** Everything known about one binary: identity, linkage, hardening, closure with `via`, problems, Go. */
import type { Binary, GoInfo, Layer } from '../../report/index.js';
import { cleanCreatedBy } from '../model/layers.js';
import { dependencyTree, type DependencyRow } from '../model/dependency-tree.js';
import { formatBytes, layerNumber } from '../format/numbers.js';
import { statusCell } from '../model/binaries.js';
import type { Line } from '../types.js';
import { blank, field, paragraph, title } from './lines.js';

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

/** Which layer put the file there, and how (the layer's history step). */
function layerText(binary: Binary, layer: Layer | undefined): string {
  const step = layer ? cleanCreatedBy(layer.createdBy) : '';
  return `${layerNumber(binary.layer)}${step ? `: ${step}` : ''}`;
}

function packageText(binary: Binary): string {
  const ref = binary.package;
  if (!ref) return 'none (no package database lists this file)';
  return `${ref.name} ${ref.version}${ref.architecture ? ` ${ref.architecture}` : ''} (${ref.manager})`;
}

function identity(binary: Binary, width: number, layer: Layer | undefined): Line[] {
  const status = statusCell(binary.status);
  const head: Line = [{ text: binary.path, bold: true }, { text: '  ' }, { ...status }];
  const versionNeeds = Object.entries(binary.versionNeeds).map(([lib, versions]) => `${lib}: ${versions.join(', ')}`);
  const h = binary.hardening;
  return [
    head,
    ...field('file', `${binary.class} ${binary.endian}-endian ${binary.machine} (${binary.osabi}), ${binary.type} ${binary.role}, ${formatBytes(binary.size)}`, width),
    ...field('layer', layerText(binary, layer), width),
    ...field('package', packageText(binary), width, binary.package ? undefined : 'muted'),
    ...field('linkage', `${binary.linkage}, libc ${binary.libc}`, width),
    ...(binary.interpreter ? field('interpreter', binary.interpreter, width) : []),
    ...(binary.soname ? field('soname', binary.soname, width) : []),
    ...(binary.needed.length > 0 ? field('needed', binary.needed.join(', '), width) : []),
    ...(binary.rpath.length > 0 ? field('rpath', binary.rpath.join(':'), width) : []),
    ...(binary.runpath.length > 0 ? field('runpath', binary.runpath.join(':'), width) : []),
    ...(binary.glibcFloor ? field('glibc floor', binary.glibcFloor, width) : []),
    ...(binary.glibcProvided ? field('glibc provided', binary.glibcProvided, width) : []),
    ...(versionNeeds.length > 0 ? field('versions', versionNeeds.join('; '), width) : []),
    ...field(
      'hardening',
      `PIE ${yesNo(h.pie)} · RELRO ${h.relro} · canary ${yesNo(h.canary)} · NX ${yesNo(h.nx)} · fortify ${h.fortify} · stripped ${yesNo(h.stripped)}` +
        (h.wx ? ' · W+X segment' : '') +
        (h.textrel ? ' · TEXTREL' : ''),
      width,
      h.wx || h.textrel || !h.nx ? 'warning' : undefined,
    ),
    ...(binary.toolchain.length > 0 ? field('toolchain', binary.toolchain.join('; '), width) : []),
    ...(binary.buildId ? field('build id', binary.buildId, width) : []),
    ...(binary.vdso.uses ? field('vdso', binary.vdso.evidence ?? 'used', width) : []),
  ];
}

function dependencyLine({ dep, level, repeat }: DependencyRow): Line {
  const indent = '  '.repeat(1 + level);
  if (repeat) return [{ text: indent }, { text: dep.name, tone: 'muted' }, { text: `  (already loaded)`, tone: 'muted' }];
  const target = dep.path ? (dep.path === dep.name ? '' : ` → ${dep.path}`) : dep.via === 'vdso' ? ' → kernel vDSO' : ' → not found';
  const via = dep.viaDetail ? `${dep.via} ${dep.viaDetail}` : dep.via;
  const line: Line = [
    { text: indent },
    { text: dep.name, tone: dep.problem ? 'error' : undefined },
    { text: target, tone: dep.path || dep.via === 'vdso' ? undefined : 'error' },
    { text: `  [${via}]`, tone: 'muted' },
  ];
  if (dep.problem) line.push({ text: `  ✗ ${dep.problem}`, tone: 'error' });
  return line;
}

function goLines(go: GoInfo, width: number): Line[] {
  const settings = Object.entries(go.settings).map(([key, value]) => `${key}=${value}`);
  return [
    blank(),
    title('Go'),
    ...field('version', go.version, width),
    ...(go.path ? field('package', go.path, width) : []),
    ...(go.mainModule ? field('module', go.mainModule, width) : []),
    ...field('cgo', go.cgoEnabled === null ? 'unknown' : go.cgoEnabled ? 'enabled' : 'disabled', width),
    ...(settings.length > 0 ? field('settings', settings.join(' '), width) : []),
    ...(go.deps.length > 0 ? field('deps', `${go.deps.length} modules`, width) : []),
    ...go.deps.map((dep): Line => {
      const replaced = dep.replace ? ` => ${dep.replace.path}@${dep.replace.version}` : '';
      return [{ text: `    ${dep.path}@${dep.version}${replaced}` }];
    }),
  ];
}

/** The detail view of one binary, word-wrapped to `width`; `layer` is the Report's layer the file came from. */
export function binaryDetailLines(binary: Binary, width: number, layer?: Layer): Line[] {
  const lines = identity(binary, width, layer);
  if (binary.problems.length > 0) {
    lines.push(blank(), title('Will fail because'));
    for (const problem of binary.problems) lines.push(...paragraph(problem, width, 'error', 2, '✗ '));
  }
  if (binary.resolved.length > 0) {
    lines.push(blank(), title(`Dependencies (${binary.resolved.length} edges, each under the object that needs it)`));
    lines.push(...dependencyTree(binary).map(dependencyLine));
  } else if (binary.linkage !== 'dynamic') {
    lines.push(blank(), [{ text: '  statically linked: no shared libraries to load', tone: 'muted' }]);
  }
  if (binary.go) lines.push(...goLines(binary.go, width));
  if (binary.diagnostics.length > 0) {
    lines.push(blank(), title('Parse diagnostics'));
    for (const diagnostic of binary.diagnostics) lines.push(...paragraph(diagnostic, width, 'warning', 2, '! '));
  }
  return lines;
}
