import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ROBOTS_TXT_MAX_BYTES } from '@heoga/core';
import { blockedAddressRange } from './address-guard.js';
import { ReaderError } from './errors.js';

/** What is being fetched: each kind has its own size limit, body handling and cache rule. */
export type FetchKind = 'robots-txt' | 'tdmrep' | 'ai-txt' | 'resource' | 'rsl' | 'tdm-policy';

/** A resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to its addresses (the default uses `node:dns`, as the operating system does). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** An HTTP response as the reader keeps it. */
export interface FetchResponse {
  /** The URL asked for. */
  readonly url: string;
  /** The URL that answered, after redirects. */
  readonly finalUrl: string;
  readonly status: number;
  /** Response header lines by lowercased name, repeated lines kept apart. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The body as UTF-8 text; empty when it was not read (a non-HTML resource). */
  readonly body: string;
  /** True when the body was cut at the kind's limit (robots.txt and ai.txt: RFC 9309 §2.5; HTML: the head suffices). */
  readonly truncated: boolean;
  /** RFC 3339 time the response arrived. */
  readonly fetchedAt: string;
  /** Each redirect target followed, in order. */
  readonly redirects: readonly string[];
  /** The IP address that was connected to (the one the guard checked). */
  readonly address: string;
  /** True when the answer came from the cache. */
  readonly fromCache: boolean;
}

/** Options of {@link fetch}: what is fetched. */
export interface FetchRequest {
  readonly kind: FetchKind;
}

/** The fetcher seam: anything that answers like {@link Fetcher.fetch} can stand in (a recording proxy, an archive). */
export interface SignalFetcher {
  fetch(url: string, request: FetchRequest): Promise<FetchResponse>;
}

