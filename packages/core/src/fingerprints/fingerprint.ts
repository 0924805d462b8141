/**
 * One entry point for every fingerprint, and one stable, versioned JSON form of the result. The same record comes
 * out of the browser (text and pixels from a canvas), of `@heoga/fingerprint` in Node (files decoded by sharp and
 * ffmpeg) and of `heoga fingerprint --json`; `fingerprints` is what the registry stores for a work.
 */

import { InvalidInputError } from '../errors.js';
import { CHROMAPRINT_TEST2 } from './audio/chromaprint-codec.js';
import { PDQ_ALGORITHM, serialisePdq } from './image/pdq-serialise.js';
import { PDQ_MIN_QUALITY, PDQ_VARIANTS, pdqFromPixels, pdqHashToHex, type PdqResult } from './image/pdq.js';
import type { ImagePixels } from './image/pixels.js';
import type { FingerprintKind } from './sniff.js';
import { fingerprintText, type TextFingerprints } from './text/fingerprint-text.js';
import { serialiseTextFingerprints } from './text/serialise-text-fingerprint.js';
import { serialiseVideoFingerprint, VIDEO_ALGORITHM, type VideoFingerprint } from './video/video-fingerprint.js';

/** The version of the JSON form below. A change that an older reader would misread gets a new one. */
export const FINGERPRINT_FORMAT = 'heoga-fingerprint/1';

/** A fingerprint as the registry stores it: an algorithm identifier (`pdq/1`) and its text value. */
export interface StoredFingerprint {
  readonly algorithm: string;
  readonly value: string;
}

/** Text: the summary people read; the fingerprints themselves are in `fingerprints`. */
export interface TextSummary {
  /** SHA-256 of the normalised text (`sha256-text-nfkc/1`): equal for copies that differ only in spacing or case. */
  readonly normalisedSha256: string;
  /** Characters left after normalisation (code points). */
  readonly characters: number;
  /** The MinHash signature (`minhash-oph-c5-128/1` value). */
  readonly minhash: string;
  /** How many winnowing fingerprints the text has (`winnow-c13-w16/1`). */
  readonly winnowCount: number;
}

/** Image: the PDQ hash in the reference's hex, its quality, and the 8 dihedral hashes in `PDQ_VARIANTS` order. */
export interface ImageSummary {
  readonly pdq: string;
  readonly quality: number;
  /** Quality under 50: the hash is kept but never decides a match. */
  readonly unreliable: boolean;
  readonly dihedral: readonly string[];
  /** The size of the pixels hashed (after the caller fitted the image inside 512 × 512). */
  readonly width: number;
  readonly height: number;
}

/** Audio: Chromaprint's compressed fingerprint (the "AQAA…" form fpcalc prints) and the seconds it covers. */
export interface AudioSummary {
  readonly chromaprint: string;
  readonly duration: number;
}

/** Video: one PDQ hash per second. */
export interface VideoSummary {
  readonly frames: readonly { readonly second: number; readonly pdq: string; readonly quality: number }[];
  /** Seconds of video, as the file says, when known. */
  readonly duration?: number;
}

/** The JSON form of one item's fingerprints. Every field is plain JSON: it crosses processes, pages and versions. */
export interface FingerprintRecord {
  readonly format: typeof FINGERPRINT_FORMAT;
  readonly kind: FingerprintKind;
  /** SHA-256 of the file's bytes, when they were at hand (not for pixels or samples handed over decoded). */
  readonly sha256?: string;
  readonly text?: TextSummary;
  readonly image?: ImageSummary;
  readonly audio?: AudioSummary;
  readonly video?: VideoSummary;
  /** What the registry stores for the work, in a fixed order: exact digests first, then the perceptual ones. */
  readonly fingerprints: readonly StoredFingerprint[];
}

/** Builds the record of a text from `fingerprintText`'s result. */
export function textRecord(result: TextFingerprints): FingerprintRecord {
  const stored = serialiseTextFingerprints(result);
  return {
    format: FINGERPRINT_FORMAT,
    kind: 'text',
    sha256: result.sha256,
    text: {
      normalisedSha256: result.normalisedSha256,
      characters: result.characters,
      minhash: stored.find((f) => f.algorithm === 'minhash-oph-c5-128/1')?.value ?? '',
      winnowCount: result.winnow.positions.length,
    },
    fingerprints: stored,
  };
}

/** Builds the record of an image from `pdqFromPixels`'s result and the size of the pixels hashed. */
export function imageRecord(
  result: PdqResult,
  size: { width: number; height: number },
  sha256?: string,
): FingerprintRecord {
  const dihedral = PDQ_VARIANTS.map((v) => pdqHashToHex(v === 'original' ? result.hash : result.dihedral[v]));
  const record: FingerprintRecord = {
    format: FINGERPRINT_FORMAT,
    kind: 'image',
    ...(sha256 === undefined ? {} : { sha256 }),
    image: {
      pdq: pdqHashToHex(result.hash),
      quality: result.quality,
      unreliable: result.quality < PDQ_MIN_QUALITY,
      dihedral,
      width: size.width,
      height: size.height,
    },
    fingerprints: [
      ...(sha256 === undefined ? [] : [{ algorithm: 'sha256', value: sha256 }]),
      { algorithm: PDQ_ALGORITHM, value: serialisePdq(result) },
    ],
  };
  return record;
}

