/**
 * Video fingerprints on the creator's machine: one frame per second, taken by Debian's ffmpeg and fitted inside
 * 512 × 512 as images are, then hashed with core's PDQ (matching.md §3: vPDQ sampling, frames in the image index).
 */
import {
  parsePpm,
  pdqFromPixels,
  VIDEO_LIMITS,
  type PpmImage,
  type VideoFingerprint,
  type VideoFrameFingerprint,
} from '@heoga/core';
import { FingerprintError } from '../errors.js';
import { runFfmpeg } from '../ffmpeg.js';
import { checkInputFile, withTempFile } from '../input-file.js';
import { probeMedia, type MediaInfo } from './probe-media.js';

/**
 * Limits of `fingerprintVideo`: the first hour is fingerprinted by default (3,600 frames; `maxSeconds` raises it up
 * to `VIDEO_LIMITS.maxFrames`), files over 8 GiB are refused, and each ffmpeg run (one per minute of video) has
 * 5 minutes.
 *
 * @example
 * ```ts
 * await fingerprintVideo('film.mkv', { maxSeconds: VIDEO_DECODE_LIMITS.maxSeconds * 2 });
 * ```
 */
export const VIDEO_DECODE_LIMITS = Object.freeze({
  maxSeconds: 3600,
  maxInputBytes: 8 * 2 ** 30,
  segmentTimeoutMs: 300_000,
});

/** Frames are decoded a minute at a time, so memory stays bounded (60 frames of at most 512 × 512 RGB). */
const SEGMENT_SECONDS = 60;
/** Frames fit inside this box, keeping their aspect ratio, as `decodeImageForPdq` fits images (matching.md §2.2). */
const FRAME_BOX = 512;

/** Options of {@link fingerprintVideo}. */
export interface VideoFingerprintOptions {
  /** What ffprobe already said about the file, when the caller asked it (the file is then not probed again). */
  readonly info?: MediaInfo;
  readonly maxSeconds?: number;
  readonly maxInputBytes?: number;
  readonly signal?: AbortSignal;
}

/** A video's fingerprint with what was learnt about the file on the way. */
export interface VideoFileFingerprint extends VideoFingerprint {
  /** Seconds of video, as the container says (the frames cover at most `maxSeconds` of it). */
  readonly duration: number | undefined;
  readonly hasAudio: boolean;
}

const LATIN1 = new TextDecoder('latin1');

/** Splits ffmpeg's `image2pipe` output, a run of binary PPM images, into images. */
export function splitPpmStream(bytes: Uint8Array): PpmImage[] {
  const images: PpmImage[] = [];
  let at = 0;
  while (at < bytes.length) {
    // Header: "P6" whitespace width whitespace height whitespace 255 one-whitespace (ffmpeg writes "P6\nW H\n255\n").
    const head = LATIN1.decode(bytes.subarray(at, at + 64));
    const match = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(head);
    if (!match) throw new FingerprintError('DECODE_FAILED', `ffmpeg wrote a frame that is not a PPM image (at ${at})`);
    const length = match[0].length + Number(match[1]) * Number(match[2]) * 3;
    const parsed = parsePpm(bytes.subarray(at, at + length));
    if (!parsed.ok) {
      throw new FingerprintError('DECODE_FAILED', `ffmpeg wrote a truncated frame: ${parsed.issues[0]?.message}`);
    }
    images.push(parsed.value);
    at += length;
  }
  return images;
}

async function framesOfSegment(
  path: string,
  from: number,
  seconds: number,
  signal: AbortSignal | undefined,
): Promise<PpmImage[]> {
  // Input seeking (-ss before -i) decodes from the keyframe before `from` and drops what precedes it: exact and fast.
  // fps=1 keeps the frame shown at each whole second; scale fits the frame inside 512 × 512, never enlarging.
  const fit = `scale=w='min(${FRAME_BOX},iw)':h='min(${FRAME_BOX},ih)':force_original_aspect_ratio=decrease`;
  const out = await runFfmpeg(
    ['-map', '0:v:0', '-an', '-sn', '-dn', '-t', String(seconds), '-vf', `fps=1,${fit}`].concat([
      '-f',
      'image2pipe',
      '-c:v',
      'ppm',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]),
    {
      input: path,
      inputArgs: ['-ss', String(from)],
      timeoutMs: VIDEO_DECODE_LIMITS.segmentTimeoutMs,
      maxOutputBytes: (seconds + 2) * (FRAME_BOX * FRAME_BOX * 3 + 64),
      ...(signal ? { signal } : {}),
    },
  );
  return splitPpmStream(out);
}

async function fingerprintVideoFile(path: string, info: MediaInfo, options: VideoFingerprintOptions) {
  const maxSeconds = Math.min(options.maxSeconds ?? VIDEO_DECODE_LIMITS.maxSeconds, VIDEO_LIMITS.maxFrames);
  const span = Math.min(maxSeconds, info.duration === undefined ? maxSeconds : Math.ceil(info.duration));
  const frames: VideoFrameFingerprint[] = [];
  for (let from = 0; from < span; from += SEGMENT_SECONDS) {
    const length = Math.min(SEGMENT_SECONDS, span - from);
    const images = await framesOfSegment(path, from, length, options.signal);
    images.slice(0, length).forEach((image, i) => {
      const { hash, quality, dihedral } = pdqFromPixels(image);
      frames.push({ second: from + i, hash, quality, dihedral });
    });
    if (images.length === 0) break; // past the last frame (the container's duration was generous)
  }
  if (frames.length === 0) throw new FingerprintError('DECODE_FAILED', `${path} has no video frame to fingerprint`);
  return frames;
}

/**
 * Fingerprints a video (a file path, or its bytes, which are written to a temporary file because MP4 needs seeking):
 * ffprobe checks that there is a picture stream, then ffmpeg takes one frame per second, a minute at a time, each
 * fitted inside 512 × 512 and hashed with PDQ (with its 8 dihedral variants, for comparing; the stored form keeps
 * hash and quality). Errors are `FingerprintError`s: `DECODE_FAILED` (not a video, no picture stream, corrupt),
 * `FILE_TOO_LARGE`, `READ_FAILED`, `DECODE_TIMEOUT`, `TOOL_MISSING`.
 *
 * @example
 * ```ts
 * const clip = await fingerprintVideo('dance.mp4');
 * const stored = { algorithm: VIDEO_ALGORITHM, value: serialiseVideoFingerprint(clip) };
 * ```
 */
export async function fingerprintVideo(
  input: Uint8Array | string,
  options: VideoFingerprintOptions = {},
): Promise<VideoFileFingerprint> {
  const maxInputBytes = options.maxInputBytes ?? VIDEO_DECODE_LIMITS.maxInputBytes;
  const run = async (path: string): Promise<VideoFileFingerprint> => {
    const info = options.info ?? (await probeMedia(path, options.signal ? { signal: options.signal } : {}));
    if (!info.hasVideo) throw new FingerprintError('DECODE_FAILED', 'the file has no video stream');
    const frames = await fingerprintVideoFile(path, info, options);
    return { frames, duration: info.duration, hasAudio: info.hasAudio };
  };
  if (typeof input === 'string') {
    await checkInputFile(input, maxInputBytes);
    return run(input);
  }
  if (input.length === 0) throw new FingerprintError('DECODE_FAILED', 'the video is empty (zero bytes)');
  if (input.length > maxInputBytes) {
    throw new FingerprintError('FILE_TOO_LARGE', `${input.length} bytes is over the limit of ${maxInputBytes}`);
  }
  return withTempFile(input, run);
}
