/**
 * Audio fingerprints: seconds of audio fingerprinted per second, with ffmpeg decoding included and with Chromaprint
 * alone, and `audioRobustness()`, the match table for the usual transformations of a registered track.
 */
import { compareChromaprint, type ChromaprintComparison } from '@heoga/core';
import { chromaprint, decodeAudio, fingerprintAudio } from '@heoga/fingerprint';
import { ENCODINGS, encodeWav, synthesizeMusic, transcode } from '../packages/fingerprint/test/audio-material.js';
import type { OneShot } from './harness.js';

const PIECE_SECONDS = 60;
const ROUNDS = 5;

function piece(): Uint8Array {
  return encodeWav(synthesizeMusic({ seconds: PIECE_SECONDS, seed: 1 }));
}

export const oneShots: readonly OneShot[] = [
  {
    group: 'fingerprint',
    name: 'audio: ffmpeg decode + Chromaprint, 60 s WAV (22.05 kHz stereo)',
    unit: 'audio second',
    run: async () => {
      const wav = piece();
      await fingerprintAudio(wav); // warm-up: starts the WebAssembly module
      const start = performance.now();
      for (let i = 0; i < ROUNDS; i++) await fingerprintAudio(wav);
      const seconds = (performance.now() - start) / 1000;
      return { operations: ROUNDS * PIECE_SECONDS, seconds };
    },
  },
  {
    group: 'fingerprint',
    name: 'audio: ffmpeg decode + Chromaprint, 60 s MP3 192 kbit/s',
    unit: 'audio second',
    run: async () => {
      const mp3 = await transcode(piece(), ENCODINGS.mp3);
      await fingerprintAudio(mp3);
      const start = performance.now();
      for (let i = 0; i < ROUNDS; i++) await fingerprintAudio(mp3);
      const seconds = (performance.now() - start) / 1000;
      return { operations: ROUNDS * PIECE_SECONDS, seconds };
    },
  },
  {
    group: 'fingerprint',
    name: 'audio: Chromaprint alone (WebAssembly), 11025 Hz mono PCM',
    unit: 'audio second',
    run: async () => {
      const { samples } = await decodeAudio(piece());
      await chromaprint(samples, { sampleRate: 11025, channels: 1 });
      const rounds = 20;
      const start = performance.now();
      for (let i = 0; i < rounds; i++) await chromaprint(samples, { sampleRate: 11025, channels: 1 });
      const seconds = (performance.now() - start) / 1000;
      return { operations: rounds * PIECE_SECONDS, seconds };
    },
  },
];

/** One row of the robustness table. */
export interface AudioRobustnessRow {
  readonly transformation: string;
  readonly score: number;
  readonly ber: number;
  readonly offsetSeconds: number;
  readonly matched: boolean;
}

/**
 * Fingerprints a 60 s synthesised piece, transforms it, and compares each result with the original's fingerprint,
 * plus one unrelated piece as the control that must not match.
 *
 * @example
 * ```ts
 * console.table(await audioRobustness());
 * ```
 */
export async function audioRobustness(): Promise<AudioRobustnessRow[]> {
  const wav = piece();
  const original = await fingerprintAudio(wav);
  const row = (transformation: string, result: ChromaprintComparison): AudioRobustnessRow => ({
    transformation,
    score: result.score,
    ber: result.ber,
    offsetSeconds: result.offset.seconds,
    matched: result.matched,
  });
  const against = async (bytes: Uint8Array): Promise<ChromaprintComparison> =>
    compareChromaprint((await fingerprintAudio(bytes)).raw, original.raw);
  return [
    row('MP3 64 kbit/s re-encode', await against(await transcode(wav, ENCODINGS.mp3At64k))),
    row('Opus 64 kbit/s re-encode', await against(await transcode(wav, ENCODINGS.opusAt64k))),
    row(
      'excerpt 30 s of 60 s (from 15 s)',
      await against(await transcode(wav, ['-c:a', 'pcm_s16le', '-f', 'wav'], { start: 15, duration: 30 })),
    ),
    row('unrelated piece (control)', await against(encodeWav(synthesizeMusic({ seconds: PIECE_SECONDS, seed: 2 })))),
  ];
}
