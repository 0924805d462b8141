/**
 * Splits a byte stream into lines on `\n` (Buffer.indexOf, so at memchr speed), carrying a line cut across chunks.
 * A line longer than the limit is not held: it is reported once as too large when it ends.
 */
import { MAX_LINE_BYTES } from './limits.js';

/**
 * Receives one line: `buf[start, end)` without its `\n` (a `\r` before it is still there); `next` is the input
 * offset just after the line's terminator. `buf` may be reused after the call: copy what you keep.
 */
export type LineHandler = (buf: Buffer, start: number, end: number, next: number) => void;

/**
 * A streaming line splitter.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const s = new LineSplitter((buf, a, b) => lines.push(buf.toString('utf8', a, b)), () => lines.push('(too long)'));
 * s.push(Buffer.from('a\nb')); s.push(Buffer.from('c\n')); s.end(); // lines: ['a', 'bc']
 * ```
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overflow = false;
  private offset = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onTooLong: (next: number) => void,
    private readonly maxLineBytes: number = MAX_LINE_BYTES,
  ) {}

  /** Input bytes pushed so far. */
  get bytesPushed(): number {
    return this.offset;
  }

  /** True while part of a line is held (the input so far does not end with `\n`). */
  get hasPartial(): boolean {
    return this.carryBytes > 0 || this.overflow;
  }

  /** Splits one chunk. */
  push(chunk: Buffer): void {
    const base = this.offset;
    this.offset += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (this.carryBytes > 0 || this.overflow) {
      if (nl === -1) {
        this.hold(chunk, 0);
        return;
      }
      this.finishCarry(chunk, nl, base + nl + 1);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    const onLine = this.onLine;
    while (nl !== -1) {
      if (nl - start > this.maxLineBytes) this.onTooLong(base + nl + 1);
      else onLine(chunk, start, nl, base + nl + 1);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.hold(chunk, start);
  }

  /** Ends the input: a last line without `\n` is delivered. */
  end(): void {
    if (this.overflow) this.onTooLong(this.offset);
    else if (this.carryBytes > 0) {
      const line = this.takeCarry();
      this.onLine(line, 0, line.length, this.offset);
    }
    this.reset();
  }

  /** Ends a broken input: the partial last line, if any, is dropped; true when there was one. */
  abandon(): boolean {
    const had = this.hasPartial;
    this.reset();
    return had;
  }

  private hold(chunk: Buffer, from: number): void {
    if (this.overflow) return;
    const part = chunk.length - from;
    if (this.carryBytes + part > this.maxLineBytes) {
      this.overflow = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    // A copy: the chunk's memory may belong to a decompressor that reuses it.
    this.carry.push(Buffer.from(chunk.subarray(from)));
    this.carryBytes += part;
  }

  private finishCarry(chunk: Buffer, nl: number, next: number): void {
    if (this.overflow || this.carryBytes + nl > this.maxLineBytes) {
      this.reset();
      this.onTooLong(next);
      return;
    }
    this.carry.push(chunk.subarray(0, nl));
    const line = this.takeCarry();
    this.onLine(line, 0, line.length, next);
  }

  private takeCarry(): Buffer {
    const line = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry);
    this.reset();
    return line;
  }

  private reset(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.overflow = false;
  }
}
