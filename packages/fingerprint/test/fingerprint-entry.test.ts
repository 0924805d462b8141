// One entry point for every kind: bytes (sniffed), pixels and samples all give core's heoga-fingerprint/1 record.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINGERPRINT_FORMAT, fingerprint as fingerprintInCore } from '@heoga/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystemTool } from '../../../test/support/system-tools.js';
import { FingerprintError } from '../src/errors.js';
import { FILE_LIMITS, fingerprint, fingerprintFile } from '../src/fingerprint-file.js';
import { encodeWav, synthesizeMusic } from './audio-material.js';
import { synthesizeFrames, writeVideo } from './video-material.js';

let dir = '';
beforeAll(async () => {
  requireSystemTool('ffmpeg', 'ffmpeg');
  dir = await mkdtemp(join(tmpdir(), 'heoga-entry-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => (e instanceof FingerprintError ? e.code : ((e as { code?: string }).code ?? String(e))),
  );

describe('fingerprint(bytes | pixels | samples, kind?)', () => {
  it('text bytes give the same record as core computes in the browser', async () => {
    const bytes = new TextEncoder().encode('허가를 먼저, 학습은 나중에. '.repeat(30));
    expect(await fingerprint(bytes)).toEqual(fingerprintInCore(bytes, 'text'));
  });

  it('pixels give core’s image record; samples give an audio record equal to the same audio as a WAV file', async () => {
    const { frames, width, height } = synthesizeFrames({ seconds: 1, seed: 3, fps: 1, width: 320, height: 180 });
    const pixels = { width, height, channels: 3 as const, data: frames };
    expect(await fingerprint(pixels, 'image')).toEqual(fingerprintInCore(pixels, 'image'));

    const music = synthesizeMusic({ seconds: 10, seed: 4, sampleRate: 11025 });
    const mono = new Int16Array(music.samples.length / 2).map((_, i) => music.samples[2 * i]!);
    const fromSamples = await fingerprint({ samples: mono, sampleRate: 11025, channels: 1 }, 'audio');
    const wav = encodeWav({ samples: mono, sampleRate: 11025, channels: 1 });
    const fromWav = await fingerprint(wav);
    expect(fromSamples.kind).toBe('audio');
    expect(fromWav.audio?.chromaprint).toBe(fromSamples.audio?.chromaprint);
    expect(fromWav.format).toBe(FINGERPRINT_FORMAT);
    expect(fromWav.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('video bytes in a container are told from audio by ffprobe; the soundtrack is fingerprinted too', async () => {
    const path = join(dir, 'clip.mp4');
    await writeVideo(path, { seconds: 3, seed: 9 });
    const wav = join(dir, 'music.wav');
    await writeFile(wav, encodeWav(synthesizeMusic({ seconds: 8, seed: 5 })));
    const { runFfmpeg } = await import('../src/ffmpeg.js');
    const withSound = join(dir, 'clip-with-sound.mkv');
    await runFfmpeg(
      ['-i', `file:${wav}`, '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'libopus', '-y', withSound],
      {
        input: path,
        timeoutMs: 60_000,
        maxOutputBytes: 1 << 20,
      },
    );
    const record = await fingerprintFile(withSound);
    expect(record.kind).toBe('video');
    expect(record.fingerprints.map((f) => f.algorithm)).toEqual(['sha256', 'vpdq-1fps/1', 'chromaprint-2/1']);
    expect(record.audio?.duration).toBeGreaterThan(6);
    // An audio-only Matroska file is audio.
    const audioOnly = join(dir, 'music.mka');
    await runFfmpeg(['-c:a', 'libopus', '-y', audioOnly], { input: wav, timeoutMs: 60_000, maxOutputBytes: 1 << 20 });
    expect((await fingerprintFile(audioOnly)).kind).toBe('audio');
  });

  it('refuses a text over the size limit before reading it, and unknown binary', async () => {
    const huge = join(dir, 'huge.txt');
    const handle = await open(huge, 'w');
    const mebibyte = new TextEncoder().encode('가나다라'.repeat(87_382)).subarray(0, 1 << 20);
    for (let written = 0; written <= FILE_LIMITS.maxTextBytes; written += mebibyte.length) await handle.write(mebibyte);
    await handle.close();
    expect(await errorCode(fingerprintFile(huge))).toBe('FILE_TOO_LARGE');
    expect(await errorCode(fingerprint(new Uint8Array([0, 1, 2, 0, 0, 9])))).toBe('UNSUPPORTED_FORMAT');
    expect(await errorCode(fingerprint(new Uint8Array([0xff, 0xfe, 0x41, 0])))).toBe('TEXT_INVALID'); // UTF-16
    expect(await errorCode(fingerprint(new Uint8Array([0xff, 0xfe, 0x41]), 'text'))).toBe('TEXT_INVALID');
  });
});
