import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hammingDistance, pdqHashFromHex, PDQ_MIN_QUALITY } from '@heoga/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VECTORS_AVAILABLE, vectorsDir } from '../../../../core/test/vectors.js';
import { PdqIndex } from '../../../src/match/media/index.js';
import { expectInvalidSection, flipBits, openOrInvalid, randomHashes, sameBytes, seeded } from './media-fixtures.js';

/** Random hashes in clusters (a base and near-duplicates of it), so that queries have several hits at once. */
function clusteredIndex(seed: number, count: number): { index: PdqIndex; hashes: Uint8Array; qualities: Uint8Array } {
  const random = seeded(seed);
  const hashes = randomHashes(random, count);
  for (let i = 1; i < count; i++) {
    if (random() < 0.5) {
      const base = Math.floor(random() * i);
      hashes.set(flipBits(random, hashes.subarray(base * 32, base * 32 + 32), Math.floor(random() * 48)), i * 32);
    }
  }
  const qualities = Uint8Array.from({ length: count }, () => (random() < 0.2 ? Math.floor(random() * 50) : 100));
  return { index: PdqIndex.build(hashes, qualities), hashes, qualities };
}

function queryNear(random: () => number, hashes: Uint8Array, count: number, flips: number): Uint8Array {
  const base = Math.floor(random() * count);
  return flipBits(random, hashes.subarray(base * 32, base * 32 + 32), flips);
}

