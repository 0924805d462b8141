// Text fingerprints (DESIGN §6: "at least 20,000 documents/s per core" for 128-value MinHash of 2 KB documents):
// throughput of MinHash alone and of every fingerprint together, on generated Korean and English documents, and a
// robustness table (textRobustness) for re-spaced, re-punctuated and excerpted copies.
import {
  decodeText,
  estimateJaccard,
  findContainment,
  fingerprintText,
  lshBandKeys,
  minhash,
  winnow,
} from '@heoga/core';
import {
  documentOfBytes,
  embed,
  englishText,
  excerptOf,
  koreanText,
  repunctuate,
  respace,
} from '../packages/core/test/text-corpus.js';
import type { Benchmark } from './harness.js';

const DOCUMENTS = 200;
const BYTES = 2048;
const encoder = new TextEncoder();

function corpus(generate: (seed: number, characters: number) => string): Uint8Array[] {
  return Array.from({ length: DOCUMENTS }, (_, i) => encoder.encode(documentOfBytes(generate, 10_000 + i, BYTES)));
}

const LANGUAGES = [
  ['Korean', koreanText],
  ['English', englishText],
] as const;

export const benchmarks: readonly Benchmark[] = LANGUAGES.flatMap(([language, generate]): Benchmark[] => [
  {
    group: 'core',
    name: `text MinHash (decode, normalise, OPH 128): 2 KB ${language} document`,
    unit: 'document',
    batch: DOCUMENTS,
    bar: '≥ 20,000 documents/s per core',
    setup: () => {
      const documents = corpus(generate);
      return () => {
        for (const bytes of documents) minhash(decodeText(bytes));
      };
    },
  },
  {
    group: 'core',
    name: `fingerprintText (SHA-256 ×2, MinHash, winnowing): 2 KB ${language} document`,
    unit: 'document',
    batch: DOCUMENTS,
    setup: () => {
      const documents = corpus(generate);
      return () => {
        for (const bytes of documents) fingerprintText(bytes);
      };
    },
  },
]);

/** One row of the robustness table: how similar the copy looks, and whether it would be matched. */
export interface TextRobustnessRow {
  readonly transformation: string;
  /** MinHash Jaccard estimate (whole-text rows) or share of the excerpt found by containment (excerpt rows). */
  readonly similarity: number;
  /** Whole-text rows: shares an LSH band key (14 × 9). Excerpt rows: `findContainment` reports a span. */
  readonly matched: boolean;
}

/**
 * Re-spaced, re-punctuated and excerpted copies of a 20,000-character generated Korean work (and one unrelated
 * document, which must not match), fingerprinted the way the registry would.
 */
export function textRobustness(): TextRobustnessRow[] {
  const work = koreanText(2026, 20_000);
  const signature = minhash(work);
  const keys = new Set(lshBandKeys(signature));
  const registered = winnow(work);
  const whole = (transformation: string, copy: string): TextRobustnessRow => {
    const copySignature = minhash(copy);
    return {
      transformation,
      similarity: estimateJaccard(signature, copySignature),
      matched: lshBandKeys(copySignature).some((key) => keys.has(key)),
    };
  };
  const excerpt = (fraction: number): TextRobustnessRow => {
    const document = embed(koreanText(4000 + fraction * 100, 10_000), excerptOf(work, 0.25, fraction), 0.5);
    const { spans } = findContainment(registered, document.text);
    let covered = 0;
    for (let at = document.start; at < document.end; at++)
      if (spans.some((span) => span.documentStart <= at && at < span.documentEnd)) covered++;
    return {
      transformation: `Korean excerpt, ${Math.round(fraction * 100)} % of the work, inside a 10k-character document`,
      similarity: covered / (document.end - document.start),
      matched: spans.length > 0,
    };
  };
  const unrelated = koreanText(31337, 10_000);
  const unrelatedContainment = findContainment(registered, unrelated);
  return [
    whole('Korean re-spacing (30 % of spaces dropped, spaces added after 5 % of characters)', respace(work, 1)),
    whole('Korean re-spacing (every space dropped)', respace(work, 2, { dropSpaces: 1, addSpaces: 0 })),
    whole(
      'Korean re-punctuation (10 % of marks dropped, marks and ~ ★ ^^ added after 10 % of characters)',
      repunctuate(work, 3, 0.1),
    ),
    excerpt(0.5),
    excerpt(0.2),
    excerpt(0.05),
    {
      transformation: 'unrelated Korean document (containment score)',
      similarity: unrelatedContainment.score,
      matched: unrelatedContainment.spans.length > 0,
    },
    whole('unrelated Korean document (MinHash)', unrelated),
  ];
}
