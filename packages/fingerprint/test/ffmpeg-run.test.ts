import { beforeAll, describe, expect, it } from 'vitest';
import { FingerprintError } from '../src/errors.js';
import { ffmpegAvailable, fpcalcAvailable, runFfmpeg, runFpcalc } from '../src/ffmpeg.js';
import { requireAudioTools } from './audio-material.js';

const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 1 << 24 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

async function expectCode(promise: Promise<unknown>, code: FingerprintError['code']): Promise<FingerprintError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(FingerprintError);
  expect((error as FingerprintError).code).toBe(code);
  return error as FingerprintError;
}

/** Runs `body` with an empty PATH, so that spawning a tool by name finds nothing. */
async function withoutPath<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}

describe('runFfmpeg', () => {
  beforeAll(requireAudioTools);

  it('returns what ffmpeg writes to stdout', async () => {
    // One second of 1 kHz sine as 8 kHz mono s16le: 16,000 bytes.
    const out = await runFfmpeg(
      ['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000:duration=1'].concat([
        '-f',
        's16le',
        '-ac',
        '1',
        'pipe:1',
      ]),
      LIMITS,
    );
    expect(out.length).toBe(16_000);
    expect(new Int16Array(out.buffer, out.byteOffset, 8_000).some((s) => Math.abs(s) > 1000)).toBe(true);
  });

  it('feeds bytes on stdin and reads raw input options', async () => {
    const pcm = new Int16Array(8_000).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
    const out = await runFfmpeg(['-f', 's16le', '-ar', '4000', 'pipe:1'], {
      ...LIMITS,
      input: new Uint8Array(pcm.buffer),
      inputArgs: ['-f', 's16le', '-ar', '8000', '-ac', '1'],
    });
    expect(out.length).toBe(8_000); // half the rate, half the samples
  });

  it('turns a non-zero exit into DECODE_FAILED with the end of stderr', async () => {
    const error = await expectCode(
      runFfmpeg(['-f', 's16le', 'pipe:1'], { ...LIMITS, input: new TextEncoder().encode('not audio at all') }),
      'DECODE_FAILED',
    );
    expect(error.message).toMatch(/ffmpeg exited with status \d+: .+/);
  });

  it('survives ffmpeg exiting before it has read all of stdin (EPIPE)', async () => {
    const junk = new Uint8Array(32 << 20).fill(0x5a); // 32 MiB, far more than the pipe buffer
    await expectCode(runFfmpeg(['-f', 's16le', 'pipe:1'], { ...LIMITS, input: junk }), 'DECODE_FAILED');
  });

  it('stops a run over its time limit with DECODE_TIMEOUT', async () => {
    const endless = ['-re', '-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'];
    await expectCode(runFfmpeg(endless, { timeoutMs: 500, maxOutputBytes: 1 << 20 }), 'DECODE_TIMEOUT');
  });

  it('stops a run whose output passes the cap with FILE_TOO_LARGE', async () => {
    const long = ['-f', 'lavfi', '-i', 'sine=duration=60', '-f', 's16le', 'pipe:1'];
    await expectCode(runFfmpeg(long, { timeoutMs: 30_000, maxOutputBytes: 10_000 }), 'FILE_TOO_LARGE');
  });

  it('stops on abort and rejects with the reason', async () => {
    const controller = new AbortController();
    const endless = ['-re', '-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'];
    const run = runFfmpeg(endless, { timeoutMs: 30_000, maxOutputBytes: 1 << 20, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 200);
    expect(await rejection(run)).toEqual(new Error('enough'));
    const already = AbortSignal.abort(new Error('before'));
    expect(await rejection(runFfmpeg(['-version'], { ...LIMITS, signal: already }))).toEqual(new Error('before'));
  });

  it('reads a path as a file name, never as a protocol', async () => {
    const error = await expectCode(
      runFfmpeg(['-f', 's16le', 'pipe:1'], { ...LIMITS, input: 'http://127.0.0.1:9/audio.mp3' }),
      'DECODE_FAILED',
    );
    expect(error.message).toMatch(/No such file or directory/);
  });

  it('says what to install when the binary is missing', async () => {
    const error = await withoutPath(() => expectCode(runFfmpeg(['-version'], LIMITS), 'TOOL_MISSING'));
    expect(error.message).toContain("install Debian's ffmpeg (bash scripts/setup-system.sh)");
    const fpcalcError = await withoutPath(() => expectCode(runFpcalc(['-version'], LIMITS), 'TOOL_MISSING'));
    expect(fpcalcError.message).toContain("install Debian's libchromaprint-tools (bash scripts/setup-system.sh)");
  });

  it('reports availability', async () => {
    expect(await ffmpegAvailable()).toBe(true);
    expect(await fpcalcAvailable()).toBe(true);
    expect(await withoutPath(ffmpegAvailable)).toBe(false);
    expect(await withoutPath(fpcalcAvailable)).toBe(false);
  });
});
