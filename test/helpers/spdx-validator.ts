/**
 * The SPDX 2.3 validator: test/fixtures/spdx-validator/main.go, built (once per source version)
 * against the SPDX project's tools-golang 0.5.5 as Debian trixie packages it. .ci/run downloads
 * and unpacks those packages into tmp/spdx-tools-golang (or set IMGSLIM_SPDX_TOOLS_GOLANG to the
 * directory they were unpacked into); without them the tests that validate skip off CI and fail
 * under IMGSLIM_REQUIRE_TOOLS=1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './peer-corpus.js';
import { hasTool, missingPrerequisite, testTmp } from './tools.js';

const SOURCE = path.join(repoRoot, 'test', 'fixtures', 'spdx-validator', 'main.go');
const unpacked = process.env.IMGSLIM_SPDX_TOOLS_GOLANG ?? path.join(repoRoot, 'tmp', 'spdx-tools-golang', 'root');
/** GOPATH of the unpacked Debian packages (their Go source lives under src/). */
export const toolsGolangGopath = path.join(unpacked, 'usr', 'share', 'gocode');
export const toolsGolangSource = path.join(toolsGolangGopath, 'src', 'github.com', 'spdx', 'tools-golang');

let built: string | null | undefined;

/** Path of the built validator, or null (after the missing-prerequisite notice) when it cannot be built. */
export function spdxValidator(): string | null {
  if (built !== undefined) return built;
  built = null;
  if (!hasTool('go', 'the SPDX validation tests')) return null;
  if (!existsSync(path.join(toolsGolangSource, 'spdxlib'))) {
    missingPrerequisite(`tools-golang's Go source is not unpacked under ${unpacked} (run the trixie fetch of .ci/run)`, 'the SPDX validation tests');
    return null;
  }
  const version = createHash('sha256').update(readFileSync(SOURCE)).update(toolsGolangSource).digest('hex').slice(0, 16);
  const dir = testTmp('spdx-validator', version);
  const binary = path.join(dir, 'spdx-validator');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    // GOPATH mode: the packages' source is the whole dependency set; nothing is fetched.
    execFileSync('go', ['build', '-o', binary, SOURCE], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GO111MODULE: 'off', GOPATH: toolsGolangGopath, GOCACHE: path.join(dir, 'gocache'), GOPROXY: 'off', GOFLAGS: '' },
      stdio: 'pipe',
    });
  }
  built = binary;
  return built;
}

/** The validator's error lines for `document` (empty when it is valid SPDX 2.3). */
export function spdxErrors(validator: string, document: unknown): string[] {
  const file = path.join(path.dirname(validator), `document-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
  const result = spawnSync(validator, [file], { encoding: 'utf8' });
  rmSync(file, { force: true });
  if (result.status === 0) return [];
  if (result.status !== 1) throw new Error(`spdx-validator exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim().split('\n');
}
