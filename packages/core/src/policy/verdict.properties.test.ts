import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, usesPermittedBy, usesRestrictedBy, type Statement } from '../index.js';
import { regime, statements, time, use, useScopes, preferenceSource } from '../../test/arbitraries.js';

const runs = { numRuns: 500 };

describe('verdict properties', () => {
  it('adding a refusal never turns a non-cleared verdict into cleared, and a refusal of the use always blocks', () => {
    fc.assert(
      fc.property(statements, use, regime, time, preferenceSource, useScopes, (list, u, r, at, source, scopes) => {
        const refusal: Statement = { kind: 'preference', source, uses: scopes, stance: { kind: 'deny' } };
        const before = evaluate({ statements: list, use: u, regime: r, at });
        const after = evaluate({ statements: [...list, refusal], use: u, regime: r, at });
        if (before.outcome !== 'cleared') expect(after.outcome).not.toBe('cleared');
        if (scopes.some((s) => usesRestrictedBy(s).includes(u))) expect(after.outcome).toBe('blocked');
      }),
      runs,
    );
  });

  it('never depends on the order of statements', () => {
    const permuted = statements.chain((list) =>
      fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
    );
    fc.assert(
      fc.property(permuted, use, regime, time, ([list, shuffled], u, r, at) => {
        expect(evaluate({ statements: shuffled, use: u, regime: r, at })).toEqual(
          evaluate({ statements: list, use: u, regime: r, at }),
        );
      }),
      runs,
    );
  });

  it('under permission-first clears nothing without an explicit allow or a valid licence held for the use', () => {
    fc.assert(
      fc.property(statements, use, time, (list, u, at) => {
        const verdict = evaluate({ statements: list, use: u, regime: 'permission-first', at });
        if (verdict.outcome !== 'cleared') return;
        const decisive = verdict.evidence.filter((e) => e.decisive);
        expect(decisive.length).toBeGreaterThan(0);
        for (const e of decisive) {
          expect(['allows', 'licenses']).toContain(e.effect);
          expect(e.statement.uses.some((s) => usesPermittedBy(s).includes(u))).toBe(true);
        }
      }),
      runs,
    );
  });

  it('only ever cites statements it was given, and cites every refusal that decided', () => {
    fc.assert(
      fc.property(statements, use, regime, time, (list, u, r, at) => {
        const verdict = evaluate({ statements: list, use: u, regime: r, at });
        for (const e of verdict.evidence) expect(list).toContainEqual(e.statement);
        if (verdict.standing === 'refused') {
          const refusals = list.filter(
            (s) =>
              s.kind === 'preference' &&
              s.stance.kind === 'deny' &&
              s.uses.some((scope) => usesRestrictedBy(scope).includes(u)),
          );
          expect(verdict.evidence.filter((e) => e.decisive).length).toBe(refusals.length);
        }
      }),
      runs,
    );
  });

  it('gives a quote exactly when a licence is required, listing every offer that applies', () => {
    fc.assert(
      fc.property(statements, use, regime, time, (list, u, r, at) => {
        const verdict = evaluate({ statements: list, use: u, regime: r, at });
        expect(verdict.quote !== undefined).toBe(verdict.outcome === 'license-required');
        if (verdict.quote) {
          expect(verdict.quote.offers.length).toBeGreaterThan(0);
          expect(verdict.quote.offers.length).toBe(verdict.evidence.filter((e) => e.effect === 'offers').length);
        }
      }),
      runs,
    );
  });
});