/** Builds the record of audio from its Chromaprint fingerprint (compressed) and duration. */
export function audioRecord(audio: AudioSummary, sha256?: string): FingerprintRecord {
  return {
    format: FINGERPRINT_FORMAT,
    kind: 'audio',
    ...(sha256 === undefined ? {} : { sha256 }),
    audio: { chromaprint: audio.chromaprint, duration: audio.duration },
    fingerprints: [
      ...(sha256 === undefined ? [] : [{ algorithm: 'sha256', value: sha256 }]),
      { algorithm: CHROMAPRINT_TEST2.registryAlgorithm, value: audio.chromaprint },
    ],
  };
}

/**
 * Builds the record of a video from its frames, with its soundtrack's fingerprint when it has one long enough (the
 * soundtrack is matched on its own, as Content ID matches sound and pictures separately).
 */
export function videoRecord(
  video: VideoFingerprint & { readonly duration?: number | undefined },
  options: { sha256?: string; soundtrack?: AudioSummary } = {},
): FingerprintRecord {
  const { sha256, soundtrack } = options;
  return {
    format: FINGERPRINT_FORMAT,
    kind: 'video',
    ...(sha256 === undefined ? {} : { sha256 }),
    video: {
      frames: video.frames.map((f) => ({ second: f.second, pdq: pdqHashToHex(f.hash), quality: f.quality })),
      ...(video.duration === undefined ? {} : { duration: video.duration }),
    },
    ...(soundtrack === undefined
      ? {}
      : { audio: { chromaprint: soundtrack.chromaprint, duration: soundtrack.duration } }),
    fingerprints: [
      ...(sha256 === undefined ? [] : [{ algorithm: 'sha256', value: sha256 }]),
      { algorithm: VIDEO_ALGORITHM, value: serialiseVideoFingerprint(video) },
      ...(soundtrack === undefined
        ? []
        : [{ algorithm: CHROMAPRINT_TEST2.registryAlgorithm, value: soundtrack.chromaprint }]),
    ],
  };
}

/**
 * Fingerprints what core can fingerprint without a decoder: a text from its bytes (UTF-8), or an image from its
 * decoded pixels (a canvas `ImageData`, sharp's raw output, a PPM), which the caller has fitted inside 512 × 512.
 * Audio and video need decoders and Chromaprint: `@heoga/fingerprint`'s `fingerprint` takes those.
 *
 * @throws InvalidInputError `TEXT_INVALID` (not UTF-8, or nothing left after normalisation), `IMAGE_INVALID`,
 *   `IMAGE_TOO_LARGE`.
 * @example
 * ```ts
 * fingerprint(new TextEncoder().encode('허가 없이는 학습할 수 없습니다'), 'text').fingerprints
 * // [{ algorithm: 'sha256', … }, { algorithm: 'sha256-text-nfkc/1', … }, { algorithm: 'minhash-oph-c5-128/1', … }, …]
 * const { image } = fingerprint(ctx.getImageData(0, 0, w, h), 'image'); // in the browser: channels 4
 * ```
 */
export function fingerprint(input: Uint8Array, kind: 'text'): FingerprintRecord;
export function fingerprint(
  input: ImagePixels | (Omit<ImagePixels, 'channels'> & { channels?: 4 }),
  kind: 'image',
): FingerprintRecord;
export function fingerprint(
  input: Uint8Array | ImagePixels | (Omit<ImagePixels, 'channels'> & { channels?: 4 }),
  kind: 'text' | 'image',
): FingerprintRecord {
  if (kind === 'text') {
    if (!(input instanceof Uint8Array)) {
      throw new InvalidInputError('TEXT_INVALID', 'a text is fingerprinted from its bytes', [
        { path: '(root)', message: 'expected a Uint8Array of UTF-8' },
      ]);
    }
    return textRecord(fingerprintText(input));
  }
  if (input instanceof Uint8Array) {
    throw new InvalidInputError('IMAGE_INVALID', 'an image is fingerprinted from decoded pixels', [
      { path: '(root)', message: 'expected { width, height, channels, data }' },
    ]);
  }
  // A canvas ImageData has no `channels` (it is always RGBA), and its fields are getters: read them one by one.
  const source = input as Omit<ImagePixels, 'channels'> & { channels?: ImagePixels['channels'] };
  const pixels: ImagePixels = {
    width: source.width,
    height: source.height,
    channels: source.channels ?? 4,
    data: source.data,
  };
  return imageRecord(pdqFromPixels(pixels), { width: pixels.width, height: pixels.height });
}
