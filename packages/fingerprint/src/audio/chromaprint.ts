/**
 * Chromaprint in Node, from the WebAssembly build that `@unimusic/chromaprint` 0.1.4 ships (MIT, nothing downloaded
 * at install). The package's own wrapper decodes with Web Audio and cannot run in Node, so this module drives the
 * Emscripten glue directly, with the shims research/matching.md §4 found necessary:
 *
 * - the glue was built for the web and refuses to start unless `window` exists: `globalThis.window` is defined only
 *   while the module initialises, then restored (or deleted) so that nothing else sees a browser;
 * - it would fetch the `.wasm` by URL, which Node's fetch cannot do for files: the bytes are read and passed in as
 *   `wasmBinary`;
 * - `HEAPU32` is not exported: pointers and sizes are read from `HEAP32` with `>>> 0`;
 * - the wrapper's `rawOutput` path reads the data pointer before Chromaprint fills it: raw items are read here from
 *   the pointer Chromaprint returns.
 *
 * One module instance is created lazily and shared; every call uses its own Chromaprint context and frees it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { InvalidInputError } from '@heoga/core';
import createChromaprintModule, { type MainModule } from '@unimusic/chromaprint/dist/chromaprint.js';
import { FingerprintError } from '../errors.js';

/**
 * Audio shorter than this is refused with `AUDIO_TOO_SHORT`: 6 s gives 27 items (Chromaprint loses about 19 items
 * at the edges to its frame and filter context; 5 s gives 19), a little more than `compareChromaprint`'s default
 * minimum overlap of 20 items. Fewer items cannot be aligned reliably.
 *
 * @example
 * ```ts
 * if (seconds < CHROMAPRINT_MIN_SECONDS) console.error('too short to fingerprint');
 * ```
 */
export const CHROMAPRINT_MIN_SECONDS = 6;

/** Fewest raw items a fingerprint may have; fewer gives `AUDIO_TOO_SHORT` whatever the duration. */
export const CHROMAPRINT_MIN_ITEMS = 20;

/** A Chromaprint TEST2 fingerprint, as fpcalc computes it. */
export interface ChromaprintFingerprint {
  /** The raw 32-bit items, about 8.08 per second of audio. */
  readonly raw: Uint32Array;
  /** The standard url-safe compressed form ("AQAA…"), byte for byte what fpcalc prints. */
  readonly compressed: string;
  /** fpcalc's algorithm number: 2 is TEST2, its default (Chromaprint's enum value 1, the header byte). */
  readonly algorithm: 2;
  /** Seconds of audio fingerprinted. */
  readonly duration: number;
}

/** Chromaprint's `CHROMAPRINT_ALGORITHM_TEST2`, the enum value passed to `chromaprint_new`. */
const ALGORITHM_TEST2 = 1;
/** Samples copied into the WebAssembly heap per `chromaprint_feed` call, so that memory stays small. */
const FEED_CHUNK_SAMPLES = 1 << 16;

let modulePromise: Promise<MainModule> | undefined;

async function loadModule(): Promise<MainModule> {
  const require = createRequire(import.meta.url);
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = await readFile(require.resolve('@unimusic/chromaprint/dist/chromaprint.wasm'));
  } catch (error) {
    throw new FingerprintError(
      'TOOL_MISSING',
      "Chromaprint's WebAssembly (@unimusic/chromaprint/dist/chromaprint.wasm) could not be read: run npm ci",
      { cause: error },
    );
  }
  const global = globalThis as { window?: unknown };
  const hadWindow = Object.prototype.hasOwnProperty.call(global, 'window');
  const previous = global.window;
  global.window = globalThis;
  try {
    return await createChromaprintModule({ wasmBinary, print: () => undefined, printErr: () => undefined });
  } finally {
    if (hadWindow) global.window = previous;
    else delete global.window;
  }
}

/** The shared module instance, created on first use; a failed start is retried on the next call. */
function chromaprintModule(): Promise<MainModule> {
  modulePromise ??= loadModule().catch((error: unknown) => {
    modulePromise = undefined;
    throw error;
  });
  return modulePromise;
}

