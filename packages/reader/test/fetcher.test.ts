import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, ReaderError, blockedAddressRange, readSignals, type Resolver } from '@heoga/reader';
import { startSite, type TestOrigin } from './site.js';

let site: Awaited<ReturnType<typeof startSite>>;
let o: TestOrigin;
let p: TestOrigin;

beforeAll(async () => {
  site = await startSite(2);
  [o, p] = site.origins as [TestOrigin, TestOrigin];
  o.routes.set('/page', { headers: { 'content-type': 'text/html' }, body: '<head></head>' });
  o.routes.set('/to-loopback', { status: 302, headers: { location: `${p.origin}/page` } });
  o.routes.set('/to-internal-name', { status: 301, headers: { location: `http://internal.test:${p.port}/page` } });
  p.routes.set('/page', { headers: { 'content-type': 'text/html' }, body: '<head></head>' });
});

afterAll(async () => {
  await site.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ReaderError);
    return (error as ReaderError).code;
  }
  return 'no error';
}

/** Maps test host names to 127.0.0.1 and counts lookups. */
function resolver(): { resolve: Resolver; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve: (hostname) => {
      calls.push(hostname);
      if (hostname.endsWith('.test') || hostname === '127.0.0.1') {
        return Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]);
      }
      return Promise.reject(new Error(`unknown host ${hostname}`));
    },
  };
}

