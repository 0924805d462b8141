import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli, VERSION } from '@heoga/cli';
import { DEMO_STATEMENTS } from '../src/commands/demo-statements.js';
import { memoryIo } from './memory-io.js';

const example = JSON.stringify({ statements: DEMO_STATEMENTS });

describe('heoga (in-process)', () => {
  it('prints help with no arguments and with --help', async () => {
    for (const args of [[], ['--help']]) {
      const io = memoryIo({});
      expect(await runCli(args, io)).toBe(EXIT.ok);
      expect(io.stdoutText()).toContain('Usage: heoga');
      expect(io.stdoutText()).toContain('evaluate');
    }
  });

  it('prints the version, kept equal to package.json', async () => {
    const io = memoryIo({});
    expect(await runCli(['--version'], io)).toBe(EXIT.ok);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(io.stdoutText().trim()).toBe(VERSION);
    expect(VERSION).toBe(pkg.version);
  });

  it('keeps examples/statements.json equal to the tour statements', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../../examples/statements.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(file).toEqual({ statements: DEMO_STATEMENTS });
  });

  it('evaluates for people, with evidence and the quote', async () => {
    const io = memoryIo({ 's.json': example });
    const code = await runCli(['evaluate', '--regime', 'permission-first', '--use', 'ai-train-genai', 's.json'], io);
    expect(code).toBe(EXIT.ok);
    const out = io.stdoutText();
    expect(out).toContain('license required');
    expect(out).toContain('registry https://heoga.example work w_demo_sonagi');
    expect(out).toContain('KRW 50,000 per work');
    expect(io.stderrText()).toBe('');
  });

  it('explains in Korean when the language is Korean', async () => {
    const io = memoryIo({ 's.json': example }, { lang: 'ko' });
    await runCli(['evaluate', '--regime', 'opt-out', '--use', 'ai-input', 's.json'], io);
    expect(io.stdoutText()).toContain('이용 불가');
    expect(io.stdoutText()).toContain('권리자가 이 이용을 거부했습니다.');
  });

  it('reads statements from standard input with -', async () => {
    const io = memoryIo({}, { stdin: example });
    expect(await runCli(['evaluate', '--regime', 'opt-out', '--use', 'search', '--json', '-'], io)).toBe(EXIT.ok);
    expect(JSON.parse(io.stdoutText())).toMatchObject({ outcome: 'cleared', reason: 'allowed-by-rights-holder' });
  });

  it('uses --at for licence validity and echoes it', async () => {
    const io = memoryIo({ 's.json': example });
    await runCli(
      ['evaluate', '--regime', 'opt-out', '--use', 'search', '--json', '--at', '2030-01-01T00:00:00+09:00', 's.json'],
      io,
    );
    expect(JSON.parse(io.stdoutText())).toMatchObject({ evaluatedAt: '2030-01-01T00:00:00+09:00' });
  });

  it('exits 5 with --exit-code when the verdict is not cleared, 0 when it is', async () => {
    const blocked = memoryIo({ 's.json': example });
    expect(
      await runCli(['evaluate', '--regime', 'opt-out', '--use', 'ai-input', '--exit-code', 's.json'], blocked),
    ).toBe(EXIT.notCleared);
    const cleared = memoryIo({ 's.json': example });
    expect(await runCli(['evaluate', '--regime', 'opt-out', '--use', 'search', '--exit-code', 's.json'], cleared)).toBe(
      EXIT.ok,
    );
  });

  it.each([
    [['evaluate', '--regime', 'opt-out', 's.json']],
    [['evaluate', '--regime', 'nope', '--use', 'ai-train', 's.json']],
    [['evaluate', '--regime', 'opt-out', '--use', 'train', 's.json']],
    [['evaluate', '--regime', 'opt-out', '--use', 'ai-train']],
    [['evaluate', '--regime', 'opt-out', '--use', 'ai-train', '--at', 'yesterday', 's.json']],
    [['frobnicate']],
    [['evaluate', '--bogus']],
  ])('exits 2 on a usage error: %j', async (args) => {
    const io = memoryIo({ 's.json': example });
    expect(await runCli(args, io)).toBe(EXIT.usage);
    expect(io.stderrText()).not.toBe('');
    expect(io.stdoutText()).toBe('');
  });

  it('exits 4 when the file cannot be read', async () => {
    const io = memoryIo({});
    expect(await runCli(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', 'missing.json'], io)).toBe(EXIT.io);
    expect(io.stderrText()).toContain('cannot read missing.json: no such file');
  });

  it.each([
    ['not JSON', '{"statements": [', /not valid JSON/],
    ['not UTF-8', new Uint8Array([0x5b, 0xff, 0x5d]), /not UTF-8/],
    [
      'a bad use',
      JSON.stringify([
        { source: { kind: 'registry', registry: 'r', workId: 'w' }, uses: ['train'], stance: { kind: 'deny' } },
      ]),
      /\[0\]\.uses\[0\]/,
    ],
    [
      'a bad currency',
      JSON.stringify([
        {
          source: { kind: 'registry', registry: 'r', workId: 'w' },
          uses: ['ai-train'],
          stance: {
            kind: 'license',
            terms: { price: { amountMinor: 1, currency: 'XYZ' }, unit: 'per-work', attribution: false },
          },
        },
      ]),
      /currency/,
    ],
    [
      'a fractional amount',
      JSON.stringify([
        {
          source: { kind: 'registry', registry: 'r', workId: 'w' },
          uses: ['ai-train'],
          stance: {
            kind: 'license',
            terms: { price: { amountMinor: 1.5, currency: 'KRW' }, unit: 'per-work', attribution: false },
          },
        },
      ]),
      /amountMinor/,
    ],
    [
      'a bad time',
      JSON.stringify([
        {
          source: { kind: 'registry', registry: 'r', workId: 'w' },
          uses: ['ai-train'],
          stance: { kind: 'deny' },
          observedAt: '2026-02-30T00:00:00Z',
        },
      ]),
      /observedAt/,
    ],
  ])('exits 3 on invalid input (%s), naming where', async (_what, content, pattern) => {
    const io = memoryIo({ 'bad.json': content });
    expect(await runCli(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', 'bad.json'], io)).toBe(
      EXIT.invalidInput,
    );
    expect(io.stderrText()).toMatch(pattern);
    expect(io.stdoutText()).toBe('');
  });

  it('lists regimes and uses, for people and as JSON', async () => {
    const io = memoryIo({});
    expect(await runCli(['regimes'], io)).toBe(EXIT.ok);
    expect(io.stdoutText()).toContain('use-first-pay-later');
    const json = memoryIo({});
    await runCli(['regimes', '--json'], json);
    expect((JSON.parse(json.stdoutText()) as unknown[]).length).toBe(4);
    const uses = memoryIo({});
    await runCli(['uses', '--json'], uses);
    expect((JSON.parse(uses.stdoutText()) as Array<{ use: string }>).map((u) => u.use)).toEqual([
      'ai-train',
      'ai-train-genai',
      'ai-input',
      'ai-index',
      'search',
    ]);
  });

  it('tours: help plus the example under every regime', async () => {
    const io = memoryIo({});
    expect(await runCli(['tour'], io)).toBe(EXIT.ok);
    const out = io.stdoutText();
    expect(out).toContain('Usage: heoga');
    expect(out).toMatch(/ai-input\s+blocked\s+blocked\s+blocked\s+blocked/);
    expect(out).toMatch(/ai-index\s+unknown\s+cleared\s+cleared \(\+tariff\)\s+cleared/);
  });
});
