/**
 * Files no loader will ever load in this image, so that load rules do not fail on them: test
 * data and foreign binaries shipped as files (Go's source tree carries a FreeBSD executable,
 * mode 0644). Three reasons, each a fact of the file and the image:
 * - another OS ABI: glibc's ld.so refuses objects whose EI_OSABI is not SYSV or GNU (ARM's own
 *   ABI values included), and their interpreters (/libexec/ld-elf.so.1…) are not Linux's;
 * - another machine than the image's platform (the kernel's compat cases, i386 on amd64 and
 *   32-bit ARM on arm64, excepted);
 * - an executable with no execute bit that no object in the image loads as a library.
 */
import type { ElfInfo } from '../elf/index.js';
import type { Binary, ImageConfigSummary } from '../report/index.js';
import { machineMismatch } from './platform-machine.js';

const ELFOSABI_SYSV = 0;
const ELFOSABI_GNU = 3;
const ELFOSABI_ARM = 97;
const ELFOSABI_ARM_AEABI = 64;
const EM_ARM = 40;

/** The reason of the OS ABI or machine, which holds whoever asks for the file. */
export function foreignReason(elf: ElfInfo, config: ImageConfigSummary | undefined): string | null {
  const linuxAbi = elf.osabi === ELFOSABI_SYSV || elf.osabi === ELFOSABI_GNU || (elf.machine === EM_ARM && (elf.osabi === ELFOSABI_ARM || elf.osabi === ELFOSABI_ARM_AEABI));
  if (!linuxAbi) return `built for ${elf.osabiName} (OS ABI ${elf.osabi}): Linux's loader never loads it`;
  const mismatch = config ? machineMismatch(elf, config) : null;
  return mismatch ? `${mismatch}: no program in the image can load it` : null;
}

/** The reason of the mode: an executable nobody can exec (no x bit) and no object loads. */
export function notExecutableReason(binary: Binary, mode: number, loadedPaths: ReadonlySet<string>): string | null {
  if (binary.role !== 'executable' || (mode & 0o111) !== 0) return null;
  if (loadedPaths.has(binary.path) || binary.hardLinks.some((path) => loadedPaths.has(path))) return null;
  return `mode ${(mode & 0o7777).toString(8).padStart(4, '0')}: not executable, and no object in the image loads it`;
}
