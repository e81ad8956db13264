/**
 * The `imgslim diff` view-model: the changed paths as a tree, the binaries and packages that
 * changed as rows, and the words for a change that the plain text and the terminal UI share. Pure.
 */
import type { BinaryChange, DiffBinary, DiffFile, DiffPackage, FileChange as DiffFileChange, ImageDiff } from '../../diff/index.js';
import { formatBytes, formatCount, formatReduction } from '../format/numbers.js';
import { buildChangeTree, defaultFolded, type ChangedPath, type FileTree } from './file-tree.js';

export type ChangeKind = 'added' | 'modified' | 'removed';

export interface DiffBinaryRow {
  path: string;
  change: ChangeKind;
  /** One line: what changed (a changed binary) or its facts (added, removed). */
  summary: string;
  /** The binary as listed in `b` (added) or `a` (removed); null when changed. */
  binary: DiffBinary | null;
  /** What changed, field by field; null when added or removed. */
  detail: BinaryChange | null;
}

export interface DiffPackageRow {
  change: ChangeKind;
  /** `name:arch (manager)`. */
  name: string;
  /** `1.0-1 → 1.1-1`, or the version added or removed. */
  version: string;
}

export interface DiffModel {
  diff: ImageDiff;
  /** Every path added, removed or changed, marked, with its parents. */
  tree: FileTree;
  /** Directories folded when the tree first shows. */
  folded: ReadonlySet<string>;
  /** What changed about a path present in both images, e.g. `content 1.0 KiB → 2.0 KiB, mode 0644 → 0755`. */
  fileChanges: ReadonlyMap<string, string>;
  /** Changed, then added, then removed; each by path. */
  binaries: DiffBinaryRow[];
  packages: DiffPackageRow[];
}

export function buildDiffModel(diff: ImageDiff): DiffModel {
  const { added, removed, changed } = diff.files;
  const changes: ChangedPath[] = [
    // Removed first: a path whose type changed (a directory became a file) then takes its new type.
    ...removed.map((file) => changedPath(file, 'removed')),
    ...added.map((file) => changedPath(file, 'added')),
    ...changed.map((change) => changedPath(change.after, 'modified')),
  ];
  const tree = buildChangeTree(changes, 'diff', null);
  return {
    diff,
    tree,
    folded: defaultFolded(tree),
    fileChanges: new Map(changed.map((change) => [change.path, fileChangeText(change)])),
    binaries: [
      ...diff.binaries.changed.map((detail): DiffBinaryRow => ({ path: detail.path, change: 'modified', summary: binaryChangeSummary(detail), binary: null, detail })),
      ...diff.binaries.added.map((binary): DiffBinaryRow => ({ path: binary.path, change: 'added', summary: binaryFacts(binary), binary, detail: null })),
      ...diff.binaries.removed.map((binary): DiffBinaryRow => ({ path: binary.path, change: 'removed', summary: binaryFacts(binary), binary, detail: null })),
    ],
    packages: [
      ...diff.packages.changed.map((pkg): DiffPackageRow => ({ change: 'modified', name: packageName(pkg), version: `${pkg.before} → ${pkg.after}` })),
      ...diff.packages.added.map((pkg): DiffPackageRow => ({ change: 'added', name: packageName(pkg), version: pkg.version })),
      ...diff.packages.removed.map((pkg): DiffPackageRow => ({ change: 'removed', name: packageName(pkg), version: pkg.version })),
    ],
  };
}

function changedPath(file: DiffFile, change: ChangeKind): ChangedPath {
  return { path: file.path, change, type: file.type, size: file.size, linkTarget: file.linkTarget };
}

/** `content 1.0 KiB → 2.0 KiB, mode 0644 → 0755`: each aspect that changed, before → after. */
export function fileChangeText(change: DiffFileChange): string {
  const { before: a, after: b } = change;
  return change.changes
    .map((aspect) => {
      switch (aspect) {
        case 'type':
          return `type ${a.type} → ${b.type}`;
        case 'content':
          return a.size === b.size ? `content (${formatBytes(b.size)})` : `content ${formatBytes(a.size)} → ${formatBytes(b.size)}`;
        case 'mode':
          return `mode ${octal(a.mode)} → ${octal(b.mode)}`;
        case 'owner':
          return `owner ${a.uid}:${a.gid} → ${b.uid}:${b.gid}`;
        case 'link':
          return `link ${a.linkTarget ?? ''} → ${b.linkTarget ?? ''}`;
        case 'xattrs':
          return 'xattrs';
      }
    })
    .join(', ');
}

/** `file, 15.6 KiB`, `symlink → target`, or the type. */
export function fileFacts(file: DiffFile): string {
  if (file.type === 'file' || file.type === 'hardlink') return `${file.type}, ${formatBytes(file.size)}`;
  if (file.type === 'symlink') return `symlink → ${file.linkTarget ?? ''}`;
  return file.type;
}

/** `dynamic, glibc, GLIBC_2.34, ok`. */
export function binaryFacts(binary: DiffBinary): string {
  return [binary.linkage, binary.libc, binary.glibcFloor, binary.status].filter((fact) => fact !== null && fact !== 'none').join(', ');
}

/** One change in full (`glibcFloor GLIBC_2.34 → GLIBC_2.36`), else the facts that changed: `linkage, libc, hardening, go, NEEDED, closure`. */
export function binaryChangeSummary(change: BinaryChange): string {
  const needed = change.neededAdded.length + change.neededRemoved.length > 0;
  const closure = change.closureAdded.length + change.closureRemoved.length > 0;
  const only = change.fields.length === 1 && !needed && !closure ? change.fields[0] : undefined;
  if (only) return `${only.field} ${only.before ?? '(none)'} → ${only.after ?? '(none)'}`;
  const groups = [...new Set(change.fields.map((field) => field.field.split('.')[0]!))];
  if (needed) groups.push(`NEEDED ${plusMinus(change.neededAdded, change.neededRemoved)}`);
  else if (closure) groups.push('closure');
  return groups.join(', ');
}

/** `libfoo1:amd64 (dpkg)`. */
export function packageName(pkg: Pick<DiffPackage, 'manager' | 'name' | 'architecture'>): string {
  return `${pkg.name}${pkg.architecture ? `:${pkg.architecture}` : ''} (${pkg.manager})`;
}

/** `+a +b −c`. */
export function plusMinus(added: readonly string[], removed: readonly string[]): string {
  return [...added.map((x) => `+${x}`), ...removed.map((x) => `\u2212${x}`)].join(' ');
}

/** `−560.0 KiB (−27.2%)`; the percentage only when there was something before. */
export function bytesChange(before: number, after: number): string {
  if (after === before) return '0';
  const delta = after > before ? `+${formatBytes(after - before)}` : `\u2212${formatBytes(before - after)}`;
  return before > 0 ? `${delta} (${formatReduction(before, after)})` : delta;
}

/** A count's change: `+3`, `−2`, `0`. */
export function signedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `\u2212${formatCount(-n)}` : '0';
}

/** A ratio's change in percentage points: `+4.0 pt`. */
export function pointsChange(delta: number): string {
  const text = (Math.abs(delta) * 100).toFixed(1);
  return text === '0.0' ? '0.0 pt' : `${delta < 0 ? '\u2212' : '+'}${text} pt`;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