function check(ok: number, step: string): void {
  if (!ok) throw new FingerprintError('DECODE_FAILED', `Chromaprint refused the audio (${step})`);
}

/**
 * Fingerprints 16-bit PCM with Chromaprint's TEST2 algorithm (fpcalc's default): interleaved `samples` at
 * `sampleRate` with `channels` channels; Chromaprint mixes to mono and resamples to 11025 Hz itself, so feeding
 * `decodeAudio`'s output (already mono at 11025 Hz) gives exactly fpcalc's items. Audio under
 * `CHROMAPRINT_MIN_SECONDS`, or yielding fewer than `CHROMAPRINT_MIN_ITEMS` items, is `AUDIO_TOO_SHORT`; a bad rate
 * or channel count is `AUDIO_INVALID`.
 *
 * @example
 * ```ts
 * const { samples } = await decodeAudio('song.mp3');
 * const { compressed, raw } = await chromaprint(samples, { sampleRate: 11025, channels: 1 });
 * ```
 */
export async function chromaprint(
  samples: Int16Array,
  options: { readonly sampleRate: number; readonly channels: number },
): Promise<ChromaprintFingerprint> {
  const { sampleRate, channels } = options;
  if (!Number.isInteger(sampleRate) || sampleRate < 1_000 || sampleRate > 384_000)
    throw new InvalidInputError('AUDIO_INVALID', `sample rate ${sampleRate} is not an integer from 1000 to 384000 Hz`);
  if (!Number.isInteger(channels) || channels < 1 || channels > 16)
    throw new InvalidInputError('AUDIO_INVALID', `channel count ${channels} is not an integer from 1 to 16`);
  if (samples.length % channels !== 0)
    throw new InvalidInputError('AUDIO_INVALID', `${samples.length} samples do not divide into ${channels} channels`);
  const duration = samples.length / channels / sampleRate;
  if (duration < CHROMAPRINT_MIN_SECONDS)
    throw new InvalidInputError(
      'AUDIO_TOO_SHORT',
      `${duration.toFixed(2)} s of audio; fingerprints need at least ${CHROMAPRINT_MIN_SECONDS} s`,
    );

  const M = await chromaprintModule();
  const ctx = M._chromaprint_new(ALGORITHM_TEST2);
  if (!ctx) throw new FingerprintError('DECODE_FAILED', 'Chromaprint could not allocate a context');
  const chunk = FEED_CHUNK_SAMPLES - (FEED_CHUNK_SAMPLES % channels);
  const buffer = M._malloc(chunk * 2);
  const out = M._malloc(8);
  try {
    check(M._chromaprint_start(ctx, sampleRate, channels), 'start');
    for (let at = 0; at < samples.length; at += chunk) {
      const part = samples.subarray(at, at + chunk);
      // The heap may have grown (and HEAP16 been replaced) during the previous call: read the view afresh.
      (M.HEAP16 as Int16Array).set(part, buffer >>> 1);
      check(M._chromaprint_feed(ctx, buffer, part.length), 'feed');
    }
    check(M._chromaprint_finish(ctx), 'finish');

    check(M._chromaprint_get_raw_fingerprint(ctx, out, out + 4), 'raw fingerprint');
    const heap = M.HEAP32 as Int32Array;
    const itemsPointer = heap[out >>> 2]! >>> 0;
    const count = heap[(out + 4) >>> 2]! >>> 0;
    const raw = new Uint32Array(count);
    raw.set(new Uint32Array(heap.buffer, itemsPointer, count));
    M._free(itemsPointer);

    check(M._chromaprint_get_fingerprint(ctx, out), 'compressed fingerprint');
    const textPointer = (M.HEAP32 as Int32Array)[out >>> 2]! >>> 0;
    const compressed = M.UTF8ToString(textPointer);
    M._free(textPointer);

    if (count < CHROMAPRINT_MIN_ITEMS)
      throw new InvalidInputError(
        'AUDIO_TOO_SHORT',
        `the audio gave ${count} fingerprint items; at least ${CHROMAPRINT_MIN_ITEMS} are needed`,
      );
    return { raw, compressed, algorithm: 2, duration };
  } finally {
    M._free(out);
    M._free(buffer);
    M._chromaprint_free(ctx);
  }
}
