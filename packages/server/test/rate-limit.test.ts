import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import { FixedWindows, formatDuration, registerRateLimit } from '../src/rate-limit.js';
import { call, expectProblem, makeAccount, openTestApp, type TestAccount } from './harness.js';

describe('FixedWindows', () => {
  it('counts a key’s requests in a window that opens at its first request, then starts again', () => {
    const windows = new FixedWindows(10);
    expect(windows.hit('a', 60_000, 1_000)).toEqual({ count: 1, ttl: 60_000 });
    expect(windows.hit('a', 60_000, 31_000)).toEqual({ count: 2, ttl: 30_000 });
    expect(windows.hit('b', 60_000, 31_000)).toEqual({ count: 1, ttl: 60_000 });
    expect(windows.hit('a', 60_000, 60_999)).toEqual({ count: 3, ttl: 1 });
    expect(windows.hit('a', 60_000, 61_000)).toEqual({ count: 1, ttl: 60_000 });
  });

  it('keeps at most its capacity of keys, forgetting the window that opened first', () => {
    const windows = new FixedWindows(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) windows.hit(key, 60_000, i);
    windows.hit('a', 60_000, 10);
    windows.hit('d', 60_000, 11);
    expect(windows.size).toBe(3);
    // 'a' opened first: forgotten, so it starts a new window; 'b' is still counted.
    expect(windows.hit('b', 60_000, 12).count).toBe(2);
    expect(windows.hit('a', 60_000, 13).count).toBe(1);
    expect(windows.size).toBe(3);
  });
});

describe('formatDuration', () => {
  it('words durations as the 429 detail always has', () => {
    expect(formatDuration(60_000)).toBe('1 minute');
    expect(formatDuration(59_000)).toBe('59 seconds');
    expect(formatDuration(1_000)).toBe('1 second');
    expect(formatDuration(90_000)).toBe('2 minutes');
    expect(formatDuration(500)).toBe('500 ms');
    expect(formatDuration(2 * 60 * 60 * 1000)).toBe('2 hours');
  });
});

/** The same limits with @fastify/rate-limit and with registerRateLimit, answering the same requests. */
async function limitedApps(): Promise<[FastifyInstance, FastifyInstance]> {
  const rule = {
    max: (request: { headers: Record<string, unknown> }) => (request.headers['x-user'] ? 4 : 2),
    keyGenerator: (request: { headers: Record<string, unknown>; ip: string }) =>
      typeof request.headers['x-user'] === 'string' ? `user:${request.headers['x-user']}` : `ip:${request.ip}`,
  };
  const errorResponseBuilder = (_request: unknown, context: { max: number; after: string }) =>
    Object.assign(new Error(`limit of ${context.max} requests per ${context.after} reached`), { statusCode: 429 });
  const routes = (app: FastifyInstance, own: object) => {
    app.get('/a', () => ({ ok: true }));
    app.post('/b', () => ({ ok: true }));
    app.post('/own', { config: { rateLimit: own as never } }, () => ({ ok: true }));
    app.get('/free', { config: { rateLimit: false } }, () => ({ ok: true }));
  };
  const plugin = Fastify();
  await plugin.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: '1 minute',
    ...rule,
    errorResponseBuilder,
  });
  routes(plugin, { max: 3, timeWindow: '1 minute', keyGenerator: (req: { ip: string }) => `own:${req.ip}` });
  const ours = Fastify();
  registerRateLimit(ours, { timeWindowMs: 60_000, ...rule, errorResponseBuilder });
  routes(ours, { max: 3, timeWindowMs: 60_000, keyGenerator: (req: { ip: string }) => `own:${req.ip}` });
  await Promise.all([plugin.ready(), ours.ready()]);
  return [plugin, ours];
}

describe('registerRateLimit', () => {
  it('answers a sequence of requests with the statuses and headers of @fastify/rate-limit', async () => {
    const [plugin, ours] = await limitedApps();
    const requests = [
      ...Array.from({ length: 4 }, () => ({ method: 'GET' as const, url: '/a' })),
      ...Array.from({ length: 3 }, () => ({ method: 'HEAD' as const, url: '/a', remoteAddress: '198.51.100.1' })),
      ...Array.from({ length: 6 }, () => ({ method: 'POST' as const, url: '/b', headers: { 'x-user': 'u1' } })),
      ...Array.from({ length: 5 }, () => ({ method: 'POST' as const, url: '/own' })),
      ...Array.from({ length: 5 }, () => ({ method: 'GET' as const, url: '/free' })),
      { method: 'GET' as const, url: '/a', headers: { 'x-user': 'u1' } },
    ];
    const pick = (r: { statusCode: number; headers: Record<string, unknown> }) => ({
      status: r.statusCode,
      limit: r.headers['x-ratelimit-limit'],
      remaining: r.headers['x-ratelimit-remaining'],
      reset: r.headers['x-ratelimit-reset'],
      retryAfter: r.headers['retry-after'],
    });
    const seen: ReturnType<typeof pick>[][] = [[], []];
    for (const request of requests) {
      seen[0]!.push(pick(await plugin.inject(request)));
      seen[1]!.push(pick(await ours.inject(request)));
    }
    expect(seen[1]).toEqual(seen[0]);
    // GET /a: 2 over; HEAD /a (its own address): 1; /b as u1: 2; /own: 2; /free: none; u1's global budget spent: 1.
    expect(seen[1]!.filter((s) => s.status === 429)).toHaveLength(2 + 1 + 2 + 2 + 1);
    await Promise.all([plugin.close(), ours.close()]);
  });
});

describeEachEngine('server: rate-limit headers', (get) => {
  let app: FastifyInstance;
  let developer: TestAccount;
  beforeAll(async () => {
    const { registry } = get();
    app = await openTestApp(registry, { rateLimitAnonymousPerMinute: 2, rateLimitPerMinute: 5 });
    developer = await makeAccount(registry, 'headers@example.com', 'developer');
  });
  afterAll(async () => {
    await app.close();
  });

  it('tells every caller its limit, what is left and when the window ends; the 429 says it in words', async () => {
    const remoteAddress = '192.0.2.44';
    const first = await app.inject({ method: 'GET', url: '/healthz', remoteAddress });
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': '60',
    });
    await app.inject({ method: 'GET', url: '/healthz', remoteAddress });
    const limited = await app.inject({
      method: 'GET',
      url: '/healthz',
      remoteAddress,
      headers: { 'x-request-id': 'rl-1' },
    });
    const body = expectProblem(limited, 'RATE_LIMITED');
    expect(body.detail).toMatch(
      /^limit of 2 requests per \d+ seconds? reached$|^limit of 2 requests per 1 minute reached$/,
    );
    expect(body.requestId).toBe('rl-1');
    expect(limited.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-request-id': 'rl-1',
    });
    expect(Number(limited.headers['retry-after'])).toBe(Number(limited.headers['x-ratelimit-reset']));

    // An API key has its own, larger budget, counted per key.
    const keyed = await call(app, { method: 'GET', url: '/v1/me', as: { key: developer.key }, remoteAddress });
    expect(keyed.statusCode).toBe(200);
    expect(keyed.headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
    // Sign-in has its own rule.
    const signIn = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      remoteAddress,
      payload: { email: 'headers@example.com', password: 'wrong password 123' },
    });
    expect(signIn.headers).toMatchObject({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '9' });
  });
});
