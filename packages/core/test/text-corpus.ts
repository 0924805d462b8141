/**
 * A small deterministic generator of Korean and English-like prose for the text-fingerprint tests and benchmarks,
 * and the edits a copier makes (re-spacing, re-punctuating, excerpting). Every function takes a seed: the same seed
 * gives the same text on every machine. Both languages draw words from one fixed vocabulary with a Zipf-like law, so
 * documents from different seeds share common words and short phrases, as real unrelated documents do, but not long
 * runs.
 */

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): a deterministic source of floats in [0, 1).
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // the same number on every run
 * ```
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** A rank in [0, size), small ranks much more likely (roughly Zipf). */
const zipfRank = (random: () => number, size: number): number => Math.floor(Math.pow(random(), 2.5) * size);

// Hangul syllable = 0xAC00 + (initial × 21 + medial) × 28 + final (Unicode §3.12).
const COMMON_FINALS = [0, 0, 0, 0, 0, 1, 4, 4, 8, 8, 16, 17, 19, 21, 21];
function koreanSyllable(random: () => number): string {
  const initial = Math.floor(random() * 19);
  const medial = Math.floor(random() * 21);
  return String.fromCharCode(0xac00 + (initial * 21 + medial) * 28 + pick(random, COMMON_FINALS));
}

const KOREAN_VOCABULARY: readonly string[] = (() => {
  const random = createRandom(0x6b6f72);
  return Array.from({ length: 4000 }, () => {
    const length = 1 + Math.floor(random() * random() * 4) + (random() < 0.6 ? 1 : 0);
    let word = '';
    for (let i = 0; i < length; i++) word += koreanSyllable(random);
    return word;
  });
})();
const KOREAN_PARTICLES = [
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '에',
  '에서',
  '의',
  '와',
  '과',
  '도',
  '로',
  '으로',
  '에게',
];
const KOREAN_ENDINGS = ['했다', '한다', '이다', '였다', '합니다', '했어요', '하고', '하며', '하지만', '된다', '있었다'];

/**
 * Korean-like prose of at least `characters` UTF-16 characters (Hangul syllables, spaces, sentence punctuation and
 * paragraph breaks), cut at a word boundary.
 *
 * @example
 * ```ts
 * koreanText(1, 2000).length // ≥ 2000
 * ```
 */
export function koreanText(seed: number, characters: number): string {
  const random = createRandom(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < characters) {
    const words = 3 + Math.floor(random() * 9);
    let sentence = '';
    for (let w = 0; w < words; w++) {
      let word = KOREAN_VOCABULARY[zipfRank(random, KOREAN_VOCABULARY.length)]!;
      if (w === words - 1) word += pick(random, KOREAN_ENDINGS);
      else if (random() < 0.6) word += pick(random, KOREAN_PARTICLES);
      sentence += (w === 0 ? '' : random() < 0.08 ? ', ' : ' ') + word;
    }
    sentence += random() < 0.8 ? '.' : random() < 0.5 ? '?' : '!';
    sentence += random() < 0.15 ? '\n\n' : ' ';
    parts.push(sentence);
    length += sentence.length;
  }
  return parts.join('');
}

const ENGLISH_COMMON = (
  'the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they ' +
  'which one you were her all she there would their we him been has when who will more no if out so said what up ' +
  'its about into than them can only other new some could time these two may then do first any my now such like ' +
  'our over man me even most made after also did many before must through back years where much your way well down'
).split(' ');
const ENGLISH_VOCABULARY: readonly string[] = (() => {
  const random = createRandom(0x656e67);
  const onsets = [
    'b',
    'c',
    'd',
    'f',
    'g',
    'h',
    'l',
    'm',
    'n',
    'p',
    'r',
    's',
    't',
    'v',
    'w',
    'br',
    'st',
    'tr',
    'ch',
    'sh',
  ];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ea', 'ou', 'ai', 'o', 'e'];
  const codas = ['', '', 'n', 'r', 's', 't', 'l', 'nd', 'st', 'ng', 'ck', 'rt'];
  const invented = Array.from({ length: 4000 }, () => {
    const syllables = 1 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < syllables; i++) word += pick(random, onsets) + pick(random, vowels) + pick(random, codas);
    return word;
  });
  return [...ENGLISH_COMMON, ...invented];
})();

/**
 * English-like prose of at least `characters` characters: common English function words mixed with invented
 * content words, capitalised sentences, commas and full stops.
 *
 * @example
 * ```ts
 * englishText(1, 2000).length // ≥ 2000
 * ```
 */
export function englishText(seed: number, characters: number): string {
  const random = createRandom(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < characters) {
    const words = 5 + Math.floor(random() * 14);
    let sentence = '';
    for (let w = 0; w < words; w++) {
      let word = ENGLISH_VOCABULARY[zipfRank(random, ENGLISH_VOCABULARY.length)]!;
      if (w === 0) word = word[0]!.toUpperCase() + word.slice(1);
      sentence += (w === 0 ? '' : random() < 0.07 ? ', ' : ' ') + word;
    }
    sentence += random() < 0.85 ? '.' : random() < 0.5 ? '?' : '!';
    sentence += random() < 0.12 ? '\n\n' : ' ';
    parts.push(sentence);
    length += sentence.length;
  }
  return parts.join('');
}

/**
 * A document of `bytes` bytes of UTF-8 (up to 3 fewer, where the next character would not fit), from one of the
 * generators: what the benchmarks mean by "a 2 KB document".
 *
 * @example
 * ```ts
 * new TextEncoder().encode(documentOfBytes(koreanText, 7, 2048)).length // 2045..2048
 * ```
 */
export function documentOfBytes(
  generate: (seed: number, characters: number) => string,
  seed: number,
  bytes: number,
): string {
  const text = generate(seed, bytes);
  let used = 0;
  let end = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Re-spaces a text as careless copying does (research/matching.md §1.2): deletes each space with probability
 * `dropSpaces` and inserts a space after each other character with probability `addSpaces`.
 *
 * @example
 * ```ts
 * respace('안녕 하세요', 1, { dropSpaces: 1, addSpaces: 0 }) // '안녕하세요'
 * ```
 */
export function respace(
  text: string,
  seed: number,
  { dropSpaces = 0.3, addSpaces = 0.05 }: { dropSpaces?: number; addSpaces?: number } = {},
): string {
  const random = createRandom(seed);
  let out = '';
  for (const char of text) {
    if (char === ' ') {
      if (random() >= dropSpaces) out += char;
    } else {
      out += char;
      if (random() < addSpaces) out += ' ';
    }
  }
  return out;
}

const PUNCTUATION = [
  ',',
  '.',
  '!',
  '?',
  '…',
  '~',
  '·',
  '「',
  '」',
  '"',
  '“',
  '”',
  '(',
  ')',
  '★',
  '※',
  '—',
  '^^',
  '、',
  '。',
];

/**
 * Re-punctuates a text: removes each existing punctuation mark with probability `rate` and inserts punctuation or
 * decorative symbols (`~`, `★`, `^^`, full-width and CJK marks) after each character with probability `rate`.
 *
 * @example
 * ```ts
 * repunctuate('안녕하세요.', 3, 0.5) // e.g. '안녕~하세★요'
 * ```
 */
export function repunctuate(text: string, seed: number, rate = 0.05): string {
  const random = createRandom(seed);
  let out = '';
  for (const char of text) {
    if (/^[\p{P}\p{S}]$/u.test(char) && random() < rate) continue;
    out += char;
    if (random() < rate) out += pick(random, PUNCTUATION);
  }
  return out;
}

/**
 * A host document with `excerpt` inserted at the first paragraph or sentence boundary after `fraction` of its length:
 * how an excerpt of a registered work sits inside a training document.
 *
 * @example
 * ```ts
 * const doc = embed(englishText(9, 6000), excerptOf(work, 0.2, 0.3), 0.5);
 * ```
 */
export function embed(host: string, excerpt: string, fraction: number): { text: string; start: number; end: number } {
  let at = Math.floor(host.length * fraction);
  const boundary = host.indexOf(' ', at);
  at = boundary < 0 ? host.length : boundary + 1;
  const text = host.slice(0, at) + excerpt + ' ' + host.slice(at);
  return { text, start: at, end: at + excerpt.length };
}

/**
 * The part of `text` from `startFraction` of its length, `lengthFraction` of its length long, cut at UTF-16 offsets
 * (the generators here write only BMP characters, so no surrogate pair is split).
 *
 * @example
 * ```ts
 * excerptOf('abcdefghij', 0.2, 0.5) // 'cdefg'
 * ```
 */
export function excerptOf(text: string, startFraction: number, lengthFraction: number): string {
  const start = Math.floor(text.length * startFraction);
  return text.slice(start, start + Math.floor(text.length * lengthFraction));
}
