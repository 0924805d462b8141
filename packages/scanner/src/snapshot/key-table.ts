import { ScanError } from '../errors.js';

const MAGIC = 0x4b455954; // "KEYT"
const VERSION = 1;
const HEADER_WORDS = 4;

/** Growable columns of 64-bit keys (two u32 halves) and u32 payloads, filled before `KeyTable.build`. */
export class KeyColumns {
  hi = new Uint32Array(1024);
  lo = new Uint32Array(1024);
  payload = new Uint32Array(1024);
  length = 0;

  /** Appends one key with its payload. */
  push(hi: number, lo: number, payload: number): void {
    if (this.length === this.hi.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi);
      this.lo = grow(this.lo);
      this.payload = grow(this.payload);
    }
    this.hi[this.length] = hi >>> 0;
    this.lo[this.length] = lo >>> 0;
    this.payload[this.length] = payload >>> 0;
    this.length++;
  }
}

/**
 * A read-only multimap from 64-bit keys to u32 payloads, stored as sorted columns under a directory on the key's top
 * bits: a lookup reads one directory slot and scans a bucket of about 8 keys. The byte form (`toBytes`) is what a
 * snapshot section holds, and `fromBytes` reads it back without copying, so every worker thread shares one buffer.
 *
 * Layout (little-endian u32 words): magic `KEYT`, version 1, directory bits b, count n; then the directory
 * (2^b + 1 offsets into the columns, non-decreasing, the last equal to n); then n high halves, n low halves and n
 * payloads, sorted by (high, low, payload).
 *
 * @example
 * ```ts
 * const columns = new KeyColumns();
 * columns.push(0x12345678, 0x9abcdef0, 7);
 * const table = KeyTable.fromBytes(KeyTable.build(columns).toBytes());
 * table.find(0x12345678, 0x9abcdef0, (payload) => console.log(payload)); // 7
 * ```
 */
export class KeyTable {
  private constructor(
    private readonly bits: number,
    private readonly directory: Uint32Array,
    private readonly hi: Uint32Array,
    private readonly lo: Uint32Array,
    private readonly payload: Uint32Array,
    private readonly words: Uint32Array,
  ) {}

  /** How many keys (with repetitions) the table holds. */
  get size(): number {
    return this.hi.length;
  }

  /** Sorts the columns into a table. */
  static build(columns: KeyColumns): KeyTable {
    const n = columns.length;
    const bits = Math.min(22, Math.max(4, Math.ceil(Math.log2(Math.max(n, 1))) - 3));
    const shift = 32 - bits;
    const buckets = 1 << bits;
    const words = new Uint32Array(HEADER_WORDS + buckets + 1 + 3 * n);
    words[0] = MAGIC;
    words[1] = VERSION;
    words[2] = bits;
    words[3] = n;
    const directory = words.subarray(HEADER_WORDS, HEADER_WORDS + buckets + 1);
    const hi = words.subarray(HEADER_WORDS + buckets + 1, HEADER_WORDS + buckets + 1 + n);
    const lo = words.subarray(HEADER_WORDS + buckets + 1 + n, HEADER_WORDS + buckets + 1 + 2 * n);
    const payload = words.subarray(HEADER_WORDS + buckets + 1 + 2 * n);
    // Counting sort on the top bits, then a small insertion sort inside each bucket.
    for (let i = 0; i < n; i++) directory[(columns.hi[i]! >>> shift) + 1]!++;
    for (let b = 0; b < buckets; b++) directory[b + 1]! += directory[b]!;
    const fill = directory.slice(0, buckets);
    for (let i = 0; i < n; i++) {
      const at = fill[columns.hi[i]! >>> shift]!++;
      hi[at] = columns.hi[i]!;
      lo[at] = columns.lo[i]!;
      payload[at] = columns.payload[i]!;
    }
    for (let b = 0; b < buckets; b++) {
      const start = directory[b]!;
      const end = directory[b + 1]!;
      if (end - start > 64) sortRange(hi, lo, payload, start, end);
      else
        for (let i = start + 1; i < end; i++) {
          const h = hi[i]!;
          const l = lo[i]!;
          const p = payload[i]!;
          let j = i - 1;
          while (j >= start && compare(hi[j]!, lo[j]!, payload[j]!, h, l, p) > 0) {
            hi[j + 1] = hi[j]!;
            lo[j + 1] = lo[j]!;
            payload[j + 1] = payload[j]!;
            j--;
          }
          hi[j + 1] = h;
          lo[j + 1] = l;
          payload[j + 1] = p;
        }
    }
    return new KeyTable(bits, directory, hi, lo, payload, words);
  }

