import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '@heoga/cli';
// `heoga check-url` is wired into cli.ts by the lead; until then the command function is tested directly.
import { runCheckUrl } from '../src/commands/check-url.js';
import { makeStyle } from '../src/format/style.js';
import { memoryIo } from './memory-io.js';

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const routes: Record<string, [number, Record<string, string>, string]> = {
      '/robots.txt': [
        200,
        {},
        'User-agent: *\nContent-Signal: ai-train=no, search=yes\nAllow: /\n\nUser-agent: GPTBot\nDisallow: /\n',
      ],
      '/.well-known/tdmrep.json': [200, {}, '[{"location": "/", "tdm-reservation": 1}]'],
      '/ai.txt': [404, {}, ''],
      '/page': [
        200,
        { 'content-type': 'text/html', 'x-robots-tag': 'noai' },
        '<head><meta name="robots" content="noai"></head>',
      ],
    };
    const [status, headers, body] = routes[req.url ?? ''] ?? [404, {}, ''];
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('heoga check-url', () => {
  it('prints per-use answers with the deciding signals', async () => {
    const io = memoryIo({});
    expect(await runCheckUrl(io, makeStyle(false), [`${base}/page`], { json: false, allowPrivate: true })).toBe(
      EXIT.ok,
    );
    const text = io.stdoutText();
    expect(text).toMatch(/ai-train\s+deny\s+← robots-txt content-signal/);
    expect(text).toMatch(/search\s+allow/);
    expect(text).toMatch(/ai-input\s+deny/);
    // Each deciding signal is named once per use, even when it supports the use twice.
    for (const line of text.split('\n').filter((l) => l.includes('← '))) {
      const reasons = line.split('← ')[1]!.split('; ');
      expect(new Set(reasons).size, line).toBe(reasons.length);
    }
  });

  it('--json: one object per URL with answers and evidence; --urls reads a file; --use and --user-agent apply', async () => {
    const io = memoryIo({ 'urls.txt': `# list\n${base}/page\n\n` });
    const code = await runCheckUrl(io, makeStyle(false), [], {
      json: true,
      urls: 'urls.txt',
      use: 'search',
      userAgent: 'GPTBot',
      allowPrivate: true,
    });
    expect(code).toBe(EXIT.ok);
    const lines = io.stdoutText().trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] ?? '{}') as {
      url: string;
      userAgent: string;
      answers: Record<
        string,
        { answer: string; evidence: { signal: string; url: string; fetchedAt: string; raw: string }[] }
      >;
      signals: unknown[];
    };
    expect(report.url).toBe(`${base}/page`);
    expect(report.userAgent).toBe('GPTBot');
    expect(Object.keys(report.answers)).toEqual(['search']);
    expect(report.answers['search']?.answer).toBe('deny');
    expect(report.answers['search']?.evidence[0]).toMatchObject({
      signal: 'robots-txt',
      url: `${base}/robots.txt`,
      raw: 'line 6: Disallow: /',
    });
    expect(report.signals.length).toBeGreaterThan(3);
  });

  it('without --allow-private a loopback URL is refused (exit 3) and the others go on', async () => {
    const io = memoryIo({});
    const code = await runCheckUrl(io, makeStyle(false), [`${base}/page`, 'ftp://example.com/x'], { json: true });
    expect(code).toBe(EXIT.invalidInput);
    const lines = io
      .stdoutText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: { code: string } });
    expect(lines.map((l) => l.error?.code)).toEqual(['ADDRESS_BLOCKED', 'SCHEME_UNSUPPORTED']);
    expect(io.stderrText()).toContain('[ADDRESS_BLOCKED]');
  });

  it('rejects an unknown use as a usage error', async () => {
    await expect(
      runCheckUrl(memoryIo({}), makeStyle(false), [`${base}/page`], { json: false, use: 'training' }),
    ).rejects.toMatchObject({ code: 'USAGE' });
  });
});
