/**
 * Whether the tools a test cross-checks against are here. Off CI a missing tool skips its tests
 * with a one-line notice; with IMGSLIM_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool throws, so
 * a CI run that could not cross-check fails instead of looking green.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const toolsRequired = process.env.IMGSLIM_REQUIRE_TOOLS === '1';

const found = new Map<string, boolean>();

/** Reports a missing prerequisite: a notice off CI, an error under IMGSLIM_REQUIRE_TOOLS=1. */
export function missingPrerequisite(what: string, skipping: string): void {
  if (toolsRequired) throw new Error(`[imgslim tests] ${what}, which CI requires (IMGSLIM_REQUIRE_TOOLS=1)`);
  console.warn(`[imgslim tests] ${what}: skipping ${skipping}`);
}

/** Whether the command `name` is on PATH. */
export function hasTool(name: string, skipping = 'the tests that need it'): boolean {
  let present = found.get(name);
  if (present === undefined) {
    present = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' }).status === 0;
    found.set(name, present);
    if (!present) missingPrerequisite(`${name} is not installed`, skipping);
  }
  return present;
}

/** Whether this process runs as root (chroot, unshare and mount tests need it). */
export function isRoot(skipping = 'the tests that need root'): boolean {
  const root = process.getuid?.() === 0;
  if (!root) missingPrerequisite('not root', skipping);
  return root;
}

/**
 * A scratch path under the system temporary directory ($TMPDIR, else /tmp), so that test runs
 * from different checkouts never share fixed paths.
 */
export function testTmp(...parts: string[]): string {
  return path.join(tmpdir(), 'imgslim-tests', ...parts);
}
