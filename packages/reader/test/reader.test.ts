import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '@heoga/core';
import { Fetcher, SignalReader, readSignals, type SignalReport } from '@heoga/reader';
import { closedPort, startSite, type TestOrigin } from './site.js';

let site: Awaited<ReturnType<typeof startSite>>;
let a: TestOrigin;
let b: TestOrigin;
let c: TestOrigin;

const rsl = `<rsl xmlns="https://rslstandard.org/rsl" max-age="7">
  <content url="/*">
    <license>
      <permits type="usage">search</permits>
      <prohibits type="usage">ai-all</prohibits>
    </license>
    <license>
      <permits type="usage">ai-train</permits>
      <payment type="training">
        <custom>https://clearing.example/buy/artist-42</custom>
        <amount currency="EUR">250.00</amount>
      </payment>
    </license>
  </content>
</rsl>`;

beforeAll(async () => {
  site = await startSite(3);
  [a, b, c] = site.origins as [TestOrigin, TestOrigin, TestOrigin];
  a.routes.set('/robots.txt', {
    headers: { 'content-type': 'text/plain' },
    body: [
      '# Content Signals Policy …',
      'User-agent: *',
      'Content-Signal: search=yes, ai-input=no, ai-train=no',
      'Content-Usage: train-ai=n, search=y',
      'Allow: /',
      `License: ${b.origin}/license.xml`,
      '',
      'User-agent: GPTBot',
      'Disallow: /',
      '',
    ].join('\n'),
  });
  a.routes.set('/.well-known/tdmrep.json', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { location: '/free/', 'tdm-reservation': 0 },
      { location: '/', 'tdm-reservation': 1, 'tdm-policy': 'https://clearing.example/policies/42.json' },
    ]),
  });
  a.routes.set('/ai.txt', { body: '# Spawning AI\nUser-Agent: *\nDisallow: *.jpg\n' });
  a.routes.set('/article', {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-usage': 'train-ai=n',
      'x-robots-tag': ['noai', 'googlebot: noindex'],
      link: `<${b.origin}/license.xml>; rel="license"; type="application/rsl+xml"`,
    },
    body: `<!doctype html><html><head><meta name="robots" content="noai, noimageai">
      <meta name="tdm-reservation" content="1"><link rel="license" type="application/rsl+xml" href="${b.origin}/license.xml">
      </head><body>Hello</body></html>`,
  });
  a.routes.set('/free/cat.jpg', { headers: { 'content-type': 'image/jpeg' }, body: Buffer.alloc(5000, 1) });
  b.routes.set('/license.xml', { headers: { 'content-type': 'application/rsl+xml' }, body: rsl });
  b.routes.set('/robots.txt', { status: 404 });
});

afterAll(async () => {
  await site.close();
});

const answers = (report: SignalReport) =>
  Object.fromEntries(Object.entries(report.answers).map(([use, answer]) => [use, answer?.answer]));

