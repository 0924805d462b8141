import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TREE_SIZE, MerkleTree, verifyConsistency, verifyInclusion } from '../index.js';

// A naive reference, written straight from RFC 9162 §2.1 (MTH, PATH, SUBPROOF) and sharing no code with the
// implementation: not even the hash helpers.
const refLeaf = (data: Uint8Array): Uint8Array => sha256(Uint8Array.from([0, ...data]));
const refNode = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(Uint8Array.from([1, ...left, ...right]));
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

class ReferenceTree {
  readonly #memo = new Map<string, Uint8Array>();
  constructor(readonly leafHashes: readonly Uint8Array[]) {}

  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 0) return sha256(new Uint8Array(0));
    if (n === 1) return this.leafHashes[lo]!;
    const key = `${lo}:${hi}`;
    let hash = this.#memo.get(key);
    if (hash === undefined) {
      const k = split(n);
      hash = refNode(this.mth(lo, lo + k), this.mth(lo + k, hi));
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[lo:hi]), m relative to lo. */
  path(m: number, lo: number, hi: number): Uint8Array[] {
    if (hi - lo <= 1) return [];
    const k = split(hi - lo);
    return m < k
      ? [...this.path(m, lo, lo + k), this.mth(lo + k, hi)]
      : [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /** SUBPROOF(m, D[lo:hi], b). */
  subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    if (m === hi - lo) return b ? [] : [this.mth(lo, hi)];
    const k = split(hi - lo);
    return m <= k
      ? [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)]
      : [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

/**
 * Which side each proof hash joins on, from the same recursions: two (index, size) pairs with the same shape make the
 * RFC 9162 verifier do exactly the same hashing, so it cannot tell them apart. Inclusion proofs do not bind the tree
 * size beyond that (a signed checkpoint does); any other change must be rejected.
 */
function inclusionShape(m: bigint, n: bigint): string {
  if (n <= 1n) return '';
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return m < k ? `${inclusionShape(m, k)}R` : `${inclusionShape(m - k, n - k)}L`;
}

function consistencyShape(m: bigint, n: bigint, b = true): string {
  if (m === n) return b ? '' : 'S';
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return m <= k ? `${consistencyShape(m, k, b)}R` : `${consistencyShape(m - k, n - k, false)}L`;
}

const MAX_LEAVES = 2048;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const entries = Array.from({ length: MAX_LEAVES }, (_, i) => utf8(`entry ${i}`));
const reference = new ReferenceTree(entries.map(refLeaf));
const tree = MerkleTree.from(entries);
const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((h) => Buffer.from(h).toString('hex'));

const treeSize = fc.oneof(
  fc.integer({ min: 1, max: MAX_LEAVES }),
  fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 257, 1023, 1024, 1025, 2047, 2048),
);
const indexInTree = treeSize.chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));
const sizePair = treeSize.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

/** Another uint64 value: a neighbour, one bit flipped, or anything. */
const otherValue = (value: bigint): fc.Arbitrary<bigint> =>
  fc
    .oneof(
      fc.constantFrom(value + 1n, value - 1n, value * 2n, value / 2n),
      fc.integer({ min: 0, max: 63 }).map((bit) => value ^ (1n << BigInt(bit))),
      fc.bigInt({ min: 0n, max: MAX_TREE_SIZE }),
    )
    .filter((v) => v !== value && v >= 0n && v <= MAX_TREE_SIZE);

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = Uint8Array.from(bytes);
  out[Math.floor(bit / 8) % out.length]! ^= 1 << (bit % 8);
  return out;
};

type HashListMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'drop'; at: number }
  | { kind: 'insert'; at: number; hash: Uint8Array }
  | { kind: 'swap'; at: number };

const hashListMutation: fc.Arbitrary<HashListMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
);

/** Applies a mutation; undefined when it would change nothing (an empty proof, or two equal hashes swapped). */
function mutateHashes(hashes: readonly Uint8Array[], m: HashListMutation): Uint8Array[] | undefined {
  const out = [...hashes];
  if (m.kind === 'insert') {
    out.splice(m.at % (out.length + 1), 0, m.hash);
    return out;
  }
  if (out.length === 0) return undefined;
  const at = m.at % out.length;
  if (m.kind === 'flip') out[at] = flipBit(out[at]!, m.bit);
  else if (m.kind === 'drop') out.splice(at, 1);
  else {
    if (out.length < 2) return undefined;
    const next = (at + 1) % out.length;
    const [first, second] = [out[at]!, out[next]!];
    if (hex([first])[0] === hex([second])[0]) return undefined;
    out[at] = second;
    out[next] = first;
  }
  return out;
}

