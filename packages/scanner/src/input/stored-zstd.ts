/**
 * Writing a zstd stream without a zstd compressor. Node 20's zlib has none and fzstd only decompresses, so unless
 * the runtime's `node:zlib` has `createZstdCompress` (Node ≥ 22.15), the stream is one zstd frame of raw (stored)
 * blocks (RFC 8878 §3.1.1.2.2, Block_Type 0): a valid `.zst` any zstd reader decodes, the size of its input plus
 * 3 bytes per 128 KiB.
 */
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

/** The largest raw block: Block_Maximum_Size is min(Window_Size, 128 KiB) (RFC 8878 §3.1.1.2.3). */
const BLOCK = 128 * 1024;

/** Magic number (RFC 8878 §3.1.1), then a Frame_Header_Descriptor with no size, checksum or dictionary, then a
 * Window_Descriptor for a 128 KiB window (exponent 7: 2^(10+7)). */
const FRAME_HEADER = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]);

function blockHeader(size: number, last: boolean): Buffer {
  // Block_Header (RFC 8878 §3.1.1.2): Last_Block (1 bit), Block_Type (2 bits, 0 = raw), Block_Size (21 bits).
  const value = (last ? 1 : 0) | (size << 3);
  return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
}

class StoredZstd extends Transform {
  private started = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.started) {
      this.push(FRAME_HEADER);
      this.started = true;
    }
    for (let at = 0; at < chunk.length; at += BLOCK) {
      const block = chunk.subarray(at, at + BLOCK);
      this.push(blockHeader(block.length, false));
      this.push(block);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (!this.started) this.push(FRAME_HEADER);
    this.push(blockHeader(0, true));
    callback();
  }
}

/**
 * A transform that zstd-compresses what is written to it: real compression where the runtime has it, else stored
 * blocks (see the module comment).
 *
 * @example
 * ```ts
 * await pipeline(Readable.from(lines), createZstdWriter(), createWriteStream('cleared.jsonl.zst'));
 * ```
 */
export function createZstdWriter(): Transform {
  const native = (zlib as unknown as { createZstdCompress?: () => Transform }).createZstdCompress;
  return typeof native === 'function' ? native() : new StoredZstd();
}