  /**
   * Reads a table from its byte form without copying (`bytes` must start on a 4-byte boundary). Every offset is
   * checked, so no later lookup can read out of bounds.
   *
   * @throws {ScanError} `SNAPSHOT_INVALID` when the bytes are not a well-formed table.
   */
  static fromBytes(bytes: Uint8Array, maxPayload = 0xffffffff): KeyTable {
    const invalid = (why: string) => new ScanError('SNAPSHOT_INVALID', `key table: ${why}`);
    if (bytes.byteOffset % 4 !== 0 || bytes.byteLength % 4 !== 0 || bytes.byteLength < HEADER_WORDS * 4)
      throw invalid('misaligned or truncated');
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (words[0] !== MAGIC || words[1] !== VERSION) throw invalid('not a key table of version 1');
    const bits = words[2]!;
    const n = words[3]!;
    if (bits < 4 || bits > 22) throw invalid(`directory of ${bits} bits`);
    const buckets = 2 ** bits;
    if (words.length !== HEADER_WORDS + buckets + 1 + 3 * n) throw invalid('size does not match its header');
    const directory = words.subarray(HEADER_WORDS, HEADER_WORDS + buckets + 1);
    if (directory[0] !== 0 || directory[buckets] !== n) throw invalid('directory does not span the table');
    for (let b = 0; b < buckets; b++) if (directory[b]! > directory[b + 1]!) throw invalid('directory decreases');
    const start = HEADER_WORDS + buckets + 1;
    const payload = words.subarray(start + 2 * n, start + 3 * n);
    if (maxPayload < 0xffffffff)
      for (let i = 0; i < n; i++) if (payload[i]! > maxPayload) throw invalid('payload out of range');
    return new KeyTable(
      bits,
      directory,
      words.subarray(start, start + n),
      words.subarray(start + n, start + 2 * n),
      payload,
      words,
    );
  }

  /** The byte form (a view of the table's own buffer, no copy). */
  toBytes(): Uint8Array {
    return new Uint8Array(this.words.buffer, this.words.byteOffset, this.words.byteLength);
  }

  /** Calls `found` with the payload of every entry whose key is (hi, lo), in payload order; returns how many. */
  find(hi: number, lo: number, found: (payload: number) => void): number {
    hi >>>= 0;
    lo >>>= 0;
    const bucket = hi >>> (32 - this.bits);
    const end = this.directory[bucket + 1]!;
    let count = 0;
    for (let i = this.directory[bucket]!; i < end; i++) {
      const h = this.hi[i]!;
      if (h < hi) continue;
      if (h > hi) break;
      const l = this.lo[i]!;
      if (l < lo) continue;
      if (l > lo) break;
      found(this.payload[i]!);
      count++;
    }
    return count;
  }
}

function compare(h1: number, l1: number, p1: number, h2: number, l2: number, p2: number): number {
  return h1 !== h2 ? (h1 < h2 ? -1 : 1) : l1 !== l2 ? (l1 < l2 ? -1 : 1) : p1 - p2;
}

/** Sorts a large bucket (many equal top bits: a skewed key set) through an index permutation. */
function sortRange(hi: Uint32Array, lo: Uint32Array, payload: Uint32Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, i) => start + i);
  order.sort((a, b) => compare(hi[a]!, lo[a]!, payload[a]!, hi[b]!, lo[b]!, payload[b]!));
  const h = order.map((i) => hi[i]!);
  const l = order.map((i) => lo[i]!);
  const p = order.map((i) => payload[i]!);
  hi.set(h, start);
  lo.set(l, start);
  payload.set(p, start);
}