describe('PdqIndex', () => {
  it('finds exactly what the brute force finds, for near and random queries, at any radius', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (seed, count, flips, radius, anyQuality) => {
          const { index, hashes } = clusteredIndex(seed, count);
          const random = seeded(seed ^ 0x5bd1e995);
          const options = anyQuality ? { minQuality: 0 } : {};
          for (const query of [queryNear(random, hashes, count, flips), randomHashes(random, 1)]) {
            for (const maxDistance of [radius, 31, 15, 16, 0]) {
              const fast = index.search(query, maxDistance, options);
              expect(fast).toEqual(index.searchBruteForce(query, maxDistance, options));
              expect(new Set(fast.map((m) => m.entry)).size).toBe(fast.length);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('always finds a registered hash with up to 31 bits flipped, and leaves out low quality unless asked', () => {
    const { index, hashes, qualities } = clusteredIndex(7, 2_000);
    const random = seeded(8);
    for (let t = 0; t < 300; t++) {
      const entry = Math.floor(random() * 2_000);
      const flips = Math.floor(random() * 32);
      const query = flipBits(random, hashes.subarray(entry * 32, entry * 32 + 32), flips);
      const hit = index.search(query, 31, { minQuality: 0 }).find((m) => m.entry === entry);
      expect(hit?.distance).toBe(flips);
      const filtered = index.search(query).some((m) => m.entry === entry);
      expect(filtered).toBe(qualities[entry]! >= PDQ_MIN_QUALITY);
    }
  });

  it('results are sorted by distance then entry, with the exact distance', () => {
    const { index, hashes } = clusteredIndex(3, 500);
    const query = hashes.subarray(0, 32);
    const hits = index.search(query, 31, { minQuality: 0 });
    for (let i = 1; i < hits.length; i++) {
      const [a, b] = [hits[i - 1]!, hits[i]!];
      expect(a.distance < b.distance || (a.distance === b.distance && a.entry < b.entry)).toBe(true);
    }
    for (const { entry, distance } of hits) expect(distance).toBe(hammingDistance(query, index.hash(entry)!));
  });

  it('falls back to the linear scan beyond 31 bits', () => {
    const { index, hashes } = clusteredIndex(11, 400);
    const query = hashes.subarray(32, 64);
    for (const d of [32, 47, 64, 128, 256, 1000])
      expect(index.search(query, d, { minQuality: 0 })).toEqual(index.searchBruteForce(query, d, { minQuality: 0 }));
    expect(index.search(query, 1000, { minQuality: 0 })).toHaveLength(400);
  });

  it('counts candidates probed, far fewer than a scan', () => {
    const { index, hashes } = clusteredIndex(12, 3_000);
    const stats = { candidates: 0 };
    index.search(hashes.subarray(0, 32), 31, { stats });
    expect(stats.candidates).toBeGreaterThan(0);
    expect(stats.candidates).toBeLessThan(3_000);
  });

  it('searchVariants keeps the best distance per entry and the variant that gave it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 200 }), (seed, count) => {
        const { index, hashes } = clusteredIndex(seed, count);
        const random = seeded(seed + 1);
        const variants = [0, 1, 2, 3].map(() => queryNear(random, hashes, count, Math.floor(random() * 40)));
        const expected = new Map<number, { distance: number; variant: number }>();
        variants.forEach((v, i) => {
          for (const { entry, distance } of index.searchBruteForce(v, 31)) {
            const seen = expected.get(entry);
            if (!seen || distance < seen.distance) expected.set(entry, { distance, variant: i });
          }
        });
        const got = index.searchVariants(variants, 31);
        expect(got).toHaveLength(expected.size);
        for (const m of got) expect({ distance: m.distance, variant: m.variant }).toEqual(expected.get(m.entry));
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on hostile queries: wrong lengths, types, distances', () => {
    const { index } = clusteredIndex(1, 50);
    const bad: unknown[] = [undefined, null, 'x', new Uint8Array(31), new Uint8Array(33), new Uint16Array(16), {}];
    for (const q of bad) expect(index.search(q as Uint8Array)).toEqual([]);
    for (const d of [Number.NaN, -1, Number.NEGATIVE_INFINITY, '3' as unknown as number])
      expect(index.search(new Uint8Array(32), d)).toEqual([]);
    expect(index.searchVariants(null as unknown as Uint8Array[])).toEqual([]);
    expect(index.searchVariants([new Uint8Array(3), null as unknown as Uint8Array])).toEqual([]);
    expect(index.hash(-1)).toBeUndefined();
    expect(index.hash(50)).toBeUndefined();
    expect(index.quality(1.5)).toBeUndefined();
  });

  it('handles an empty index', () => {
    const empty = PdqIndex.fromBytes(PdqIndex.build(new Uint8Array(0)).toBytes());
    expect(empty.size).toBe(0);
    expect(empty.search(new Uint8Array(32))).toEqual([]);
    expect(empty.searchBruteForce(new Uint8Array(32), 256)).toEqual([]);
  });

  it('build rejects malformed input with SNAPSHOT_INVALID', () => {
    expectInvalidSection(() => PdqIndex.build(new Uint8Array(33)));
    expectInvalidSection(() => PdqIndex.build(new Uint8Array(64), new Uint8Array(1)));
    expectInvalidSection(() => PdqIndex.build(new Uint8Array(64), Uint8Array.of(100, 101)));
    expectInvalidSection(() => PdqIndex.build('nope' as unknown as Uint8Array));
  });
});

describe('PdqIndex sections', () => {
  it('fromBytes(toBytes(x)) gives the same bytes and the same answers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 200 }), (seed, count) => {
        const { index, hashes } = clusteredIndex(seed, count);
        const bytes = index.toBytes();
        const loaded = PdqIndex.fromBytes(bytes);
        expect(loaded.size).toBe(count);
        expect(sameBytes(loaded.toBytes(), bytes)).toBe(true);
        const random = seeded(seed);
        if (count > 0) {
          const query = queryNear(random, hashes, count, 20);
          expect(loaded.search(query, 31, { minQuality: 0 })).toEqual(index.search(query, 31, { minQuality: 0 }));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('reads a section in place from a shared buffer at an 8-byte offset, and copies a misaligned one', () => {
    const { index, hashes } = clusteredIndex(5, 100);
    const bytes = index.toBytes();
    const shared = new SharedArrayBuffer(bytes.length + 16);
    new Uint8Array(shared, 8, bytes.length).set(bytes);
    const inPlace = PdqIndex.fromBytes(new Uint8Array(shared, 8, bytes.length));
    const odd = new Uint8Array(bytes.length + 1);
    odd.set(bytes, 1);
    const copied = PdqIndex.fromBytes(odd.subarray(1));
    const query = hashes.subarray(0, 32);
    expect(inPlace.search(query)).toEqual(index.search(query));
    expect(copied.search(query)).toEqual(index.search(query));
  });

  it('rejects every truncation and extension', () => {
    const bytes = clusteredIndex(9, 20).index.toBytes();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expectInvalidSection(() => PdqIndex.fromBytes(bytes.subarray(0, length)));
      }),
      { numRuns: 200 },
    );
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expectInvalidSection(() => PdqIndex.fromBytes(longer));
    expectInvalidSection(() => PdqIndex.fromBytes('bytes' as unknown as Uint8Array));
  });

  it('a mutated section is rejected, or answers exactly as the brute force over what it holds', () => {
    const count = 24;
    const { index, hashes } = clusteredIndex(13, count);
    const bytes = index.toBytes();
    const qualitiesAt = 32 + 32 * count;
    const idsAt = qualitiesAt + 24 + 16 * 65_537 * 4;
    // Positions anywhere, and in the small parts a random position rarely hits: header, hashes, qualities, ids.
    const position = fc.oneof(
      fc.integer({ min: 0, max: bytes.length - 1 }),
      fc.integer({ min: 0, max: idsAt - 1 - 16 * 65_537 * 4 }),
      fc.integer({ min: idsAt, max: bytes.length - 1 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(position, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const mutated = bytes.slice();
          for (const [at, xor] of edits) mutated[at]! ^= xor;
          const loaded = openOrInvalid(() => PdqIndex.fromBytes(mutated));
          if (loaded === undefined) return;
          accepted++;
          const random = seeded(edits[0]![0]);
          for (const query of [queryNear(random, hashes, count, 10), randomHashes(random, 1)])
            for (const d of [31, 15, 64])
              expect(loaded.search(query, d, { minQuality: 0 })).toEqual(
                loaded.searchBruteForce(query, d, { minQuality: 0 }),
              );
        },
      ),
      { numRuns: 300 },
    );
    // Quality bytes and padding may change and stay consistent; hashes, ids and offsets may not.
    expect(accepted).toBeLessThan(300);
  });

  it('rejects ids moved to another bucket, repeated, or out of range', () => {
    const count = 10;
    const bytes = clusteredIndex(21, count).index.toBytes();
    const idsAt = 32 + 32 * count + 16 + 16 * 65_537 * 4;
    const view = new DataView(bytes.buffer);
    const swapped = bytes.slice();
    const swappedView = new DataView(swapped.buffer);
    swappedView.setUint32(idsAt, view.getUint32(idsAt + 4, true), true);
    expectInvalidSection(() => PdqIndex.fromBytes(swapped));
    const outOfRange = bytes.slice();
    new DataView(outOfRange.buffer).setUint32(idsAt, 10, true);
    expectInvalidSection(() => PdqIndex.fromBytes(outOfRange));
    const version = bytes.slice();
    version[4] = 2;
    expectInvalidSection(() => PdqIndex.fromBytes(version));
  });
});

interface VectorRow {
  readonly file: string;
  readonly quality: number;
  readonly hashes: readonly Uint8Array[];
}

function readVectors(name: string): VectorRow[] {
  const [, ...lines] = readFileSync(join(vectorsDir(), 'pdq', name), 'utf8')
    .trim()
    .split('\n');
  return lines.map((line) => {
    const [file, quality, ...hex] = line.split(',');
    return { file: file!, quality: Number(quality), hashes: hex.map((h) => pdqHashFromHex(h)!) };
  });
}

describe.skipIf(!VECTORS_AVAILABLE)('PdqIndex on the reference vectors (vectors/pdq)', () => {
  const base = (file: string) => file.replace(/^.*\//, '').replace(/\.\w+$/, '');
  const TRANSFORMS = /^bridge-[2-8]-/;
  const EDITS = ['blur-a-lot', 'high-contrast', 'sharpen-a-lot', 'shrink-a-lot', 'square-256x256'];

  it('finds the rotated, mirrored and edited bridges from the registered original, with their variants', () => {
    const rows = readVectors('ppm-exact.csv');
    // Register the originals only: everything but the 7 transforms and the 5 edits of bridge-1.
    const registered = rows.filter((r) => !TRANSFORMS.test(base(r.file)) && !EDITS.includes(base(r.file)));
    const hashes = new Uint8Array(registered.length * 32);
    registered.forEach((r, i) => hashes.set(r.hashes[0]!, i * 32));
    const index = PdqIndex.fromBytes(
      PdqIndex.build(hashes, Uint8Array.from(registered.map((r) => r.quality))).toBytes(),
    );
    const bridge = registered.findIndex((r) => base(r.file) === 'bridge-1-original');
    const queries = rows.filter((r) => TRANSFORMS.test(base(r.file)) || EDITS.includes(base(r.file)));
    expect(queries).toHaveLength(12);
    for (const query of queries) {
      // ppm-exact.csv gives each image's hash and its 7 dihedral variants, as the scanner's fingerprintImage does.
      expect(query.hashes).toHaveLength(8);
      const hits = index.searchVariants(query.hashes);
      expect(
        hits.map((h) => h.entry),
        query.file,
      ).toEqual([bridge]);
      expect(hits[0]!.distance).toBeLessThanOrEqual(31);
      // The original alone finds only the edits: a rotation is ~128 bits from it.
      expect(index.search(query.hashes[0]!).some((h) => h.entry === bridge)).toBe(EDITS.includes(base(query.file)));
    }
  });

  it('leaves out the quality 3, 4 and 0 images unless asked, and keeps unrelated photos apart', () => {
    const rows = readVectors('ppm-exact.csv');
    const hashes = new Uint8Array(rows.length * 32);
    rows.forEach((r, i) => hashes.set(r.hashes[0]!, i * 32));
    const index = PdqIndex.build(hashes, Uint8Array.from(rows.map((r) => r.quality)));
    rows.forEach((row, i) => {
      const found = index.search(row.hashes[0]!).some((h) => h.entry === i);
      expect(found, row.file).toBe(row.quality >= PDQ_MIN_QUALITY);
      expect(index.search(row.hashes[0]!, 31, { minQuality: 0 }).some((h) => h.entry === i)).toBe(true);
    });
    const labelme = rows.flatMap((r, i) => (/^q\d+$/.test(base(r.file)) && r.quality >= 50 ? [i] : []));
    for (const i of labelme) {
      const others = index.search(rows[i]!.hashes[0]!).filter((h) => h.entry !== i);
      expect(others, rows[i]!.file).toEqual([]);
    }
  });

  it('finds the end-to-end (JPEG-decoded) hashes among the exact-pixel ones', () => {
    const exact = readVectors('ppm-exact.csv');
    const hashes = new Uint8Array(exact.length * 32);
    exact.forEach((r, i) => hashes.set(r.hashes[0]!, i * 32));
    const index = PdqIndex.build(hashes, Uint8Array.from(exact.map((r) => r.quality)));
    for (const row of readVectors('end-to-end.csv').filter((r) => r.quality >= 80)) {
      const same = exact.findIndex((r) => base(r.file) === base(row.file));
      const hit = index.search(row.hashes[0]!).find((h) => h.entry === same);
      expect(hit, row.file).toBeDefined();
      expect(index.search(row.hashes[0]!)).toEqual(index.searchBruteForce(row.hashes[0]!, 31));
    }
  });
});
