/** Video fingerprints in `@heoga/fingerprint`: frames by Debian's ffmpeg, PDQ by core. */
export { fingerprintVideo, splitPpmStream, VIDEO_DECODE_LIMITS } from './fingerprint-video.js';
export type { VideoFileFingerprint, VideoFingerprintOptions } from './fingerprint-video.js';
export { probeMedia } from './probe-media.js';
export type { MediaInfo } from './probe-media.js';
