/**
 * Dependency closures: every ELF file kept for its own sake (entrypoint programs, --keep matches,
 * runtime trees) keeps its interpreter and DT_NEEDED libraries as the analysis resolved them,
 * with the symlinks the loader follows. Plus what glibc loads with dlopen on its own, and risks
 * for what nobody can see statically.
 */
import type { ResolvedDependency } from '../report/index.js';
import type { Planner } from './planner.js';
import { resolveExtra } from './resolve-extra.js';

/** Keeps the closure of every queued ELF file until the queue is empty. */
export function keepClosures(p: Planner): void {
  for (let path = p.keep.nextBinary(); path !== undefined; path = p.keep.nextBinary()) {
    const binary = p.binaries.get(path);
    if (!binary) continue;
    for (const dep of binary.resolved) keepDependency(p, dep, dependencyReason(dep));
  }
}

/** Keeps one resolved dependency: the path the loader opened, its symlinks and the file. */
export function keepDependency(p: Planner, dep: ResolvedDependency, reason: string): void {
  if (dep.via === 'not-found') {
    p.risk(dep.neededBy, `${dep.name} is not in the source image either: ${dep.problem ?? 'not found'}`);
    return;
  }
  if (dep.path === null || dep.via === 'vdso' || dep.via === 'already-loaded') return;
  p.keep.keepLookup(dep.chain[0] ?? dep.path, reason, { program: false });
  if (!p.keep.has(dep.path)) p.keep.keepLookup(dep.path, reason, { program: false });
  if (dep.via === 'ld.so.cache' && !p.keep.has('/etc/ld.so.cache')) {
    p.keep.keepLookup('/etc/ld.so.cache', `ld.so finds ${dep.name} (NEEDED by ${dep.neededBy}) through it`, { program: false });
  }
  if (dep.via === 'musl-path') {
    for (const name of p.fs.list('/etc') ?? []) {
      if (/^ld-musl-[^/]+\.path$/.test(name) && !p.keep.has(`/etc/${name}`)) {
        p.keep.keepLookup(`/etc/${name}`, `the musl loader finds ${dep.name} (NEEDED by ${dep.neededBy}) through it`, { program: false });
      }
    }
  }
}

export function dependencyReason(dep: ResolvedDependency): string {
  if (dep.via === 'interpreter') return `interpreter of ${dep.neededBy}`;
  if (dep.via === 'musl-builtin') return `${dep.name} NEEDED by ${dep.neededBy}: provided by the musl loader`;
  if (dep.via === 'path') return `${dep.name} NEEDED by ${dep.neededBy} (a path)`;
  return `${dep.name} NEEDED by ${dep.neededBy}, found via ${dep.via}${dep.viaDetail ? ` ${dep.viaDetail}` : ''}`;
}

/** Keeps what `.note.dlopen` names (systemd-style dlopen metadata) and what the image lacks becomes a risk. */
export function keepDlopenNotes(p: Planner): void {
  const done = new Set<string>();
  for (let again = true; again; ) {
    again = false;
    for (const binary of p.keptBinaries()) {
      if (done.has(binary.path)) continue;
      done.add(binary.path);
      const names = p.elf(binary.path)?.dlopenNotes ?? [];
      if (names.length === 0) continue;
      const { found, closure } = resolveExtra(p, binary.path, names);
      for (const name of names) {
        const dep = found.get(name);
        if (!dep || dep.via === 'not-found') {
          p.risk(binary.path, `names ${name} in .note.dlopen (loaded with dlopen at run time), but it is not in the source image`);
          continue;
        }
        keepDependency(p, dep, `${name} named in .note.dlopen of ${binary.path} (loaded with dlopen), found via ${dep.via}${dep.viaDetail ? ` ${dep.viaDetail}` : ''}`);
        again = true;
      }
      for (const dep of closure) keepDependency(p, dep, dependencyReason(dep));
    }
  }
}

/** glibc's pthread_cancel and pthread_exit unwind with libgcc_s.so.1, which it dlopens on first use. */
const UNWIND_IMPORTS = ['pthread_cancel', 'pthread_exit'];

export function keepGlibcUnwinder(p: Planner): void {
  const user = p.keptBinaries().find((binary) => binary.libc === 'glibc' && p.elf(binary.path)?.imports.some((name) => UNWIND_IMPORTS.includes(name)));
  if (!user) return;
  const { found, closure } = resolveExtra(p, user.path, ['libgcc_s.so.1']);
  const dep = found.get('libgcc_s.so.1');
  const uses = p.elf(user.path)!.imports.filter((name) => UNWIND_IMPORTS.includes(name)).join(', ');
  if (!dep || dep.via === 'not-found') {
    p.risk(user.path, `imports ${uses}: glibc then dlopens libgcc_s.so.1, which is not in the source image either`);
    return;
  }
  keepDependency(p, dep, `libgcc_s.so.1: glibc dlopens it to unwind threads (${user.path} imports ${uses})`);
  for (const extra of closure) keepDependency(p, extra, dependencyReason(extra));
}

/** Every kept ELF object that calls dlopen gets a risk: what it loads is invisible to static analysis. */
export function dlopenRisks(p: Planner): void {
  for (const binary of p.keptBinaries()) {
    const imports = p.elf(binary.path)?.imports ?? [];
    const calls = imports.filter((name) => name === 'dlopen' || name === 'dlmopen');
    if (calls.length === 0) continue;
    p.risk(binary.path, `calls ${calls.join(' and ')}: libraries it loads at run time are invisible to static analysis; cover them with ${p.probeHint()}, or --keep each library or its directory (e.g. --keep ${dirOf(binary.path)})`);
  }
}

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}
