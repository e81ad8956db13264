/**
 * A session with one registry: picks https (plain http only for loopback hosts or with
 * --tls-verify=false, when the server does not speak TLS), answers `WWW-Authenticate`
 * challenges (bearer tokens from the realm, or basic auth), follows redirects (dropping
 * credentials when the origin changes) and retries resets, 429 and 5xx with back-off,
 * honouring `Retry-After`. Credentials and tokens never appear in a message.
 */
import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../../shared/errors.js';
import { parseChallenges, type Challenge } from './challenge.js';
import type { RegistryAccess } from '../../image/index.js';
import { findCredentials, type Credentials } from './credentials.js';
import { discardBody, HttpAgents, isPlainHttpAnswer, isTransientNetworkError, readBody, type HttpResponse } from './http.js';
import { isLoopbackHost } from './reference.js';
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import { loadTlsSettings } from './tls.js';

export type RegistryOptions = RegistryAccess;

export interface ApiRequest {
  method: string;
  /** `/v2/…` on the registry, or an absolute URL the registry gave (an upload location). */
  path: string;
  headers?: Record<string, string>;
  /** Made anew for each attempt. */
  body?: () => Uint8Array | Readable;
  /** Token scopes, e.g. `repository:library/alpine:pull`. */
  scopes: string[];
  /**
   * A GET of a large body (a blob): read through one reused buffer (HttpAgents.bulkGet), so each
   * body chunk is valid only until the next is asked for.
   */
  bulk?: boolean;
}

const MAX_REDIRECTS = 5;
const TOKEN_LIMIT = 1024 * 1024;

export class RegistryClient {
  private readonly agents: HttpAgents;
  readonly retry: RetryPolicy;
  private readonly plainHttpAllowed: boolean;
  private scheme: 'https:' | 'http:' | null = null;
  private credentials: Credentials | null | undefined;
  private readonly tokens = new Map<string, string>();
  private basic: string | null = null;

  constructor(
    /** The registry as named in references (credential lookups, messages). */
    readonly registry: string,
    /** The host[:port] serving the API. */
    readonly apiHost: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.agents = new HttpAgents(loadTlsSettings(registry, options));
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.plainHttpAllowed = isLoopbackHost(apiHost) || options.tlsVerify === false;
  }

  close(): void {
    this.agents.close();
  }

