/**
 * Decoding any audio (MP3, WAV, FLAC, Ogg Vorbis, Opus, AAC…) or the soundtrack of a video file to what Chromaprint
 * works on: mono 16-bit PCM at 11025 Hz (research/matching.md §4), with Debian's ffmpeg.
 */
import { FingerprintError } from '../errors.js';
import { runFfmpeg } from '../ffmpeg.js';
import { checkInputFile, withTempFile } from '../input-file.js';

/**
 * Limits of `decodeAudio`. Only the first `maxSeconds` (10 minutes) are decoded: a fingerprint of the first ten
 * minutes identifies a track (fpcalc stops at 2), and it bounds memory at 13 MB of samples. Files over
 * `maxInputBytes` (1 GiB) are refused before ffmpeg starts. `timeoutMs` (2 minutes) stops a decoder stuck on hostile
 * input.
 *
 * @example
 * ```ts
 * await decodeAudio(path, { maxSeconds: AUDIO_DECODE_LIMITS.maxSeconds / 2 });
 * ```
 */
export const AUDIO_DECODE_LIMITS = Object.freeze({
  maxSeconds: 600,
  maxInputBytes: 1 << 30,
  timeoutMs: 120_000,
});

/** Chromaprint's working rate: every fingerprint is computed on 11025 Hz mono. */
export const AUDIO_SAMPLE_RATE = 11025;

/** Options of `decodeAudio`; each defaults to `AUDIO_DECODE_LIMITS`. */
export interface DecodeAudioOptions {
  /** Seconds decoded from the start; the rest is ignored (ffmpeg's `-t`). */
  readonly maxSeconds?: number;
  readonly maxInputBytes?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Decoded audio: mono, 16-bit, at `sampleRate` (always 11025). */
export interface DecodedAudio {
  readonly samples: Int16Array;
  readonly sampleRate: typeof AUDIO_SAMPLE_RATE;
  readonly channels: 1;
  /** Seconds of audio in `samples`. */
  readonly duration: number;
}

/** ISO base media files (MP4, MOV, M4A) may keep their index at the end, which a pipe cannot seek back to. */
function isIsoBaseMedia(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70;
}

/**
 * Decodes audio, or a video's first audio stream, to mono 16-bit PCM at 11025 Hz with Debian's ffmpeg. `input` is
 * the file's bytes or its path. Decodes at most `maxSeconds` from the start. Errors are `FingerprintError`s:
 * `DECODE_FAILED` (not audio, truncated, no audio stream, empty), `FILE_TOO_LARGE`, `READ_FAILED`,
 * `DECODE_TIMEOUT`, `TOOL_MISSING` (ffmpeg is not installed).
 *
 * @example
 * ```ts
 * const { samples, duration } = await decodeAudio('song.flac');
 * ```
 */
export async function decodeAudio(input: Uint8Array | string, options: DecodeAudioOptions = {}): Promise<DecodedAudio> {
  const maxSeconds = options.maxSeconds ?? AUDIO_DECODE_LIMITS.maxSeconds;
  const maxInputBytes = options.maxInputBytes ?? AUDIO_DECODE_LIMITS.maxInputBytes;
  const timeoutMs = options.timeoutMs ?? AUDIO_DECODE_LIMITS.timeoutMs;
  if (!(maxSeconds > 0 && maxSeconds <= 24 * 3600)) throw new RangeError(`maxSeconds ${maxSeconds} out of range`);

  if (typeof input === 'string') await checkInputFile(input, maxInputBytes);
  else {
    if (input.length === 0) throw new FingerprintError('DECODE_FAILED', 'the audio is empty (zero bytes)');
    if (input.length > maxInputBytes)
      throw new FingerprintError('FILE_TOO_LARGE', `${input.length} bytes is over the limit of ${maxInputBytes}`);
  }

  const decode = async (source: Uint8Array | string): Promise<DecodedAudio> => {
    const maxOutputBytes = Math.ceil(maxSeconds * AUDIO_SAMPLE_RATE) * 2 + 65_536;
    const args = ['-map', '0:a:0', '-vn', '-sn', '-dn', '-t', String(maxSeconds)];
    args.push('-f', 's16le', '-acodec', 'pcm_s16le', '-ac', '1', '-ar', String(AUDIO_SAMPLE_RATE), 'pipe:1');
    const pcm = await runFfmpeg(args, {
      input: source,
      timeoutMs,
      maxOutputBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // s16le read as the host's Int16Array: Node runs on little-endian hosts. Copy when the bytes are not 2-aligned.
    const aligned = pcm.byteOffset % 2 === 0 ? pcm : pcm.slice();
    const samples = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 1);
    return { samples, sampleRate: AUDIO_SAMPLE_RATE, channels: 1, duration: samples.length / AUDIO_SAMPLE_RATE };
  };
  return input instanceof Uint8Array && isIsoBaseMedia(input) ? withTempFile(input, decode) : decode(input);
}
