/**
 * Deterministic video for the video fingerprint tests and benchmark: a new scene every second (textured rectangles
 * over a gradient, from a seeded generator) with slow motion inside the second, encoded by Debian's ffmpeg. Nothing
 * is stored in the repository; every run builds the same pictures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../src/ffmpeg.js';
import { seededRandom } from './audio-material.js';

/** Raw RGB frames of `seconds` of video at `fps`, `width` × `height`. */
export function synthesizeFrames(options: {
  seconds: number;
  seed: number;
  width?: number;
  height?: number;
  fps?: number;
}): { frames: Uint8Array; width: number; height: number; fps: number } {
  const { seconds, seed, width = 640, height = 360, fps = 10 } = options;
  const random = seededRandom(seed);
  const frameBytes = width * height * 3;
  const frames = new Uint8Array(frameBytes * seconds * fps);
  for (let s = 0; s < seconds; s++) {
    const base = [random() * 255, random() * 255, random() * 255];
    const slope = [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1];
    const shapes = Array.from({ length: 14 }, () => ({
      x: random() * width,
      y: random() * height,
      w: 20 + random() * width * 0.4,
      h: 20 + random() * height * 0.4,
      colour: [random() * 255, random() * 255, random() * 255],
      dx: (random() - 0.5) * 4,
      dy: (random() - 0.5) * 4,
      stripes: 4 + Math.floor(random() * 12),
    }));
    for (let f = 0; f < fps; f++) {
      const frame = frames.subarray((s * fps + f) * frameBytes, (s * fps + f + 1) * frameBytes);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const at = (y * width + x) * 3;
          for (let c = 0; c < 3; c++) frame[at + c] = base[c]! + slope[c]! * (x - y) * 0.2;
        }
      }
      for (const shape of shapes) {
        const x0 = Math.round(shape.x + shape.dx * f);
        const y0 = Math.round(shape.y + shape.dy * f);
        for (let y = Math.max(0, y0); y < Math.min(height, y0 + shape.h); y++) {
          for (let x = Math.max(0, x0); x < Math.min(width, x0 + shape.w); x++) {
            const stripe = Math.floor(((x - x0) * shape.stripes) / shape.w) % 2 === 0 ? 1 : 0.55;
            const at = (y * width + x) * 3;
            for (let c = 0; c < 3; c++) frame[at + c] = shape.colour[c]! * stripe;
          }
        }
      }
    }
  }
  return { frames, width, height, fps };
}

/** Encodes synthesised frames as H.264 MP4 (CRF 23) at `path`. */
export async function writeVideo(path: string, options: { seconds: number; seed: number }): Promise<void> {
  const { frames, width, height, fps } = synthesizeFrames(options);
  await runFfmpeg(['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-y', path], {
    input: frames,
    inputArgs: ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps)],
    timeoutMs: 120_000,
    maxOutputBytes: 1 << 20,
  });
}

/** Re-encodes a video with ffmpeg: `args` go between the input and the output file (filters, codec, duration). */
export async function transcode(from: string, to: string, args: readonly string[], inputArgs: string[] = []) {
  await runFfmpeg([...args, '-y', to], { input: from, inputArgs, timeoutMs: 120_000, maxOutputBytes: 1 << 20 });
}

/** A temporary directory for the duration of `run`. */
export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-video-test-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
