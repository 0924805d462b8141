import { describe, expect, it } from 'vitest';
import {
  evaluate,
  FLAG_INFO,
  REASON_INFO,
  REGIME_IDS,
  REGIMES,
  regimeRule,
  STANDINGS,
  USES,
  InvalidInputError,
} from '../index.js';

describe('regimes as data', () => {
  it('every regime has a rule for every use and standing, and describes its law in both languages', () => {
    for (const id of REGIME_IDS) {
      const regime = REGIMES[id];
      expect(regime.id).toBe(id);
      expect(regime.law.en.length).toBeGreaterThan(100);
      expect(regime.law.ko).toMatch(/[가-힣]/);
      expect(regime.title.ko).toMatch(/[가-힣]/);
      for (const use of USES) {
        for (const standing of STANDINGS) {
          const rule = regimeRule(regime, use, standing);
          expect(REASON_INFO[rule.reason].en).not.toBe('');
          for (const flag of rule.flags ?? []) expect(FLAG_INFO[flag].ko).toMatch(/[가-힣]/);
        }
      }
    }
  });

  it('every regime blocks a refusal and clears a licence held or an allow', () => {
    for (const id of REGIME_IDS) {
      for (const use of USES) {
        expect(regimeRule(REGIMES[id], use, 'refused').outcome).toBe('blocked');
        expect(regimeRule(REGIMES[id], use, 'licensed').outcome).toBe('cleared');
        expect(regimeRule(REGIMES[id], use, 'allowed').outcome).toBe('cleared');
      }
    }
  });

  it('differ exactly where the laws differ: what happens with silence', () => {
    const silence = Object.fromEntries(
      REGIME_IDS.map((id) => [id, USES.map((u) => regimeRule(REGIMES[id], u, 'unknown').outcome)]),
    );
    expect(silence).toEqual({
      'permission-first': ['unknown', 'unknown', 'unknown', 'unknown', 'unknown'],
      'opt-out': ['cleared', 'cleared', 'cleared', 'cleared', 'cleared'],
      'use-first-pay-later': ['cleared', 'cleared', 'cleared', 'cleared', 'cleared'],
      'jp-30-4': ['cleared', 'cleared', 'unknown', 'cleared', 'cleared'],
    });
  });

  it('rejects unknown uses, regimes and times with typed errors', () => {
    const bad = [
      { use: 'train', regime: 'opt-out', at: '2026-01-01T00:00:00Z', code: 'USE_UNKNOWN' },
      { use: 'ai-train', regime: 'eu', at: '2026-01-01T00:00:00Z', code: 'REGIME_UNKNOWN' },
      { use: 'ai-train', regime: 'opt-out', at: 'now', code: 'TIME_INVALID' },
    ] as const;
    for (const b of bad) {
      expect(() => evaluate({ statements: [], use: b.use as never, regime: b.regime as never, at: b.at })).toThrow(
        expect.objectContaining({ code: b.code }),
      );
      expect(() => evaluate({ statements: [], use: b.use as never, regime: b.regime as never, at: b.at })).toThrow(
        InvalidInputError,
      );
    }
  });
});
