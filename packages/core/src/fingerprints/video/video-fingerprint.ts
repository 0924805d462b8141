/**
 * Video fingerprints as vPDQ (ThreatExchange `vpdq/`, matching.md §3) builds them: one PDQ hash per second of video,
 * compared frame by frame. A broadcast clip, a dance performance or a film excerpt re-encoded at another resolution
 * keeps most of its frames within PDQ's match distance of the original's, so the share of frames that match, and
 * whether they line up in time, say whether the clip is the work.
 */

import { InvalidInputError, type InputIssue, type ParseResult } from '../../errors.js';
import { decodeBase64Url, encodeBase64Url } from '../../tlog/encoding.js';
import {
  hammingDistance,
  PDQ_HASH_BYTES,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_QUALITY,
  PDQ_VARIANTS,
  type PdqFingerprint,
  type PdqHash,
} from '../image/pdq.js';

/** One sampled frame: its PDQ hash and quality, and where it is in the video (whole seconds from the start). */
export interface VideoFrameFingerprint extends PdqFingerprint {
  readonly second: number;
}

/** A video's fingerprint: one frame per second, in time order. */
export interface VideoFingerprint {
  readonly frames: readonly VideoFrameFingerprint[];
}

/**
 * The algorithm identifier of the stored form: PDQ of one frame per second (`vpdq-1fps/1`). A change to sampling or
 * to the binary layout gets a new identifier.
 *
 * @example
 * ```ts
 * const stored = { algorithm: VIDEO_ALGORITHM, value: serialiseVideoFingerprint(video) };
 * ```
 */
export const VIDEO_ALGORITHM = 'vpdq-1fps/1';

/**
 * Limits of the stored form: at most 6 hours of frames (21,600), which keeps a value under 1 MB of text. Videos
 * longer than that are fingerprinted over their first 6 hours.
 */
export const VIDEO_LIMITS = Object.freeze({ maxFrames: 6 * 3600 });

/**
 * How many frames must line up at one time offset (within ±1 s) for a clip to count as the work even when it is a
 * small part of a longer video: 5 seconds of the same pictures in the same order.
 */
export const VIDEO_MIN_ALIGNED_FRAMES = 5;

/** Share of a side's reliable frames that, once matched, makes the videos the same even without 5 aligned frames. */
export const VIDEO_MIN_COVERAGE = 0.8;

const FORMAT_VERSION = 1;
const FRAME_BYTES = 4 + 1 + PDQ_HASH_BYTES;
const HEADER_BYTES = 1 + 4;

/**
 * Writes a video fingerprint as `vpdq-1fps/1`: base64url (no padding) of a version byte, the frame count (uint32
 * big-endian), then per frame its second (uint32), quality (uint8) and 32-byte hash. Dihedral variants are not stored.
 *
 * @throws InvalidInputError `FINGERPRINT_INVALID` when a frame is malformed, frames are out of order, or there are
 *   more than `VIDEO_LIMITS.maxFrames`.
 * @example
 * ```ts
 * serialiseVideoFingerprint({ frames: [{ second: 0, quality: 100, hash }] }) // 'AQAAAAEAAAAAZNj48…'
 * ```
 */
export function serialiseVideoFingerprint(video: VideoFingerprint): string {
  const issues = checkFrames(video.frames);
  if (issues.length > 0) throw new InvalidInputError('FINGERPRINT_INVALID', 'invalid video fingerprint', issues);
  const out = new Uint8Array(HEADER_BYTES + FRAME_BYTES * video.frames.length);
  const view = new DataView(out.buffer);
  out[0] = FORMAT_VERSION;
  view.setUint32(1, video.frames.length);
  video.frames.forEach((frame, i) => {
    const at = HEADER_BYTES + i * FRAME_BYTES;
    view.setUint32(at, frame.second);
    out[at + 4] = frame.quality;
    out.set(frame.hash, at + 5);
  });
  return encodeBase64Url(out);
}

