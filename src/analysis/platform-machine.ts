/** Whether an executable's ELF machine can run on the image's platform (config architecture). */
import type { ElfInfo } from '../elf/index.js';
import type { ImageConfigSummary } from '../report/index.js';

interface Expected {
  machine: number;
  class: 32 | 64;
  endian: 'little' | 'big';
}

/** GOARCH names used in image configs → the ELF header they run. */
const ARCHITECTURES: Record<string, Expected> = {
  amd64: { machine: 62, class: 64, endian: 'little' },
  '386': { machine: 3, class: 32, endian: 'little' },
  arm64: { machine: 183, class: 64, endian: 'little' },
  arm: { machine: 40, class: 32, endian: 'little' },
  ppc64le: { machine: 21, class: 64, endian: 'little' },
  ppc64: { machine: 21, class: 64, endian: 'big' },
  s390x: { machine: 22, class: 64, endian: 'big' },
  riscv64: { machine: 243, class: 64, endian: 'little' },
  mips64le: { machine: 8, class: 64, endian: 'little' },
  mips64: { machine: 8, class: 64, endian: 'big' },
  mipsle: { machine: 8, class: 32, endian: 'little' },
  mips: { machine: 8, class: 32, endian: 'big' },
  loong64: { machine: 258, class: 64, endian: 'little' },
};

/** A one-line reason when `elf` cannot execute on the image's architecture, else null. */
export function machineMismatch(elf: ElfInfo, config: ImageConfigSummary): string | null {
  const expected = config.architecture ? ARCHITECTURES[config.architecture] : undefined;
  if (!expected) return null;
  // 32-bit x86 and ARM executables run on amd64/arm64 kernels with compat support; everything else must match.
  const compat =
    (config.architecture === 'amd64' && elf.machine === 3) || (config.architecture === 'arm64' && elf.machine === 40);
  if (compat) return null;
  if (elf.machine === expected.machine && elf.class === expected.class && elf.endian === expected.endian) return null;
  const platform = [config.os ?? 'linux', config.architecture, config.variant].filter(Boolean).join('/');
  return `built for ${elf.machineName} (ELF${elf.class}, ${elf.endian}-endian) but the image is ${platform}: exec format error`;
}
