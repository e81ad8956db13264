/**
 * `slim`'s plain text is the result of the slim, not the source's analysis: before → after,
 * risks, output, the slimmed entrypoint and the kept files. A dry run marks its compressed
 * size as an estimate; a real run's is the size of the layer blob it wrote.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/peer-corpus.js';
import { scratch } from '../slim/_support.js';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

describe('imgslim slim: text output', () => {
  test('before → after, risks, output and kept files; none of the analysis sections', async () => {
    const dir = scratch('cli/slim-text');
    const text = await runCliInProcess(['slim', sample('glibc-apps.tar'), '-o', 'out.tar', '-q'], { cwd: dir });
    expect(text.code).toBe(0);
    const out = text.stdout;
    for (const heading of ['Slim: before → after', 'Slimmed entrypoint', 'Kept (']) expect(out).toContain(heading);
    for (const heading of ['Binaries (', 'Findings', 'Layers (', 'Filesystem', 'hardening:']) expect(out).not.toContain(heading);
    expect(out).toMatch(/^ {2}output {7}out\.tar \(oci-archive, sha256:[0-9a-f]{12}\)$/m);
    expect(out).toMatch(/✓ can start: \/app\/bin\/greet, dynamic, needs glibc ≥ 2\.34 .* image provides glibc 2\.36 /);
    expect(out).not.toContain('≈');
    expect(out).toContain("The source's full analysis: imgslim analyze IMAGE");
    const analysis = await runCliInProcess(['analyze', sample('glibc-apps.tar'), '-q'], { cwd: dir });
    expect(out.split('\n').length).toBeLessThan(analysis.stdout.split('\n').length);
    // The compressed size after is the layer blob actually written.
    const json = await runCliInProcess(['slim', sample('glibc-apps.tar'), '-o', 'out2.tar', '-q', '-f', 'json'], { cwd: dir });
    const report = JSON.parse(json.stdout);
    expect(report.slim.compressedSizeEstimated).toBe(false);
    const index = JSON.parse(execFileSync('tar', ['-xOf', path.join(dir, 'out2.tar'), 'index.json'], { encoding: 'utf8' }));
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', path.join(dir, 'out2.tar'), `blobs/sha256/${index.manifests[0].digest.slice(7)}`], { encoding: 'utf8' }));
    expect(report.slim.after.compressedSize).toBe(manifest.layers[0].size);
  });

  test('a dry run marks the compressed size as an estimate, in text and JSON', async () => {
    const dir = scratch('cli/slim-dry-text');
    const text = await runCliInProcess(['slim', sample('glibc-apps.tar'), '--dry-run', '-q'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}compressed +[\d.]+ KiB → ≈ [\d.]+ KiB /m);
    expect(text.stdout).toContain("≈ estimate: a dry run compresses nothing; the source's compression ratio is applied");
    expect(text.stdout).toMatch(/^ {2}output {7}none \(dry run\)$/m);
    const json = await runCliInProcess(['slim', sample('glibc-apps.tar'), '--dry-run', '-q', '-f', 'json'], { cwd: dir });
    expect(JSON.parse(json.stdout).slim.compressedSizeEstimated).toBe(true);
  });
});
