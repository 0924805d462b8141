/**
 * Audio fingerprints in `@heoga/fingerprint`: decoding with Debian's ffmpeg and Chromaprint's WebAssembly. The lead
 * re-exports these names (and those of ../ffmpeg.ts) from the package index.
 */
export { chromaprint, CHROMAPRINT_MIN_SECONDS, CHROMAPRINT_MIN_ITEMS } from './chromaprint.js';
export type { ChromaprintFingerprint } from './chromaprint.js';
export { decodeAudio, AUDIO_DECODE_LIMITS, AUDIO_SAMPLE_RATE } from './decode-audio.js';
export type { DecodeAudioOptions, DecodedAudio } from './decode-audio.js';
export { fingerprintAudio } from './fingerprint-audio.js';
export type { AudioFingerprint } from './fingerprint-audio.js';
