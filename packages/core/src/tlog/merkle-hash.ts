import { sha256 } from '@noble/hashes/sha2.js';

/**
 * RFC 6962 §2.1 (unchanged in RFC 9162 §2.1) Merkle tree hashing with SHA-256: leaves and interior nodes get
 * different one-byte prefixes, so a leaf can never be passed off as a node (second-preimage resistance).
 */

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** Largest tree size and leaf index a log can have: sizes are uint64 in RFC 9162 and in C2SP checkpoints. */
export const MAX_TREE_SIZE = (1n << 64n) - 1n;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/**
 * The root of the empty tree, `MTH({}) = SHA-256("")` (RFC 9162 §2.1.1). Returns a new array each call.
 *
 * @example
 * ```ts
 * toHex(emptyTreeRoot()) // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * ```
 */
export function emptyTreeRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/**
 * The hash of one leaf, `SHA-256(0x00 || data)` (RFC 9162 §2.1.1).
 *
 * @example
 * ```ts
 * const leafHash = hashLeaf(new TextEncoder().encode('{"work":"w1"}'));
 * ```
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

// One scratch buffer for interior nodes: hashing is synchronous, so it is never shared between two calls.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/**
 * The hash of an interior node, `SHA-256(0x01 || left || right)` (RFC 9162 §2.1.1). Both children are normally
 * 32-byte hashes; other lengths are hashed as given.
 *
 * @example
 * ```ts
 * const root = hashChildren(hashLeaf(a), hashLeaf(b)); // the root of the tree [a, b]
 * ```
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_SIZE);
    return sha256(nodeInput);
  }
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}
