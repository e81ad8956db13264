/**
 * dpkg's package records: `/var/lib/dpkg/status` and distroless' `status.d/<pkg>` files (one
 * control stanza each, usually without a Status field). Pure over text.
 */
import { parseStanzas } from './_stanzas.js';

export interface DpkgEntry {
  name: string;
  version: string;
  architecture: string | null;
  /** `same` packages name their info files `name:arch.list`. */
  multiArch: string | null;
  source: { name: string; version: string | null } | null;
  /** The third word of `Status:` (`installed`, `config-files`, …); `installed` when absent. */
  state: string;
  /** Live conffiles (those marked `obsolete` or `remove-on-upgrade` left out). */
  conffiles: string[];
  /** 1-based line of the stanza. */
  line: number;
}

/** States in which the package's files are on disk (dpkg(1) "package states"). */
const STATES_WITH_FILES = new Set(['installed', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

export function hasFilesOnDisk(entry: DpkgEntry): boolean {
  return STATES_WITH_FILES.has(entry.state);
}

export function parseDpkgStatus(text: string, label: string): { entries: DpkgEntry[]; diagnostics: string[] } {
  const { stanzas, diagnostics } = parseStanzas(text, label);
  const entries: DpkgEntry[] = [];
  for (const { fields, line } of stanzas) {
    const name = fields.get('package');
    const version = fields.get('version');
    if (!name) {
      diagnostics.push(`${label}: the stanza at line ${line} has no Package field`);
      continue;
    }
    const state = fields.get('status')?.split(/\s+/)[2] ?? 'installed';
    if (!version && STATES_WITH_FILES.has(state)) {
      diagnostics.push(`${label}: package ${name} (line ${line}) has no Version field`);
      continue;
    }
    entries.push({
      name,
      version: version ?? '',
      architecture: fields.get('architecture') || null,
      multiArch: fields.get('multi-arch') || null,
      source: parseSource(fields.get('source')),
      state,
      conffiles: parseConffiles(fields.get('conffiles')),
      line,
    });
  }
  return { entries, diagnostics };
}

/** `gcc-12 (12.2.0-14)` → { name: 'gcc-12', version: '12.2.0-14' }; `glibc` → { name, version: null }. */
export function parseSource(value: string | undefined): DpkgEntry['source'] {
  if (!value) return null;
  const match = /^(\S+)(?:\s+\(([^)]*)\))?/.exec(value.trim());
  if (!match) return null;
  return { name: match[1]!, version: match[2]?.trim() || null };
}

function parseConffiles(value: string | undefined): string[] {
  if (!value) return [];
  const files: string[] = [];
  for (const line of value.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (!words[0]?.startsWith('/')) continue;
    if (words[2] === 'obsolete' || words[2] === 'remove-on-upgrade') continue;
    files.push(words[0]);
  }
  return files;
}
