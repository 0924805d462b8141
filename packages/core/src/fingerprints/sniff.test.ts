import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffKind, type SniffedKind } from './sniff.js';

const bytes = (...parts: (string | readonly number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));

const oggPage = (packet: string | readonly number[]) =>
  bytes('OggS', [0, 2], new Array<number>(20).fill(0), [1, 30], typeof packet === 'string' ? packet : packet);

describe('sniffKind', () => {
  const cases: [string, Uint8Array, SniffedKind][] = [
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image'],
    ['GIF', bytes('GIF89a', [1, 0]), 'image'],
    ['WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image'],
    ['TIFF little-endian', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'image'],
    ['BMP', bytes('BM', new Array<number>(12).fill(0), [40], new Array<number>(11).fill(0)), 'image'],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), 'image'],
    ['WAV', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'audio'],
    ['AVI', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), 'video'],
    ['FLAC', bytes('fLaC', [0, 0, 0, 0x22]), 'audio'],
    ['MP3 with ID3', bytes('ID3', [4, 0, 0]), 'audio'],
    ['MP3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio'],
    ['AAC ADTS', bytes([0xff, 0xf1, 0x50, 0x80]), 'audio'],
    ['M4A', bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio'],
    ['MP4', bytes([0, 0, 0, 0x20], 'ftypisom'), 'container'],
    ['QuickTime', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'container'],
    ['Matroska/WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'container'],
    ['Ogg Opus', oggPage('OpusHead'), 'audio'],
    ['Ogg Vorbis', oggPage([1, ...'vorbis'.split('').map((c) => c.charCodeAt(0))]), 'audio'],
    ['Ogg Theora', oggPage([0x80, ...'theora'.split('').map((c) => c.charCodeAt(0))]), 'video'],
    ['Ogg, unknown codec', oggPage('Speex   '), 'container'],
    ['English text', new TextEncoder().encode('Permission first.\n'), 'text'],
    ['Korean text', new TextEncoder().encode('허가 없이는 학습할 수 없습니다'), 'text'],
    ['text cut inside a character', new TextEncoder().encode('허가').subarray(0, 4), 'text'],
    ['empty file', new Uint8Array(), 'text'],
    ['NUL bytes', bytes('abc', [0], 'def'), 'unknown'],
    ['UTF-16 LE with a byte order mark (not an MP3 frame)', bytes([0xff, 0xfe, 0x41, 0x00]), 'text'],
    ['UTF-16 BE with a byte order mark', bytes([0xfe, 0xff, 0x00, 0x41]), 'text'],
    ['invalid UTF-8', bytes([0x61, 0xc0, 0x80]), 'unknown'],
  ];

  it.each(cases)('%s', (_name, input, kind) => {
    expect(sniffKind(input)).toBe(kind);
  });

  it('recognises MPEG-TS by its packet sync bytes', () => {
    const ts = new Uint8Array(188 * 4);
    for (let i = 0; i < 4; i++) ts[i * 188] = 0x47;
    expect(sniffKind(ts)).toBe('video');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        expect(['text', 'image', 'audio', 'video', 'container', 'unknown']).toContain(sniffKind(input));
      }),
    );
  });
});
