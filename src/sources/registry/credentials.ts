/**
 * Credentials for a registry, looked up as skopeo does: --creds USER[:PASS], then the auth file
 * (REGISTRY_AUTH_FILE, else ${XDG_RUNTIME_DIR}/containers/auth.json), then ~/.docker/config.json;
 * in each file `credHelpers` for the registry, then `auths`, then `credsStore`, the helpers run as
 * `docker-credential-NAME get`. Secrets are held here and never put in a message.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError, UsageError } from '../../shared/errors.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages (`--creds`, a file path, a helper name). */
  origin: string;
}

export interface CredentialOptions {
  /** --creds USER[:PASS]. */
  creds?: string;
  env?: NodeJS.ProcessEnv;
  /** Home directory for ~/.docker/config.json (default: the user's). */
  home?: string;
}

export function parseCreds(text: string): Credentials {
  const colon = text.indexOf(':');
  const username = colon < 0 ? text : text.slice(0, colon);
  if (username === '') throw new UsageError('--creds: expected USER[:PASS] with a user name', { code: 'E_CREDS' });
  return { username, password: colon < 0 ? '' : text.slice(colon + 1), origin: '--creds' };
}

function authFiles(options: CredentialOptions): string[] {
  const env = options.env ?? process.env;
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  else if (env.XDG_RUNTIME_DIR) files.push(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  const dockerConfig = env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, 'config.json') : path.join(options.home ?? homedir(), '.docker', 'config.json');
  files.push(dockerConfig);
  return files;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

function readAuthFile(file: string): AuthFile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const json = JSON.parse(text) as unknown;
    return json !== null && typeof json === 'object' ? (json as AuthFile) : null;
  } catch {
    throw new UsageError(`${file}: not valid JSON`, { code: 'E_AUTH_FILE' });
  }
}

/** The names a registry may be stored under: `host`, `https://host`, `https://host/v1/`, Docker Hub's aliases. */
function keyMatches(key: string, registry: string): boolean {
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (host === registry) return true;
  const hub = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];
  return hub.includes(registry) && hub.includes(host);
}

function fromEntry(entry: { auth?: string; username?: string; password?: string }, origin: string): Credentials | null {
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), origin };
  }
  if (entry.username) return { username: entry.username, password: entry.password ?? '', origin };
  return null;
}

function fromHelper(helper: string, registry: string): Credentials | null {
  const program = `docker-credential-${helper}`;
  const serverUrls = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'docker.io'] : [registry, `https://${registry}`];
  for (const serverUrl of serverUrls) {
    const result = spawnSync(program, ['get'], { input: serverUrl, encoding: 'utf8', timeout: 30_000 });
    if (result.error) throw new InputError(`${registry}: the credential helper ${program} could not run (${(result.error as NodeJS.ErrnoException).code ?? 'error'})`, { code: 'E_CRED_HELPER' });
    if (result.status !== 0) continue; // "credentials not found in native keychain"
    try {
      const json = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
      if (json.Username && json.Secret !== undefined) return { username: json.Username, password: json.Secret, origin: program };
    } catch {
      throw new InputError(`${registry}: the credential helper ${program} answered something other than JSON`, { code: 'E_CRED_HELPER' });
    }
  }
  return null;
}

/** Credentials for `registry`, or null for anonymous access. */
export function findCredentials(registry: string, options: CredentialOptions): Credentials | null {
  if (options.creds !== undefined) return parseCreds(options.creds);
  for (const file of authFiles(options)) {
    const config = readAuthFile(file);
    if (!config) continue;
    const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => keyMatches(key, registry))?.[1];
    if (helper) {
      const found = fromHelper(helper, registry);
      if (found) return found;
    }
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
      if (!keyMatches(key, registry) || !entry || typeof entry !== 'object') continue;
      const found = fromEntry(entry, file);
      if (found) return found;
    }
    if (config.credsStore) {
      const found = fromHelper(config.credsStore, registry);
      if (found) return found;
    }
  }
  return null;
}
