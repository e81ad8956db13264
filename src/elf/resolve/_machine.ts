/**
 * Per-architecture facts the loaders bake in at build time: Debian multiarch triplets,
 * ldconfig cache flags (glibc sysdeps/…/dl-cache.h, sysdeps/generic/ldconfig.h), the kernel's
 * AT_PLATFORM string, musl's LDSO_ARCH and the canonical PT_INTERP paths.
 */
import type { ElfInfo } from '../types.js';

export const EM = {
  SPARC: 2,
  I386: 3,
  M68K: 4,
  MIPS: 8,
  PARISC: 15,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SH: 42,
  SPARCV9: 43,
  IA_64: 50,
  X86_64: 62,
  AARCH64: 183,
  RISCV: 243,
  LOONGARCH: 258,
} as const;

/** ldconfig's FLAG_* values. */
const CACHE_FLAG = {
  ELF: 0x0001,
  ELF_LIBC6: 0x0003,
  SPARC_LIB64: 0x0100,
  IA64_LIB64: 0x0200,
  X8664_LIB64: 0x0300,
  S390_LIB64: 0x0400,
  POWERPC_LIB64: 0x0500,
  MIPS64_LIBN32: 0x0600,
  MIPS64_LIBN64: 0x0700,
  X8664_LIBX32: 0x0800,
  ARM_LIBHF: 0x0900,
  AARCH64_LIB64: 0x0a00,
  ARM_LIBSF: 0x0b00,
  RISCV_FLOAT_ABI_SOFT: 0x0f00,
  RISCV_FLOAT_ABI_DOUBLE: 0x1000,
  LARCH_FLOAT_ABI_DOUBLE: 0x1200,
} as const;

const EF_ARM_ABI_FLOAT_HARD = 0x400;
const EF_MIPS_ABI2 = 0x20;
const EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;

export interface ArchFacts {
  /** Debian/Ubuntu multiarch triplet (`x86_64-linux-gnu`), or null when unknown. */
  triplet: string | null;
  /** The RHEL-style library directory name (`lib64`, `libx32`, `lib64/lp64d`, or `lib`). */
  libDir: string;
  /** What ld.so accepts in the cache (`_dl_cache_check_flags`) and prefers (`_DL_CACHE_DEFAULT_ID`). */
  cacheFlags: { preferred: number; accepted: number[] };
  /** AT_PLATFORM as the kernel passes it ($PLATFORM); null when it depends on the CPU model. */
  platform: string | null;
  /** musl's LDSO_ARCH (`/lib/ld-musl-<arch>.so.1`), or null when unknown. */
  muslArch: string | null;
  /** The canonical glibc PT_INTERP for this ABI, or null when unknown. */
  glibcInterpreter: string | null;
}

