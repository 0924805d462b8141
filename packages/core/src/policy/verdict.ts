import { InvalidInputError } from '../errors.js';
import { parseRfc3339 } from '../util/time.js';
import { combineStatements, type Evidence, type Offer, type Standing } from './combine.js';
import {
  isRegimeId,
  REGIMES,
  regimeRule,
  type ReasonCode,
  type RegimeFlag,
  type RegimeId,
  type VerdictOutcome,
} from './regimes.js';
import type { Statement } from './statement.js';
import { isUse, type Use } from './uses.js';

/** What to evaluate: every statement known about one item, the use, the regime, and when. */
export interface EvaluationRequest {
  readonly statements: readonly Statement[];
  readonly use: Use;
  readonly regime: RegimeId;
  /** RFC 3339 time of the evaluation; licences are judged valid or not at this time. */
  readonly at: string;
}

/** The price list a developer must accept to use the item: every offer that applies to the use. */
export interface Quote {
  readonly use: Use;
  readonly offers: readonly Offer[];
}

/** Money that using the item accrues under a pay-later regime, and who it is owed to. */
export interface Accrual {
  readonly basis: 'statutory-tariff';
  /** `rights-holders` when a registry entry identifies them; otherwise held in the unclaimed pool. */
  readonly payee: 'rights-holders' | 'unclaimed-pool';
}

/**
 * The verdict for one item, one use, one regime: the outcome and always its evidence (which statements decided,
 * from which source, observed when), with the quote when a licence is required and the accrual when money is owed.
 */
export interface Verdict {
  readonly outcome: VerdictOutcome;
  readonly use: Use;
  readonly regime: RegimeId;
  readonly standing: Standing;
  readonly reason: ReasonCode;
  readonly evidence: readonly Evidence[];
  readonly quote?: Quote;
  readonly accrual?: Accrual;
  readonly flags: readonly RegimeFlag[];
  readonly evaluatedAt: string;
}

/**
 * Evaluates every statement about one item for one use under one regime.
 *
 * @throws {InvalidInputError} `USE_UNKNOWN`, `REGIME_UNKNOWN` or `TIME_INVALID` when the request is malformed.
 * @example
 * ```ts
 * const verdict = evaluate({
 *   statements: [{ kind: 'preference', source: { kind: 'site-signal', protocol: 'content-signal', url: 'https://example.com/robots.txt' },
 *                  uses: ['ai-train'], stance: { kind: 'deny' }, observedAt: '2026-11-01T00:00:00Z' }],
 *   use: 'ai-train-genai', regime: 'opt-out', at: '2026-11-25T00:00:00Z',
 * });
 * verdict.outcome // 'blocked'
 * ```
 */
export function evaluate(request: EvaluationRequest): Verdict {
  const { statements, use, regime: regimeId, at } = request;
  if (!isUse(use)) {
    throw new InvalidInputError('USE_UNKNOWN', `unknown use ${JSON.stringify(use)}`, [
      { path: 'use', message: 'not a use' },
    ]);
  }
  if (!isRegimeId(regimeId)) {
    throw new InvalidInputError('REGIME_UNKNOWN', `unknown regime ${JSON.stringify(regimeId)}`, [
      { path: 'regime', message: 'not a regime' },
    ]);
  }
  const atMs = parseRfc3339(at);
  if (atMs === undefined) {
    throw new InvalidInputError('TIME_INVALID', `evaluation time is not an RFC 3339 date-time: ${JSON.stringify(at)}`, [
      { path: 'at', message: 'expected an RFC 3339 date-time' },
    ]);
  }
  const combination = combineStatements(statements, use, atMs);
  const rule = regimeRule(REGIMES[regimeId], use, combination.standing);
  // The item is a registered work when any registry entry speaks about it, whatever the use.
  const identified = statements.some((s) => s.kind === 'preference' && s.source.kind === 'registry');
  return {
    outcome: rule.outcome,
    use,
    regime: regimeId,
    standing: combination.standing,
    reason: rule.reason,
    evidence: combination.evidence,
    ...(rule.outcome === 'license-required' ? { quote: { use, offers: combination.offers } } : {}),
    ...(rule.accrues
      ? { accrual: { basis: rule.accrues, payee: identified ? 'rights-holders' : 'unclaimed-pool' } as const }
      : {}),
    flags: rule.flags ?? [],
    evaluatedAt: at,
  };
}
