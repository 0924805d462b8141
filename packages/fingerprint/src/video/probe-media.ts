/**
 * What a media file holds, from Debian's ffprobe: whether it has a picture stream and a sound stream, and how long it
 * lasts. `heoga fingerprint` uses it for containers (MP4, Matroska, Ogg) that can hold either.
 */
import { z } from 'zod';
import { FingerprintError } from '../errors.js';
import { runFfprobe } from '../ffmpeg.js';

/** What ffprobe says about a file. */
export interface MediaInfo {
  /** A video stream that is not a still cover picture (an MP3's or M4A's album art is `attached_pic`). */
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  /** Seconds, from the container or else the longest stream; `undefined` when neither says. */
  readonly duration: number | undefined;
}

const probeOutput = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        duration: z.string().optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional() }).optional(),
});

const seconds = (text: string | undefined): number | undefined => {
  const n = text === undefined ? NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Asks ffprobe what `path` holds. Errors are `FingerprintError`s: `DECODE_FAILED` when ffprobe cannot read it,
 * `TOOL_MISSING` when ffmpeg is not installed, `DECODE_TIMEOUT`.
 *
 * @example
 * ```ts
 * const { hasVideo, duration } = await probeMedia('clip.mp4');
 * ```
 */
export async function probeMedia(
  path: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<MediaInfo> {
  const out = await runFfprobe(['-show_streams', '-show_format', '-of', 'json'], {
    input: path,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxOutputBytes: 4 << 20,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let parsed: z.infer<typeof probeOutput>;
  try {
    parsed = probeOutput.parse(JSON.parse(new TextDecoder().decode(out)));
  } catch (cause) {
    throw new FingerprintError('DECODE_FAILED', `ffprobe's description of ${path} could not be read`, { cause });
  }
  const video = parsed.streams.filter((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = parsed.streams.filter((s) => s.codec_type === 'audio');
  const streamSeconds = [...video, ...audio].map((s) => seconds(s.duration)).filter((n) => n !== undefined);
  const info: MediaInfo = {
    hasVideo: video.length > 0,
    hasAudio: audio.length > 0,
    duration: seconds(parsed.format?.duration) ?? (streamSeconds.length > 0 ? Math.max(...streamSeconds) : undefined),
  };
  return info;
}
