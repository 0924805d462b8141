/**
 * Telling what a file holds from its first bytes, so `heoga fingerprint` picks the right algorithm without trusting
 * file names. Containers that can carry either sound or pictures (MP4, Matroska/WebM, Ogg with an unknown codec) are
 * reported as `container`: the caller asks a demuxer (ffprobe) whether there is a video stream.
 */

/** What a fingerprint is computed from. */
export type FingerprintKind = 'text' | 'image' | 'audio' | 'video';

/** Every kind, in the order the CLI lists them. */
export const FINGERPRINT_KINDS: readonly FingerprintKind[] = ['text', 'image', 'audio', 'video'];

/** The outcome of sniffing: a kind, `container` (ask a demuxer), or `unknown` (binary we do not fingerprint). */
export type SniffedKind = FingerprintKind | 'container' | 'unknown';

/** How many leading bytes `sniffKind` looks at; pass at least this many when you have them. */
export const SNIFF_BYTES = 4096;

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** ISO BMFF brands (ISO/IEC 14496-12 `ftyp`) that are still images or sound only. */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'mif1', 'msf1']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

function sniffIsoBmff(bytes: Uint8Array): SniffedKind {
  const brand = String.fromCharCode(...bytes.subarray(8, 12));
  if (IMAGE_BRANDS.has(brand)) return 'image';
  if (AUDIO_BRANDS.has(brand)) return 'audio';
  return 'container';
}

/** Ogg (RFC 3533): the first page's first packet names the codec. */
function sniffOgg(bytes: Uint8Array): SniffedKind {
  // The first packet starts after the 27-byte page header and its segment table.
  const segments = bytes[26];
  if (segments === undefined) return 'container';
  const at = 27 + segments;
  if (ascii(bytes, at, 'OpusHead') || ascii(bytes, at + 1, 'vorbis') || ascii(bytes, at, 'fLaC')) return 'audio';
  if (ascii(bytes, at + 1, 'theora')) return 'video';
  return 'container';
}

/** MPEG audio frame header: 11 sync bits, a valid version, layer and bitrate index (ISO/IEC 11172-3 §2.4.2.3). */
function isMpegAudioFrame(bytes: Uint8Array): boolean {
  const [b0, b1, b2] = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return version !== 0b01 && bitrate !== 0b1111 && sampleRate !== 0b11 && (layer !== 0b00 || (b1 & 0xf6) === 0xf0);
}

/** True when the bytes are UTF-8 text: valid UTF-8 (a cut multi-byte character at the very end is allowed), no NUL. */
function looksLikeText(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b === 0) return false;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return true;
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

/**
 * Sniffs what a file holds from its first bytes (give it at least {@link SNIFF_BYTES} when the file has them). It
 * recognises JPEG, PNG, GIF, WebP, TIFF, BMP, AVIF/HEIF; WAV, FLAC, MP3, AAC (ADTS), M4A, Ogg Vorbis/Opus/FLAC; AVI,
 * MPEG-TS, Ogg Theora; MP4/MOV and Matroska/WebM as `container`; UTF-8 text (an empty file is text). Anything else
 * is `unknown`. Never throws.
 *
 * @example
 * ```ts
 * sniffKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'image'
 * sniffKind(new TextEncoder().encode('허가 없이는 학습할 수 없습니다')) // 'text'
 * ```
 */
export function sniffKind(bytes: Uint8Array): SniffedKind {
  const head = bytes.subarray(0, SNIFF_BYTES);
  // A UTF-16 byte order mark would otherwise read as an MPEG audio frame header (FF FE): it is text, which the text
  // fingerprint then refuses as not UTF-8, saying so.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return 'text';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'image';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image';
  if (ascii(head, 0, 'BM') && head.length >= 26 && [12, 40, 108, 124].includes(head[14] ?? 0)) {
    return 'image';
  }
  if (ascii(head, 0, 'RIFF')) {
    if (ascii(head, 8, 'WEBP')) return 'image';
    if (ascii(head, 8, 'WAVE')) return 'audio';
    if (ascii(head, 8, 'AVI ')) return 'video';
  }
  if (ascii(head, 4, 'ftyp')) return sniffIsoBmff(head);
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'container';
  if (ascii(head, 0, 'OggS')) return sniffOgg(head);
  if (ascii(head, 0, 'fLaC') || ascii(head, 0, 'ID3')) return 'audio';
  // MPEG-TS: 188-byte packets, each starting with the sync byte 0x47.
  if (head.length >= 188 * 3 && head[0] === 0x47 && head[188] === 0x47 && head[376] === 0x47) return 'video';
  if (startsWith(head, [0xff]) && ((head[1] ?? 0) & 0xf6) === 0xf0) return 'audio'; // AAC ADTS
  if (isMpegAudioFrame(head)) return 'audio';
  return looksLikeText(head) ? 'text' : 'unknown';
}