describe('Merkle tree against the naive reference', () => {
  it('agrees on the root of every size up to 2048', () => {
    for (let n = 0; n <= MAX_LEAVES; n++) {
      expect(hex([tree.root(BigInt(n))]), `size ${n}`).toEqual(hex([reference.mth(0, n)]));
    }
  });

  it('agrees on roots of trees built from scratch', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }), (leaves) => {
        const ref = new ReferenceTree(leaves.map(refLeaf));
        expect(hex([MerkleTree.from(leaves).root()])).toEqual(hex([ref.mth(0, leaves.length)]));
      }),
      { numRuns: 50 },
    );
  });

  it('generates the reference inclusion proof, and it verifies', () => {
    fc.assert(
      fc.property(indexInTree, ([n, m]) => {
        const proof = tree.inclusionProof(BigInt(m), BigInt(n));
        expect(hex(proof)).toEqual(hex(reference.path(m, 0, n)));
        const checked = verifyInclusion({
          leafIndex: BigInt(m),
          treeSize: BigInt(n),
          leafHash: reference.leafHashes[m]!,
          proof,
          root: reference.mth(0, n),
        });
        expect(checked).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  it('generates the reference consistency proof, and it verifies', () => {
    fc.assert(
      fc.property(sizePair, ([m, n]) => {
        const proof = tree.consistencyProof(BigInt(m), BigInt(n));
        expect(hex(proof)).toEqual(hex(reference.subproof(m, 0, n, true)));
        const checked = verifyConsistency({
          size1: BigInt(m),
          size2: BigInt(n),
          root1: reference.mth(0, m),
          root2: reference.mth(0, n),
          proof,
        });
        expect(checked).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });
});

describe('any single mutation is rejected', () => {
  it('of an inclusion proof, leaf hash, root, index or size', () => {
    const mutation = fc.oneof(
      hashListMutation.map((m) => ({ target: 'proof' as const, m })),
      fc.integer({ min: 0, max: 255 }).map((bit) => ({ target: 'root' as const, bit })),
      fc.integer({ min: 0, max: 255 }).map((bit) => ({ target: 'leafHash' as const, bit })),
      fc.constant({ target: 'index' as const }),
      fc.constant({ target: 'size' as const }),
    );
    fc.assert(
      fc.property(
        indexInTree.chain(([n, m]) =>
          fc.tuple(fc.constant(n), fc.constant(m), mutation, otherValue(BigInt(m)), otherValue(BigInt(n))),
        ),
        ([n, m, mut, otherIndex, otherSize]) => {
          const good = {
            leafIndex: BigInt(m),
            treeSize: BigInt(n),
            leafHash: reference.leafHashes[m]!,
            proof: tree.inclusionProof(BigInt(m), BigInt(n)),
            root: reference.mth(0, n),
          };
          switch (mut.target) {
            case 'proof': {
              const proof = mutateHashes(good.proof, mut.m);
              fc.pre(proof !== undefined);
              expect(verifyInclusion({ ...good, proof }).ok).toBe(false);
              return;
            }
            case 'root':
              expect(verifyInclusion({ ...good, root: flipBit(good.root, mut.bit) }).ok).toBe(false);
              return;
            case 'leafHash':
              expect(verifyInclusion({ ...good, leafHash: flipBit(good.leafHash, mut.bit) }).ok).toBe(false);
              return;
            case 'index':
              expect(verifyInclusion({ ...good, leafIndex: otherIndex }).ok).toBe(false);
              return;
            case 'size':
              if (verifyInclusion({ ...good, treeSize: otherSize }).ok) {
                expect(inclusionShape(good.leafIndex, otherSize)).toBe(inclusionShape(good.leafIndex, good.treeSize));
              }
              return;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('of a consistency proof, either root, or either size', () => {
    const mutation = fc.oneof(
      hashListMutation.map((m) => ({ target: 'proof' as const, m })),
      fc.integer({ min: 0, max: 255 }).map((bit) => ({ target: 'root1' as const, bit })),
      fc.integer({ min: 0, max: 255 }).map((bit) => ({ target: 'root2' as const, bit })),
      fc.constant({ target: 'size1' as const }),
      fc.constant({ target: 'size2' as const }),
    );
    fc.assert(
      fc.property(
        sizePair.chain(([m, n]) =>
          fc.tuple(fc.constant(m), fc.constant(n), mutation, otherValue(BigInt(m)), otherValue(BigInt(n))),
        ),
        ([m, n, mut, otherSize1, otherSize2]) => {
          const good = {
            size1: BigInt(m),
            size2: BigInt(n),
            root1: reference.mth(0, m),
            root2: reference.mth(0, n),
            proof: tree.consistencyProof(BigInt(m), BigInt(n)),
          };
          const sameShape = (size1: bigint, size2: bigint): boolean =>
            size1 > 0n &&
            size1 <= size2 &&
            consistencyShape(size1, size2) === consistencyShape(good.size1, good.size2) &&
            (size1 === size2) === (good.size1 === good.size2);
          switch (mut.target) {
            case 'proof': {
              const proof = mutateHashes(good.proof, mut.m);
              fc.pre(proof !== undefined);
              expect(verifyConsistency({ ...good, proof }).ok).toBe(false);
              return;
            }
            case 'root1':
              expect(verifyConsistency({ ...good, root1: flipBit(good.root1, mut.bit) }).ok).toBe(false);
              return;
            case 'root2':
              expect(verifyConsistency({ ...good, root2: flipBit(good.root2, mut.bit) }).ok).toBe(false);
              return;
            case 'size1':
              if (verifyConsistency({ ...good, size1: otherSize1 }).ok) {
                expect(sameShape(otherSize1, good.size2)).toBe(true);
              }
              return;
            case 'size2':
              if (verifyConsistency({ ...good, size2: otherSize2 }).ok) {
                expect(sameShape(good.size1, otherSize2)).toBe(true);
              }
              return;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('finds that inclusion proofs do not bind the tree size on their own (documented)', () => {
    // Leaf 0 of 3 and of 4 share a path shape: [leaf 1, right subtree]. The checkpoint binds size and root.
    const proof = tree.inclusionProof(0n, 3n);
    const root = tree.root(3n);
    const leafHash = tree.leafHash(0n);
    expect(verifyInclusion({ leafIndex: 0n, treeSize: 3n, leafHash, proof, root }).ok).toBe(true);
    expect(verifyInclusion({ leafIndex: 0n, treeSize: 4n, leafHash, proof, root }).ok).toBe(true);
  });
});
