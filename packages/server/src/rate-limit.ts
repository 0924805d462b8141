import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';

/** A route's own limit (`config: { rateLimit }`), replacing the global one; `false` exempts the route. */
export interface RateLimitRule {
  /** Requests allowed per window: a number, or one per request (e.g. more for authenticated callers). */
  readonly max: number | ((request: FastifyRequest) => number);
  /** The window's length in milliseconds. */
  readonly timeWindowMs: number;
  /** Whose budget a request spends (an API key, an account, an address). */
  readonly keyGenerator: (request: FastifyRequest) => string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own rate limit, or `false` for none; absent: the global limit. */
    rateLimit?: RateLimitRule | false;
  }
}

/** What a request over its limit is answered with: the error thrown from the hook (the error handler words it). */
export interface RateLimitExceeded {
  readonly max: number;
  /** Milliseconds until the window ends. */
  readonly ttl: number;
  /** The same, in words: "59 seconds", "1 minute". */
  readonly after: string;
}

/** What `registerRateLimit` needs. */
export interface RateLimitOptions extends RateLimitRule {
  /** The error to answer a request over its limit with. */
  readonly errorResponseBuilder: (request: FastifyRequest, context: RateLimitExceeded) => Error;
  /** How many keys each limiter remembers (per route with its own rule, and for the global rule). */
  readonly cache?: number;
}

interface Window {
  count: number;
  readonly startMs: number;
}

/**
 * Fixed windows per key: a key's window opens at its first request and lasts `timeWindowMs`; its requests are
 * counted in it. At most `capacity` keys are kept: beyond that the key whose window opened first (the one nearest
 * to its end) is forgotten, so that memory stays bounded when many addresses call.
 *
 * @example
 * ```ts
 * const windows = new FixedWindows(5000);
 * const { count, ttl } = windows.hit('ip:192.0.2.1', 60_000, Date.now());
 * ```
 */
export class FixedWindows {
  // Insertion order is window-opening order: a new window is always inserted afresh (see `hit`).
  private readonly windows = new Map<string, Window>();

  constructor(private readonly capacity: number) {}

  /** Counts one request for `key`: its count in the current window and the milliseconds left in it. */
  hit(key: string, timeWindowMs: number, nowMs: number): { count: number; ttl: number } {
    let window = this.windows.get(key);
    if (window === undefined || window.startMs + timeWindowMs <= nowMs) {
      if (window !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.capacity) this.evictOne();
      window = { count: 0, startMs: nowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, ttl: window.startMs + timeWindowMs - nowMs };
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.windows.size;
  }

  private evictOne(): void {
    for (const key of this.windows.keys()) {
      this.windows.delete(key);
      return;
    }
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in words, rounded: "1 minute", "59 seconds" (the wording the 429 detail has always used). */
export function formatDuration(ms: number): string {
  const unit = (value: number, name: string) => {
    const n = Math.round(value);
    return `${n} ${name}${n === 1 ? '' : 's'}`;
  };
  if (ms < SECOND) return `${ms} ms`;
  if (ms < MINUTE) return unit(ms / SECOND, 'second');
  if (ms < HOUR) return unit(ms / MINUTE, 'minute');
  if (ms < DAY) return unit(ms / HOUR, 'hour');
  return unit(ms / DAY, 'day');
}

/**
 * Rate limits every route registered after this call, in memory, synchronously (no promise per request): each
 * route counts in the `onRequest` phase, after authentication (a global hook, so `request.actor` is known), against
 * the global rule or its own `config.rateLimit`. Every counted answer carries `x-ratelimit-limit`,
 * `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds); a request over the limit gets `retry-after` too and
 * the error made by `errorResponseBuilder`. Counts are per process (as with the in-memory store it replaces).
 *
 * @example
 * ```ts
 * registerRateLimit(app, {
 *   max: 600,
 *   timeWindowMs: 60_000,
 *   keyGenerator: (request) => `ip:${request.ip}`,
 *   errorResponseBuilder: (_request, { after }) => new Error(`slow down for ${after}`),
 * });
 * ```
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): void {
  const capacity = options.cache ?? 5000;
  const global = new FixedWindows(capacity);
  app.addHook('onRoute', (route) => {
    const own = route.config?.rateLimit;
    if (own === false) return;
    const hook = limiterHook(own ?? options, own === undefined ? global : new FixedWindows(capacity), options);
    const existing = route.onRequest;
    route.onRequest =
      existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
  });
}

function limiterHook(rule: RateLimitRule, windows: FixedWindows, options: RateLimitOptions): onRequestHookHandler {
  const { timeWindowMs, keyGenerator } = rule;
  const maxOf = rule.max;
  return (request, reply, done) => {
    const max = typeof maxOf === 'number' ? maxOf : maxOf(request);
    const { count, ttl } = windows.hit(keyGenerator(request), timeWindowMs, Date.now());
    const resetSeconds = Math.ceil(ttl / 1000);
    void reply.header('x-ratelimit-limit', max);
    if (count <= max) {
      void reply.header('x-ratelimit-remaining', max - count);
      void reply.header('x-ratelimit-reset', resetSeconds);
      done();
      return;
    }
    void reply.header('x-ratelimit-remaining', 0);
    void reply.header('x-ratelimit-reset', resetSeconds);
    void reply.header('retry-after', resetSeconds);
    done(options.errorResponseBuilder(request, { max, ttl, after: formatDuration(resetSeconds * 1000) }));
  };
}
