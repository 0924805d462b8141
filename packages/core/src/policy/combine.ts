import { InvalidInputError } from '../errors.js';
import { canonicalJson } from '../util/canonical-json.js';
import { parseRfc3339 } from '../util/time.js';
import type { LicenceTerms } from './licence-terms.js';
import type { LicenceHeldStatement, Statement } from './statement.js';
import { usesPermittedBy, usesRestrictedBy, type Use } from './uses.js';

/**
 * Where one item stands for one use once every statement about it has been combined, before any regime is applied:
 * - `refused`: some source refuses the use (a refusal wins over everything);
 * - `licensed`: no refusal, and a licence held and valid now covers the use;
 * - `offered`: no refusal and no licence held, and some source offers a licence on terms;
 * - `allowed`: no refusal and no terms, and some source allows the use;
 * - `unknown`: no source says anything about the use.
 */
export const STANDINGS = ['refused', 'licensed', 'offered', 'allowed', 'unknown'] as const;

/** The combined standing of one item for one use. */
export type Standing = (typeof STANDINGS)[number];

/** What a statement did for the use being evaluated. */
export type EvidenceEffect =
  | 'refuses'
  | 'licenses'
  | 'offers'
  | 'allows'
  | 'silent'
  | 'licence-not-yet-valid'
  | 'licence-expired'
  | 'licence-revoked';

/** One statement that applies to the use, with what it did and whether it decided the standing. */
export interface Evidence {
  readonly effect: EvidenceEffect;
  /** True for the statements that decided the standing (every refusal when refused, and so on). */
  readonly decisive: boolean;
  readonly statement: Statement;
}

/** A licence offer found among the statements: who offers it, and on what terms. */
export interface Offer {
  readonly statement: Statement;
  readonly terms: LicenceTerms;
}

/** The result of combining every statement about one item for one use. */
export interface Combination {
  readonly use: Use;
  readonly standing: Standing;
  /** Every statement that applies to the use, decisive ones first, each group in canonical order. */
  readonly evidence: readonly Evidence[];
  /** Licence offers that apply to the use, in canonical order (empty unless some source offers terms). */
  readonly offers: readonly Offer[];
}

function timeOrThrow(text: string, path: string): number {
  const ms = parseRfc3339(text);
  if (ms === undefined) {
    throw new InvalidInputError('TIME_INVALID', `${path} is not an RFC 3339 date-time: ${JSON.stringify(text)}`, [
      { path, message: 'expected an RFC 3339 date-time such as 2026-11-25T09:00:00Z' },
    ]);
  }
  return ms;
}

function licenceEffect(statement: LicenceHeldStatement, at: number): EvidenceEffect {
  if (statement.revokedAt !== undefined && timeOrThrow(statement.revokedAt, 'revokedAt') <= at)
    return 'licence-revoked';
  if (statement.validFrom !== undefined && timeOrThrow(statement.validFrom, 'validFrom') > at)
    return 'licence-not-yet-valid';
  if (statement.validUntil !== undefined && timeOrThrow(statement.validUntil, 'validUntil') <= at)
    return 'licence-expired';
  return 'licenses';
}

/** What `statement` does for `use` at time `at`, or `undefined` when it does not apply to the use. */
function effectOf(statement: Statement, use: Use, at: number): EvidenceEffect | undefined {
  if (statement.kind === 'licence-held') {
    // A licence is a permission: it covers exactly the uses it names.
    const covered = statement.uses.some((scope) => usesPermittedBy(scope).includes(use));
    return covered ? licenceEffect(statement, at) : undefined;
  }
  const stance = statement.stance;
  switch (stance.kind) {
    case 'allow':
      return statement.uses.some((scope) => usesPermittedBy(scope).includes(use)) ? 'allows' : undefined;
    case 'deny':
      return statement.uses.some((scope) => usesRestrictedBy(scope).includes(use)) ? 'refuses' : undefined;
    case 'license':
      return statement.uses.some((scope) => usesRestrictedBy(scope).includes(use)) ? 'offers' : undefined;
    case 'unknown':
      return statement.uses.some((scope) => usesRestrictedBy(scope).includes(use)) ? 'silent' : undefined;
    default: {
      const unreachable: never = stance;
      return unreachable;
    }
  }
}

const DECIDING_EFFECT: { readonly [S in Standing]: EvidenceEffect | undefined } = {
  refused: 'refuses',
  licensed: 'licenses',
  offered: 'offers',
  allowed: 'allows',
  unknown: undefined,
};

// Statements are immutable values, so their canonical form is computed once per statement object.
const canonicalForms = new WeakMap<Statement, string>();

function canonicalFormOf(statement: Statement): string {
  let key = canonicalForms.get(statement);
  if (key === undefined) {
    key = canonicalJson(statement);
    canonicalForms.set(statement, key);
  }
  return key;
}

/** Sorts by the statement's canonical JSON, so that the order of the input never shows in the output. */
function byCanonicalForm<T extends { readonly statement: Statement }>(items: readonly T[]): T[] {
  if (items.length < 2) return [...items];
  const keyed = items.map((item) => ({ item, key: canonicalFormOf(item.statement) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ item }) => item);
}

/**
 * Combines every statement about one item for one use, at time `at` (milliseconds since the epoch; licences are
 * judged valid or not at that time). A refusal wins; a valid licence held turns an offer into `licensed`; an
 * unknown stays unknown. The result never depends on the order of `statements`.
 *
 * @example
 * ```ts
 * combineStatements([
 *   { kind: 'preference', source: { kind: 'registry', registry: 'heoga', workId: 'w1' }, uses: ['ai-train'], stance: { kind: 'deny' } },
 * ], 'ai-train-genai', Date.now()).standing // 'refused'
 * ```
 */
export function combineStatements(statements: readonly Statement[], use: Use, at: number): Combination {
  const applicable: Evidence[] = [];
  const offers: Offer[] = [];
  for (const statement of statements) {
    const effect = effectOf(statement, use, at);
    if (effect === undefined) continue;
    applicable.push({ effect, decisive: false, statement });
    if (effect === 'offers' && statement.kind === 'preference' && statement.stance.kind === 'license') {
      offers.push({ statement, terms: statement.stance.terms });
    }
  }
  const has = (effect: EvidenceEffect): boolean => applicable.some((e) => e.effect === effect);
  const standing: Standing = has('refuses')
    ? 'refused'
    : has('licenses')
      ? 'licensed'
      : has('offers')
        ? 'offered'
        : has('allows')
          ? 'allowed'
          : 'unknown';
  const deciding = DECIDING_EFFECT[standing];
  const marked = applicable.map((e) => ({ ...e, decisive: e.effect === deciding }));
  const evidence = [
    ...byCanonicalForm(marked.filter((e) => e.decisive)),
    ...byCanonicalForm(marked.filter((e) => !e.decisive)),
  ];
  return { use, standing, evidence, offers: byCanonicalForm(offers) };
}
