/**
 * The words and shapes of ELF facts that the Report publishes. They are defined here, below the
 * Report, which builds its schema from them (report/schema.ts checks that the two agree).
 */
export const LINKAGES = ['static', 'static-pie', 'dynamic'] as const;
export type Linkage = (typeof LINKAGES)[number];

export const LIBCS = ['glibc', 'musl', 'none', 'other', 'unknown'] as const;
export type Libc = (typeof LIBCS)[number];

export const ELF_ROLES = ['executable', 'library', 'object', 'core', 'debug', 'other'] as const;
export type ElfRole = (typeof ELF_ROLES)[number];

export interface Hardening {
  relro: 'none' | 'partial' | 'full';
  canary: boolean;
  nx: boolean;
  pie: boolean;
  /** `yes`: `__*_chk` imports; `no`: none though the libc offers them; `n/a`: static or the libc has no FORTIFY. */
  fortify: 'yes' | 'no' | 'n/a';
  textrel: boolean;
  wx: boolean;
  stripped: boolean;
  rpath: boolean;
  runpath: boolean;
}