/** Settings of {@link Fetcher}. */
export interface FetcherOptions {
  /**
   * Permit loopback, private, link-local… addresses (tests against their own servers; never in production). A
   * function decides per resolved address and host name (a test can admit one name and refuse the rest).
   */
  readonly allowPrivate?: boolean | ((address: string, hostname: string) => boolean);
  /** Host name resolution; default `dns.lookup(host, { all: true })`. */
  readonly resolve?: Resolver;
  /** The `User-Agent` request header. */
  readonly userAgent?: string;
  /** Requests in flight at once per origin: 1 or 2 (default 2). */
  readonly maxConcurrentPerOrigin?: 1 | 2;
  /** Least time between the starts of two requests to one origin, in ms (default 100). */
  readonly delayMs?: number;
  /** Requests in flight at once over all origins (default 256). */
  readonly maxConcurrent?: number;
  /** Time allowed for one request, connection to last body byte, in ms (default 10,000). */
  readonly timeoutMs?: number;
  /** Redirects followed, each re-checked (default and most 5, RFC 9309 §2.3.1.2). */
  readonly maxRedirects?: number;
  /** Body limits by kind, in bytes. */
  readonly maxBytes?: Partial<Record<FetchKind, number>>;
  /** Cache lifetime without `Cache-Control: max-age`, in ms (default 1 h). */
  readonly defaultTtlMs?: number;
  /** The longest any answer is cached, in ms (default 24 h, robots.txt's ceiling, RFC 9309 §2.4). */
  readonly maxTtlMs?: number;
  /** How long a failure (5xx, network error) is remembered, in ms (default 60 s). */
  readonly errorTtlMs?: number;
  /** The clock for the cache and `fetchedAt`, in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

/** Per-origin figures: what the politeness limits let through. */
export interface OriginStats {
  readonly requests: number;
  /** The most requests in flight at once to this origin. */
  readonly maxInFlight: number;
  /** The shortest time seen between the starts of two requests to this origin, in ms (Infinity with one request). */
  readonly minGapMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Default body limits: RFC 9309's 500 KiB for robots.txt (and ai.txt, which borrows its grammar). */
export const DEFAULT_MAX_BYTES: Readonly<Record<FetchKind, number>> = {
  'robots-txt': ROBOTS_TXT_MAX_BYTES,
  'ai-txt': ROBOTS_TXT_MAX_BYTES,
  tdmrep: 1024 * 1024,
  rsl: 1024 * 1024,
  'tdm-policy': 256 * 1024,
  // Only the head of an HTML page is read; 1 MiB holds any real head.
  resource: 1024 * 1024,
};

/** Kinds whose excess is ignored rather than refused: RFC 9309 §2.5 says to parse up to the limit. */
const TRUNCATES: ReadonlySet<FetchKind> = new Set<FetchKind>(['robots-txt', 'ai-txt', 'resource']);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface CacheEntry {
  readonly expires: number;
  /** The answer as served from the cache (`fromCache: true`), made once rather than copied on every hit. */
  readonly value: FetchResponse | ReaderError;
}

/** Request options as the agents see them: the address the guard checked travels with the request. */
interface CheckedRequestOptions extends https.RequestOptions {
  readonly checkedAddress: string;
}

/**
 * Keep-alive pools are keyed by host name, port, TLS settings (Node's own key) AND the address the guard checked: a
 * socket opened to one checked address is never handed to a request for another host or another address, even when
 * the same name later resolves elsewhere.
 */
function checkedName(name: string, options: unknown): string {
  const address = (options as Partial<CheckedRequestOptions> | undefined)?.checkedAddress;
  if (address === undefined) throw new Error('a request reached the reader agent without a checked address');
  return `${name}|${address}`;
}

class CheckedHttpAgent extends http.Agent {
  override getName(options?: http.ClientRequestArgs): string {
    return checkedName(super.getName(options), options);
  }
}

class CheckedHttpsAgent extends https.Agent {
  override getName(options?: https.RequestOptions): string {
    return checkedName(super.getName(options), options);
  }
}

/** Request headers per kind: the same values every time, so one object each, not one per request. */
function headersFor(userAgent: string): Readonly<Record<FetchKind, http.OutgoingHttpHeaders>> {
  const make = (kind: FetchKind) => ({
    'user-agent': userAgent,
    accept: acceptFor(kind),
    'accept-encoding': 'identity',
  });
  return {
    'robots-txt': make('robots-txt'),
    'ai-txt': make('ai-txt'),
    tdmrep: make('tdmrep'),
    rsl: make('rsl'),
    'tdm-policy': make('tdm-policy'),
    resource: make('resource'),
  };
}

/** Most distinct URL spellings remembered for the cache's fast path (a bound on memory, not on correctness). */
const SPELLINGS_MAX = 65_536;

interface OriginState {
  active: number;
  lastStart: number;
  waiters: (() => void)[];
  timer: ReturnType<typeof setTimeout> | undefined;
  requests: number;
  maxInFlight: number;
  minGapMs: number;
  cache: Map<string, CacheEntry>;
}

/** What a URL as given parses to, remembered so that a cache hit costs no URL parsing. */
interface Spelling {
  readonly target: URL;
  readonly state: OriginState;
  /** The normalised URL: the cache key is `kind href`, so two spellings of one URL share an entry. */
  readonly href: string;
}

const defaultResolve: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** The cache lifetime a `Cache-Control` header asks for, in ms; `undefined` when it says nothing. */
export function cacheControlTtl(values: readonly string[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  const directives = values
    .join(',')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache' || d === 'private')) return 0;
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m?.[1]) return Number(m[1]) * 1000;
  }
  return undefined;
}

/**
 * The reader's HTTP client: per-origin cache, politeness (at most 1–2 requests in flight per origin, a delay
 * between starts), timeouts, body limits, at most 5 redirects each re-checked, and an SSRF guard that resolves the
 * host, refuses loopback, private, link-local, CGNAT, metadata and other special addresses (unless `allowPrivate`),
 * and connects to the very address it checked, so a second DNS answer cannot rebind the connection.
 *
 * Caching: robots.txt answers (2xx and 4xx) are kept 24 h (RFC 9309 §2.4); other answers as `Cache-Control:
 * max-age` says (no-store/no-cache: not kept), 1 h without it, never beyond 24 h; failures (5xx, network errors)
 * for a minute. Identical requests in flight share one fetch.
 *
 * @example
 * ```ts
 * const fetcher = new Fetcher({ userAgent: 'heoga-reader', delayMs: 250 });
 * const robots = await fetcher.fetch('https://example.com/robots.txt', { kind: 'robots-txt' });
 * robots.status // 200
 * ```
 */
export class Fetcher implements SignalFetcher {
  private readonly origins = new Map<string, OriginState>();
  private readonly inFlight = new Map<string, Promise<FetchResponse>>();
  private readonly options: FetcherOptions;
  private readonly perOrigin: number;
  private readonly delayMs: number;
  private readonly resolve: Resolver;
  private readonly now: () => number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly headers: Readonly<Record<FetchKind, http.OutgoingHttpHeaders>>;
  private readonly spellings = new Map<string, Spelling>();
  private readonly lookups = new Map<string, LookupFunction>();
  private globalActive = 0;
  private readonly globalWaiters: (() => void)[] = [];

