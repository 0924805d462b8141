import {
  CHROMAPRINT_TEST2,
  decompressChromaprint,
  parsePdq,
  parseVideoFingerprint,
  PDQ_ALGORITHM,
  VIDEO_ALGORITHM,
  type VideoFingerprint,
} from '@heoga/core';
import { AudioIndex, PdqIndex, VideoIndex } from '../match/media/index.js';
import type { SectionName } from './snapshot-format.js';

/** Collects a registry's image, audio and video fingerprints while a snapshot is written, then builds their indexes. */
export class MediaSections {
  private pdqHashes = new Uint8Array(32 * 1024);
  private pdqQualities = new Uint8Array(1024);
  private readonly pdqWorks: number[] = [];
  private readonly audio: Uint32Array[] = [];
  private readonly audioWorks: number[] = [];
  private readonly video: VideoFingerprint[] = [];
  private readonly videoWorks: number[] = [];

  /** Takes one stored fingerprint of work `work`; false when the algorithm is unknown or the value unreadable. */
  add(algorithm: string, value: string, work: number): boolean {
    if (algorithm === PDQ_ALGORITHM) {
      const parsed = parsePdq(value);
      if (!parsed.ok) return false;
      const n = this.pdqWorks.length;
      if ((n + 1) * 32 > this.pdqHashes.length) {
        const grown = new Uint8Array(this.pdqHashes.length * 2);
        grown.set(this.pdqHashes);
        this.pdqHashes = grown;
        const q = new Uint8Array(this.pdqQualities.length * 2);
        q.set(this.pdqQualities);
        this.pdqQualities = q;
      }
      this.pdqHashes.set(parsed.value.hash, n * 32);
      this.pdqQualities[n] = parsed.value.quality;
      this.pdqWorks.push(work);
      return true;
    }
    if (algorithm === CHROMAPRINT_TEST2.registryAlgorithm) {
      const parsed = decompressChromaprint(value);
      if (!parsed.ok || parsed.value.items.length === 0) return false;
      this.audio.push(parsed.value.items);
      this.audioWorks.push(work);
      return true;
    }
    if (algorithm === VIDEO_ALGORITHM) {
      const parsed = parseVideoFingerprint(value);
      if (!parsed.ok) return false;
      this.video.push(parsed.value);
      this.videoWorks.push(work);
      return true;
    }
    return false;
  }

  /** How many of each the snapshot holds. */
  counts(): { pdqHashes: number; audioFingerprints: number; videoFingerprints: number } {
    return {
      pdqHashes: this.pdqWorks.length,
      audioFingerprints: this.audio.length,
      videoFingerprints: this.video.length,
    };
  }

  /** The built sections. */
  sections(): [SectionName, Uint8Array][] {
    const u32 = (values: number[]) => new Uint8Array(Uint32Array.from(values).buffer);
    const n = this.pdqWorks.length;
    return [
      ['pdq-works', u32(this.pdqWorks)],
      ['pdq', PdqIndex.build(this.pdqHashes.subarray(0, n * 32), this.pdqQualities.subarray(0, n)).toBytes()],
      ['audio-works', u32(this.audioWorks)],
      ['audio', AudioIndex.build(this.audio).toBytes()],
      ['video-works', u32(this.videoWorks)],
      ['video', VideoIndex.build(this.video).toBytes()],
    ];
  }
}
