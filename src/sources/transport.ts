/**
 * What an IMAGE argument names, with skopeo's transport names: `docker://REF` (a registry),
 * `oci:DIR[:REF]`, `oci-archive:FILE[:REF]`, `docker-archive:FILE[:REF]`. Anything else is a
 * path whose format is detected from its content (`./oci:x` names a file called `oci:x`).
 */
import path from 'node:path';
import type { SourceFormat } from '../image/index.js';
import { UsageError } from '../shared/errors.js';

export type ImageSource =
  | { transport: 'path'; path: string }
  | { transport: 'file'; format: SourceFormat; path: string; selector: string | null }
  | { transport: 'docker'; reference: string };

const FILE_TRANSPORTS: Record<string, SourceFormat> = { oci: 'oci-layout', 'oci-archive': 'oci-archive', 'docker-archive': 'docker-archive' };

export const REGISTRY_PREFIX = 'docker://';

export function isRegistryArgument(text: string): boolean {
  return text.startsWith(REGISTRY_PREFIX);
}

export function parseImageSource(text: string): ImageSource {
  if (isRegistryArgument(text)) {
    const reference = text.slice(REGISTRY_PREFIX.length);
    if (reference === '') throw new UsageError(`${text}: a docker:// reference names an image: docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]`, { code: 'E_REFERENCE' });
    return { transport: 'docker', reference };
  }
  const colon = text.indexOf(':');
  const format = colon > 0 ? FILE_TRANSPORTS[text.slice(0, colon)] : undefined;
  if (format === undefined) return { transport: 'path', path: text };
  const rest = text.slice(colon + 1);
  // As in skopeo, the path ends at the first colon; what follows names the image inside.
  const split = rest.indexOf(':');
  const file = split < 0 ? rest : rest.slice(0, split);
  const selector = split < 0 ? null : rest.slice(split + 1);
  if (file === '') throw new UsageError(`${text}: ${text.slice(0, colon)}: needs a path (${text.slice(0, colon)}:PATH[:REF])`, { code: 'E_REFERENCE' });
  return { transport: 'file', format, path: file, selector: selector === '' ? null : selector };
}

/** The argument with any file path in it made absolute against `cwd` (`-` and docker:// as given). */
export function resolveImageArgument(text: string, cwd: string): string {
  if (text === '-') return text;
  const source = parseImageSource(text);
  if (source.transport === 'docker') return text;
  if (source.transport === 'path') return path.resolve(cwd, text);
  const prefix = text.slice(0, text.indexOf(':'));
  return `${prefix}:${path.resolve(cwd, source.path)}${source.selector === null ? '' : `:${source.selector}`}`;
}