  constructor(options: FetcherOptions = {}) {
    this.options = options;
    const perOrigin = options.maxConcurrentPerOrigin ?? 2;
    if (perOrigin !== 1 && perOrigin !== 2) throw new RangeError('maxConcurrentPerOrigin must be 1 or 2');
    this.perOrigin = perOrigin;
    this.delayMs = Math.max(0, options.delayMs ?? 100);
    this.resolve = options.resolve ?? defaultResolve;
    this.now = options.now ?? Date.now;
    // Keep-alive sockets stay tied to the host name and the address they were opened to, which the guard checked
    // (see CheckedHttpAgent); at most `perOrigin` of them per host and address, as politeness allows no more.
    this.httpAgent = new CheckedHttpAgent({ keepAlive: true, maxSockets: perOrigin });
    this.httpsAgent = new CheckedHttpsAgent({ keepAlive: true, maxSockets: perOrigin });
    this.headers = headersFor(options.userAgent ?? 'heoga-reader');
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const state of this.origins.values()) if (state.timer) clearTimeout(state.timer);
  }

  /** Politeness figures per origin (`scheme://host:port`). */
  stats(): ReadonlyMap<string, OriginStats> {
    const out = new Map<string, OriginStats>();
    for (const [origin, s] of this.origins) {
      out.set(origin, { requests: s.requests, maxInFlight: s.maxInFlight, minGapMs: s.minGapMs });
    }
    return out;
  }

