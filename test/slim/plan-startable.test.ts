/**
 * Fail closed: when static analysis says the slimmed entrypoint cannot start (a missing program,
 * interpreter or library, or wrong libc), slim refuses with exit 1 and writes nothing unless
 * --force. The run user's HOME is kept empty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExitCode, RefusedError } from '../../src/shared/errors.js';
import { slimAnalysis } from '../../src/slim/index.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { baseLayer, canBuildC, compileC, programEntry } from './_host-images.js';
import { layer, planHarness, reasonsOf } from './_plan.js';
import { scratch } from './_support.js';

const plan = planHarness('startable');

describe.skipIf(!canBuildC)('fail closed', () => {
  test('a library missing from the image: problems named, slim refuses (exit 1, nothing written) unless force', async () => {
    const dir = scratch('plan/startable-build');
    mkdirSync(dir, { recursive: true });
    const lib = path.join(dir, 'libgreet.so');
    execFileSync('gcc', ['-O2', '-fPIC', '-shared', '-Wl,-soname,libgreet.so', '-o', lib, path.join(repoRoot, 'native', 'libgreet.c')]);
    const greet = path.join(dir, 'greet');
    execFileSync('gcc', ['-O2', '-o', greet, path.join(repoRoot, 'native', 'greet.c'), `-L${dir}`, '-lgreet']);
    const { plan: p, analysis } = await plan({
      layers: [layer(baseLayer({ tmp: true })), layer([programEntry('app/greet', greet)])],
      containerConfig: { Entrypoint: ['/app/greet'], Cmd: null },
    });
    expect(p.startProblems).toContain('/app/greet: libgreet.so (NEEDED by /app/greet) is not in the image');
    const out = path.join(dir, 'out');
    mkdirSync(out, { recursive: true });
    const refused = await slimAnalysis(analysis, { output: { path: path.join(out, 'slim.tar') } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RefusedError);
    expect((refused as RefusedError).exitCode).toBe(ExitCode.slimRefused);
    expect((refused as Error).message).toMatch(/^slim: refused, the slimmed entrypoint could not start: .*libgreet\.so.*nothing was written/);
    expect(readdirSync(out)).toEqual([]);
    const forced = await slimAnalysis(analysis, { force: true, output: { path: path.join(out, 'slim.tar') } });
    expect(forced.output).not.toBeNull();
    expect(existsSync(path.join(out, 'slim.tar'))).toBe(true);
  });

  test('a startable entrypoint has no problems; the User\'s HOME is kept empty with its mode', async () => {
    const { plan: p } = await plan({
      layers: [
        layer(baseLayer({ tmp: true })),
        layer([programEntry('app/hello', compileC('hello')), { path: 'app', type: 'dir', mode: 0o750 }, { path: 'app/cache/x', content: 'x' }]),
      ],
      containerConfig: { Entrypoint: ['/app/hello'], Cmd: null, User: 'app' },
    });
    expect(p.startProblems).toEqual([]);
    expect(reasonsOf(p, '/app')).toContain('HOME of the run user app (from /etc/passwd): kept empty, with its mode and owner');
    expect(p.kept.has('/app/cache/x')).toBe(false);
  });
});
