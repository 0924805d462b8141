// `heoga fingerprint` on real files of every kind: what a creator runs on their own machine before registering.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, runCli } from '@heoga/cli';
import {
  comparePdq,
  decompressChromaprint,
  FINGERPRINT_FORMAT,
  parsePdq,
  pdqHashFromHex,
  PDQ_VARIANTS,
  type FingerprintRecord,
  type PdqDihedral,
} from '@heoga/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, synthesizeMusic } from '../../fingerprint/test/audio-material.js';
import { synthesizeFrames, writeVideo } from '../../fingerprint/test/video-material.js';
import { requireSystemTool } from '../../../test/support/system-tools.js';
import { memoryIo } from './memory-io.js';

let dir = '';
const file = (name: string) => join(dir, name);

/** A picture of textured rectangles (one frame of the video test material), as PNG. */
async function picturePng(seed: number): Promise<Buffer> {
  const { frames, width, height } = synthesizeFrames({ seconds: 1, seed, fps: 1 });
  return sharp(frames, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  requireSystemTool('ffmpeg', 'ffmpeg');
  dir = await mkdtemp(join(tmpdir(), 'heoga-cli-fingerprint-'));
  await writeFile(file('story.txt'), '옛날 옛적에 허가를 먼저 묻는 마을이 있었습니다. '.repeat(40));
  await writeFile(file('photo.png'), await picturePng(11));
  await writeFile(
    file('mirrored.jpg'),
    await sharp(await picturePng(11))
      .flop()
      .jpeg({ quality: 40 })
      .toBuffer(),
  );
  await writeFile(file('song.wav'), encodeWav(synthesizeMusic({ seconds: 12, seed: 3 })));
  await writeVideo(file('clip.mp4'), { seconds: 4, seed: 5 });
  await writeFile(file('blob.bin'), new Uint8Array([0, 1, 2, 3, 0, 255, 0, 7]));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fingerprintJson(...args: string[]) {
  const io = memoryIo({});
  const code = await runCli(['fingerprint', '--json', ...args], io);
  const lines = io
    .stdoutText()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as FingerprintRecord & { file: string; bytes: number; error?: { code: string } });
  return { code, lines, stderr: io.stderrText() };
}

describe('heoga fingerprint', () => {
  it('prints one JSON object per file, of the kind read from its bytes', async () => {
    const { code, lines, stderr } = await fingerprintJson(
      file('story.txt'),
      file('photo.png'),
      file('song.wav'),
      file('clip.mp4'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(lines.map((l) => [l.file, l.kind, l.format])).toEqual([
      [file('story.txt'), 'text', FINGERPRINT_FORMAT],
      [file('photo.png'), 'image', FINGERPRINT_FORMAT],
      [file('song.wav'), 'audio', FINGERPRINT_FORMAT],
      [file('clip.mp4'), 'video', FINGERPRINT_FORMAT],
    ]);
    const [text, image, audio, video] = lines;
    expect(Object.keys(text!)[0]).toBe('file');
    expect(text!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(text!.text!.winnowCount).toBeGreaterThan(10);
    expect(image!.image!.dihedral).toHaveLength(8);
    expect(image!.image!.quality).toBeGreaterThanOrEqual(50);
    expect(decompressChromaprint(audio!.audio!.chromaprint).ok).toBe(true);
    expect(audio!.audio!.duration).toBeCloseTo(12, 0);
    expect(video!.video!.frames.map((f) => f.second)).toEqual([0, 1, 2, 3]);
    expect(video!.fingerprints.map((f) => f.algorithm)).toEqual(['sha256', 'vpdq-1fps/1']);
  });

  it('hashes a mirrored, recompressed copy of a picture within the match distance of one dihedral variant', async () => {
    const { lines } = await fingerprintJson(file('photo.png'), file('mirrored.jpg'));
    const [original, mirrored] = lines as unknown as [FingerprintRecord, FingerprintRecord];
    // The registry keeps the stored form (hash and quality); the query brings its 8 dihedral hashes.
    const stored = parsePdq(original.fingerprints.find((f) => f.algorithm === 'pdq/1')!.value);
    if (!stored.ok) throw new Error('pdq/1');
    const hashes = mirrored.image!.dihedral.map((hex) => pdqHashFromHex(hex)!);
    const variants = Object.fromEntries(PDQ_VARIANTS.map((v, i) => [v, hashes[i]!]));
    const query = { hash: hashes[0]!, quality: mirrored.image!.quality, dihedral: variants as unknown as PdqDihedral };
    expect(comparePdq({ hash: query.hash, quality: query.quality }, stored.value).matched).toBe(false);
    expect(comparePdq(query, stored.value)).toMatchObject({ matched: true, variant: 'flipY' });
  });

  it('--kind forces a kind: a WAV read as text is refused as invalid input', async () => {
    const { code, lines } = await fingerprintJson('--kind', 'text', file('song.wav'));
    expect(code).toBe(EXIT.invalidInput);
    expect(lines[0]!.error?.code).toBe('TEXT_INVALID');
  });

  it('reports files it cannot read in their place, goes on, and exits with the worst failure', async () => {
    const { code, lines, stderr } = await fingerprintJson(file('blob.bin'), file('missing.txt'), file('story.txt'));
    expect(lines.map((l) => l.error?.code ?? l.kind)).toEqual(['UNSUPPORTED_FORMAT', 'READ_FAILED', 'text']);
    expect(stderr).toContain('blob.bin');
    expect(stderr).toContain('[READ_FAILED]');
    expect(code).toBe(EXIT.io);
  });

  it('prints a line per file for people', async () => {
    const io = memoryIo({});
    expect(await runCli(['fingerprint', file('story.txt'), file('photo.png')], io)).toBe(EXIT.ok);
    const out = io.stdoutText();
    expect(out).toMatch(/story\.txt {2}text {2}sha256 [0-9a-f]{12}… {2}\d+ characters, \d+ winnowing fingerprints/);
    expect(out).toMatch(/photo\.png {2}image {2}sha256 [0-9a-f]{12}… {2}pdq [0-9a-f]{12}… quality \d+/);
  });
});