function checkFrames(frames: readonly VideoFrameFingerprint[]): InputIssue[] {
  if (frames.length > VIDEO_LIMITS.maxFrames) {
    return [{ path: 'frames', message: `at most ${VIDEO_LIMITS.maxFrames} frames` }];
  }
  const issues: InputIssue[] = [];
  let previous = -1;
  frames.forEach((frame, i) => {
    if (!Number.isInteger(frame.second) || frame.second < 0 || frame.second > 0xffffffff || frame.second <= previous) {
      issues.push({ path: `frames[${i}].second`, message: 'seconds are whole, increasing, from 0' });
    }
    if (!Number.isInteger(frame.quality) || frame.quality < 0 || frame.quality > 100) {
      issues.push({ path: `frames[${i}].quality`, message: 'an integer from 0 to 100' });
    }
    if (!(frame.hash instanceof Uint8Array) || frame.hash.length !== PDQ_HASH_BYTES) {
      issues.push({ path: `frames[${i}].hash`, message: 'a PDQ hash is 32 bytes' });
    }
    previous = frame.second;
  });
  return issues;
}

/**
 * Reads a `vpdq-1fps/1` value back; never throws. The value's length is checked against `VIDEO_LIMITS` before it is
 * decoded.
 *
 * @example
 * ```ts
 * const parsed = parseVideoFingerprint(stored.value);
 * if (parsed.ok) compareVideo(query, parsed.value);
 * ```
 */
