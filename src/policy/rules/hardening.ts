/** Hardening rules over each binary's checksec-style facts (the report's `hardening`). */
import type { Binary, Report } from '../../report/index.js';
import type { RawViolation, RuleDefinition } from '../types.js';
import { Choice } from '../value-schemas.js';
import { parseChoice } from '../values.js';
import { fileViolation, flagRule, isLoadable } from './evidence.js';

type Check = (binary: Binary) => string | null;

/** A flag rule that applies `check` to every executable (and shared library unless `executablesOnly`). */
function hardeningRule(spec: {
  name: RuleDefinition['name'];
  title: string;
  description: string;
  executablesOnly?: boolean;
  check: Check;
}): RuleDefinition {
  return flagRule({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    scope: 'files',
    evaluate: (report) => evaluateEach(report, spec.check, spec.executablesOnly ?? false, spec.name),
  });
}

function evaluateEach(report: Report, check: Check, executablesOnly: boolean, key: string): RawViolation[] {
  const violations: RawViolation[] = [];
  for (const binary of report.binaries) {
    if (!isLoadable(binary) || (executablesOnly && binary.role !== 'executable')) continue;
    const evidence = check(binary);
    if (evidence !== null) violations.push(fileViolation(binary.path, evidence, key));
  }
  return violations;
}

export const requirePie = hardeningRule({
  name: 'require-pie',
  title: 'Executables are position-independent (PIE)',
  description: 'Every executable is a PIE (ET_DYN, static-pie included), so ASLR randomises its base address. Shared libraries are not checked.',
  executablesOnly: true,
  check: (binary) => (binary.hardening.pie ? null : `is not position-independent (ELF type ${binary.type}, ${binary.linkage}): no ASLR for its code`),
});

const RELRO_LEVELS = ['full', 'partial'] as const;

export const requireRelro: RuleDefinition = {
  name: 'require-relro',
  title: 'Binaries have RELRO',
  description:
    'Every executable and shared library has at least this RELRO: `partial` (PT_GNU_RELRO: relocated data made read-only after start-up) or `full` (partial plus BIND_NOW: the GOT is read-only too).',
  kind: 'value',
  valueSyntax: 'full or partial',
  valueSchema: Choice(RELRO_LEVELS),
  scope: 'files',
  configure(value) {
    const level = parseChoice(value, RELRO_LEVELS);
    const accepted = level === 'full' ? ['full'] : ['full', 'partial'];
    return {
      display: level,
      evaluate: (report) =>
        evaluateEach(
          report,
          (binary) => (accepted.includes(binary.hardening.relro) ? null : `has ${relroText(binary.hardening.relro)}; ${level} RELRO required`),
          false,
          'require-relro',
        ),
    };
  },
};

function relroText(relro: Binary['hardening']['relro']): string {
  if (relro === 'partial') return 'partial RELRO (PT_GNU_RELRO without BIND_NOW)';
  return relro === 'none' ? 'no RELRO (no PT_GNU_RELRO)' : 'full RELRO';
}

export const requireNx = hardeningRule({
  name: 'require-nx',
  title: 'Stacks are not executable (NX)',
  description: 'Every executable and shared library marks its stack non-executable (PT_GNU_STACK without PF_X).',
  check: (binary) => (binary.hardening.nx ? null : 'has an executable stack (PT_GNU_STACK with PF_X, or no PT_GNU_STACK)'),
});

export const requireCanary = hardeningRule({
  name: 'require-canary',
  title: 'Binaries are built with stack protectors',
  description:
    'Every executable and shared library uses stack canaries (-fstack-protector: it references __stack_chk_fail or __stack_chk_guard). Go binaries without cgo are memory-safe and exempt.',
  check: (binary) => {
    if (binary.hardening.canary || (binary.go && binary.go.cgoEnabled !== true)) return null;
    return 'has no stack canary (no __stack_chk_fail / __stack_chk_guard)';
  },
});

export const noTextrel = hardeningRule({
  name: 'no-textrel',
  title: 'No text relocations',
  description: 'No executable or shared library has text relocations (DT_TEXTREL or DF_TEXTREL): its code would be written at load time.',
  check: (binary) => (binary.hardening.textrel ? 'has text relocations (DT_TEXTREL): code pages are written at load time' : null),
});

export const noWx = hardeningRule({
  name: 'no-wx',
  title: 'No writable and executable segments',
  description: 'No executable or shared library has a loadable segment that is both writable and executable (W^X).',
  check: (binary) => (binary.hardening.wx ? 'has a segment that is both writable and executable (W^X violated)' : null),
});

export const noRpath = hardeningRule({
  name: 'no-rpath',
  title: 'No embedded library search paths',
  description: 'No executable or shared library carries DT_RPATH or DT_RUNPATH: libraries are found through the standard search only.',
  check: (binary) => {
    const parts = [
      binary.rpath.length > 0 || binary.hardening.rpath ? `RPATH ${binary.rpath.join(':')}` : '',
      binary.runpath.length > 0 || binary.hardening.runpath ? `RUNPATH ${binary.runpath.join(':')}` : '',
    ].filter(Boolean);
    return parts.length > 0 ? `has ${parts.join(' and ')}` : null;
  },
});
