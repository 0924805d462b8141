/**
 * `@heoga/fingerprint`: fingerprints of files on the creator's own machine. It decodes (sharp for images, Debian's
 * ffmpeg for sound and video, Chromaprint's WebAssembly for audio fingerprints) and hands pixels, samples and text to
 * `@heoga/core`'s algorithms, which are the same code the browser runs. This file lists every export by name.
 */

export { FingerprintError } from './errors.js';
export type { FingerprintErrorCode } from './errors.js';

export { runFfmpeg, runFfprobe, runFpcalc, ffmpegAvailable, fpcalcAvailable } from './ffmpeg.js';
export type { RunToolOptions } from './ffmpeg.js';

export { IMAGE_DECODE_LIMITS, PDQ_INPUT_SIZE, decodeImageForPdq, fingerprintImage } from './image/index.js';
export type { DecodeImageOptions, DecodedImage, ImageFingerprint } from './image/index.js';

export {
  chromaprint,
  CHROMAPRINT_MIN_SECONDS,
  CHROMAPRINT_MIN_ITEMS,
  decodeAudio,
  AUDIO_DECODE_LIMITS,
  AUDIO_SAMPLE_RATE,
  fingerprintAudio,
} from './audio/index.js';
export type { ChromaprintFingerprint, DecodeAudioOptions, DecodedAudio, AudioFingerprint } from './audio/index.js';

export { fingerprintVideo, splitPpmStream, VIDEO_DECODE_LIMITS, probeMedia } from './video/index.js';
export type { VideoFileFingerprint, VideoFingerprintOptions, MediaInfo } from './video/index.js';

export { fingerprint, fingerprintFile, FILE_LIMITS } from './fingerprint-file.js';
export type { AudioSamples, FileFingerprintRecord } from './fingerprint-file.js';
