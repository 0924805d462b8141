import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMAPRINT_ITEM_SECONDS, compareChromaprint } from '../../core/src/fingerprints/audio/index.js';
import { decodeAudio, fingerprintAudio, type AudioFingerprint } from '../src/audio/index.js';
import {
  ENCODINGS,
  encodeWav,
  requireAudioTools,
  synthesizeMusic,
  transcode,
  videoWithSoundtrack,
} from './audio-material.js';

describe('decodeAudio and fingerprintAudio on encoded music', () => {
  let wav: Uint8Array;
  let original: AudioFingerprint;
  let dir: string;

  beforeAll(async () => {
    await requireAudioTools();
    wav = encodeWav(synthesizeMusic({ seconds: 60, seed: 21 }));
    original = await fingerprintAudio(wav);
    dir = await mkdtemp(join(tmpdir(), 'heoga-audio-decode-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('decodes to mono 16-bit PCM at 11025 Hz', async () => {
    const decoded = await decodeAudio(wav);
    expect(decoded.sampleRate).toBe(11025);
    expect(decoded.channels).toBe(1);
    expect(decoded.samples).toBeInstanceOf(Int16Array);
    expect(decoded.samples.length).toBe(60 * 11025);
    expect(decoded.duration).toBe(60);
    expect(original.raw.length).toBeGreaterThan(460);
  });

  it.each([
    ['MP3 192 kbit/s', ENCODINGS.mp3],
    ['FLAC', ENCODINGS.flac],
    ['Ogg Vorbis', ENCODINGS.vorbis],
    ['Opus 96 kbit/s', ENCODINGS.opus],
  ])('matches the original when encoded as %s', async (_name, args) => {
    const encoded = await transcode(wav, args);
    const print = await fingerprintAudio(encoded);
    expect(print.duration).toBeCloseTo(60, 0);
    const result = compareChromaprint(print.raw, original.raw);
    expect(result.offset.items).toBe(0);
    expect(result.ber).toBeLessThan(0.15);
    expect(result.score).toBeGreaterThan(0.7);
    expect(result.matched).toBe(true);
  });

  it('matches the soundtrack of a video (MP4, moov at the end), from bytes and from a path', async () => {
    const mp4 = await videoWithSoundtrack(wav, 60);
    const fromBytes = await fingerprintAudio(mp4);
    expect(compareChromaprint(fromBytes.raw, original.raw)).toMatchObject({ matched: true, offset: { items: 0 } });
    const path = join(dir, 'video with spaces.mp4');
    await writeFile(path, mp4);
    const fromPath = await fingerprintAudio(path);
    expect([...fromPath.raw]).toEqual([...fromBytes.raw]);
  });

  it('finds a 30 s excerpt from the middle at its offset', async () => {
    const excerpt = await transcode(wav, ['-c:a', 'pcm_s16le', '-f', 'wav'], { start: 15, duration: 30 });
    const print = await fingerprintAudio(excerpt);
    const result = compareChromaprint(print.raw, original.raw);
    // 15 s is 121.15 items of 1365/11025 s.
    expect(Math.abs(result.offset.items - 15 / CHROMAPRINT_ITEM_SECONDS)).toBeLessThan(1);
    expect(result.offset.seconds).toBeCloseTo(15, 0);
    expect(result.overlapItems).toBe(print.raw.length);
    expect(result.matched).toBe(true);
  });

  it('does not match unrelated music', async () => {
    for (const seed of [22, 23, 24]) {
      const other = await fingerprintAudio(encodeWav(synthesizeMusic({ seconds: 60, seed })));
      const result = compareChromaprint(other.raw, original.raw);
      expect(result.matched).toBe(false);
      expect(result.ber).toBeGreaterThan(0.35);
      expect(result.score).toBeLessThan(0.3);
    }
  });

  it('decodes at most maxSeconds', async () => {
    const decoded = await decodeAudio(wav, { maxSeconds: 10 });
    expect(decoded.samples.length).toBe(10 * 11025);
    const print = await fingerprintAudio(wav, { maxSeconds: 10 });
    expect(print.duration).toBe(10);
    expect(compareChromaprint(print.raw, original.raw)).toMatchObject({ matched: true, offset: { items: 0 } });
  });
});
