import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '@heoga/core';
import { compareChromaprint } from '../../core/src/fingerprints/audio/index.js';
import { chromaprint, decodeAudio, fingerprintAudio, type AudioFingerprint } from '../src/audio/index.js';
import { FingerprintError } from '../src/errors.js';
import { runFfmpeg } from '../src/ffmpeg.js';
import { ENCODINGS, encodeWav, requireAudioTools, synthesizeMusic, transcode } from './audio-material.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

async function expectFingerprintError(promise: Promise<unknown>, code: FingerprintError['code']): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(FingerprintError);
  expect((error as FingerprintError).code).toBe(code);
}

async function expectInvalid(promise: Promise<unknown>, code: InvalidInputError['code']): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).code).toBe(code);
}

describe('bad audio input gives typed errors', () => {
  let mp3: Uint8Array;
  let original: AudioFingerprint;
  let dir: string;

  beforeAll(async () => {
    await requireAudioTools();
    const wav = encodeWav(synthesizeMusic({ seconds: 30, seed: 31 }));
    original = await fingerprintAudio(wav);
    mp3 = await transcode(wav, ENCODINGS.mp3);
    dir = await mkdtemp(join(tmpdir(), 'heoga-audio-bad-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('zero bytes: DECODE_FAILED', async () => {
    await expectFingerprintError(fingerprintAudio(new Uint8Array(0)), 'DECODE_FAILED');
    const empty = join(dir, 'empty.mp3');
    await writeFile(empty, new Uint8Array(0));
    await expectFingerprintError(fingerprintAudio(empty), 'DECODE_FAILED');
  });

  it('random bytes: a typed error, never a crash or a hang (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 20_000 }), async (bytes) => {
        const outcome = await fingerprintAudio(bytes).then(
          (print) => print,
          (error: unknown) => error,
        );
        if (outcome instanceof FingerprintError) expect(outcome.code).toBe('DECODE_FAILED');
        else if (outcome instanceof InvalidInputError) expect(outcome.code).toBe('AUDIO_TOO_SHORT');
        // ffmpeg may find MPEG frame syncs in noise; whatever it decodes must then be a well-formed fingerprint.
        else expect((outcome as AudioFingerprint).raw.length).toBeGreaterThanOrEqual(20);
      }),
      { numRuns: 8 },
    );
  });

  it('a truncated MP3: too short when cut early, the first part when cut later', async () => {
    await expectInvalid(fingerprintAudio(mp3.slice(0, 4_000)), 'AUDIO_TOO_SHORT');
    const half = await fingerprintAudio(mp3.slice(0, mp3.length >> 1));
    expect(half.duration).toBeGreaterThan(12);
    expect(half.duration).toBeLessThan(18);
    expect(compareChromaprint(half.raw, original.raw)).toMatchObject({ matched: true, offset: { items: 0 } });
  });

  it('an MP3 with its header destroyed: DECODE_FAILED or too short, never a crash', async () => {
    const broken = mp3.slice(0, 50_000);
    broken.fill(0xff, 0, 4_000);
    const outcome = await rejection(fingerprintAudio(broken));
    expect(outcome instanceof FingerprintError || outcome instanceof InvalidInputError).toBe(true);
  });

  it('audio under the minimum: AUDIO_TOO_SHORT', async () => {
    const short = encodeWav(synthesizeMusic({ seconds: 4, seed: 32 }));
    await expectInvalid(fingerprintAudio(short), 'AUDIO_TOO_SHORT');
    await expectInvalid(chromaprint(new Int16Array(5 * 11025), { sampleRate: 11025, channels: 1 }), 'AUDIO_TOO_SHORT');
  });

  it('a bad sample rate or channel count: AUDIO_INVALID', async () => {
    const samples = new Int16Array(10 * 11025);
    await expectInvalid(chromaprint(samples, { sampleRate: 0, channels: 1 }), 'AUDIO_INVALID');
    await expectInvalid(chromaprint(samples, { sampleRate: 11025.5, channels: 1 }), 'AUDIO_INVALID');
    await expectInvalid(chromaprint(samples, { sampleRate: 11025, channels: 0 }), 'AUDIO_INVALID');
    await expectInvalid(chromaprint(samples.subarray(1), { sampleRate: 11025, channels: 2 }), 'AUDIO_INVALID');
  });

  it('a missing file or a directory: READ_FAILED', async () => {
    await expectFingerprintError(fingerprintAudio(join(dir, 'missing.mp3')), 'READ_FAILED');
    await expectFingerprintError(fingerprintAudio(dir), 'READ_FAILED');
  });

  it('input over the size limit: FILE_TOO_LARGE, before decoding', async () => {
    await expectFingerprintError(fingerprintAudio(mp3, { maxInputBytes: 1_000 }), 'FILE_TOO_LARGE');
    const path = join(dir, 'song.mp3');
    await writeFile(path, mp3);
    await expectFingerprintError(fingerprintAudio(path, { maxInputBytes: 1_000 }), 'FILE_TOO_LARGE');
  });

  it('a video without a soundtrack: DECODE_FAILED', async () => {
    const silentVideo = await runFfmpeg(
      ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=8', '-c:v', 'mpeg4', '-f', 'matroska', 'pipe:1'],
      { timeoutMs: 60_000, maxOutputBytes: 1 << 24 },
    );
    await expectFingerprintError(decodeAudio(silentVideo), 'DECODE_FAILED');
  });
});
