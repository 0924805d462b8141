/**
 * The scanner's media indexes: the first stage of image, audio and video matching (matching.md §2.5, §3, §4), each
 * stored in the snapshot as one section of raw bytes and opened in place by every worker. This file lists every
 * export by name.
 */
export { PdqIndex, PDQ_INDEX_MAX_ENTRIES } from './pdq-index.js';
export type { PdqMatch, PdqVariantMatch, PdqSearchOptions, PdqSearchStats } from './pdq-index.js';

export { AudioIndex, AUDIO_INDEX_KEY_BITS, AUDIO_INDEX_LIMITS } from './audio-index.js';
export type { AudioIndexBuildOptions, AudioMatch, AudioSearchOptions, AudioSearchStats } from './audio-index.js';

export { VideoIndex } from './video-index.js';
export type { VideoMatch, VideoSearchOptions } from './video-index.js';
