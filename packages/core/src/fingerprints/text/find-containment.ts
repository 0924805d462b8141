import { InvalidInputError } from '../../errors.js';
import { normaliseForShingling } from './normalise-for-shingling.js';
import { WINNOW_K, winnow, type WinnowFingerprints } from './winnow.js';

/** Thresholds and tolerances of `findContainment`; every field has a default. */
export interface ContainmentOptions {
  /** Fewest shared fingerprints in a span for it to count as a match (default 3). */
  readonly minFingerprints?: number;
  /** Fewest normalised characters a matching span must cover in the document (default 40). */
  readonly minCharacters?: number;
  /** Largest gap, in normalised characters of the document, between consecutive hits of one span (default 128). */
  readonly maxGap?: number;
  /** Largest change of the diagonal (document position − work position) between consecutive hits (default 32). */
  readonly maxDrift?: number;
  /** A hash found more than this many times in the work or in the document is too common to place (default 64). */
  readonly maxOccurrences?: number;
}

/** One stretch of the document copied from the registered work. */
export interface ContainmentSpan {
  /** UTF-16 offset, in the original document text, where the span begins. */
  readonly documentStart: number;
  /** UTF-16 offset, in the original document text, just after the span. */
  readonly documentEnd: number;
  /** First character of the span in the work's normalised text. */
  readonly workStart: number;
  /** Just after the span's last character in the work's normalised text. */
  readonly workEnd: number;
  /** Fingerprints the span shares with the work. */
  readonly fingerprints: number;
  /** Shared fingerprints over all the document's fingerprints in the span: 1 for a verbatim copy. */
  readonly containment: number;
}

/** What `findContainment` found. */
export interface ContainmentResult {
  /** The matching spans, by document position (then work position). */
  readonly spans: readonly ContainmentSpan[];
  /** Share of the document's normalised characters inside matching spans: 1 when all of it is copied from the work. */
  readonly score: number;
  /** Share of the work's fingerprints that matching spans hit: about how much of the work the document holds. */
  readonly workCoverage: number;
  /** The document's length after normalisation, in characters. */
  readonly documentCharacters: number;
}

interface Chain {
  firstDocument: number;
  firstWork: number;
  lastDocument: number;
  lastWork: number;
  hits: number[];
}

const DEFAULTS = { minFingerprints: 3, minCharacters: 40, maxGap: 128, maxDrift: 32, maxOccurrences: 64 };

// 53 bits of the 64-bit hash as an exact JavaScript number; the other 11 bits are compared afterwards.
const keyOf = (high: number, low: number): number => high * 0x200000 + (low & 0x1fffff);

function checkFingerprints(registered: WinnowFingerprints): void {
  const { positions, hashHigh, hashLow } = registered;
  const count = positions.length;
  let ordered = hashHigh.length === count && hashLow.length === count;
  for (let i = 1; ordered && i < count; i++) ordered = positions[i]! > positions[i - 1]!;
  if (!ordered)
    throw new InvalidInputError('FINGERPRINT_INVALID', 'winnowing fingerprints are inconsistent', [
      { path: 'registered', message: 'positions, hashHigh and hashLow must have one length and increasing positions' },
    ]);
}

