/**
 * Video fingerprints: seconds of video fingerprinted per second (ffmpeg frame extraction at 1 fps, fitting inside
 * 512 × 512 and PDQ included), and `videoRobustness()`, the match table for the usual transformations of a
 * registered clip: re-encoded at half resolution, excerpted, mirrored, and an unrelated video as the control.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVideo } from '@heoga/core';
import { fingerprintVideo } from '@heoga/fingerprint';
import { transcode, writeVideo } from '../packages/fingerprint/test/video-material.js';
import type { OneShot } from './harness.js';

const CLIP_SECONDS = 60;

export const oneShots: readonly OneShot[] = [
  {
    group: 'fingerprint',
    name: 'video: ffmpeg 1 fps frames + PDQ, 60 s H.264 640×360',
    unit: 'video s',
    run: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'heoga-bench-video-'));
      try {
        await writeVideo(join(dir, 'clip.mp4'), { seconds: CLIP_SECONDS, seed: 1 });
        const start = performance.now();
        const result = await fingerprintVideo(join(dir, 'clip.mp4'));
        const seconds = (performance.now() - start) / 1000;
        return { operations: result.frames.length, seconds };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];

/** One row of the robustness table. */
export interface VideoRobustnessRow {
  readonly transformation: string;
  /** Share of the copy's usable frames that match a frame of the original. */
  readonly queryCoverage: number;
  /** The time shift most matching frames agree on (seconds into the original). */
  readonly offsetSeconds: number | undefined;
  readonly matched: boolean;
}

/**
 * Encodes a 30 s synthetic clip, transforms it with ffmpeg, fingerprints each copy and compares it with the
 * original the way the registry does (`compareVideo`, the original as the registered work).
 *
 * @example
 * ```ts
 * console.table(await videoRobustness());
 * ```
 */
export async function videoRobustness(): Promise<VideoRobustnessRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-bench-video-'));
  const file = (name: string) => join(dir, name);
  try {
    await writeVideo(file('original.mp4'), { seconds: 30, seed: 7 });
    await writeVideo(file('unrelated.mp4'), { seconds: 30, seed: 8 });
    const original = await fingerprintVideo(file('original.mp4'));
    const copies: [string, string, string[], string[]][] = [
      ['re-encode at half resolution (H.264 CRF 35)', 'half.mp4', ['-vf', 'scale=320:180', '-crf', '35'], []],
      [
        'excerpt 10 s from 12 s (VP9 300 kbit/s)',
        'excerpt.webm',
        ['-t', '10', '-c:v', 'libvpx-vp9', '-b:v', '300k'],
        ['-ss', '12'],
      ],
      ['greyscale', 'grey.mp4', ['-vf', 'hue=s=0'], []],
      ['mirror (left-right)', 'mirror.mp4', ['-vf', 'hflip'], []],
    ];
    const rows: VideoRobustnessRow[] = [];
    for (const [transformation, name, args, inputArgs] of copies) {
      await transcode(file('original.mp4'), file(name), args, inputArgs);
      const result = compareVideo(await fingerprintVideo(file(name)), original);
      rows.push({
        transformation,
        queryCoverage: result.queryCoverage,
        offsetSeconds: result.offsetSeconds,
        matched: result.matched,
      });
    }
    const control = compareVideo(await fingerprintVideo(file('unrelated.mp4')), original);
    rows.push({
      transformation: 'unrelated video (control)',
      queryCoverage: control.queryCoverage,
      offsetSeconds: control.offsetSeconds,
      matched: control.matched,
    });
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
