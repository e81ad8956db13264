/** ELF binaries added, removed and changed: linkage, libc, NEEDED, closure, glibc floor, hardening and Go build facts. */
import type { Binary } from '../report/index.js';
import type { BinaryChange, DiffBinary, FieldChange, ImageDiff } from './schema.js';

export function diffBinaries(a: readonly Binary[], b: readonly Binary[]): ImageDiff['binaries'] {
  const before = new Map(a.map((binary) => [binary.path, binary]));
  const added: DiffBinary[] = [];
  const changed: BinaryChange[] = [];
  for (const binary of b) {
    const old = before.get(binary.path);
    if (!old) {
      added.push(diffBinary(binary));
      continue;
    }
    before.delete(binary.path);
    const change = binaryChange(old, binary);
    if (change) changed.push(change);
  }
  return { added, removed: [...before.values()].map(diffBinary), changed };
}

function diffBinary(binary: Binary): DiffBinary {
  return { path: binary.path, linkage: binary.linkage, libc: binary.libc, glibcFloor: binary.glibcFloor, status: binary.status };
}

function binaryChange(a: Binary, b: Binary): BinaryChange | null {
  const before = facts(a);
  const after = facts(b);
  const fields: FieldChange[] = [];
  for (const field of [...new Set([...before.keys(), ...after.keys()])]) {
    const x = before.get(field) ?? null;
    const y = after.get(field) ?? null;
    if (x !== y) fields.push({ field, before: x, after: y });
  }
  const [neededAdded, neededRemoved] = setDifference(a.needed, b.needed);
  const [closureAdded, closureRemoved] = setDifference(closure(a), closure(b));
  if (fields.length + neededAdded.length + neededRemoved.length + closureAdded.length + closureRemoved.length === 0) return null;
  return { path: b.path, fields, neededAdded, neededRemoved, closureAdded, closureRemoved };
}

/** The scalar facts compared, by field name, as text. */
function facts(binary: Binary): Map<string, string> {
  const out = new Map<string, string>();
  const put = (field: string, value: string | boolean | null) => {
    if (value !== null) out.set(field, String(value));
  };
  put('machine', binary.machine);
  put('role', binary.role);
  put('linkage', binary.linkage);
  put('libc', binary.libc);
  put('interpreter', binary.interpreter);
  put('soname', binary.soname);
  put('glibcFloor', binary.glibcFloor);
  put('glibcProvided', binary.glibcProvided);
  put('muslVersion', binary.muslVersion);
  put('rpath', binary.rpath.length > 0 ? binary.rpath.join(', ') : null);
  put('runpath', binary.runpath.length > 0 ? binary.runpath.join(', ') : null);
  put('status', binary.status);
  for (const [key, value] of Object.entries(binary.hardening)) put(`hardening.${key}`, value);
  if (binary.go) {
    put('go.version', binary.go.version);
    put('go.mainModule', binary.go.mainModule);
    put('go.cgoEnabled', binary.go.cgoEnabled);
    for (const [key, value] of Object.entries(binary.go.settings)) put(`go.setting.${key}`, value);
    for (const dep of binary.go.deps) put(`go.dep.${dep.path}`, dep.replace ? `${dep.version} => ${[dep.replace.path, dep.replace.version].filter(Boolean).join('@')}` : dep.version);
  }
  return out;
}

function closure(binary: Binary): string[] {
  return binary.resolved.map((dep) => dep.path ?? `${dep.name} (not found)`);
}

/** [only in b, only in a], each sorted. */
function setDifference(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const setA = new Set(a);
  const setB = new Set(b);
  return [[...setB].filter((x) => !setA.has(x)).sort(), [...setA].filter((x) => !setB.has(x)).sort()];
}
