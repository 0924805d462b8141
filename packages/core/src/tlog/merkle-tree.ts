import { InvalidInputError } from '../errors.js';
import { HASH_SIZE, emptyTreeRoot, hashChildren, hashLeaf } from './merkle-hash.js';
import {
  foldPlan,
  planConsistencyProof,
  planInclusionProof,
  planNodes,
  planRoot,
  type HashReader,
  type ProofPlan,
  type TreeNode,
} from './merkle-prover.js';

const INITIAL_CAPACITY = 1024;

/**
 * An append-only RFC 6962 Merkle tree held in memory, for tests, tools and small logs. It keeps the hash of every
 * complete subtree (about 64 bytes per leaf), so roots and proofs for the current size or any earlier size cost at
 * most a few dozen hash computations. It is also a `HashReader`, so the generic `proveInclusion`,
 * `proveConsistency` and `computeRoot` work on it.
 *
 * @example
 * ```ts
 * const tree = MerkleTree.from(['a', 'b', 'c'].map((s) => new TextEncoder().encode(s)));
 * const proof = tree.inclusionProof(1n);
 * verifyInclusion({ leafIndex: 1n, treeSize: tree.size, leafHash: tree.leafHash(1n), proof, root: tree.root() }).ok;
 * ```
 */
export class MerkleTree implements HashReader {
  /** `levels[l]` holds the hashes of the complete subtrees of `2^l` leaves, 32 bytes each, left to right. */
  readonly #levels: Uint8Array[] = [];
  #size = 0;

  /** A tree of these leaves (raw entries, hashed with `hashLeaf`), in order. */
  static from(leaves: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  /** The number of leaves. */
  get size(): bigint {
    return BigInt(this.#size);
  }

  /** Appends an entry, hashing it with `hashLeaf`; returns its leaf index. */
  append(entry: Uint8Array): bigint {
    return this.appendLeafHash(hashLeaf(entry));
  }

  /** Appends a leaf by its hash (32 bytes); returns its leaf index. */
  appendLeafHash(leafHash: Uint8Array): bigint {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new InvalidInputError('TREE_HASHES_INVALID', `a leaf hash must be ${HASH_SIZE} bytes`);
    }
    const leafIndex = this.#size;
    let index = leafIndex;
    let hash = leafHash;
    for (let level = 0; ; level++) {
      this.#write(level, index, hash);
      if (index % 2 === 0) break;
      hash = hashChildren(this.#read(level, index - 1), hash);
      index = (index - 1) / 2;
    }
    this.#size++;
    return BigInt(leafIndex);
  }

  /** The hash of leaf `leafIndex`. Throws `TREE_RANGE_INVALID` when there is no such leaf. */
  leafHash(leafIndex: bigint): Uint8Array {
    return this.#readNode({ level: 0, index: leafIndex }).slice();
  }

  /** The root of the first `treeSize` leaves (default: all of them); `SHA-256("")` for size 0. */
  root(treeSize: bigint = this.size): Uint8Array {
    this.#checkSize(treeSize, 'treeSize');
    return this.#resolve(planRoot(treeSize))[0] ?? emptyTreeRoot();
  }

  /** The inclusion proof of leaf `leafIndex` in the tree of the first `treeSize` leaves (default: all of them). */
  inclusionProof(leafIndex: bigint, treeSize: bigint = this.size): Uint8Array[] {
    this.#checkSize(treeSize, 'treeSize');
    return this.#resolve(planInclusionProof(leafIndex, treeSize));
  }

  /** The consistency proof from the first `size1` leaves to the first `size2` leaves (default: all of them). */
  consistencyProof(size1: bigint, size2: bigint = this.size): Uint8Array[] {
    this.#checkSize(size2, 'size2');
    return this.#resolve(planConsistencyProof(size1, size2));
  }

  /** `HashReader`: copies of the hashes of complete subtrees. Throws `TREE_RANGE_INVALID` for one not yet complete. */
  readHashes(nodes: readonly TreeNode[]): Uint8Array[] {
    return nodes.map((node) => this.#readNode(node).slice());
  }

  #resolve(plan: ProofPlan): Uint8Array[] {
    return foldPlan(
      plan,
      planNodes(plan).map((node) => this.#readNode(node)),
    );
  }

  #readNode(node: TreeNode): Uint8Array {
    const { level, index } = node;
    if (!Number.isInteger(level) || level < 0 || level > 63 || typeof index !== 'bigint' || index < 0n) {
      throw new InvalidInputError('TREE_RANGE_INVALID', 'not a tree node');
    }
    const count = this.#size >= 2 ** level ? Math.floor(this.#size / 2 ** level) : 0;
    if (index >= BigInt(count)) {
      throw new InvalidInputError(
        'TREE_RANGE_INVALID',
        `the subtree at level ${level}, index ${index} is not complete`,
      );
    }
    return this.#read(level, Number(index));
  }

  #checkSize(size: bigint, path: string): void {
    if (typeof size !== 'bigint' || size < 0n || size > BigInt(this.#size)) {
      const message = `${path} must be a bigint between 0 and the tree size ${this.#size}`;
      throw new InvalidInputError('TREE_RANGE_INVALID', message, [{ path, message }]);
    }
  }

  #read(level: number, index: number): Uint8Array {
    return this.#levels[level]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  #write(level: number, index: number, hash: Uint8Array): void {
    let buffer = this.#levels[level];
    if (buffer === undefined) {
      buffer = new Uint8Array(INITIAL_CAPACITY * HASH_SIZE);
      this.#levels[level] = buffer;
    }
    if ((index + 1) * HASH_SIZE > buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
      this.#levels[level] = buffer;
    }
    buffer.set(hash, index * HASH_SIZE);
  }
}
