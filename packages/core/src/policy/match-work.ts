import type { Statement } from './statement.js';

/**
 * One registered work as a match index needs it: what to match on (identifiers, fingerprints in their stored form),
 * whom it belongs to, what the registry says about each use, and which works dispute it. The registry exports works
 * in this shape (`registry.matchData.works()`) and the scanner's snapshot writer reads it; anything else that can
 * produce it (a test, a benchmark, another registry) can build a snapshot too.
 *
 * @example
 * ```ts
 * const work: MatchWork = { id: 'w1', kind: 'text', disputed: false, titles: [], identifiers: [], holders: [],
 *   fingerprints: [{ algorithm: 'sha256', value: '…', fileSha256: null }], statements: [], disputedWith: [] };
 * ```
 */
export interface MatchWork {
  readonly id: string;
  readonly kind: string;
  readonly disputed: boolean;
  readonly titles: readonly { readonly lang: string; readonly title: string }[];
  /** Normalised identifiers (URLs and URL prefixes included), as the registry stores them. */
  readonly identifiers: readonly { readonly scheme: string; readonly value: string }[];
  /** Rights holders and their shares in basis points (they add up to 10,000). */
  readonly holders: readonly {
    readonly id: string;
    readonly name: string;
    readonly role: string;
    readonly shareBp: number;
  }[];
  readonly fingerprints: readonly {
    readonly algorithm: string;
    readonly value: string;
    readonly fileSha256: string | null;
  }[];
  /** The registry's statements about the work, one per use with a policy. */
  readonly statements: readonly Statement[];
  /** The works in an open dispute with this one: their statements apply too (the most restrictive wins). */
  readonly disputedWith: readonly string[];
}
