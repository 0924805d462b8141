/**
 * The acceptance test: heoga's Chromaprint (WebAssembly in Node) against Debian's fpcalc on the very same samples.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMAPRINT_TEST2,
  compareChromaprint,
  compressChromaprint,
  decompressChromaprint,
} from '../../core/src/fingerprints/audio/index.js';
import { chromaprint, decodeAudio, fingerprintAudio } from '../src/audio/index.js';
import { encodeWav, fpcalc, requireAudioTools, synthesizeMusic } from './audio-material.js';

describe('chromaprint matches fpcalc', () => {
  let wav11025: Uint8Array;
  let samples: Int16Array;

  beforeAll(async () => {
    await requireAudioTools();
    const piece = encodeWav(synthesizeMusic({ seconds: 45, seed: 11 }));
    // ffmpeg converts the 22050 Hz stereo piece to 11025 Hz mono s16le; fpcalc then reads those exact samples.
    samples = (await decodeAudio(piece)).samples;
    wav11025 = encodeWav({ samples, sampleRate: 11025, channels: 1 });
  });

  it('gives the identical raw fingerprint, item for item', async () => {
    const ours = await chromaprint(samples, { sampleRate: 11025, channels: 1 });
    const reference = await fpcalc(wav11025, ['-raw']);
    expect(Array.isArray(reference.fingerprint)).toBe(true);
    expect(ours.raw.length).toBeGreaterThan(330); // 45 s at 8.08 items/s, less about 19 at the edges
    expect([...ours.raw]).toEqual(reference.fingerprint);
    expect(ours.duration).toBeCloseTo(reference.duration, 2);
    expect(ours.algorithm).toBe(2);
  });

  it('gives the identical compressed string, and core writes and reads it the same way', async () => {
    const ours = await chromaprint(samples, { sampleRate: 11025, channels: 1 });
    const reference = await fpcalc(wav11025);
    expect(ours.compressed).toBe(reference.fingerprint);
    expect(ours.compressed.startsWith('AQ')).toBe(true); // header byte 1: TEST2
    expect(compressChromaprint(ours.raw, CHROMAPRINT_TEST2.enumValue)).toBe(reference.fingerprint);
    expect(decompressChromaprint(ours.compressed)).toEqual({ ok: true, value: { algorithm: 1, items: ours.raw } });
  });

  it('gives the same fingerprint through fingerprintAudio, from bytes or a path', async () => {
    const fromBytes = await fingerprintAudio(wav11025);
    const reference = await fpcalc(wav11025);
    expect(fromBytes.chromaprint).toBe(reference.fingerprint);
    expect(fromBytes.sampleRate).toBe(11025);
    expect(fromBytes.duration).toBeCloseTo(45, 3);
    expect(compareChromaprint(fromBytes.raw, fromBytes.raw).ber).toBe(0);
  });

  it('agrees with fpcalc decoding a 44.1 kHz stereo file itself, to within resampler differences', async () => {
    const wav44 = encodeWav(synthesizeMusic({ seconds: 30, seed: 12, sampleRate: 44100 }));
    const ours = await fingerprintAudio(wav44);
    const reference = await fpcalc(wav44, ['-raw']);
    const result = compareChromaprint(ours.raw, Uint32Array.from(reference.fingerprint as number[]));
    expect(result.offset.items).toBe(0);
    expect(result.ber).toBeLessThan(0.05);
    expect(result.matched).toBe(true);
  });
});
