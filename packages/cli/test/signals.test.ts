import { describe, expect, it } from 'vitest';
import {
  evaluateRobotsTxt,
  evaluateRsl,
  parseContentUsage,
  parseRobotsTxt,
  parseRsl,
  parseTdmrepJson,
  evaluateTdmrep,
} from '@heoga/core';
import { EXIT, runCli } from '@heoga/cli';
import { memoryIo } from './memory-io.js';

const policyFile = JSON.stringify({
  policy: {
    'ai-train': {
      kind: 'license',
      terms: { price: { amountMinor: 50000, currency: 'KRW' }, unit: 'per-work', attribution: true },
    },
    'ai-input': { kind: 'deny' },
    search: { kind: 'allow' },
  },
  licenseUrl: 'https://haneul.example/license.xml',
  tdmPolicyUrl: 'https://haneul.example/tdm-policy.json',
  licenceUrl: 'https://heoga.example/buy/w1',
});

async function signals(format: string): Promise<string> {
  const io = memoryIo({ 'policy.json': policyFile });
  expect(await runCli(['signals', '--policy', 'policy.json', '--format', format], io)).toBe(EXIT.ok);
  expect(io.stderrText()).toBe('');
  return io.stdoutText();
}

describe('heoga signals: one choice published as every signal, read back by the core readers', () => {
  it('robots.txt: AI crawlers kept out, Content-Signal and Content-Usage refuse training, License points to RSL', async () => {
    const robots = parseRobotsTxt(await signals('robots'));
    const gpt = evaluateRobotsTxt(robots, { userAgent: 'GPTBot', path: '/stories/1' });
    expect(gpt.allowed).toBe(false);
    const anyone = evaluateRobotsTxt(robots, { userAgent: 'SomeSearchBot', path: '/stories/1' });
    expect(anyone.allowed).toBe(true);
    expect(anyone.contentSignal['ai-train'].stance).toBe('deny');
    expect(anyone.contentSignal.search.stance).toBe('allow');
    expect(anyone.contentUsage['ai-train-genai'].stance).toBe('deny');
    expect(robots.licenses.map((l) => l.url)).toContain('https://haneul.example/license.xml');
  });

  it('headers, tdmrep.json and RSL say the same', async () => {
    const headers = await signals('headers');
    const usage = /^Content-Usage: (.*)$/m.exec(headers)?.[1] ?? '';
    expect(parseContentUsage([usage]).byUse['ai-train-genai'].stance).toBe('deny');
    expect(headers).toContain('X-Robots-Tag: noai, noimageai');
    const tdmrep = parseTdmrepJson(await signals('tdmrep'));
    expect(tdmrep.ok).toBe(true);
    if (tdmrep.ok)
      expect(evaluateTdmrep(tdmrep.value, '/stories/1')).toMatchObject({
        reservation: 'reserved',
        policyUrl: 'https://haneul.example/tdm-policy.json',
      });
    const rsl = parseRsl(await signals('rsl'));
    expect(rsl.ok).toBe(true);
    if (!rsl.ok) return;
    const train = evaluateRsl(rsl.value, { url: '/stories/1', use: 'ai-train-genai' });
    expect(train.outcome).toBe('license');
    expect(train.payments[0]?.amount).toMatchObject({ currency: 'KRW' });
    expect(evaluateRsl(rsl.value, { url: '/stories/1', use: 'ai-input' }).outcome).toBe('deny');
    expect(evaluateRsl(rsl.value, { url: '/stories/1', use: 'search' }).outcome).toBe('allow');
  });

  it('writes everything at once, and refuses an invalid policy with exit 3', async () => {
    const all = await signals('all');
    for (const title of [
      '### robots.txt',
      '### /.well-known/tdmrep.json',
      '### TDM policy (ODRL)',
      '### RSL licence',
      '### ai.txt',
      '### HTTP response headers',
      '### nginx',
      '### Apache httpd',
      '### Caddy',
      '### WordPress (PHP)',
    ]) {
      expect(all).toContain(title);
    }
    const io = memoryIo({ 'bad.json': JSON.stringify({ policy: { 'ai-train': { kind: 'maybe' } } }) });
    expect(await runCli(['signals', '--policy', 'bad.json'], io)).toBe(EXIT.invalidInput);
  });

  it('server snippets send the lines --format headers prints and serve the files the other formats write', async () => {
    const headers = (await signals('headers')).trimEnd().split('\n');
    expect(headers).toEqual([
      'Content-Usage: train-ai=n, search=y',
      'Content-Signal: ai-train=no, ai-input=no, search=yes',
      'X-Robots-Tag: noai, noimageai',
      'tdm-reservation: 1',
      'tdm-policy: https://haneul.example/tdm-policy.json',
      'Link: <https://haneul.example/license.xml>; rel="license"; type="application/rsl+xml"',
    ]);
    const split = headers.map((line) => {
      const at = line.indexOf(': ');
      return { name: line.slice(0, at), value: line.slice(at + 2) };
    });
    // The sample's values hold no `$`, `%` or `'`; only `"` needs escaping in the double-quoted syntaxes.
    const dq = (v: string) => `"${v.replaceAll('"', '\\"')}"`;
    const nginx = await signals('nginx');
    const apache = await signals('apache');
    const caddy = await signals('caddy');
    const wordpress = await signals('wordpress');
    for (const { name, value } of split) {
      expect(nginx).toContain(`    add_header ${name} ${dq(value)} always;\n`);
      expect(apache).toContain(`\nHeader always set ${name} ${dq(value)}\n`);
      expect(caddy).toContain(`\t${name} ${dq(value)}\n`);
      expect(wordpress).toContain(`\theader('${name}: ${value}');\n`);
    }
    for (const [path, file] of [
      ['/robots.txt', 'robots.txt'],
      ['/.well-known/tdmrep.json', 'tdmrep.json'],
      ['/ai.txt', 'ai.txt'],
      ['/license.xml', 'license.xml'],
      ['/tdm-policy.json', 'tdm-policy.json'],
    ] as const) {
      expect(nginx).toContain(`location = ${path} {\n    alias "/var/www/heoga-signals/${file}";`);
      expect(apache).toContain(`Alias "${path}" "/var/www/heoga-signals/${file}"`);
      expect(caddy).toContain(`handle ${path} {\n\troot * "/var/www/heoga-signals"\n\trewrite * "/${file}"`);
    }
    // The WordPress robots_txt filter adds exactly what --format robots writes (no ' or \\ to escape here).
    const robots = await signals('robots');
    expect(robots).not.toMatch(/['\\]/);
    expect(wordpress).toContain(`\t\treturn '${robots}' . "\\n" . $output;`);
  });
});
