/**
 * The loader's compiled-in default directories. glibc's SYSTEM_DIRS come from its slibdir and
 * libdir at build time (elf/Makefile `trusted-dirs`; Debian adds the multiarch directories),
 * and ld.so itself always lives in slibdir, so where the image's loader really is tells which
 * layout its glibc was built for:
 *   Debian/Ubuntu  /lib/<triplet>/ld-linux…  → /lib/<triplet>, /usr/lib/<triplet>, /lib, /usr/lib; $LIB = lib/<triplet>
 *   RHEL/Fedora/SUSE/Gentoo  /usr/lib64/ld-linux… → /lib64, /usr/lib64; $LIB = lib64
 *   Arch, Wolfi, 32-bit distros  /usr/lib or /lib → /lib, /usr/lib; $LIB = lib
 *   a private prefix (`/usr/glibc-compat/lib`, Nix) → that directory only; $LIB = its name
 * (`/lib64/ld-linux-x86-64.so.2 --help` prints the list; this machine's Debian glibc 2.36 says
 * /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib.)
 */
import type { ArchFacts } from './_machine.js';
import { isMultiarchTriplet } from './_machine.js';

export interface GlibcLayout {
  systemDirs: string[];
  /** What $LIB expands to (DL_DST_LIB). */
  lib: string;
}

/** The layout implied by the loader's real (symlink-free) path, or a best guess for the architecture. */
export function glibcLayout(loaderRealPath: string | null, arch: ArchFacts): GlibcLayout {
  if (loaderRealPath !== null) {
    const dir = loaderRealPath.slice(0, loaderRealPath.lastIndexOf('/')) || '/';
    const name = dir.slice(dir.lastIndexOf('/') + 1);
    if (isMultiarchTriplet(name)) return debian(name);
    const lib = /^(?:\/usr)?\/(lib(?:64|x32|32)(?:\/\w+)?)$/.exec(dir);
    if (lib) return { systemDirs: [`/${lib[1]}`, `/usr/${lib[1]}`], lib: lib[1]! };
    if (dir === '/lib' || dir === '/usr/lib') return { systemDirs: ['/lib', '/usr/lib'], lib: 'lib' };
    return { systemDirs: [dir], lib: name };
  }
  const dirs = [
    ...(arch.triplet ? [`/lib/${arch.triplet}`, `/usr/lib/${arch.triplet}`] : []),
    ...(arch.libDir !== 'lib' ? [`/${arch.libDir}`, `/usr/${arch.libDir}`] : []),
    '/lib',
    '/usr/lib',
  ];
  return { systemDirs: dirs, lib: arch.libDir };
}

function debian(triplet: string): GlibcLayout {
  return { systemDirs: [`/lib/${triplet}`, `/usr/lib/${triplet}`, '/lib', '/usr/lib'], lib: `lib/${triplet}` };
}
