/**
 * The scanner's media indexes at scale: PDQ multi-index hashing against the linear scan over 1,000,000 hashes
 * (build time, section bytes, opening time, queries/s, candidates probed, and whether both give the same answer on
 * every query), and the audio index over 10,000 references (queries/s, recall, postings walked), at 16- and 14-bit
 * keys. Together about 30–40 s.
 *
 * The PDQ hashes are real PDQ hashes of procedurally generated pictures (gradients, discs, rectangles, stripes and
 * noise, hashed by `pdqFromPixels` at 128 × 128), bit-flipped near-duplicates of those (as a registry of edited
 * copies would hold), and uniform random hashes for the rest; the mix is reported. The audio references are uniform
 * random raw items (real Chromaprint items have skewed keys, which the stop-list is for).
 */
import { pdqFromPixels, type PdqHash } from '@heoga/core';
import { AudioIndex, PdqIndex, type AudioSearchStats } from '../packages/scanner/src/match/media/index.js';
import {
  flipBits,
  randomHashes,
  randomItems,
  sameBytes,
  seeded,
  withBitErrors,
} from '../packages/scanner/test/match/media/media-fixtures.js';
import type { OneShot } from './harness.js';

const PDQ_ENTRIES = 1_000_000;
const GENERATED_PICTURES = 3_000;
const NEAR_DUPLICATES = 200_000;
const MIH_QUERIES = 2_000;
const SCAN_QUERIES = 150;
const AUDIO_REFERENCES = 10_000;

/** A 128 × 128 RGB picture from a seed: a gradient, a few shapes, stripes and noise. */
function generatedPicture(random: () => number): Uint8Array {
  const size = 128;
  const data = new Uint8Array(size * size * 3);
  const base = [0, 1, 2].map(() => [random() * 255, (random() - 0.5) * 4, (random() - 0.5) * 4]);
  const shapes = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({
    kind: random() < 0.5 ? 'disc' : 'rect',
    x: random() * size,
    y: random() * size,
    r: 8 + random() * 40,
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  const stripes = random() < 0.3 ? 4 + random() * 20 : 0;
  const noise = random() * 40;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let rgb = base.map(([c, dx, dy]) => c! + dx! * x + dy! * y);
      for (const s of shapes) {
        const inside =
          s.kind === 'disc'
            ? (x - s.x) ** 2 + (y - s.y) ** 2 < s.r ** 2
            : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r / 2;
        if (inside) rgb = s.colour;
      }
      const stripe = stripes > 0 && Math.floor(x / stripes) % 2 === 0 ? 40 : 0;
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = rgb[c]! + stripe + (random() - 0.5) * noise;
    }
  }
  return data;
}

function realHashes(count: number): PdqHash[] {
  const random = seeded(2026);
  const out: PdqHash[] = [];
  while (out.length < count) {
    const result = pdqFromPixels({ width: 128, height: 128, channels: 3, data: generatedPicture(random) });
    if (result.quality >= 50) out.push(result.hash);
  }
  return out;
}

function sameMatches(
  a: readonly { entry: number; distance: number }[],
  b: readonly { entry: number; distance: number }[],
) {
  return a.length === b.length && a.every((m, i) => m.entry === b[i]!.entry && m.distance === b[i]!.distance);
}

