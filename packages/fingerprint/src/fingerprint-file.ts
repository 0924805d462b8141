/**
 * One entry point for the creator's files: `fingerprint(bytes | pixels | samples, kind?)` and `fingerprintFile(path)`.
 * Text and pixels go straight to core; images are decoded by sharp, sound and video by ffmpeg, audio fingerprinted by
 * Chromaprint's WebAssembly. Every result is core's `FingerprintRecord`, the JSON the registry and the scanner read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import {
  audioRecord,
  fingerprint as fingerprintDecoded,
  imageRecord,
  InvalidInputError,
  SNIFF_BYTES,
  sniffKind,
  textRecord,
  fingerprintText,
  videoRecord,
  type FingerprintKind,
  type FingerprintRecord,
  type ImagePixels,
} from '@heoga/core';
import { chromaprint } from './audio/chromaprint.js';
import { fingerprintAudio } from './audio/fingerprint-audio.js';
import { FingerprintError } from './errors.js';
import { checkInputFile, withTempFile } from './input-file.js';
import { fingerprintImage } from './image/fingerprint-image.js';
import { fingerprintVideo } from './video/fingerprint-video.js';
import { probeMedia, type MediaInfo } from './video/probe-media.js';

/** Decoded audio handed over as samples: 16-bit PCM, interleaved when there are several channels. */
export interface AudioSamples {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly channels: number;
}

/**
 * Limits of `fingerprintFile`: texts over 64 MiB are refused (a whole novel is under 2 MiB); images, audio and video
 * keep their own decoders' limits (`IMAGE_DECODE_LIMITS`, `AUDIO_DECODE_LIMITS`, `VIDEO_DECODE_LIMITS`).
 */
export const FILE_LIMITS = Object.freeze({ maxTextBytes: 64 * 1024 * 1024 });

/** A file's record: core's record plus where it came from. */
export type FileFingerprintRecord = FingerprintRecord & { readonly file: string; readonly bytes: number };

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isPixels(input: unknown): input is ImagePixels {
  return typeof input === 'object' && input !== null && 'width' in input && 'data' in input;
}

function isSamples(input: unknown): input is AudioSamples {
  return typeof input === 'object' && input !== null && 'samples' in input && input.samples instanceof Int16Array;
}

/** A video's soundtrack fingerprint, when it has sound long enough to fingerprint. */
async function soundtrackOf(input: Uint8Array | string) {
  try {
    const audio = await fingerprintAudio(input);
    return { chromaprint: audio.chromaprint, duration: audio.duration };
  } catch (error) {
    if (error instanceof InvalidInputError && error.code === 'AUDIO_TOO_SHORT') return undefined;
    throw error;
  }
}

/** Asks ffprobe what a container holds; the answer goes on to `fingerprintVideo`, which then does not ask again. */
async function kindOfContainer(path: string): Promise<{ kind: 'audio' | 'video'; info: MediaInfo }> {
  const info = await probeMedia(path);
  if (info.hasVideo) return { kind: 'video', info };
  if (info.hasAudio) return { kind: 'audio', info };
  throw new FingerprintError('UNSUPPORTED_FORMAT', `${path} holds neither pictures nor sound that heoga reads`);
}

/**
 * Fingerprints one item: a file's bytes (its kind sniffed from its first bytes unless given), decoded pixels (kind
 * `image`, fitted inside 512 × 512 by the caller) or decoded samples (kind `audio`). Returns core's record: the
 * summary people read and the `fingerprints` the registry stores.
 *
 * Errors: `FingerprintError` for what cannot be decoded (`DECODE_FAILED`, `UNSUPPORTED_FORMAT`, `FILE_TOO_LARGE`,
 * `TOOL_MISSING`, `DECODE_TIMEOUT`), core's `InvalidInputError` for content the algorithms refuse (`TEXT_INVALID`,
 * `AUDIO_TOO_SHORT`, `IMAGE_INVALID`).
 *
 * @example
 * ```ts
 * const record = await fingerprint(await readFile('poem.txt'));          // kind sniffed: text
 * const photo = await fingerprint(await readFile('photo.jpg'), 'image');
 * const song = await fingerprint({ samples, sampleRate: 44100, channels: 2 }, 'audio');
 * ```
 */
