/** Format detection from content: what is an image, what is not, and what the message says. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExitCode, InputError } from '../../src/shared/errors.js';
import { openImage } from '../../src/sources/index.js';
import { looksLikeTar } from '../../src/sources/detect.js';
import { buildImage, dockerArchiveFiles, fileMapTar, tarOf, writeFileMapDir, writeFixture, type BuiltImage } from '../helpers/image-builder.js';
import { expectConformingImage } from './conformance.js';
import { testTmp } from '../helpers/tools.js';

let scratch: string;
let built: BuiltImage;

beforeAll(async () => {
  mkdirSync(testTmp('sources'), { recursive: true });
  scratch = mkdtempSync(testTmp('sources', 'detect-'));
  process.env.TMPDIR = join(scratch, 'tmp');
  mkdirSync(process.env.TMPDIR);
  built = await buildImage({ layers: [{ entries: [{ path: 'hello', content: 'hello' }] }] });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function inputError(path: string, options = {}): Promise<string> {
  const error = await openImage(path, options).then(
    async (image) => {
      await image.close();
      throw new Error('expected an InputError');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(ExitCode.input);
  expect((error as Error).message).not.toContain('\n');
  return (error as Error).message;
}

describe('not an image', () => {
  test('a missing path, an empty file, random bytes, an empty directory, a bzip2 file', async () => {
    expect(await inputError(join(scratch, 'absent'))).toBe(`${join(scratch, 'absent')}: no such file or directory`);
    writeFileSync(join(scratch, 'empty'), '');
    expect(await inputError(join(scratch, 'empty'))).toBe(`not a container image: ${join(scratch, 'empty')} is empty`);
    writeFileSync(join(scratch, 'random'), Buffer.alloc(4096, 'not a tar at all '));
    expect(await inputError(join(scratch, 'random'))).toMatch(/is neither a tar archive nor an OCI image layout directory$/);
    mkdirSync(join(scratch, 'empty-dir'));
    expect(await inputError(join(scratch, 'empty-dir'))).toMatch(/is an empty directory$/);
    writeFileSync(join(scratch, 'image.tar.bz2'), Buffer.from('BZh91AY&SY'));
    expect(await inputError(join(scratch, 'image.tar.bz2'))).toMatch(/is bzip2-compressed; decompress it first/);
  });

  test('a tar or directory without image metadata names what it found', async () => {
    writeFileSync(join(scratch, 'files.tar'), await tarOf(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ header: { name, size: 1 }, body: Buffer.from('x') }))));
    expect(await inputError(join(scratch, 'files.tar'))).toMatch(/is a tar archive without manifest\.json or oci-layout \+ index\.json \(found: a, b, c, d, e, … \(6 entries\)\)/);
    mkdirSync(join(scratch, 'dir'));
    writeFileSync(join(scratch, 'dir', 'index.json'), '{}');
    expect(await inputError(join(scratch, 'dir'))).toMatch(/is a directory without .* \(found: index\.json\)/);
  });

  test('stdin that is not an image leaves no spool file behind', async () => {
    expect(await inputError('-', { stdin: Readable.from([Buffer.from('garbage, not an image')]) })).toMatch(/^not a container image: - is neither/);
    expect(readdirSync(process.env.TMPDIR!)).toEqual([]);
  });
});

describe('file extensions are never trusted', () => {
  test('an OCI archive named .json, and a docker save named .tar.gz (but not compressed), are recognised by content', async () => {
    await writeFixture('oci-archive', join(scratch, 'image.json'), [built]);
    const oci = await openImage(join(scratch, 'image.json'));
    expect(oci.format).toBe('oci-archive');
    await oci.close();
    await writeFixture('docker-legacy', join(scratch, 'image.tar.gz'), [built]);
    const docker = await openImage(join(scratch, 'image.tar.gz'));
    expect(docker.format).toBe('docker-archive');
    await docker.close();
  });
});

describe('directories and pipes', () => {
  test('an extracted docker save directory reads as docker-archive', async () => {
    const dir = join(scratch, 'extracted-legacy');
    writeFileMapDir(dir, dockerArchiveFiles([built], { style: 'legacy', tags: [['x:1']] }));
    const image = await openImage(dir);
    expect(image.format).toBe('docker-archive');
    await expectConformingImage(image, built);
    await image.close();
  });

  test('an extracted Docker 25 save whose index.json lists nothing falls back to manifest.json', async () => {
    const dir = join(scratch, 'extracted-25');
    writeFileMapDir(dir, dockerArchiveFiles([built], { style: 'docker25', nullIndex: true }));
    const image = await openImage(dir);
    expect(image.format).toBe('docker-archive');
    expect(image.manifestDigest).toBe(built.manifestDigest);
    await image.close();
  });

  test('a named pipe is spooled like stdin', async () => {
    const fifo = join(scratch, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const archive = await fileMapTar(dockerArchiveFiles([built], { style: 'docker25' }));
    const writer = spawn('sh', ['-c', `cat > "${fifo}"`], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => writer.on('close', resolve));
    writer.stdin.end(archive);
    const image = await openImage(fifo);
    expect(image.format).toBe('docker-archive');
    await expectConformingImage(image, built);
    await image.close();
    await exited;
    expect(readdirSync(process.env.TMPDIR!)).toEqual([]);
  });
});

describe('looksLikeTar', () => {
  test('accepts a valid header and the zero block, rejects a bad checksum and short input', async () => {
    const tar = await tarOf([{ header: { name: 'a', size: 0 } }]);
    expect(looksLikeTar(tar.subarray(0, 512))).toBe(true);
    expect(looksLikeTar(new Uint8Array(512))).toBe(true);
    const bad = Buffer.from(tar.subarray(0, 512));
    bad[0] = 0x41;
    expect(looksLikeTar(bad)).toBe(false);
    expect(looksLikeTar(tar.subarray(0, 100))).toBe(false);
  });
});
