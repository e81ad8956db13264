/**
 * `slim --keep` and policy `paths:` read one glob dialect (src/shared/glob): braces work in both,
 * a malformed glob is a usage error before any layer is read, and a pattern whose stars make a
 * RegExp backtrack exponentially costs no time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { buildImage, writeFixture } from '../helpers/image-builder.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { testTmp } from '../helpers/tools.js';

const longName = `app/${'d'.repeat(40)}`;
const hostile = `/app/${'*d'.repeat(11)}*Q`;

/** Files named to test globs; /app/a is no program, so slim runs with --force (fail-closed is tested in test/slim). */
async function longNameImage(): Promise<string> {
  const dir = testTmp('cli-globs');
  mkdirSync(dir, { recursive: true });
  const image = path.join(dir, 'long-name.tar');
  const built = await buildImage({
    layers: [{ entries: [{ path: longName, content: 'x', mode: 0o4755 }, { path: 'app/a', content: 'a' }, { path: 'app/b', content: 'b' }] }],
    containerConfig: { Entrypoint: ['/app/a'] },
  });
  await writeFixture('docker-legacy', image, [built]);
  return image;
}

describe('one glob dialect for --keep and policy paths', () => {
  test('--keep takes braces, as policy paths do', async () => {
    const image = await longNameImage();
    const result = await runCliInProcess(['slim', image, '--dry-run', '--force', '-f', 'json', '-q', '--keep', '/app/{a,b}']);
    expect(result.stderr).toBe('');
    const kept = JSON.parse(result.stdout).slim.kept.map((file: { path: string }) => file.path);
    expect(kept).toEqual(expect.arrayContaining(['/app/a', '/app/b']));
    expect(kept).not.toContain(`/${longName}`);
  });

  test('a malformed --keep glob is exit 2 with one line, before the image is read', async () => {
    const result = await runCliInProcess(['slim', path.join(repoRoot, 'samples', 'does-not-exist.tar'), '--dry-run', '--keep', '/x/[']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("imgslim: --keep: unclosed '[' in path glob '/x/['\n");
  });

  test(`--keep '${hostile}' against a 40-character name ends at once`, async () => {
    const image = await longNameImage();
    const start = performance.now();
    const result = await runCliInProcess(['slim', image, '--dry-run', '--force', '-f', 'json', '-q', '--keep', hostile], {});
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).slim.risks.map((risk: { message: string }) => risk.message)).toContain(`--keep ${hostile}: nothing in the image matches it`);
  }, 30_000);

  test(`a policy scoped to paths: ['${hostile}'] ends at once`, async () => {
    const image = await longNameImage();
    const dir = testTmp('cli-globs');
    writeFileSync(path.join(dir, 'policy.yaml'), `rules:\n  no-setuid:\n    paths: ['${hostile}', '/app/{a,b}']\n`);
    const start = performance.now();
    const result = await runCliInProcess(['check', image, '--policy', 'policy.yaml', '-q'], { cwd: dir });
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(result.stderr).toBe('');
    // The setuid file is outside both globs, so the rule passes; unscoped, it fails.
    expect(result.code).toBe(0);
    writeFileSync(path.join(dir, 'policy.yaml'), `rules:\n  no-setuid:\n    paths: ['/app/*d*']\n`);
    expect((await runCliInProcess(['check', image, '--policy', 'policy.yaml', '-q'], { cwd: dir })).code).toBe(1);
  }, 30_000);
});