export async function fingerprint(
  input: Uint8Array | ImagePixels | AudioSamples,
  kind?: FingerprintKind,
): Promise<FingerprintRecord> {
  if (isSamples(input)) {
    if (kind !== undefined && kind !== 'audio') throw new TypeError(`samples are fingerprinted as audio, not ${kind}`);
    const print = await chromaprint(input.samples, { sampleRate: input.sampleRate, channels: input.channels });
    return audioRecord({ chromaprint: print.compressed, duration: print.duration });
  }
  if (isPixels(input)) {
    if (kind !== undefined && kind !== 'image')
      throw new TypeError(`pixels are fingerprinted as an image, not ${kind}`);
    return fingerprintDecoded(input, 'image');
  }
  const sniffed = kind ?? sniffKind(input.subarray(0, SNIFF_BYTES));
  switch (sniffed) {
    case 'text':
      return textRecord(fingerprintText(input));
    case 'image': {
      const image = await fingerprintImage(input);
      return imageRecord(image.pdq, image, sha256Hex(input));
    }
    case 'audio': {
      const audio = await fingerprintAudio(input);
      return audioRecord({ chromaprint: audio.chromaprint, duration: audio.duration }, sha256Hex(input));
    }
    case 'video':
    case 'container':
      return withTempFile(input, async (path) => {
        const probed = sniffed === 'video' ? undefined : await kindOfContainer(path);
        return fingerprintPath(path, probed?.kind ?? 'video', sha256Hex(input), probed?.info);
      });
    case 'unknown':
      throw new FingerprintError('UNSUPPORTED_FORMAT', 'not text, an image, audio or video that heoga reads');
    default: {
      const never: never = sniffed;
      return never;
    }
  }
}

async function fingerprintPath(
  path: string,
  kind: 'audio' | 'video',
  sha256: string,
  info?: MediaInfo,
): Promise<FingerprintRecord> {
  if (kind === 'audio') {
    const audio = await fingerprintAudio(path);
    return audioRecord({ chromaprint: audio.chromaprint, duration: audio.duration }, sha256);
  }
  const video = await fingerprintVideo(path, info ? { info } : {});
  const soundtrack = video.hasAudio ? await soundtrackOf(path) : undefined;
  return videoRecord(video, { sha256, ...(soundtrack ? { soundtrack } : {}) });
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Fingerprints a file on disk. Text and images are read whole (within limits); audio and video are handed to ffmpeg
 * by path, so a long film is never held in memory, and their SHA-256 is computed while streaming. The kind is sniffed
 * from the first bytes (never from the name) unless given; containers (MP4, Matroska, Ogg) are asked to ffprobe.
 *
 * @example
 * ```ts
 * const record = await fingerprintFile('works/dance.mp4');
 * console.log(record.kind, record.video?.frames.length, record.fingerprints.map((f) => f.algorithm));
 * ```
 */
export async function fingerprintFile(
  path: string,
  options: { readonly kind?: FingerprintKind } = {},
): Promise<FileFingerprintRecord> {
  const size = await checkInputFile(path, Number.MAX_SAFE_INTEGER, { allowEmpty: true });
  const sniffed = options.kind ?? sniffKind(await readHead(path));
  const probed = sniffed === 'container' ? await kindOfContainer(path) : undefined;
  const kind = sniffed === 'container' ? probed!.kind : sniffed;
  let record: FingerprintRecord;
  if (kind === 'unknown') {
    throw new FingerprintError('UNSUPPORTED_FORMAT', `${path} is not text, an image, audio or video that heoga reads`);
  } else if (kind === 'audio' || kind === 'video') {
    record = await fingerprintPath(path, kind, await sha256OfFile(path), probed?.info);
  } else {
    if (kind === 'text' && size > FILE_LIMITS.maxTextBytes) {
      throw new FingerprintError('FILE_TOO_LARGE', `${path} is ${size} bytes; texts are limited to 64 MiB`);
    }
    record = await fingerprint(await readFile(path), kind);
  }
  return { file: path, bytes: size, ...record };
}
