/** Plain text of one Binary record (`imgslim elf`): aligned labels, the closure as a tree by parent, no escape codes. */
import type { Binary } from '../report/index.js';
import { dependencyTree } from './model/dependency-tree.js';

export function renderBinaryText(binary: Binary): string {
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) rows.push([label, value]);
  };
  add('type', `${binary.class} ${binary.endian}-endian ${binary.machine} ${binary.type} (${binary.role}), OS/ABI ${binary.osabi}`);
  add('linkage', `${binary.linkage}, libc ${binary.libc}`);
  add('interpreter', binary.interpreter);
  add('needed', binary.needed.join(', '));
  add('soname', binary.soname);
  add('rpath', binary.rpath.length > 0 ? binary.rpath.join(':') : null);
  add('runpath', binary.runpath.length > 0 ? binary.runpath.join(':') : null);
  for (const [lib, versions] of Object.entries(binary.versionNeeds)) add(`versions ${lib}`, versions.join(' '));
  add('glibc floor', binary.glibcFloor);
  add('glibc provided', binary.glibcProvided);
  add('defines', binary.versionDefs.length > 0 ? binary.versionDefs.join(' ') : null);
  add('vdso', binary.vdso.uses ? `uses the vDSO (kernel-provided): ${binary.vdso.evidence ?? ''}`.trim() : null);
  if (binary.go) {
    const settings = ['CGO_ENABLED', 'GOOS', 'GOARCH', '-buildmode', '-tags'].flatMap((key) =>
      binary.go!.settings[key] !== undefined ? [`${key}=${binary.go!.settings[key]}`] : [],
    );
    add('go', [binary.go.version, binary.go.mainModule ?? binary.go.path, ...settings].filter(Boolean).join('  '));
  }
  add('toolchain', binary.toolchain.join('; '));
  add('build-id', binary.buildId);
  add('hardening', hardeningText(binary));
  dependencyTree(binary).forEach(({ dep, level, repeat }, i) => {
    const indent = '  '.repeat(level);
    if (repeat) {
      add(i === 0 ? 'resolved' : '', `${indent}${dep.name} → ${dep.path ?? '?'} (already loaded: one copy in the process)`);
      return;
    }
    const target = dep.via === 'vdso' ? 'kernel vDSO' : dep.path ?? 'NOT FOUND';
    const via = dep.viaDetail ? `${dep.via} ${dep.viaDetail}` : dep.via;
    const chain = dep.chain.length > 1 ? ` (${dep.chain.join(' → ')})` : '';
    add(i === 0 ? 'resolved' : '', `${indent}${dep.name} → ${target} [${via}]${chain}`);
  });
  add('status', binary.status === 'will-fail' ? `will fail: ${binary.problems[0] ?? ''}` : binary.status);
  for (const problem of binary.problems.slice(1)) add('', problem);
  for (const diagnostic of binary.diagnostics) add('diagnostic', diagnostic);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${binary.path}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}

function hardeningText(binary: Binary): string {
  const h = binary.hardening;
  const marks = [
    `RELRO ${h.relro}`,
    h.canary ? 'canary' : 'no canary',
    h.nx ? 'NX' : 'no NX',
    h.pie ? 'PIE' : 'no PIE',
    `FORTIFY ${h.fortify}`,
    h.textrel ? 'TEXTREL' : '',
    h.wx ? 'W+X segment' : '',
    h.stripped ? 'stripped' : 'not stripped',
    h.rpath ? 'RPATH' : '',
    h.runpath ? 'RUNPATH' : '',
  ];
  return marks.filter(Boolean).join(', ');
}