export function parseVideoFingerprint(value: string): ParseResult<VideoFingerprint> {
  const fail = (message: string): ParseResult<VideoFingerprint> => ({
    ok: false,
    issues: [{ path: '(root)', message }],
  });
  if (typeof value !== 'string') return fail('expected a string');
  const maxChars = Math.ceil(((HEADER_BYTES + FRAME_BYTES * VIDEO_LIMITS.maxFrames) * 4) / 3);
  if (value.length > maxChars) return fail(`longer than ${maxChars} characters`);
  const bytes = decodeBase64Url(value);
  if (bytes === undefined) return fail('not canonical base64url without padding');
  if (bytes.length < HEADER_BYTES) return fail('too short for the header');
  if (bytes[0] !== FORMAT_VERSION) return fail(`unknown format version ${bytes[0]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(1);
  if (count > VIDEO_LIMITS.maxFrames) return fail(`more than ${VIDEO_LIMITS.maxFrames} frames`);
  if (bytes.length !== HEADER_BYTES + count * FRAME_BYTES) return fail(`length does not fit ${count} frames`);
  const frames: VideoFrameFingerprint[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * FRAME_BYTES;
    frames.push({ second: view.getUint32(at), quality: bytes[at + 4]!, hash: bytes.slice(at + 5, at + FRAME_BYTES) });
  }
  const issues = checkFrames(frames);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { frames } };
}

/** How a query video compares with a registered one (see {@link compareVideo}). */
export interface VideoComparison {
  /** Query frames of usable quality (≥ `PDQ_MIN_QUALITY`), and how many of them match some registered frame. */
  readonly queryFrames: number;
  readonly queryMatched: number;
  /** Registered frames of usable quality, and how many of them some query frame matches. */
  readonly referenceFrames: number;
  readonly referenceMatched: number;
  /** `queryMatched / queryFrames`: how much of the query is the work (vPDQ's query coverage). */
  readonly queryCoverage: number;
  /** `referenceMatched / referenceFrames`: how much of the work the query holds (vPDQ's comparison coverage). */
  readonly referenceCoverage: number;
  /** The time shift most matches agree on: registered second − query second (the clip starts here in the work). */
  readonly offsetSeconds: number | undefined;
  /** Query frames that match at that shift, within ±1 s. */
  readonly alignedFrames: number;
  /**
   * `alignedFrames` ≥ `VIDEO_MIN_ALIGNED_FRAMES`, or either coverage ≥ `VIDEO_MIN_COVERAGE` with at least 2 matched
   * frames.
   */
  readonly matched: boolean;
}

/** Options of {@link compareVideo}; the defaults are PDQ's (distance 31, quality 50). */
export interface VideoCompareOptions {
  readonly maxDistance?: number;
  readonly minQuality?: number;
}

function variantsOf(frame: PdqFingerprint): readonly PdqHash[] {
  if (frame.dihedral === undefined) return [frame.hash];
  const dihedral = frame.dihedral;
  return PDQ_VARIANTS.map((v) => (v === 'original' ? frame.hash : dihedral[v]));
}

/**
 * Compares a query video (from a dataset) with a registered one, frame by frame as vPDQ does: a frame matches when
 * its PDQ hash is within 31 bits of a registered frame's (either side's dihedral variants are tried, so a mirrored
 * video matches), frames under quality 50 are left out, and the result reports both coverages and the time offset
 * most matches agree on. Brute force, O(query frames × registered frames): the scanner's index does the search at
 * scale; this decides and explains one pair.
 *
 * @example
 * ```ts
 * const { matched, queryCoverage, offsetSeconds } = compareVideo(clip, film);
 * if (matched) console.log(`${Math.round(queryCoverage * 100)} % of the clip is the film, from ${offsetSeconds} s`);
 * ```
 */
export function compareVideo(
  query: VideoFingerprint,
  reference: VideoFingerprint,
  options: VideoCompareOptions = {},
): VideoComparison {
  const maxDistance = options.maxDistance ?? PDQ_MATCH_THRESHOLD;
  const minQuality = options.minQuality ?? PDQ_MIN_QUALITY;
  const queryFrames = query.frames.filter((f) => f.quality >= minQuality);
  const referenceFrames = reference.frames.filter((f) => f.quality >= minQuality);
  // Variants come from whichever side has them; the registered side's stored form has none.
  const referenceVariants = referenceFrames.map(variantsOf);
  const referenceHit = new Uint8Array(referenceFrames.length);
  const offsets = new Map<number, number>();
  const matchesByQuery: number[][] = [];
  let queryMatched = 0;
  for (const frame of queryFrames) {
    const queryVariants = variantsOf(frame);
    const hits: number[] = [];
    referenceFrames.forEach((ref, r) => {
      const close =
        referenceVariants[r]!.some((h) => hammingDistance(frame.hash, h) <= maxDistance) ||
        queryVariants.some((h) => hammingDistance(h, ref.hash) <= maxDistance);
      if (close) {
        hits.push(ref.second - frame.second);
        referenceHit[r] = 1;
      }
    });
    if (hits.length > 0) queryMatched++;
    for (const offset of new Set(hits)) offsets.set(offset, (offsets.get(offset) ?? 0) + 1);
    matchesByQuery.push(hits);
  }
  // The dominant offset, counting neighbours within ±1 s (1 fps sampling can land either side of a frame).
  let offsetSeconds: number | undefined;
  let best = 0;
  for (const offset of offsets.keys()) {
    const votes = (offsets.get(offset - 1) ?? 0) + (offsets.get(offset) ?? 0) + (offsets.get(offset + 1) ?? 0);
    if (votes > best || (votes === best && offsetSeconds !== undefined && offset < offsetSeconds)) {
      best = votes;
      offsetSeconds = offset;
    }
  }
  const alignedFrames =
    offsetSeconds === undefined
      ? 0
      : matchesByQuery.filter((hits) => hits.some((o) => Math.abs(o - offsetSeconds) <= 1)).length;
  const referenceMatched = referenceHit.reduce((n, hit) => n + hit, 0);
  const queryCoverage = queryFrames.length === 0 ? 0 : queryMatched / queryFrames.length;
  const referenceCoverage = referenceFrames.length === 0 ? 0 : referenceMatched / referenceFrames.length;
  const matched =
    alignedFrames >= VIDEO_MIN_ALIGNED_FRAMES ||
    (queryMatched >= 2 && (queryCoverage >= VIDEO_MIN_COVERAGE || referenceCoverage >= VIDEO_MIN_COVERAGE));
  return {
    queryFrames: queryFrames.length,
    queryMatched,
    referenceFrames: referenceFrames.length,
    referenceMatched,
    queryCoverage,
    referenceCoverage,
    offsetSeconds,
    alignedFrames,
    matched,
  };
}
