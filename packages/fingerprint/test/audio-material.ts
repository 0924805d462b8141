/**
 * Deterministic "music" for the audio fingerprint tests and benchmark: chords, a bass line, a melody and drums with
 * envelopes and a little noise, from a seeded generator, so every run fingerprints the same samples without any
 * recording in the repository. Also a WAV writer and helpers that re-encode with ffmpeg and run fpcalc.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../core/test/text-corpus.js';
import { ffmpegAvailable, fpcalcAvailable, runFfmpeg, runFpcalc } from '../src/ffmpeg.js';

/** A small seeded generator (mulberry32): uniform numbers in [0, 1), shared with the text corpus. */
export const seededRandom = createRandom;

/** Interleaved 16-bit PCM. */
export interface Pcm {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly channels: number;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/**
 * Synthesises `seconds` of stereo music at `sampleRate` (default 22050 Hz) from `seed`: a key and scale, a chord
 * per bar from the scale's degrees, eighth-note melody, bass on the beat, kick and hi-hat, all with attack/decay
 * envelopes, panned, plus noise at −50 dB. Different seeds give unrelated pieces.
 *
 * @example
 * ```ts
 * const piece = synthesizeMusic({ seconds: 60, seed: 1 });
 * const wav = encodeWav(piece);
 * ```
 */
export function synthesizeMusic(options: { seconds: number; seed: number; sampleRate?: number }): Pcm {
  const { seconds, seed, sampleRate = 22050 } = options;
  const random = seededRandom(seed);
  const frames = Math.round(seconds * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const key = 45 + Math.floor(random() * 12); // MIDI note of the tonic, A2 to G#3
  const scale = random() < 0.5 ? MAJOR : MINOR;
  const beat = 60 / (90 + Math.floor(random() * 60)); // 90–150 bpm
  const midiHz = (note: number): number => 440 * 2 ** ((note - 69) / 12);
  const degree = (d: number): number => key + 12 * Math.floor(d / 7) + scale[((d % 7) + 7) % 7]!;

  const note = (start: number, length: number, hz: number, gain: number, pan: number, harmonics: number[]): void => {
    const from = Math.floor(start * sampleRate);
    const to = Math.min(frames, from + Math.floor((length + 0.3) * sampleRate));
    const attack = 0.01 + 0.03 * random();
    const step = (2 * Math.PI * hz) / sampleRate;
    const gl = gain * (1 - pan);
    const gr = gain * (1 + pan);
    for (let i = from; i < to; i++) {
      const t = (i - from) / sampleRate;
      const envelope =
        (t < attack ? t / attack : Math.exp(-(t - attack) * 3)) * (t > length ? Math.exp(-(t - length) * 20) : 1);
      let value = 0;
      for (let h = 0; h < harmonics.length; h++) value += harmonics[h]! * Math.sin(step * (h + 1) * (i - from));
      value *= envelope;
      left[i]! += value * gl;
      right[i]! += value * gr;
    }
  };
  const drum = (start: number, length: number, gain: number, tone: number): void => {
    const from = Math.floor(start * sampleRate);
    const to = Math.min(frames, from + Math.floor(length * sampleRate));
    for (let i = from; i < to; i++) {
      const t = (i - from) / sampleRate;
      const body = tone > 0 ? Math.sin(2 * Math.PI * tone * t * (1 + 2 * Math.exp(-t * 30))) : random() * 2 - 1;
      const value = body * gain * Math.exp(-t * (tone > 0 ? 12 : 40));
      left[i]! += value;
      right[i]! += value;
    }
  };

  const bar = 4 * beat;
  for (let barStart = 0; barStart < seconds; barStart += bar) {
    const root = [0, 3, 4, 5, 1, 2][Math.floor(random() * 6)]!;
    for (const d of [root, root + 2, root + 4])
      note(barStart, bar * 0.9, midiHz(degree(d) + 12), 0.06, random() - 0.5, [1, 0.4, 0.2]);
    for (let b = 0; b < 4; b++) {
      const at = barStart + b * beat;
      note(at, beat * 0.8, midiHz(degree(root) - 12), 0.12, 0, [1, 0.5]);
      if (b % 2 === 0) drum(at, 0.3, 0.35, 60);
      for (let e = 0; e < 2; e++) {
        drum(at + (e * beat) / 2, 0.05, 0.05, 0);
        if (random() < 0.8) {
          const melody = degree(root + Math.floor(random() * 8)) + 24;
          note(at + (e * beat) / 2, beat / 2, midiHz(melody), 0.08, random() * 0.6 - 0.3, [1, 0.3, 0.15, 0.05]);
        }
      }
    }
  }

  const samples = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const noise = (random() - 0.5) * 0.006;
    samples[2 * i] = Math.max(-32768, Math.min(32767, Math.round((left[i]! + noise) * 32767)));
    samples[2 * i + 1] = Math.max(-32768, Math.min(32767, Math.round((right[i]! + noise) * 32767)));
  }
  return { samples, sampleRate, channels: 2 };
}

/**
 * A canonical 44-byte-header PCM WAV file (RIFF, `fmt ` format 1, `data`) holding `pcm`.
 *
 * @example
 * ```ts
 * await writeFile('piece.wav', encodeWav(synthesizeMusic({ seconds: 30, seed: 2 })));
 * ```
 */
export function encodeWav(pcm: Pcm): Uint8Array {
  const dataBytes = pcm.samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, pcm.channels, true);
  view.setUint32(24, pcm.sampleRate, true);
  view.setUint32(28, pcm.sampleRate * pcm.channels * 2, true);
  view.setUint16(32, pcm.channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.samples.length; i++) view.setInt16(44 + 2 * i, pcm.samples[i]!, true);
  return out;
}