/** Index of the first element of the sorted `positions` that is at least `value`. */
function lowerBound(positions: Uint32Array, value: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Finds where a document contains parts of a registered work, knowing only the work's winnowing fingerprints
 * (research/matching.md §1.3: containment, not Jaccard, since the work is the big side). The document is normalised
 * and winnowed; fingerprints it shares with the work become hits (document position, work position), and hits are
 * chained into spans along a consistent diagonal: each next hit lies further along in both texts, within `maxGap`
 * characters of the last in the document, with a diagonal (document position − work position) within `maxDrift` of
 * the last, so a passage copied with small insertions or cuts stays one span. A span is a match only with at least
 * `minFingerprints` shared fingerprints over at least `minCharacters` normalised characters (3 and 40 by default:
 * a shared run of 28 characters is enough for one fingerprint, so a stock phrase or a name can make one or two hits,
 * but not three in line over 40 characters). Hashes seen more than `maxOccurrences` times in the work or in the
 * document are skipped, which also bounds the work on repetitive input.
 *
 * Spans report document offsets as UTF-16 offsets in `documentText` itself, and work offsets in the work's normalised
 * text (all the registry has). Throws `InvalidInputError('FINGERPRINT_INVALID')` when `registered` is inconsistent.
 *
 * @example
 * ```ts
 * const { spans, score } = findContainment(registeredWinnow, trainingDocument);
 * for (const s of spans) console.log(trainingDocument.slice(s.documentStart, s.documentEnd), s.workStart);
 * ```
 */
export function findContainment(
  registered: WinnowFingerprints,
  documentText: string,
  options: ContainmentOptions = {},
): ContainmentResult {
  checkFingerprints(registered);
  const { minFingerprints, minCharacters, maxGap, maxDrift, maxOccurrences } = { ...DEFAULTS, ...options };
  const normalised = normaliseForShingling(documentText);
  const document = winnow(normalised);
  const documentCharacters = normalised.codePoints.length;
  const empty: ContainmentResult = { spans: [], score: 0, workCoverage: 0, documentCharacters };
  if (document.positions.length === 0 || registered.positions.length === 0) return empty;

  // Index the small side (the document) and scan the work's fingerprints once.
  const byKey = new Map<number, number[]>();
  for (let d = 0; d < document.positions.length; d++) {
    const key = keyOf(document.hashHigh[d]!, document.hashLow[d]!);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [d]);
    else list.push(d);
  }
  // Work fingerprints whose key the document has, and how often each key occurs in the work.
  const found: number[] = [];
  const inWork = new Map<number, number>();
  for (let r = 0; r < registered.positions.length; r++) {
    const key = keyOf(registered.hashHigh[r]!, registered.hashLow[r]!);
    if (!byKey.has(key)) continue;
    found.push(r);
    inWork.set(key, (inWork.get(key) ?? 0) + 1);
  }
  const hits: { document: number; work: number; workIndex: number }[] = [];
  for (const r of found) {
    const key = keyOf(registered.hashHigh[r]!, registered.hashLow[r]!);
    const list = byKey.get(key)!;
    // A hash repeated more than maxOccurrences times on either side cannot be placed, and would multiply the hits.
    if (inWork.get(key)! > maxOccurrences || list.length > maxOccurrences) continue;
    for (const d of list)
      if (document.hashLow[d] === registered.hashLow[r])
        hits.push({ document: document.positions[d]!, work: registered.positions[r]!, workIndex: r });
  }
  hits.sort((a, b) => a.document - b.document || a.work - b.work);

  const chains: Chain[] = [];
  let active: Chain[] = [];
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    active = active.filter((chain) => hit.document - chain.lastDocument <= maxGap);
    const diagonal = hit.document - hit.work;
    let best: Chain | undefined;
    let bestDrift = Infinity;
    for (const chain of active) {
      if (hit.document <= chain.lastDocument || hit.work <= chain.lastWork) continue;
      const drift = Math.abs(diagonal - (chain.lastDocument - chain.lastWork));
      if (drift <= maxDrift && drift <= bestDrift) {
        best = chain;
        bestDrift = drift;
      }
    }
    if (best === undefined) {
      best = { firstDocument: hit.document, firstWork: hit.work, lastDocument: -1, lastWork: -1, hits: [] };
      chains.push(best);
      active.push(best);
    }
    best.lastDocument = hit.document;
    best.lastWork = hit.work;
    best.hits.push(h);
  }

  const spans: ContainmentSpan[] = [];
  const covered: [number, number][] = [];
  const workHit = new Uint8Array(registered.positions.length);
  for (const chain of chains) {
    const end = chain.lastDocument + WINNOW_K;
    if (chain.hits.length < minFingerprints || end - chain.firstDocument < minCharacters) continue;
    const inSpan =
      lowerBound(document.positions, chain.lastDocument + 1) - lowerBound(document.positions, chain.firstDocument);
    for (const h of chain.hits) workHit[hits[h]!.workIndex] = 1;
    covered.push([chain.firstDocument, end]);
    spans.push({
      documentStart: normalised.starts[chain.firstDocument]!,
      documentEnd: normalised.ends[end - 1]!,
      workStart: chain.firstWork,
      workEnd: chain.lastWork + WINNOW_K,
      fingerprints: chain.hits.length,
      containment: chain.hits.length / inSpan,
    });
  }
  if (spans.length === 0) return empty;
  spans.sort((a, b) => a.documentStart - b.documentStart || a.workStart - b.workStart);

  covered.sort((a, b) => a[0] - b[0]);
  let coveredCharacters = 0;
  let reach = 0;
  for (const [start, end] of covered) {
    if (end <= reach) continue;
    coveredCharacters += end - Math.max(start, reach);
    reach = end;
  }
  let workHits = 0;
  for (const hit of workHit) workHits += hit;
  return {
    spans,
    score: coveredCharacters / documentCharacters,
    workCoverage: workHits / registered.positions.length,
    documentCharacters,
  };
}
