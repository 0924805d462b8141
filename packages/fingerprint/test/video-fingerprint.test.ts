import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVideo, parseVideoFingerprint, serialiseVideoFingerprint, VIDEO_MIN_ALIGNED_FRAMES } from '@heoga/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystemTool } from '../../../test/support/system-tools.js';
import { FingerprintError } from '../src/errors.js';
import { fingerprintVideo, splitPpmStream, type VideoFileFingerprint } from '../src/video/fingerprint-video.js';
import { probeMedia } from '../src/video/probe-media.js';
import { encodeWav, synthesizeMusic } from './audio-material.js';
import { transcode, writeVideo } from './video-material.js';

let dir = '';
const file = (name: string) => join(dir, name);
let original: VideoFileFingerprint;

beforeAll(async () => {
  requireSystemTool('ffmpeg', 'ffmpeg');
  dir = await mkdtemp(join(tmpdir(), 'heoga-video-'));
  await writeVideo(file('original.mp4'), { seconds: 20, seed: 7 });
  await writeVideo(file('unrelated.mp4'), { seconds: 12, seed: 99 });
  await transcode(file('original.mp4'), file('half.mp4'), ['-vf', 'scale=320:180', '-c:v', 'libx264', '-crf', '35']);
  await transcode(
    file('original.mp4'),
    file('excerpt.webm'),
    ['-t', '8', '-c:v', 'libvpx-vp9', '-b:v', '300k'],
    ['-ss', '5'],
  );
  await transcode(file('original.mp4'), file('mirror.mp4'), ['-vf', 'hflip', '-c:v', 'libx264']);
  original = await fingerprintVideo(file('original.mp4'));
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fingerprintVideo', () => {
  it('hashes one frame per second, with usable quality', () => {
    expect(original.frames.map((f) => f.second)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(original.frames.every((f) => f.quality >= 50)).toBe(true);
    expect(original.duration).toBeCloseTo(20, 0);
    expect(original.hasAudio).toBe(false);
  });

  it('finds the video re-encoded at half resolution, frame for frame', async () => {
    const half = await fingerprintVideo(file('half.mp4'));
    const result = compareVideo(half, original);
    expect(result).toMatchObject({ matched: true, offsetSeconds: 0 });
    expect(result.queryCoverage).toBeGreaterThanOrEqual(0.9);
    expect(result.referenceCoverage).toBeGreaterThanOrEqual(0.9);
  });

  it('finds an 8-second excerpt in another codec and container, at its place in the work', async () => {
    const excerpt = await fingerprintVideo(file('excerpt.webm'));
    expect(excerpt.frames.length).toBe(8);
    const result = compareVideo(excerpt, original);
    expect(result.matched).toBe(true);
    expect(result.offsetSeconds).toBeGreaterThanOrEqual(4);
    expect(result.offsetSeconds).toBeLessThanOrEqual(6);
    expect(result.alignedFrames).toBeGreaterThanOrEqual(VIDEO_MIN_ALIGNED_FRAMES);
    expect(result.queryCoverage).toBeGreaterThanOrEqual(0.8);
    expect(result.referenceCoverage).toBeLessThan(0.6);
  });

  it('finds a mirrored copy through the dihedral hashes, and only through them', async () => {
    const mirror = await fingerprintVideo(file('mirror.mp4'));
    expect(compareVideo(mirror, original).matched).toBe(true);
    const withoutVariants = { frames: mirror.frames.map(({ second, hash, quality }) => ({ second, hash, quality })) };
    const stored = { frames: original.frames.map(({ second, hash, quality }) => ({ second, hash, quality })) };
    expect(compareVideo(withoutVariants, stored).matched).toBe(false);
  });

  it('does not match an unrelated video', async () => {
    const unrelated = await fingerprintVideo(file('unrelated.mp4'));
    const result = compareVideo(unrelated, original);
    expect(result.matched).toBe(false);
    expect(result.queryMatched).toBe(0);
  });

  it('takes the video as bytes as well as a path, with the same result', async () => {
    const { readFile } = await import('node:fs/promises');
    const fromBytes = await fingerprintVideo(await readFile(file('half.mp4')));
    const fromPath = await fingerprintVideo(file('half.mp4'));
    expect(serialiseVideoFingerprint(fromBytes)).toBe(serialiseVideoFingerprint(fromPath));
  });

  it('stops at maxSeconds', async () => {
    const first = await fingerprintVideo(file('original.mp4'), { maxSeconds: 3 });
    expect(first.frames.map((f) => f.second)).toEqual([0, 1, 2]);
    expect(serialiseVideoFingerprint(first)).toBe(serialiseVideoFingerprint({ frames: original.frames.slice(0, 3) }));
  });

  it('round-trips through the stored form (vpdq-1fps/1)', () => {
    const parsed = parseVideoFingerprint(serialiseVideoFingerprint(original));
    expect(parsed.ok && parsed.value.frames.map(({ second, hash, quality }) => ({ second, hash, quality }))).toEqual(
      original.frames.map(({ second, hash, quality }) => ({ second, hash, quality })),
    );
  });
});

describe('fingerprintVideo on bad input', () => {
  const code = async (input: Uint8Array | string) => {
    try {
      await fingerprintVideo(input);
      return 'no error';
    } catch (error) {
      if (error instanceof FingerprintError) return error.code;
      throw error;
    }
  };

  it('refuses audio without pictures, empty files, missing files and junk with typed errors', async () => {
    await writeFile(file('music.wav'), encodeWav(synthesizeMusic({ seconds: 3, seed: 1 })));
    expect(await code(file('music.wav'))).toBe('DECODE_FAILED');
    expect(await code(new Uint8Array())).toBe('DECODE_FAILED');
    expect(await code(file('missing.mp4'))).toBe('READ_FAILED');
    expect(await code(dir)).toBe('READ_FAILED');
    expect(await code(new TextEncoder().encode('not a video at all'))).toBe('DECODE_FAILED');
    expect(
      await fingerprintVideo(file('original.mp4'), { maxInputBytes: 10 }).catch((e: FingerprintError) => e.code),
    ).toBe('FILE_TOO_LARGE');
  });

  it('gives DECODE_FAILED for random bytes and truncated videos, never another error (property)', async () => {
    const { readFile } = await import('node:fs/promises');
    const video = await readFile(file('original.mp4'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 4096 }),
          fc.integer({ min: 1, max: 2048 }).map((n) => video.subarray(0, n)),
        ),
        async (bytes) => {
          expect(await code(bytes)).toBe('DECODE_FAILED');
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it('probeMedia tells pictures from sound', async () => {
    expect(await probeMedia(file('original.mp4'))).toMatchObject({ hasVideo: true, hasAudio: false });
    expect(await probeMedia(file('music.wav'))).toMatchObject({ hasVideo: false, hasAudio: true });
  });

  it('splitPpmStream refuses anything but whole PPM frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        try {
          splitPpmStream(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(FingerprintError);
        }
      }),
    );
    const frame = new Uint8Array([...new TextEncoder().encode('P6\n2 1\n255\n'), 1, 2, 3, 4, 5, 6]);
    expect(splitPpmStream(new Uint8Array([...frame, ...frame]))).toHaveLength(2);
    expect(() => splitPpmStream(frame.subarray(0, frame.length - 1))).toThrow(FingerprintError);
  });
});