describe('SSRF guard', () => {
  it('refuses special-purpose addresses, IPv6 and IPv4-mapped forms included', () => {
    const table: [string, string | undefined][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['172.32.0.1', undefined],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'metadata'],
      ['169.254.1.1', 'link-local'],
      ['100.64.0.1', 'cgnat'],
      ['100.100.100.200', 'metadata'],
      ['0.0.0.0', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['8.8.8.8', undefined],
      ['93.184.215.14', undefined],
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['[::ffff:10.0.0.1]', 'private'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['::127.0.0.1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['2002:7f00:1::1', 'loopback'],
      ['fc00::1', 'unique-local'],
      ['fd12:3456::1', 'unique-local'],
      ['fd00:ec2::254', 'metadata'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['2606:4700:4700::1111', undefined],
      ['::ffff:8.8.8.8', undefined],
      ['localhost', 'not-an-ip'],
    ];
    for (const [address, why] of table) expect([address, blockedAddressRange(address)]).toEqual([address, why]);
  });

  it('refuses loopback URLs without allowPrivate, in every spelling URLs allow', async () => {
    const fetcher = new Fetcher({ delayMs: 0 });
    for (const url of [
      `${o.origin}/page`,
      `http://[::1]:${o.port}/page`,
      `http://[::ffff:127.0.0.1]:${o.port}/page`,
      `http://2130706433:${o.port}/page`,
      `http://0x7f.1:${o.port}/page`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      expect([url, await codeOf(fetcher.fetch(url, { kind: 'resource' }))]).toEqual([url, 'ADDRESS_BLOCKED']);
    }
    expect(o.log.counts.get('/page') ?? 0).toBe(0);
    expect(await codeOf(fetcher.fetch('file:///etc/passwd', { kind: 'resource' }))).toBe('SCHEME_UNSUPPORTED');
    expect(await codeOf(fetcher.fetch('not a url', { kind: 'resource' }))).toBe('URL_INVALID');
    fetcher.close();
  });

  it('re-checks every redirect: a hop to 127.0.0.1 or to a name resolving inside is refused', async () => {
    const { resolve } = resolver();
    // Only public.test may reach the test server; everything else on loopback is refused, as in production.
    const fetcher = new Fetcher({ delayMs: 0, resolve, allowPrivate: (_address, host) => host === 'public.test' });
    const ok = await fetcher.fetch(`http://public.test:${o.port}/page`, { kind: 'resource' });
    expect(ok.status).toBe(200);
    const before = p.log.counts.get('/page') ?? 0;
    expect(await codeOf(fetcher.fetch(`http://public.test:${o.port}/to-loopback`, { kind: 'resource' }))).toBe(
      'ADDRESS_BLOCKED',
    );
    expect(await codeOf(fetcher.fetch(`http://public.test:${o.port}/to-internal-name`, { kind: 'resource' }))).toBe(
      'ADDRESS_BLOCKED',
    );
    expect(p.log.counts.get('/page') ?? 0).toBe(before);
    // readSignals gives no answer rather than one without the resource.
    expect(await codeOf(readSignals(`http://public.test:${o.port}/to-loopback`, { fetcher }))).toBe('ADDRESS_BLOCKED');
    fetcher.close();
  });

  it('resolves once per hop and connects to the address it checked (no second lookup)', async () => {
    const { resolve, calls } = resolver();
    const fetcher = new Fetcher({ delayMs: 0, resolve, allowPrivate: true });
    const r = await fetcher.fetch(`http://rebind.test:${o.port}/page`, { kind: 'resource' });
    expect(r.address).toBe('127.0.0.1');
    expect(calls).toEqual(['rebind.test']);
    expect(o.log.hosts.at(-1)).toBe(`rebind.test:${o.port}`);
    fetcher.close();
  });
});

describe('limits', () => {
  it('times out with TIMEOUT', async () => {
    o.routes.set('/slow', { delayMs: 2000, body: 'late' });
    const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0, timeoutMs: 100 });
    expect(await codeOf(fetcher.fetch(`${o.origin}/slow`, { kind: 'tdmrep' }))).toBe('TIMEOUT');
    fetcher.close();
  });

  it('refuses oversized bodies with BODY_TOO_LARGE (declared or streamed), and cuts robots.txt at 500 KiB', async () => {
    o.routes.set('/big.json', { body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
    const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0 });
    expect(await codeOf(fetcher.fetch(`${o.origin}/big.json`, { kind: 'tdmrep' }))).toBe('BODY_TOO_LARGE');
    const small = new Fetcher({ allowPrivate: true, delayMs: 0, maxBytes: { rsl: 1000 } });
    o.routes.set('/chunked.xml', { body: Buffer.alloc(5000, 0x41), headers: { 'transfer-encoding': 'chunked' } });
    expect(await codeOf(small.fetch(`${o.origin}/chunked.xml`, { kind: 'rsl' }))).toBe('BODY_TOO_LARGE');
    o.routes.set('/robots.txt', { body: `User-agent: *\nDisallow: /a\n${'# filler\n'.repeat(100_000)}` });
    const robots = await fetcher.fetch(`${o.origin}/robots.txt`, { kind: 'robots-txt' });
    expect(robots.truncated).toBe(true);
    expect(Buffer.byteLength(robots.body)).toBe(512_000);
    fetcher.close();
    small.close();
  });

  it('follows at most 5 redirects', async () => {
    for (let i = 0; i < 7; i++) o.routes.set(`/r${i}`, { status: 307, headers: { location: `/r${i + 1}` } });
    o.routes.set('/r7', { body: 'end' });
    o.routes.set('/s0', { status: 301, headers: { location: '/s1' } });
    o.routes.set('/s1', { body: 'ok' });
    const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0 });
    expect(await codeOf(fetcher.fetch(`${o.origin}/r0`, { kind: 'tdmrep' }))).toBe('TOO_MANY_REDIRECTS');
    expect(await codeOf(fetcher.fetch(`${o.origin}/r2`, { kind: 'tdmrep' }))).toBe('no error');
    const r = await fetcher.fetch(`${o.origin}/s0`, { kind: 'tdmrep' });
    expect(r).toMatchObject({ status: 200, body: 'ok', redirects: [`${o.origin}/s1`], finalUrl: `${o.origin}/s1` });
    fetcher.close();
  });
});

