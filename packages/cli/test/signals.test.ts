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
    ]) {
      expect(all).toContain(title);
    }
    const io = memoryIo({ 'bad.json': JSON.stringify({ policy: { 'ai-train': { kind: 'maybe' } } }) });
    expect(await runCli(['signals', '--policy', 'bad.json'], io)).toBe(EXIT.invalidInput);
  });
});