  /**
   * Fetches `url` (GET) for `request.kind`, from the cache when a fresh answer is there.
   *
   * @throws {ReaderError} with a stable code: `URL_INVALID`, `SCHEME_UNSUPPORTED`, `DNS_FAILED`, `ADDRESS_BLOCKED`,
   * `TIMEOUT`, `BODY_TOO_LARGE`, `TOO_MANY_REDIRECTS`, `NETWORK_ERROR`.
   */
  async fetch(url: string, request: FetchRequest): Promise<FetchResponse> {
    const { target, state, href } = this.spelling(url);
    const key = `${request.kind} ${href}`;
    const cached = state.cache.get(key);
    if (cached && cached.expires > this.now()) {
      if (cached.value instanceof ReaderError) throw cached.value;
      return cached.value;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = this.fetchFresh(target, request.kind).then(
      (response) => {
        const ttl = this.ttlFor(request.kind, response);
        if (ttl > 0) state.cache.set(key, { expires: this.now() + ttl, value: { ...response, fromCache: true } });
        return response;
      },
      (error: unknown) => {
        const failure =
          error instanceof ReaderError
            ? error
            : new ReaderError('NETWORK_ERROR', String(error), { url: target.href, cause: error });
        const ttl = this.options.errorTtlMs ?? 60_000;
        if (ttl > 0) state.cache.set(key, { expires: this.now() + ttl, value: failure });
        throw failure;
      },
    );
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Parses `url` once per spelling (the cache's hot path asks again for the same few URLs of each origin). */
  private spelling(url: string): Spelling {
    let found = this.spellings.get(url);
    if (found === undefined) {
      const target = parseHttpUrl(url);
      found = { target, state: this.origin(target.origin), href: target.href };
      // A bounded memo, emptied when full (a spelling is parsed again if it comes back); deleting the oldest entry
      // one at a time would make V8 step over the deleted ones on every insertion.
      if (this.spellings.size >= SPELLINGS_MAX) this.spellings.clear();
      this.spellings.set(url, found);
    }
    return found;
  }

  private ttlFor(kind: FetchKind, response: FetchResponse): number {
    const cap = this.options.maxTtlMs ?? DAY_MS;
    if (response.status >= 500 || response.status === 429) return this.options.errorTtlMs ?? 60_000;
    // RFC 9309 §2.4: a robots.txt may be used for up to 24 hours.
    if (kind === 'robots-txt') return Math.min(DAY_MS, cap);
    const asked = cacheControlTtl(response.headers['cache-control']);
    return Math.min(asked ?? this.options.defaultTtlMs ?? 60 * 60 * 1000, cap);
  }

  private origin(origin: string): OriginState {
    let state = this.origins.get(origin);
    if (!state) {
      state = {
        active: 0,
        lastStart: -Infinity,
        waiters: [],
        timer: undefined,
        requests: 0,
        maxInFlight: 0,
        minGapMs: Infinity,
        cache: new Map(),
      };
      this.origins.set(origin, state);
    }
    return state;
  }

  private pump(state: OriginState): void {
    if (state.timer !== undefined || state.active >= this.perOrigin || state.waiters.length === 0) return;
    const now = performance.now();
    const wait = state.lastStart + this.delayMs - now;
    if (wait > 0) {
      state.timer = setTimeout(() => {
        state.timer = undefined;
        this.pump(state);
      }, Math.ceil(wait));
      return;
    }
    if (state.requests > 0) state.minGapMs = Math.min(state.minGapMs, now - state.lastStart);
    state.lastStart = now;
    state.active++;
    state.requests++;
    state.maxInFlight = Math.max(state.maxInFlight, state.active);
    state.waiters.shift()?.();
    this.pump(state);
  }

  /**
   * Waits for a slot at `origin` (politeness), then for a global slot; returns the release function. The origin
   * comes first so that a request waiting out an origin's delay does not hold one of the global slots.
   */
  private async acquire(origin: string): Promise<() => void> {
    const state = this.origin(origin);
    await new Promise<void>((resolve) => {
      state.waiters.push(resolve);
      this.pump(state);
    });
    const limit = this.options.maxConcurrent ?? 256;
    if (this.globalActive >= limit) await new Promise<void>((resolve) => this.globalWaiters.push(resolve));
    this.globalActive++;
    return () => {
      state.active--;
      this.pump(state);
      this.globalActive--;
      this.globalWaiters.shift()?.();
    };
  }

  private async checkedAddress(url: URL): Promise<ResolvedAddress> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await this.resolve(host);
    } catch (error) {
      throw new ReaderError('DNS_FAILED', `${host} did not resolve`, { url: url.href, cause: error });
    }
    const first = addresses[0];
    if (!first) throw new ReaderError('DNS_FAILED', `${host} has no address`, { url: url.href });
    const allow = this.options.allowPrivate ?? false;
    if (allow !== true) {
      // Every address must be public: a name that also points inside could be steered there later.
      for (const a of addresses) {
        const why = blockedAddressRange(a.address);
        if (why && !(typeof allow === 'function' && allow(a.address, host))) {
          throw new ReaderError('ADDRESS_BLOCKED', `${host} resolves to ${a.address} (${why}); not fetched`, {
            url: url.href,
          });
        }
      }
    }
    return first;
  }

  private async fetchFresh(start: URL, kind: FetchKind): Promise<FetchResponse> {
    const maxRedirects = Math.min(this.options.maxRedirects ?? 5, 5);
    const redirects: string[] = [];
    let current = start;
    for (;;) {
      const address = await this.checkedAddress(current);
      const release = await this.acquire(current.origin);
      let hop: Hop;
      try {
        hop = await this.requestOnce(current, address, kind);
      } finally {
        release();
      }
      const location = hop.headers['location']?.[0];
      if (REDIRECTS.has(hop.status) && location !== undefined) {
        if (redirects.length >= maxRedirects) {
          throw new ReaderError('TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects from ${start.href}`, {
            url: start.href,
          });
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch (error) {
          throw new ReaderError('URL_INVALID', `bad redirect target ${JSON.stringify(location)}`, {
            url: current.href,
            cause: error,
          });
        }
        // Each hop is checked again: scheme here, address in the next round.
        current = parseHttpUrl(next.href);
        redirects.push(current.href);
        continue;
      }
      return {
        url: start.href,
        finalUrl: current.href,
        status: hop.status,
        headers: hop.headers,
        body: hop.body,
        truncated: hop.truncated,
        fetchedAt: new Date(this.now()).toISOString(),
        redirects,
        address: address.address,
        fromCache: false,
      };
    }
  }

  /** Connects to the address that was checked: no second lookup can rebind the host. One function per address. */
  private lookupFor(address: ResolvedAddress): LookupFunction {
    const key = `${address.family} ${address.address}`;
    let lookup = this.lookups.get(key);
    if (lookup === undefined) {
      lookup = (_hostname, options, callback) => {
        if (options.all) callback(null, [{ address: address.address, family: address.family }]);
        else callback(null, address.address, address.family);
      };
      if (this.lookups.size >= SPELLINGS_MAX) this.lookups.clear();
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  private requestOnce(url: URL, address: ResolvedAddress, kind: FetchKind): Promise<Hop> {
    const limit = this.options.maxBytes?.[kind] ?? DEFAULT_MAX_BYTES[kind];
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const secure = url.protocol === 'https:';
    const lookup = this.lookupFor(address);
    return new Promise<Hop>((resolve, reject) => {
      let settled = false;
      const finish = (error: ReaderError | undefined, hop?: Hop): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else if (hop) resolve(hop);
      };
      const options: CheckedRequestOptions = {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: this.headers[kind],
        lookup,
        // Read by the agents' getName: the pool key carries the checked address.
        checkedAddress: address.address,
        agent: secure ? this.httpsAgent : this.httpAgent,
      };
      const req = (secure ? https : http).request(options, (res) => {
        const status = res.statusCode ?? 0;
        const headers: Record<string, readonly string[]> = {};
        for (const [name, values] of Object.entries(res.headersDistinct)) if (values) headers[name] = values;
        const type = (headers['content-type']?.[0] ?? '').toLowerCase();
        const wantBody =
          !REDIRECTS.has(status) &&
          (kind !== 'resource' || type.includes('html')) &&
          !(kind === 'robots-txt' && status >= 400);
        if (!wantBody) {
          // Headers are all we need; the body (an image, a video) is not downloaded.
          res.destroy();
          finish(undefined, { status, headers, body: '', truncated: false });
          return;
        }
        const declared = Number(headers['content-length']?.[0] ?? NaN);
        if (!TRUNCATES.has(kind) && Number.isFinite(declared) && declared > limit) {
          res.destroy();
          finish(
            new ReaderError('BODY_TOO_LARGE', `${url.href} declares ${declared} bytes; the limit is ${limit}`, {
              url: url.href,
            }),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (size + chunk.length > limit) {
            if (TRUNCATES.has(kind)) {
              chunks.push(chunk.subarray(0, limit - size));
              size = limit;
              res.destroy();
              finish(undefined, { status, headers, body: decode(chunks), truncated: true });
            } else {
              res.destroy();
              finish(new ReaderError('BODY_TOO_LARGE', `${url.href} is larger than ${limit} bytes`, { url: url.href }));
            }
            return;
          }
          size += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, { status, headers, body: decode(chunks), truncated: false }));
        res.on('error', (error) =>
          finish(new ReaderError('NETWORK_ERROR', `${url.href}: ${error.message}`, { url: url.href, cause: error })),
        );
      });
      const timer = setTimeout(() => {
        finish(new ReaderError('TIMEOUT', `${url.href} took longer than ${timeoutMs} ms`, { url: url.href }));
        req.destroy();
      }, timeoutMs);
      req.on('error', (error) =>
        finish(new ReaderError('NETWORK_ERROR', `${url.href}: ${error.message}`, { url: url.href, cause: error })),
      );
      req.end();
    });
  }
}

interface Hop {
  readonly status: number;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
  readonly truncated: boolean;
}

const UTF8 = new TextDecoder('utf-8');

function decode(chunks: readonly Buffer[]): string {
  // A cut in the middle of a character becomes U+FFFD, which parsers read as text. One decoder serves every call:
  // a non-streaming decode keeps no state between calls.
  const [only] = chunks;
  return UTF8.decode(chunks.length === 1 && only ? only : Buffer.concat(chunks));
}

function acceptFor(kind: FetchKind): string {
  switch (kind) {
    case 'robots-txt':
    case 'ai-txt':
      return 'text/plain, */*;q=0.5';
    case 'tdmrep':
    case 'tdm-policy':
      return 'application/json, application/ld+json, */*;q=0.5';
    case 'rsl':
      return 'application/rsl+xml, application/xml, text/xml, */*;q=0.5';
    case 'resource':
      return 'text/html, application/xhtml+xml, */*;q=0.8';
  }
}

/**
 * Parses an absolute http(s) URL.
 *
 * @throws {ReaderError} `URL_INVALID` or `SCHEME_UNSUPPORTED`.
 */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new ReaderError('URL_INVALID', `not a URL: ${JSON.stringify(text.slice(0, 200))}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ReaderError('SCHEME_UNSUPPORTED', `only http and https are read, not ${url.protocol}`, { url: url.href });
  }
  url.hash = '';
  return url;
}