  /** Sends an API request; any status comes back except a refused authentication (InputError). */
  async request(request: ApiRequest): Promise<HttpResponse> {
    let challenged = false;
    for (;;) {
      const response = await this.sendRetrying(request, true);
      if (response.status !== 401) return response;
      const challenges = parseChallenges(response.headers['www-authenticate']);
      await discardBody(response);
      if (challenged) {
        // RFC 6750 `error="invalid_token"`: the token service issued a token the registry does not trust.
        const distrusted = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.error === 'invalid_token');
        throw this.refused(distrusted?.params.realm);
      }
      challenged = true;
      await this.authenticate(challenges, request.scopes);
    }
  }

  /** An InputError for an unexpected answer, with the registry's own error code and message. */
  async failure(response: HttpResponse, what: string): Promise<InputError> {
    let detail = '';
    try {
      const json = JSON.parse(Buffer.from(await readBody(response, 64 * 1024, what)).toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> };
      const first = json.errors?.[0];
      if (first) detail = `: ${[first.code, first.message].filter(Boolean).join(' ')}`;
    } catch {
      // No JSON error body: the status says it.
    }
    const code = response.status === 404 ? 'E_NOT_FOUND' : response.status === 403 ? 'E_DENIED' : 'E_REGISTRY';
    return new InputError(`${what}: the registry ${this.registry} answered ${response.status} ${response.body.statusMessage ?? ''}`.trimEnd() + detail, { code });
  }

  /** Refused credentials, or (given the realm) a token the registry does not trust. */
  private refused(tokenRealm?: string): InputError {
    if (tokenRealm !== undefined) {
      return new InputError(`${this.registry}: authentication failed: the registry refused the token that ${realmOrigin(tokenRealm)} issued (check the token service's issuer, service name and signing certificate)`, { code: 'E_AUTH' });
    }
    const origin = this.credentials ? ` from ${this.credentials.origin}` : ' (no credentials were found; give --creds USER:PASS or log in)';
    return new InputError(`${this.registry}: authentication failed: the registry refused the credentials${origin}`, { code: 'E_AUTH' });
  }

  private lookupCredentials(): Credentials | null {
    if (this.credentials === undefined) this.credentials = findCredentials(this.registry, this.options);
    return this.credentials;
  }

  private async authenticate(challenges: Challenge[], scopes: string[]): Promise<void> {
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    if (bearer) {
      this.tokens.set(scopes.join(' '), await this.fetchToken(bearer, scopes));
      return;
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic')) {
      const credentials = this.lookupCredentials();
      if (!credentials) throw this.refused();
      this.basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      return;
    }
    throw new InputError(`${this.registry}: the registry asks for an authentication scheme imgslim does not speak`, { code: 'E_AUTH' });
  }

  /** A bearer token from the challenge's realm (RFC 6750 / the distribution token spec). */
  private async fetchToken(challenge: Challenge, scopes: string[]): Promise<string> {
    const realm = challenge.params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new InputError(`${this.registry}: the registry's token realm is not a URL`, { code: 'E_AUTH' });
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (isLoopbackHost(url.host) || this.options.tlsVerify === false))) {
      throw new InputError(`${this.registry}: the token realm ${url.origin} is plain HTTP; imgslim sends credentials over plain HTTP only to loopback hosts or with --tls-verify=false`, { code: 'E_AUTH' });
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const credentials = this.lookupCredentials();
    const headers: Record<string, string> = {};
    if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const response = await this.sendRetrying({ method: 'GET', path: url.href, headers, scopes }, false);
    if (response.status === 401 || response.status === 403) {
      await discardBody(response);
      throw this.refused();
    }
    if (response.status !== 200) throw await this.failure(response, `${this.registry}: token from ${url.origin}`);
    let token: unknown;
    try {
      const json = JSON.parse(Buffer.from(await readBody(response, TOKEN_LIMIT, `${this.registry}: token`)).toString('utf8')) as Record<string, unknown>;
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') throw new InputError(`${this.registry}: the token service ${url.origin} answered without a token`, { code: 'E_AUTH' });
    return `Bearer ${token}`;
  }

  private authorizationFor(scopes: string[]): string | undefined {
    return this.tokens.get(scopes.join(' ')) ?? this.basic ?? undefined;
  }

  /** Sends with retries on resets, 429 and 5xx; redirects followed. */
  private async sendRetrying(request: ApiRequest, authorize: boolean): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= this.retry.attempts;
      let response: HttpResponse;
      try {
        response = await this.sendFollowing(request, authorize);
      } catch (error) {
        if (error instanceof InputError || error instanceof UsageError || last || !isTransientNetworkError(error)) throw describeNetworkFailure(this.apiHost, error);
        await sleep(backoffMs(this.retry, attempt));
        continue;
      }
      if (!isRetryableStatus(response.status) || last) return response;
      const after = retryAfterMs(response.headers['retry-after']);
      if (after !== null && after > this.retry.maxRetryAfterMs) return response;
      await discardBody(response);
      await sleep(after ?? backoffMs(this.retry, attempt));
    }
  }

  /** An absolute URL for a location the registry gave (upload sessions answer relative ones). */
  resolveLocation(location: string): URL {
    return new URL(location, this.baseUrl(this.scheme ?? 'https:'));
  }

  private baseUrl(scheme: string): string {
    return `${scheme}//${this.apiHost}`;
  }

  private async sendFollowing(request: ApiRequest, authorize: boolean): Promise<HttpResponse> {
    const absolute = /^https?:\/\//.test(request.path);
    let url = absolute ? new URL(request.path) : new URL(request.path, this.baseUrl(this.scheme ?? 'https:'));
    const apiOrigin = () => new URL(this.baseUrl(this.scheme ?? 'https:')).origin;
    let method = request.method;
    let body = request.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...request.headers };
      const sameOrigin = url.origin === apiOrigin();
      if (authorize && sameOrigin) {
        const authorization = this.authorizationFor(request.scopes);
        if (authorization) headers.authorization = authorization;
      }
      if (!sameOrigin && !absolute) delete headers.authorization;
      let response: HttpResponse;
      try {
        response = request.bulk && method === 'GET' ? await this.agents.bulkGet({ url, headers }) : await this.agents.send({ method, url, headers, body: body?.() });
      } catch (error) {
        if (this.scheme === null && !absolute && url.protocol === 'https:' && isPlainHttpAnswer(error)) {
          if (!this.plainHttpAllowed) {
            throw new InputError(`${this.apiHost} answers in plain HTTP; imgslim speaks plain HTTP only to loopback registries or with --tls-verify=false`, { code: 'E_TLS' });
          }
          this.scheme = 'http:';
          url = new URL(request.path, this.baseUrl('http:'));
          hop--;
          continue;
        }
        throw error;
      }
      if (this.scheme === null && !absolute) this.scheme = url.protocol as 'https:' | 'http:';
      const location = response.headers.location;
      if (![301, 302, 303, 307, 308].includes(response.status) || !location || request.method === 'PUT' || request.method === 'PATCH' || request.method === 'POST') {
        return response;
      }
      await discardBody(response);
      if (hop + 1 >= MAX_REDIRECTS) throw new InputError(`${this.registry}: more than ${MAX_REDIRECTS} redirects`, { code: 'E_REDIRECT' });
      url = new URL(location, url);
      if (url.protocol === 'http:' && !this.plainHttpAllowed) throw new InputError(`${this.registry}: redirected to plain HTTP (${url.origin})`, { code: 'E_REDIRECT' });
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
      }
    }
  }
}

/** A network or TLS failure as one InputError line naming the host. */
export function describeNetworkFailure(host: string, error: unknown): unknown {
  if (error instanceof InputError || error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL') || /certificate/.test(message))) {
    return new InputError(`${host}: TLS: ${message} (give its CA with --cert-dir DIR, or --tls-verify=false)`, { code: 'E_TLS', cause: error });
  }
  return new InputError(`${host}: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, { code: 'E_NETWORK', cause: error });
}

/** The origin of a token realm, for messages (never its query). */
function realmOrigin(realm: string): string {
  try {
    return new URL(realm).origin;
  } catch {
    return 'the token service';
  }
}
