import { describe, expect, it } from 'vitest';
import { runCli } from '@heoga/cli';
import type { Verdict } from '@heoga/core';
import { AT, EVALUATE_CASES } from './evaluate-cases.js';
import { memoryIo } from './memory-io.js';

describe('heoga evaluate: the verdict table', () => {
  it('covers every regime and at least 30 cases', () => {
    expect(EVALUATE_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(EVALUATE_CASES.map((c) => c.regime)).size).toBe(4);
    expect(new Set(EVALUATE_CASES.map((c) => c.name)).size).toBe(EVALUATE_CASES.length);
  });

  it.each(EVALUATE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const io = memoryIo({ 'statements.json': JSON.stringify(c.statements) }, { now: AT });
    const code = await runCli(
      ['evaluate', '--regime', c.regime, '--use', c.use, '--at', AT, '--json', 'statements.json'],
      io,
    );
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    const verdict = JSON.parse(io.out.join('')) as Verdict;
    expect(verdict.outcome).toBe(c.outcome);
    expect(verdict.reason).toBe(c.reason);
    expect(verdict.use).toBe(c.use);
    expect(verdict.regime).toBe(c.regime);
    expect(verdict.evaluatedAt).toBe(AT);
    const decisive = verdict.evidence.filter((e) => e.decisive).map((e) => e.statement.id);
    expect([...decisive].sort()).toEqual([...c.decisive].sort());
    expect(verdict.accrual?.payee).toBe(c.accrual);
    expect(verdict.flags).toEqual(c.flags ?? []);
    expect(verdict.quote?.offers.length).toBe(c.offers);
    // Evidence always says where each statement came from and when.
    for (const e of verdict.evidence) expect(e.statement.source.kind).toBeTruthy();
  });
});