function pdqBench(): Promise<{ operations: number; seconds: number; extra: Record<string, number> }> {
  const random = seeded(1);
  let t = performance.now();
  const real = realHashes(GENERATED_PICTURES);
  const hashingSeconds = (performance.now() - t) / 1000;
  const hashes = randomHashes(random, PDQ_ENTRIES);
  real.forEach((h, i) => hashes.set(h, i * 32));
  for (let i = 0; i < NEAR_DUPLICATES; i++) {
    const source = real[Math.floor(random() * real.length)]!;
    hashes.set(flipBits(random, source, 1 + Math.floor(random() * 40)), (GENERATED_PICTURES + i) * 32);
  }
  t = performance.now();
  const built = PdqIndex.build(hashes);
  const buildSeconds = (performance.now() - t) / 1000;
  const bytes = built.toBytes();
  t = performance.now();
  const index = PdqIndex.fromBytes(bytes);
  const openSeconds = (performance.now() - t) / 1000;

  // Queries: edits of the generated pictures (within and beyond 31 bits) and of random entries.
  const queries = Array.from({ length: MIH_QUERIES }, (_, i) => {
    const source = i % 2 === 0 ? real[Math.floor(random() * real.length)]! : hashes.subarray(0, 0);
    const entry = Math.floor(random() * PDQ_ENTRIES);
    return flipBits(
      random,
      source.length > 0 ? source : hashes.subarray(entry * 32, entry * 32 + 32),
      Math.floor(random() * 40),
    );
  });
  const stats = { candidates: 0 };
  let hits = 0;
  t = performance.now();
  const mih = queries.map((q) => index.search(q, 31, { stats }));
  const mihSeconds = (performance.now() - t) / 1000;
  for (const m of mih) hits += m.length;
  t = performance.now();
  const scan = queries.slice(0, SCAN_QUERIES).map((q) => index.searchBruteForce(q, 31));
  const scanSeconds = (performance.now() - t) / 1000;
  const agreeing = scan.filter((s, i) => sameMatches(s, mih[i]!)).length;
  return Promise.resolve({
    operations: MIH_QUERIES,
    seconds: mihSeconds,
    extra: {
      entries: PDQ_ENTRIES,
      generatedPictureHashes: GENERATED_PICTURES,
      nearDuplicates: NEAR_DUPLICATES,
      randomHashes: PDQ_ENTRIES - GENERATED_PICTURES - NEAR_DUPLICATES,
      hashingSeconds,
      buildSeconds,
      fromBytesSeconds: openSeconds,
      sectionMiB: bytes.length / 2 ** 20,
      sameBytesAfterReopen: sameBytes(index.toBytes(), bytes) ? 1 : 0,
      mihQueriesPerSecond: MIH_QUERIES / mihSeconds,
      bruteForceQueriesPerSecond: SCAN_QUERIES / scanSeconds,
      speedup: MIH_QUERIES / mihSeconds / (SCAN_QUERIES / scanSeconds),
      meanCandidatesProbed: stats.candidates / MIH_QUERIES,
      meanHitsPerQuery: hits / MIH_QUERIES,
      queriesCheckedAgainstBruteForce: SCAN_QUERIES,
      queriesAgreeing: agreeing,
    },
  });
}

function audioBench(
  keyBits: number,
): () => Promise<{ operations: number; seconds: number; extra: Record<string, number> }> {
  return () => {
    const random = seeded(7);
    const references = Array.from({ length: AUDIO_REFERENCES }, () =>
      randomItems(random, 200 + Math.floor(random() * 1_300)),
    );
    let t = performance.now();
    const index = AudioIndex.fromBytes(AudioIndex.build(references, { keyBits }).toBytes());
    const buildSeconds = (performance.now() - t) / 1000;
    // 15 s excerpts (120 items) with 10 % and 20 % bit errors, and unrelated queries.
    const excerpts = Array.from({ length: 300 }, (_, i) => {
      const entry = Math.floor(random() * AUDIO_REFERENCES);
      const reference = references[entry]!;
      const start = Math.floor(random() * (reference.length - 120));
      return { entry, items: withBitErrors(random, reference.subarray(start, start + 120), i < 200 ? 0.1 : 0.2) };
    });
    const unrelated = Array.from({ length: 100 }, () => randomItems(random, 120));
    const stats: AudioSearchStats = { postings: 0, confirmed: 0 };
    t = performance.now();
    const found = excerpts.map((q) => index.search(q.items, { stats })[0]?.entry === q.entry);
    const falseMatches = unrelated.filter((q) => index.search(q, { stats }).length > 0).length;
    const seconds = (performance.now() - t) / 1000;
    const queries = excerpts.length + unrelated.length;
    return Promise.resolve({
      operations: queries,
      seconds,
      extra: {
        references: AUDIO_REFERENCES,
        items: index.itemCount,
        keyBits,
        stoppedKeys: index.stoppedKeys,
        buildAndOpenSeconds: buildSeconds,
        sectionMiB: index.toBytes().length / 2 ** 20,
        recallAtBer10: found.slice(0, 200).filter(Boolean).length / 200,
        recallAtBer20: found.slice(200).filter(Boolean).length / 100,
        falseMatches,
        meanPostingsPerQuery: stats.postings / queries,
        meanConfirmedPerQuery: stats.confirmed / queries,
      },
    });
  };
}

export const oneShots: readonly OneShot[] = [
  {
    group: 'scanner',
    name: 'PDQ index: MIH search, d ≤ 31, over 1,000,000 hashes (brute force in extra)',
    unit: 'query',
    run: pdqBench,
  },
  {
    group: 'scanner',
    name: 'audio index: 15 s excerpt search over 10,000 references, 16-bit keys',
    unit: 'query',
    run: audioBench(16),
  },
  {
    group: 'scanner',
    name: 'audio index: 15 s excerpt search over 10,000 references, 14-bit keys',
    unit: 'query',
    run: audioBench(14),
  },
];