/** Architecture facts for an object's class, machine, byte order and ABI flags. */
export function archFacts(elf: Pick<ElfInfo, 'class' | 'machine' | 'endian' | 'flags'>): ArchFacts {
  const be = elf.endian === 'big';
  const is64 = elf.class === 64;
  const libc6 = (arch: number, alsoPlain = false) => ({
    preferred: arch | CACHE_FLAG.ELF_LIBC6,
    accepted: alsoPlain ? [arch | CACHE_FLAG.ELF_LIBC6, CACHE_FLAG.ELF_LIBC6] : [arch | CACHE_FLAG.ELF_LIBC6],
  });
  const generic = { preferred: CACHE_FLAG.ELF_LIBC6, accepted: [CACHE_FLAG.ELF, CACHE_FLAG.ELF_LIBC6] };
  switch (elf.machine) {
    case EM.X86_64:
      return is64
        ? facts('x86_64-linux-gnu', 'lib64', libc6(CACHE_FLAG.X8664_LIB64), 'x86_64', 'x86_64', '/lib64/ld-linux-x86-64.so.2')
        : facts('x86_64-linux-gnux32', 'libx32', libc6(CACHE_FLAG.X8664_LIBX32), 'x86_64', 'x32', '/libx32/ld-linux-x32.so.2');
    case EM.I386:
      return facts('i386-linux-gnu', 'lib', generic, 'i686', 'i386', '/lib/ld-linux.so.2');
    case EM.AARCH64:
      return facts(
        be ? 'aarch64_be-linux-gnu' : 'aarch64-linux-gnu',
        'lib64',
        libc6(CACHE_FLAG.AARCH64_LIB64),
        be ? 'aarch64_be' : 'aarch64',
        be ? 'aarch64_be' : 'aarch64',
        be ? '/lib/ld-linux-aarch64_be.so.1' : '/lib/ld-linux-aarch64.so.1',
      );
    case EM.ARM: {
      const hard = (elf.flags & EF_ARM_ABI_FLOAT_HARD) !== 0;
      return facts(
        hard ? 'arm-linux-gnueabihf' : 'arm-linux-gnueabi',
        'lib',
        libc6(hard ? CACHE_FLAG.ARM_LIBHF : CACHE_FLAG.ARM_LIBSF, true),
        null,
        `arm${be ? 'eb' : ''}${hard ? 'hf' : ''}`,
        hard ? '/lib/ld-linux-armhf.so.3' : '/lib/ld-linux.so.3',
      );
    }
    case EM.PPC64:
      return facts(
        be ? 'powerpc64-linux-gnu' : 'powerpc64le-linux-gnu',
        'lib64',
        libc6(CACHE_FLAG.POWERPC_LIB64),
        null,
        be ? 'powerpc64' : 'powerpc64le',
        be ? '/lib64/ld64.so.1' : '/lib64/ld64.so.2',
      );
    case EM.PPC:
      return facts('powerpc-linux-gnu', 'lib', generic, null, 'powerpc', '/lib/ld.so.1');
    case EM.S390:
      return is64
        ? facts('s390x-linux-gnu', 'lib64', libc6(CACHE_FLAG.S390_LIB64), null, 's390x', '/lib/ld64.so.1')
        : facts('s390-linux-gnu', 'lib', generic, null, null, '/lib/ld.so.1');
    case EM.RISCV: {
      const double = (elf.flags & EF_RISCV_FLOAT_ABI_DOUBLE) !== 0;
      const flag = double ? CACHE_FLAG.RISCV_FLOAT_ABI_DOUBLE : CACHE_FLAG.RISCV_FLOAT_ABI_SOFT;
      return is64
        ? facts('riscv64-linux-gnu', double ? 'lib64/lp64d' : 'lib64/lp64', libc6(flag), null, 'riscv64', `/lib/ld-linux-riscv64-${double ? 'lp64d' : 'lp64'}.so.1`)
        : facts(null, double ? 'lib32/ilp32d' : 'lib32/ilp32', libc6(flag), null, 'riscv32', `/lib/ld-linux-riscv32-${double ? 'ilp32d' : 'ilp32'}.so.1`);
    }
    case EM.MIPS: {
      const n32 = !is64 && (elf.flags & EF_MIPS_ABI2) !== 0;
      if (is64) return facts(be ? 'mips64-linux-gnuabi64' : 'mips64el-linux-gnuabi64', 'lib64', libc6(CACHE_FLAG.MIPS64_LIBN64), null, be ? 'mips64' : 'mips64el', '/lib64/ld.so.1');
      if (n32) return facts(be ? 'mips64-linux-gnuabin32' : 'mips64el-linux-gnuabin32', 'lib32', libc6(CACHE_FLAG.MIPS64_LIBN32), null, be ? 'mipsn32' : 'mipsn32el', '/lib32/ld.so.1');
      return facts(be ? 'mips-linux-gnu' : 'mipsel-linux-gnu', 'lib', generic, null, be ? 'mips' : 'mipsel', '/lib/ld.so.1');
    }
    case EM.SPARCV9:
      return facts('sparc64-linux-gnu', 'lib64', libc6(CACHE_FLAG.SPARC_LIB64), null, null, '/lib64/ld-linux.so.2');
    case EM.SPARC:
      return facts('sparc-linux-gnu', 'lib', generic, null, null, '/lib/ld-linux.so.2');
    case EM.LOONGARCH:
      return facts('loongarch64-linux-gnu', 'lib64', libc6(CACHE_FLAG.LARCH_FLOAT_ABI_DOUBLE), null, 'loongarch64', '/lib64/ld-linux-loongarch-lp64d.so.1');
    case EM.IA_64:
      return facts('ia64-linux-gnu', 'lib', libc6(CACHE_FLAG.IA64_LIB64), null, null, '/lib/ld-linux-ia64.so.2');
    case EM.M68K:
      return facts('m68k-linux-gnu', 'lib', generic, null, 'm68k', '/lib/ld.so.1');
    case EM.SH:
      return facts('sh4-linux-gnu', 'lib', generic, null, 'sh', '/lib/ld-linux.so.2');
    case EM.PARISC:
      return facts('hppa-linux-gnu', 'lib', generic, null, null, '/lib/ld.so.1');
    default:
      return facts(null, is64 ? 'lib64' : 'lib', generic, null, null, null);
  }
}

function facts(
  triplet: string | null,
  libDir: string,
  cacheFlags: ArchFacts['cacheFlags'],
  platform: string | null,
  muslArch: string | null,
  glibcInterpreter: string | null,
): ArchFacts {
  return { triplet, libDir, cacheFlags, platform, muslArch, glibcInterpreter };
}

/** `x86_64-linux-gnu`, `arm-linux-gnueabihf`, `mips64el-linux-gnuabi64`… */
export function isMultiarchTriplet(name: string): boolean {
  return /^[a-z0-9_]+-linux-gnu[a-z0-9]*$/.test(name);
}

/** Which loader a PT_INTERP names, judged by its file name. */
export function interpreterFlavour(interpreter: string): 'glibc' | 'musl' | 'other' {
  const base = interpreter.slice(interpreter.lastIndexOf('/') + 1);
  if (/^ld-musl-[\w-]+\.so\.1$/.test(base)) return 'musl';
  if (/^ld-linux[\w.-]*\.so\.\d+$/.test(base) || /^ld64\.so\.[12]$/.test(base) || base === 'ld.so.1') return 'glibc';
  return 'other';
}

/** `ld-musl-x86_64.so.1` → `x86_64`. */
export function muslArchOf(interpreter: string): string | null {
  const match = /ld-musl-([\w-]+)\.so\.1$/.exec(interpreter);
  return match ? match[1]! : null;
}

/** `ELF64 x86-64` for messages. */
export function describeClass(elf: Pick<ElfInfo, 'class' | 'machineName'>): string {
  return `ELF${elf.class} ${elf.machineName}`;
}
