/**
 * openImage: any supported image path (or `-` for stdin), with or without a skopeo transport
 * name (`oci:`, `oci-archive:`, `docker-archive:`), or a `docker://` registry reference → one
 * selected image, its manifest, config and layers as verified streams. Files are indexed once
 * and read by byte range; registry blobs are streamed.
 */
import { createReadStream } from 'node:fs';
import {
  formatPlatform,
  parsePlatform,
  platformMatches,
  platformMatchesIgnoringVariant,
  type OpenImageOptions,
  type Platform,
  type ResolvedImage,
  type SourceFormat,
} from '../image/index.js';
import { InputError, UsageError } from '../shared/errors.js';
import type { Container } from './container/types.js';
import { classifyPath, inspectHead, openContainer } from './detect.js';
import { openDockerArchive } from './docker/open-docker.js';
import { checkLayoutFile, openOciImage, readLayoutIndex } from './oci/open-oci.js';
import { readableBytes, spoolToTempFile } from './spool.js';
import { parseImageSource } from './transport.js';

/** Runs registered cleanups once, newest first; errors in one do not stop the others. */
class Cleanup {
  private readonly steps: Array<() => Promise<void>> = [];
  private done: Promise<void> | null = null;

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) await step().catch(() => undefined);
    })();
    return this.done;
  }
}

async function locate(path: string, options: OpenImageOptions, cleanup: Cleanup): Promise<{ filePath: string; isDirectory: boolean }> {
  if (path === '-') {
    const spool = await spoolToTempFile(readableBytes(options.stdin ?? process.stdin), 'stdin');
    cleanup.add(spool.remove);
    await inspectHead(spool.path, path, false);
    return { filePath: spool.path, isDirectory: false };
  }
  const kind = await classifyPath(path, path);
  if (kind.kind !== 'stream') return { filePath: path, isDirectory: kind.kind === 'directory' };
  const spool = await spoolToTempFile(readableBytes(createReadStream(path, { highWaterMark: 1024 * 1024 })), path);
  cleanup.add(spool.remove);
  await inspectHead(spool.path, path, false);
  return { filePath: spool.path, isDirectory: false };
}

async function resolve(container: Container, format: SourceFormat, options: OpenImageOptions, close: () => Promise<void>): Promise<ResolvedImage> {
  if (format === 'docker-archive') return openDockerArchive(container, options, close);
  await checkLayoutFile(container);
  const index = await readLayoutIndex(container);
  // An extracted Docker ≥ 25 save whose index.json lists nothing: manifest.json still describes it.
  if (index.manifests.length === 0 && (await container.has('manifest.json'))) return openDockerArchive(container, options, close);
  return openOciImage(container, index, options, format, close);
}

/** An explicit platform must be the selected image's (a single-platform image is not silently taken). */
function checkPlatform(image: ResolvedImage, wanted: Platform | null): void {
  if (!wanted) return;
  const matches = wanted.variant ? platformMatches(wanted, image.platform) : platformMatchesIgnoringVariant(wanted, image.platform);
  if (!matches) {
    throw new UsageError(`${image.path}: the selected image is ${formatPlatform(image.platform)}, not ${formatPlatform(wanted)}`, { code: 'E_PLATFORM' });
  }
}

const TRANSPORT_OF: Record<SourceFormat, string> = { 'oci-layout': 'oci', 'oci-archive': 'oci-archive', 'docker-archive': 'docker-archive', registry: 'docker' };

export async function openImage(argument: string, options: OpenImageOptions = {}): Promise<ResolvedImage> {
  const source = parseImageSource(argument);
  if (source.transport === 'docker') {
    // The registry client (node:http, node:https, node:tls) loads only when a registry is read.
    const { openRegistryImage } = await import('./registry/index.js');
    const image = await openRegistryImage(source.reference, argument, options);
    checkPlatform(image, options.platform ? parsePlatform(options.platform) : null);
    return image;
  }
  if (source.transport === 'path') return openFile(argument, null, options);
  if (source.selector !== null && options.selector !== undefined && options.selector !== source.selector) {
    throw new UsageError(`${argument}: names the image "${source.selector}" and --image names "${options.selector}"; give one`, { code: 'E_SELECTOR' });
  }
  const selector = source.selector ?? options.selector;
  return openFile(source.path, source.format, { ...options, ...(selector !== undefined ? { selector } : {}) });
}

/** A file or directory image; `expected` is the format its transport name promised. */
async function openFile(path: string, expected: SourceFormat | null, options: OpenImageOptions): Promise<ResolvedImage> {
  const wanted = options.platform ? parsePlatform(options.platform) : null;
  const cleanup = new Cleanup();
  try {
    const { filePath, isDirectory } = await locate(path, options, cleanup);
    const { container, format } = await openContainer(filePath, path, isDirectory);
    if (expected !== null && format !== expected) {
      throw new InputError(`${TRANSPORT_OF[expected]}:${path}: is ${format === 'oci-layout' ? 'an OCI layout' : `a ${format}`}, not ${expected === 'oci-layout' ? 'an OCI layout' : `a ${expected}`} (use ${TRANSPORT_OF[format]}: or the bare path)`, {
        code: 'E_FORMAT',
      });
    }
    cleanup.add(() => container.close());
    const image = await resolve(container, format, options, () => cleanup.run());
    checkPlatform(image, wanted);
    return image;
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}