/** The encodings the tests and the robustness table use, as ffmpeg output options. */
export const ENCODINGS = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '192k', '-f', 'mp3'],
  mp3At64k: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  vorbis: ['-c:a', 'libvorbis', '-q:a', '4', '-f', 'ogg'],
  opus: ['-c:a', 'libopus', '-b:a', '96k', '-f', 'ogg'],
  opusAt64k: ['-c:a', 'libopus', '-b:a', '64k', '-f', 'ogg'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Re-encodes a WAV with ffmpeg, optionally cutting `[start, start + duration)` seconds first.
 *
 * @example
 * ```ts
 * const mp3 = await transcode(wav, ENCODINGS.mp3At64k);
 * ```
 */
export function transcode(
  wav: Uint8Array,
  outputArgs: readonly string[],
  cut?: { start: number; duration: number },
): Promise<Uint8Array> {
  const cutArgs = cut ? ['-ss', String(cut.start), '-t', String(cut.duration)] : [];
  return runFfmpeg([...cutArgs, ...outputArgs, 'pipe:1'], { input: wav, timeoutMs: 120_000, maxOutputBytes: 1 << 28 });
}

/**
 * Builds a small video (H.264 test pattern in MP4, `moov` at the end as ffmpeg writes by default) whose soundtrack
 * is `wav` encoded as AAC.
 *
 * @example
 * ```ts
 * const mp4 = await videoWithSoundtrack(wav, 30);
 * ```
 */
export async function videoWithSoundtrack(wav: Uint8Array, seconds: number): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-audio-test-'));
  try {
    const out = join(dir, 'video.mp4');
    await runFfmpeg(
      ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`, '-map', '1:v', '-map', '0:a'].concat([
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-c:a',
        'aac',
        '-b:a',
        '128k',
        '-shortest',
        '-y',
        `file:${out}`,
      ]),
      { input: wav, timeoutMs: 120_000, maxOutputBytes: 1 << 20 },
    );
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What `fpcalc -json` prints: the raw items (with `-raw`) or the compressed string. */
export interface FpcalcOutput {
  readonly duration: number;
  readonly fingerprint: string | number[];
}

/**
 * Runs Debian's fpcalc on `wav` (written to a temporary file) with `-json -length 0` (no duration limit) and the
 * extra `args`, and parses its JSON. `-ignore-errors` because fpcalc 1.5.1 built on FFmpeg 5 reports the normal end
 * of a file as "Error decoding audio frame (End of file)" and exits with status 3 after printing the fingerprint.
 *
 * @example
 * ```ts
 * const { fingerprint } = await fpcalc(wav, ['-raw']);
 * ```
 */
export async function fpcalc(wav: Uint8Array, args: readonly string[] = []): Promise<FpcalcOutput> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-fpcalc-'));
  try {
    const path = join(dir, 'input.wav');
    await writeFile(path, wav);
    const out = await runFpcalc([...args, '-ignore-errors', '-json', '-length', '0', path], {
      timeoutMs: 60_000,
      maxOutputBytes: 1 << 24,
    });
    return JSON.parse(new TextDecoder().decode(out)) as FpcalcOutput;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Fails (never skips) when ffmpeg or fpcalc is missing, saying what to install; call it in `beforeAll`.
 *
 * @example
 * ```ts
 * beforeAll(requireAudioTools);
 * ```
 */
export async function requireAudioTools(): Promise<void> {
  if (!(await ffmpegAvailable()))
    throw new Error("ffmpeg is missing: install Debian's ffmpeg (bash scripts/setup-system.sh)");
  if (!(await fpcalcAvailable()))
    throw new Error("fpcalc is missing: install Debian's libchromaprint-tools (bash scripts/setup-system.sh)");
}
