/** Rules about how binaries link: static entrypoint, no dynamic ELF, libc flavour, glibc floor, Go cgo. */
import { compareVersionParts, glibcVersionParts, type Binary } from '../../report/index.js';
import type { RawViolation, RuleDefinition } from '../types.js';
import { ChoiceList, GlibcVersion } from '../value-schemas.js';
import { parseChoiceList, parseGlibcVersion } from '../values.js';
import { binaryAt, fileViolation, flagRule, isDynamic, isLoadable, linkEvidence } from './evidence.js';

export const entrypointStatic = flagRule({
  name: 'entrypoint-static',
  title: 'The entrypoint binary is statically linked',
  description:
    'The ELF file the entrypoint runs (after PATH lookup, symlinks, shebang interpreters and shells) has no PT_INTERP and no DT_NEEDED: it needs no loader and no libraries, so it runs FROM scratch.',
  scope: 'files',
  evaluate: (report) => {
    const entrypoint = report.entrypoint;
    if (!entrypoint) return [{ path: null, message: 'the image has no Entrypoint or Cmd: nothing runs', evidence: 'no Entrypoint or Cmd', key: 'no-entrypoint' }];
    const argv = entrypoint.argv.join(' ');
    if (!entrypoint.binary) {
      const why = entrypoint.reasons.at(-1) ?? 'it does not resolve to an ELF file';
      const path = entrypoint.path ?? entrypoint.argv[0] ?? null;
      return [{ path, message: `entrypoint '${argv}' does not run an ELF binary: ${why}`, evidence: why, key: 'no-binary' }];
    }
    const binary = binaryAt(report, entrypoint.binary);
    if (!binary) {
      const evidence = `the entrypoint runs ${entrypoint.binary}, which is not an ELF file of the image`;
      return [{ path: entrypoint.binary, message: evidence, evidence, key: 'not-elf' }];
    }
    if (binary.interpreter === null && binary.needed.length === 0) return [];
    const via = viaChain(entrypoint.path, entrypoint.interpreters, binary.path);
    return [fileViolation(binary.path, `${linkEvidence(binary)}${via}`, 'dynamic')];
  },
  passMessage: (report) => `${report.entrypoint?.binary ?? 'the entrypoint'} has no PT_INTERP and no NEEDED`,
});

function viaChain(path: string | null, interpreters: string[], binary: string): string {
  const steps = [path, ...interpreters].filter((step): step is string => step !== null && step !== binary);
  return steps.length > 0 ? ` (entrypoint ${[...steps, binary].join(' → ')})` : '';
}

export const noDynamic = flagRule({
  name: 'no-dynamic',
  title: 'No dynamically linked ELF files',
  description:
    'No executable or shared library needs a dynamic loader: no PT_INTERP, no DT_NEEDED, no shared objects. Limit it to parts of the image with `paths:` globs.',
  scope: 'files',
  evaluate: (report) =>
    report.binaries
      .filter((binary) => isLoadable(binary) && (isDynamic(binary) || binary.role === 'library'))
      .map((binary) => fileViolation(binary.path, linkEvidence(binary), 'dynamic')),
});

const LIBC_CHOICES = ['none', 'musl', 'glibc'] as const;

export const libc: RuleDefinition = {
  name: 'libc',
  title: 'Binaries use only the allowed libc flavours',
  description:
    'Every executable and shared library uses one of the listed C libraries: `none` (no libc: static Go, Rust without libc, …), `musl` or `glibc`. Binaries whose libc is unknown or another one (bionic, uClibc) fail.',
  kind: 'value',
  valueSyntax: `a list of ${LIBC_CHOICES.join(', ')} (comma-separated on the command line)`,
  valueSchema: ChoiceList(LIBC_CHOICES),
  scope: 'files',
  configure(value) {
    const allowed = parseChoiceList(value, LIBC_CHOICES);
    return {
      display: allowed.join(', '),
      evaluate: (report) =>
        report.binaries
          .filter((binary) => isLoadable(binary) && !(allowed as readonly string[]).includes(binary.libc))
          .map((binary) => fileViolation(binary.path, `uses libc ${binary.libc} (${libcEvidence(binary)}); allowed: ${allowed.join(', ')}`, binary.libc)),
    };
  },
};

function libcEvidence(binary: Binary): string {
  return binary.libc === 'unknown' ? `could not be determined; ${linkEvidence(binary)}` : linkEvidence(binary);
}

export const maxGlibc: RuleDefinition = {
  name: 'max-glibc',
  title: 'No binary needs a newer glibc',
  description:
    "No executable or shared library requires a GLIBC_x.y symbol version above this one (from its GNU version needs), so it runs on hosts and bases with that glibc. glibc's own libraries (objects defining GLIBC_* versions) are not checked.",
  kind: 'value',
  valueSyntax: 'a glibc version such as "2.31"',
  valueSchema: GlibcVersion,
  scope: 'files',
  configure(value) {
    const max = parseGlibcVersion(value);
    const maxText = max.join('.');
    return {
      display: maxText,
      evaluate: (report) => report.binaries.flatMap((binary) => glibcViolations(binary, max, maxText)),
    };
  },
};

function glibcViolations(binary: Binary, max: number[], maxText: string): RawViolation[] {
  if (!isLoadable(binary) || binary.glibcProvided !== null) return [];
  const aboveMax = (name: string) => {
    const version = glibcVersionParts(name);
    return version !== null && compareVersionParts(version, max) > 0;
  };
  const tooNew: string[] = [];
  for (const [library, versions] of Object.entries(binary.versionNeeds)) {
    const above = versions.filter(aboveMax);
    if (above.length > 0) tooNew.push(`${above.join(', ')} from ${library}`);
  }
  if (tooNew.length === 0 && binary.glibcFloor && aboveMax(binary.glibcFloor)) tooNew.push(binary.glibcFloor);
  if (tooNew.length === 0) return [];
  return [fileViolation(binary.path, `needs ${tooNew.join('; ')} (above GLIBC_${maxText})`, 'glibc')];
}

export const goCgoDisabled = flagRule({
  name: 'go-cgo-disabled',
  title: 'Go binaries are built with CGO_ENABLED=0',
  description:
    "Every Go binary's build info records CGO_ENABLED=0, so it needs no libc. A Go binary without the setting (built before Go 1.18) fails: it cannot be confirmed.",
  scope: 'files',
  evaluate: (report) =>
    report.binaries.flatMap((binary) => {
      if (!binary.go || binary.go.cgoEnabled === false) return [];
      const evidence =
        binary.go.cgoEnabled === true
          ? `was built with CGO_ENABLED=1 (${binary.go.version}): ${linkEvidence(binary)}`
          : `has no CGO_ENABLED in its Go build info (${binary.go.version}; recorded since Go 1.18): cannot confirm cgo is off`;
      return [fileViolation(binary.path, evidence, 'cgo')];
    }),
});