describe('cache and politeness, observed at the server', () => {
  it('honours Cache-Control: max-age, no-store, the default, and shares requests in flight', async () => {
    let clock = 0;
    const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0, now: () => clock });
    o.routes.set('/ma.json', { headers: { 'cache-control': 'public, max-age=60' }, body: '[]' });
    o.routes.set('/ns.json', { headers: { 'cache-control': 'no-store' }, body: '[]' });
    o.routes.set('/def.json', { body: '[]' });
    const count = (path: string) => o.log.counts.get(path) ?? 0;
    await Promise.all([1, 2, 3].map(() => fetcher.fetch(`${o.origin}/ma.json`, { kind: 'tdmrep' })));
    expect(count('/ma.json')).toBe(1);
    clock += 59_000;
    expect((await fetcher.fetch(`${o.origin}/ma.json`, { kind: 'tdmrep' })).fromCache).toBe(true);
    clock += 2_000;
    await fetcher.fetch(`${o.origin}/ma.json`, { kind: 'tdmrep' });
    expect(count('/ma.json')).toBe(2);
    await fetcher.fetch(`${o.origin}/ns.json`, { kind: 'tdmrep' });
    await fetcher.fetch(`${o.origin}/ns.json`, { kind: 'tdmrep' });
    expect(count('/ns.json')).toBe(2);
    await fetcher.fetch(`${o.origin}/def.json`, { kind: 'tdmrep' });
    clock += 59 * 60_000;
    await fetcher.fetch(`${o.origin}/def.json`, { kind: 'tdmrep' });
    expect(count('/def.json')).toBe(1);
    clock += 2 * 60_000;
    await fetcher.fetch(`${o.origin}/def.json`, { kind: 'tdmrep' });
    expect(count('/def.json')).toBe(2);
    fetcher.close();
  });

  it('never has more than the allowed requests in flight per origin, and spaces their starts', async () => {
    for (const perOrigin of [1, 2] as const) {
      o.log.maxInFlight = 0;
      p.log.maxInFlight = 0;
      for (let i = 0; i < 6; i++) {
        o.routes.set(`/c${i}`, { delayMs: 30, body: 'x' });
        p.routes.set(`/c${i}`, { delayMs: 30, body: 'x' });
      }
      const fetcher = new Fetcher({ allowPrivate: true, delayMs: 20, maxConcurrentPerOrigin: perOrigin });
      const startO = o.log.arrivals.length;
      await Promise.all(
        [0, 1, 2, 3, 4, 5].flatMap((i) => [
          fetcher.fetch(`${o.origin}/c${i}`, { kind: 'tdmrep' }),
          fetcher.fetch(`${p.origin}/c${i}`, { kind: 'tdmrep' }),
        ]),
      );
      expect(o.log.maxInFlight).toBeLessThanOrEqual(perOrigin);
      expect(p.log.maxInFlight).toBeLessThanOrEqual(perOrigin);
      const stats = fetcher.stats().get(o.origin);
      expect(stats?.maxInFlight).toBeLessThanOrEqual(perOrigin);
      expect(stats?.requests).toBe(6);
      // The delay is a lower bound on the gap between starts (timers never fire early); 2 ms for clock skew.
      expect(stats?.minGapMs).toBeGreaterThanOrEqual(18);
      const arrivals = o.log.arrivals.slice(startO);
      for (let i = 1; i < arrivals.length; i++)
        expect((arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0)).toBeGreaterThanOrEqual(15);
      fetcher.close();
    }
  });
});

describe('keep-alive sockets', () => {
  it('are keyed by host name and checked address: never reused for another host, nor after the name moves', async () => {
    // One server on every loopback address: it records, per request, the address the client connected to, and per
    // socket the Host headers it carried.
    const seen: { host: string; local: string; socket: Socket }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host ?? '', local: req.socket.localAddress ?? '', socket: req.socket });
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as AddressInfo).port;
    let movingCalls = 0;
    const fetcher = new Fetcher({
      delayMs: 0,
      allowPrivate: true,
      resolve: (hostname) => {
        // moving.test answers 127.0.0.1, then 127.0.0.2 (a rebinding name); the others stay on 127.0.0.1.
        const address = hostname === 'moving.test' && movingCalls++ > 0 ? '127.0.0.2' : '127.0.0.1';
        return Promise.resolve([{ address, family: 4 as const }]);
      },
    });
    try {
      for (const host of ['one.test', 'two.test', 'one.test', 'two.test']) {
        await fetcher.fetch(`http://${host}:${port}/f${seen.length}`, { kind: 'tdmrep' });
      }
      const first = await fetcher.fetch(`http://moving.test:${port}/m1`, { kind: 'tdmrep' });
      const second = await fetcher.fetch(`http://moving.test:${port}/m2`, { kind: 'tdmrep' });
      // Keep-alive works: each name's second request rode its first socket…
      expect(seen[2]?.socket).toBe(seen[0]?.socket);
      expect(seen[3]?.socket).toBe(seen[1]?.socket);
      // …and no socket carried two hosts.
      expect(seen[1]?.socket).not.toBe(seen[0]?.socket);
      // The rebinding name got a new connection to the newly checked address, as the response says.
      expect([first.address, second.address]).toEqual(['127.0.0.1', '127.0.0.2']);
      expect(seen.slice(4).map((r) => r.local)).toEqual(['127.0.0.1', '127.0.0.2']);
      expect(seen[5]?.socket).not.toBe(seen[4]?.socket);
    } finally {
      fetcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
