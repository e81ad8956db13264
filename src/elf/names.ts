/** Human names for e_machine, EI_OSABI and e_type values. */
import type { ElfInfo } from './types.js';

const MACHINES: Record<number, string> = {
  0: 'none',
  1: 'WE32100',
  2: 'SPARC',
  3: 'i386',
  4: 'm68k',
  5: 'm88k',
  6: 'Intel MCU',
  7: 'i860',
  8: 'MIPS',
  9: 'System/370',
  10: 'MIPS R3000 LE',
  15: 'PA-RISC',
  17: 'VPP500',
  18: 'SPARC32PLUS',
  19: 'i960',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 's390',
  23: 'SPU',
  36: 'V800',
  37: 'FR20',
  38: 'RH32',
  39: 'RCE',
  40: 'ARM',
  41: 'Alpha',
  42: 'SuperH',
  43: 'SPARC V9',
  44: 'TriCore',
  45: 'ARC',
  46: 'H8/300',
  47: 'H8/300H',
  48: 'H8S',
  49: 'H8/500',
  50: 'IA-64',
  51: 'MIPS-X',
  52: 'ColdFire',
  53: '68HC12',
  62: 'x86-64',
  75: 'VAX',
  76: 'CRIS',
  80: 'MMIX',
  83: 'AVR',
  87: 'V850',
  88: 'M32R',
  89: 'MN10300',
  92: 'OpenRISC',
  93: 'ARC Compact',
  94: 'Xtensa',
  106: 'Blackfin',
  113: 'Nios II',
  140: 'TI C6000',
  164: 'Hexagon',
  167: 'NDS32',
  183: 'AArch64',
  188: 'MicroBlaze',
  190: 'CUDA',
  191: 'TILE-Gx',
  220: 'Z80',
  224: 'AMDGPU',
  243: 'RISC-V',
  247: 'BPF',
  252: 'C-SKY',
  258: 'LoongArch',
  0x9026: 'Alpha',
  0xbaab: 'MicroBlaze',
};

/** e_machine as a human name; s390 is `s390x` in ELF64. Unknown values read `machine 0x…`. */
export function machineName(machine: number, elfClass: 32 | 64): string {
  if (machine === 22) return elfClass === 64 ? 's390x' : 's390';
  return MACHINES[machine] ?? `machine 0x${machine.toString(16)}`;
}

const OSABIS: Record<number, string> = {
  0: 'System V',
  1: 'HP-UX',
  2: 'NetBSD',
  3: 'GNU/Linux',
  4: 'GNU/Hurd',
  6: 'Solaris',
  7: 'AIX',
  8: 'IRIX',
  9: 'FreeBSD',
  10: 'Tru64',
  11: 'Novell Modesto',
  12: 'OpenBSD',
  13: 'OpenVMS',
  14: 'HP NonStop Kernel',
  15: 'AROS',
  16: 'FenixOS',
  17: 'CloudABI',
  18: 'OpenVOS',
  97: 'ARM',
  255: 'Standalone',
};

/** EI_OSABI as a name; 64 is architecture-specific (ARM EABI, TI C6000 BareMetal). */
export function osabiName(osabi: number, machine: number): string {
  if (osabi === 64) return machine === 40 ? 'ARM EABI' : machine === 140 ? 'C6000 ELFABI' : 'OS/ABI 64';
  if (osabi === 65 && machine === 140) return 'C6000 Linux';
  return OSABIS[osabi] ?? `OS/ABI ${osabi}`;
}

const TYPES: Record<number, ElfInfo['type']> = { 0: 'NONE', 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

export function typeName(type: number): ElfInfo['type'] {
  return TYPES[type] ?? 'OTHER';
}