describe('readSignals on a local site that serves every signal', () => {
  it('answers per use with the evidence of every signal considered', async () => {
    const report = await readSignals(`${a.origin}/article`, { allowPrivate: true, delayMs: 0 });
    expect(answers(report)).toEqual({
      'ai-train': 'license',
      'ai-train-genai': 'license',
      'ai-input': 'deny',
      'ai-index': 'deny',
      search: 'allow',
    });
    const train = report.answers['ai-train'];
    expect(train?.terms?.[0]?.price).toEqual({ amountMinor: 25000, currency: 'EUR' });
    // Content-Signal's "no" is read as "not without a licence", with the reason.
    const cs = train?.evidence.find((e) => e.signal === 'robots-txt content-signal');
    expect(cs).toMatchObject({
      stance: 'license',
      url: `${a.origin}/robots.txt`,
      raw: expect.stringContaining('Content-Signal: search=yes, ai-input=no, ai-train=no'),
    });
    expect(cs?.interpretation).toContain('not without a licence');
    // The blanket noai is superseded for ai-train but decides nothing else wrongly; for ai-input it refuses.
    const noai = report.answers['ai-input']?.evidence.find((e) => e.signal === 'x-robots-tag header');
    expect(noai).toMatchObject({ stance: 'unknown', raw: 'noai, googlebot: noindex' });
    const signals = new Set(report.signals.map((s) => s.signal));
    for (const name of [
      'robots-txt',
      'robots-txt content-signal',
      'robots-txt content-usage',
      'tdm-reservation meta',
      'content-usage header',
      'x-robots-tag header',
      'robots meta',
      'rsl',
      'ai.txt',
    ] as const) {
      expect(signals).toContain(name);
    }
    // TDMRep: meta supersedes tdmrep.json and the header (none here), recorded with its steps.
    const tdm = report.signals.find((s) => s.protocol === 'tdmrep');
    expect(tdm?.note).toContain('decided by html-meta');
    // Every signal has where and when.
    for (const s of report.signals) {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(Number.isNaN(Date.parse(s.fetchedAt))).toBe(false);
    }
    // The RSL licence was fetched once although three signals point to it.
    expect(b.log.counts.get('/license.xml')).toBe(1);
  });

  it('gives the same answer as core evaluate on the statements it reports', async () => {
    const report = await readSignals(`${a.origin}/article`, { allowPrivate: true, delayMs: 0 });
    const verdict = evaluate({
      statements: report.statements,
      use: 'ai-input',
      regime: 'opt-out',
      at: report.checkedAt,
    });
    expect(verdict.standing).toBe('refused');
    expect(
      evaluate({ statements: report.statements, use: 'ai-train', regime: 'opt-out', at: report.checkedAt }).standing,
    ).toBe('offered');
  });

  it('a crawler that robots.txt keeps out gets deny for every use, search included', async () => {
    const report = await readSignals(`${a.origin}/article`, {
      allowPrivate: true,
      delayMs: 0,
      userAgent: 'GPTBot',
      use: ['search', 'ai-train'],
    });
    expect(answers(report)).toEqual({ search: 'deny', 'ai-train': 'deny' });
    expect(report.answers.search?.evidence[0]).toMatchObject({
      signal: 'robots-txt',
      decisive: true,
      raw: expect.stringContaining('Disallow: /'),
    });
  });

  it('does not download a non-HTML body, and reads tdmrep.json and ai.txt for it', async () => {
    const report = await readSignals(`${a.origin}/free/cat.jpg`, { allowPrivate: true, delayMs: 0 });
    const aiTxt = report.signals.find((s) => s.signal === 'ai.txt');
    expect(aiTxt).toMatchObject({ raw: 'Disallow: *.jpg', says: { 'ai-train': 'deny' } });
    expect(report.signals.find((s) => s.signal === 'tdmrep.json')?.says['ai-input']).toBe('allow');
    expect(report.answers['ai-input']?.answer).toBe('deny'); // robots.txt Content-Signal ai-input=no wins
  });
});

describe('robots.txt fetch outcomes (RFC 9309 §2.3.1)', () => {
  it('4xx: unavailable, crawling allowed, no preference', async () => {
    c.routes.set('/robots.txt', { status: 403 });
    c.routes.set('/x', { headers: { 'content-type': 'text/plain' }, body: 'x' });
    const report = await readSignals(`${c.origin}/x`, { allowPrivate: true, delayMs: 0 });
    expect(new Set(Object.values(answers(report)))).toEqual(new Set(['unknown']));
    expect(report.signals.find((s) => s.signal === 'robots-txt')?.note).toContain('unavailable');
  });

  it('5xx and 429: unreachable, complete disallow', async () => {
    for (const status of [500, 503, 429]) {
      c.routes.set('/robots.txt', { status });
      c.routes.set('/y' + status, { headers: { 'content-type': 'text/plain' }, body: 'y' });
      const report = await readSignals(`${c.origin}/y${status}`, { allowPrivate: true, delayMs: 0 });
      expect(new Set(Object.values(answers(report)))).toEqual(new Set(['deny']));
      expect(report.signals.find((s) => s.signal === 'robots-txt')).toMatchObject({ status, raw: `HTTP ${status}` });
    }
  });

  it('a closed port: unreachable; the resource error is evidence, and every use is denied', async () => {
    const port = await closedPort();
    const report = await readSignals(`http://127.0.0.1:${port}/z`, { allowPrivate: true, delayMs: 0 });
    expect(new Set(Object.values(answers(report)))).toEqual(new Set(['deny']));
    expect(report.signals.find((s) => s.signal === 'robots-txt')?.error?.code).toBe('NETWORK_ERROR');
  });

  it('caches robots.txt across URLs of one origin (24 h), and fetches it again after', async () => {
    let clock = Date.parse('2026-11-25T00:00:00Z');
    const fetcher = new Fetcher({ allowPrivate: true, delayMs: 0, now: () => clock });
    const reader = new SignalReader({ fetcher });
    const before = a.log.counts.get('/robots.txt') ?? 0;
    await reader.read(`${a.origin}/article`);
    await reader.read(`${a.origin}/free/cat.jpg`);
    await reader.read(`${a.origin}/article?page=2`);
    expect((a.log.counts.get('/robots.txt') ?? 0) - before).toBe(1);
    clock += 23 * 3600 * 1000;
    await reader.read(`${a.origin}/article`);
    expect((a.log.counts.get('/robots.txt') ?? 0) - before).toBe(1);
    clock += 2 * 3600 * 1000;
    await reader.read(`${a.origin}/article`);
    expect((a.log.counts.get('/robots.txt') ?? 0) - before).toBe(2);
    fetcher.close();
  });
});
