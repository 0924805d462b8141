/**
 * The whole audio pipeline on the creator's machine: decode with ffmpeg, fingerprint with Chromaprint.
 */
import { chromaprint } from './chromaprint.js';
import { decodeAudio, type AUDIO_SAMPLE_RATE, type DecodeAudioOptions } from './decode-audio.js';

/** An audio fingerprint ready for the registry (algorithm `chromaprint-2/1`, value `chromaprint`). */
export interface AudioFingerprint {
  /** The compressed TEST2 fingerprint, the "AQAA…" string fpcalc prints. */
  readonly chromaprint: string;
  /** The raw items, for comparing with `compareChromaprint` without decompressing. */
  readonly raw: Uint32Array;
  /** Seconds of audio fingerprinted (at most the decode limit, 600 s by default). */
  readonly duration: number;
  /** The rate the audio was decoded at, 11025 Hz. */
  readonly sampleRate: typeof AUDIO_SAMPLE_RATE;
}

/**
 * Fingerprints an audio file, or a video's soundtrack, given as bytes or a path: `decodeAudio` then `chromaprint`.
 * Throws `FingerprintError` for files that cannot be decoded and `InvalidInputError` `AUDIO_TOO_SHORT` for audio
 * under 6 s (`CHROMAPRINT_MIN_SECONDS`).
 *
 * @example
 * ```ts
 * const { chromaprint } = await fingerprintAudio('song.mp3');
 * // registry entry: { algorithm: 'chromaprint-2/1', value: chromaprint }
 * ```
 */
export async function fingerprintAudio(
  input: Uint8Array | string,
  options: DecodeAudioOptions = {},
): Promise<AudioFingerprint> {
  const decoded = await decodeAudio(input, options);
  const print = await chromaprint(decoded.samples, { sampleRate: decoded.sampleRate, channels: 1 });
  return { chromaprint: print.compressed, raw: print.raw, duration: print.duration, sampleRate: decoded.sampleRate };
}
