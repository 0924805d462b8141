import { stanceRestrictiveness, type StanceKind } from './statement.js';
import { usesRestrictedBy, type Use, type UseScope } from './uses.js';

/**
 * Mappings between heoga's uses and the words of every AI-use signal protocol (research/signals.md §0).
 *
 * Reading is tolerant and conservative: where a word's meaning changed between drafts (AIPREF `train-ai` meant any
 * AI training in drafts -02 to -04 and generative training only since -06), a refusal is read in the broadest
 * meaning the word has had and a permission in the narrowest. Writing is conservative too: a word that stands for
 * several of our uses is written as a permission only when all of them are allowed, and as a refusal when any of
 * them is refused or licensed for a price (most protocols cannot say "for a price"; research/signals.md §0, Traps).
 */
export const PROTOCOLS = ['aipref', 'content-signals', 'rsl', 'tdmrep', 'iptc', 'c2pa', 'cawg', 'noai'] as const;

/** A signal protocol whose vocabulary heoga maps. */
export type Protocol = (typeof PROTOCOLS)[number];

/** What one word of a protocol means in heoga's uses. */
export interface ProtocolWord {
  readonly protocol: Protocol;
  readonly word: string;
  /** What a refusal in this word refuses (its broadest meaning). */
  readonly refuses: readonly UseScope[];
  /** What a permission in this word permits (its narrowest meaning). Empty: the word can only refuse. */
  readonly permits: readonly UseScope[];
  /** The uses this word stands for when heoga writes it; absent when heoga does not write it. */
  readonly writes?: readonly Use[];
  /** True for words from superseded drafts or versions, read but never written. */
  readonly legacy: boolean;
  readonly note?: string;
}

const AI_ALL: readonly Use[] = ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index'];
const TRAINING: readonly Use[] = ['ai-train', 'ai-train-genai'];

function w(
  protocol: Protocol,
  word: string,
  refuses: readonly UseScope[],
  permits: readonly UseScope[],
  writes: readonly Use[] | undefined,
  legacy = false,
  note?: string,
): ProtocolWord {
  return { protocol, word, refuses, permits, ...(writes ? { writes } : {}), legacy, ...(note ? { note } : {}) };
}

function c2paWords(protocol: 'c2pa' | 'cawg'): ProtocolWord[] {
  return [
    w(
      protocol,
      `${protocol}.ai_training`,
      ['ai-train'],
      ['ai-train'],
      ['ai-train'],
      false,
      'non-generative training only; "no training at all" is written as both training keys and read as their union',
    ),
    w(protocol, `${protocol}.ai_generative_training`, ['ai-train-genai'], ['ai-train-genai'], ['ai-train-genai']),
    w(protocol, `${protocol}.ai_inference`, ['ai-input'], ['ai-input'], ['ai-input']),
    w(
      protocol,
      `${protocol}.data_mining`,
      ['ai-all'],
      ['ai-index'],
      ['ai-index'],
      false,
      'text and data mining: a refusal reaches every AI use',
    ),
  ];
}

/** Every protocol word heoga knows. */
export const PROTOCOL_WORDS: readonly ProtocolWord[] = [
  // IETF AI Preferences vocabulary, current (-07) and older drafts.
  w(
    'aipref',
    'train-ai',
    ['ai-train'],
    ['ai-train-genai'],
    ['ai-train-genai'],
    false,
    'vocab-06/07: generative training only; drafts -02 to -04: any AI training',
  ),
  w('aipref', 'search', ['search'], ['search'], ['search']),
  w('aipref', 'train-genai', ['ai-train-genai'], ['ai-train-genai'], undefined, true, 'drafts -02, -03'),
  w('aipref', 'ai-use', ['ai-input'], ['ai-input'], undefined, true, 'draft -02; reported for -08'),
  w('aipref', 'ai-output', ['ai-input', 'search'], ['ai-input'], undefined, true, 'draft -04 (contained search)'),
  w('aipref', 'bots', ['all'], ['all'], undefined, true, 'drafts -03, -04: any automated processing'),
  w('aipref', 'all', ['all'], ['all'], undefined, true, 'draft -02'),
  w('aipref', 'tdm', ['ai-all'], ['ai-train', 'ai-train-genai', 'ai-index'], undefined, true, 'draft -01'),
  w('aipref', 'ai', ['ai-train'], TRAINING, undefined, true, 'draft -01: AI training'),
  w('aipref', 'genai', ['ai-train-genai'], ['ai-train-genai'], undefined, true, 'draft -01'),
  w('aipref', 'inference', ['ai-input'], ['ai-input'], undefined, true, 'draft -01'),
  // Cloudflare Content Signals.
  w('content-signals', 'ai-train', ['ai-train'], TRAINING, TRAINING),
  w('content-signals', 'ai-input', ['ai-input'], ['ai-input'], ['ai-input']),
  w('content-signals', 'search', ['search'], ['search'], ['search']),
  // RSL 1.0 usage vocabulary, and RSL 0.9's AIPREF-02 style tokens.
  w('rsl', 'all', ['all'], ['all'], undefined, false, 'any automated processing, search included'),
  w('rsl', 'ai-all', ['ai-all'], ['ai-all'], undefined, false, 'every AI use, future ones included'),
  w('rsl', 'ai-train', ['ai-train'], TRAINING, TRAINING),
  w('rsl', 'ai-input', ['ai-input'], ['ai-input'], ['ai-input']),
  w('rsl', 'ai-index', ['ai-index'], ['ai-index'], ['ai-index']),
  w('rsl', 'search', ['search'], ['search'], ['search']),
  w('rsl', 'train-ai', ['ai-train'], TRAINING, undefined, true, 'RSL 0.9'),
  w('rsl', 'train-genai', ['ai-train-genai'], ['ai-train-genai'], undefined, true, 'RSL 0.9'),
  w('rsl', 'ai-use', ['ai-input'], ['ai-input'], undefined, true, 'RSL 0.9'),
  w('rsl', 'ai-summarize', ['ai-input'], ['ai-input'], undefined, true, 'RSL 0.9'),
  // TDMRep: one reservation for all text and data mining (search is left to robots.txt).
  w('tdmrep', 'tdm', ['ai-all'], ['ai-all'], AI_ALL, false, 'tdm-reservation: 1 reserves, 0 does not'),
  // IPTC Photo Metadata plus:DataMining values: each value is a whole statement.
  w('iptc', 'DMI-ALLOWED', [], ['all'], undefined),
  w('iptc', 'DMI-PROHIBITED-AIMLTRAINING', ['ai-train'], [], undefined),
  w('iptc', 'DMI-PROHIBITED-GENAIMLTRAINING', ['ai-train-genai'], [], undefined),
  w('iptc', 'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING', ['ai-all'], ['search'], undefined),
  w('iptc', 'DMI-PROHIBITED', ['all'], [], undefined),
  w('iptc', 'DMI-PROHIBITED-SEECONSTRAINT', ['all'], [], undefined, false, 'terms in plus:OtherConstraints'),
  w(
    'iptc',
    'DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR',
    ['all'],
    [],
    undefined,
    false,
    'terms in Iptc4xmpExt:EmbdEncRightsExpr',
  ),
  w(
    'iptc',
    'DMI-PROHIBITED-SEELINKEDRIGHTSEXPR',
    ['all'],
    [],
    undefined,
    false,
    'terms in Iptc4xmpExt:LinkedEncRightsExpr',
  ),
  w('iptc', 'DMI-UNSPECIFIED', [], [], undefined, false, 'no prohibition defined'),
  // C2PA 1.x c2pa.training-mining and CAWG cawg.training-mining entries.
  ...c2paWords('c2pa'),
  ...c2paWords('cawg'),
  // DeviantArt's meta robots / X-Robots-Tag directives: they can only refuse.
  w('noai', 'noai', ['ai-all'], [], TRAINING, false, 'no content of the page in AI datasets'),
  w('noai', 'noimageai', ['ai-all'], [], undefined, false, 'no images of the page in AI datasets'),
];

/** How each protocol spells a permission and a refusal. `undefined`: the word itself is the statement. */
const VALUE_WORDS: { readonly [P in Protocol]: { readonly permit: string; readonly refuse: string } | undefined } = {
  aipref: { permit: 'y', refuse: 'n' },
  'content-signals': { permit: 'yes', refuse: 'no' },
  rsl: { permit: 'permits', refuse: 'prohibits' },
  tdmrep: { permit: '0', refuse: '1' },
  iptc: undefined,
  c2pa: { permit: 'allowed', refuse: 'notAllowed' },
  cawg: { permit: 'allowed', refuse: 'notAllowed' },
  noai: undefined,
};

/** Protocols whose words are compared without regard to case (research/signals.md §3, §6, §7). */
const CASE_INSENSITIVE: ReadonlySet<Protocol> = new Set<Protocol>(['content-signals', 'noai', 'iptc']);

/** What a protocol word with its value says, in heoga's terms. */
export type ProtocolReading =
  | {
      readonly known: true;
      readonly stance: 'allow' | 'deny' | 'unknown';
      readonly uses: readonly UseScope[];
      readonly word: ProtocolWord;
    }
  | { readonly known: false };

/**
 * Finds the meaning of `word` in `protocol`, or `undefined` for a word heoga does not know (unknown words are
 * ignored by every protocol's rules). AIPREF is case-sensitive (RFC 9651 tokens); Content Signals, IPTC and the
 * `noai` directives are not. IPTC values may be full PLUS URIs; only the last path segment counts.
 *
 * @example
 * ```ts
 * findProtocolWord('aipref', 'train-ai')?.refuses // ['ai-train']
 * findProtocolWord('aipref', 'Train-AI')          // undefined
 * ```
 */
export function findProtocolWord(protocol: Protocol, word: string): ProtocolWord | undefined {
  let key = word.trim();
  if (protocol === 'iptc') key = key.slice(key.lastIndexOf('/') + 1).replace(/^Iptc4xmpExt:/i, '');
  const fold = CASE_INSENSITIVE.has(protocol);
  return PROTOCOL_WORDS.find(
    (entry) =>
      entry.protocol === protocol && (fold ? entry.word.toLowerCase() === key.toLowerCase() : entry.word === key),
  );
}

/**
 * Reads one protocol word and its value into a stance on heoga's uses. For protocols whose words carry no value
 * (IPTC values, `noai`), pass the word alone: its presence is the statement. C2PA's `constrained` with nothing
 * else counts as `notAllowed` (C2PA 1.4 §19.23). A value the protocol does not define reads as `unknown`.
 *
 * @example
 * ```ts
 * readProtocolWord('content-signals', 'ai-train', 'no')  // { known: true, stance: 'deny', uses: ['ai-train'], … }
 * readProtocolWord('aipref', 'train-ai', 'y')            // { known: true, stance: 'allow', uses: ['ai-train-genai'], … }
 * ```
 */
export function readProtocolWord(protocol: Protocol, word: string, value?: string): ProtocolReading {
  const entry = findProtocolWord(protocol, word);
  if (!entry) return { known: false };
  const words = VALUE_WORDS[protocol];
  if (!words) {
    // The word is the statement: a refusal if it refuses anything, else a permission, else no preference.
    if (entry.refuses.length > 0) return { known: true, stance: 'deny', uses: entry.refuses, word: entry };
    if (entry.permits.length > 0) return { known: true, stance: 'allow', uses: entry.permits, word: entry };
    return { known: true, stance: 'unknown', uses: ['all'], word: entry };
  }
  const v = protocol === 'content-signals' ? value?.trim().toLowerCase() : value?.trim();
  if (v === words.refuse || ((protocol === 'c2pa' || protocol === 'cawg') && v === 'constrained')) {
    return { known: true, stance: 'deny', uses: entry.refuses, word: entry };
  }
  if (v === words.permit) {
    return entry.permits.length > 0
      ? { known: true, stance: 'allow', uses: entry.permits, word: entry }
      : { known: true, stance: 'unknown', uses: entry.refuses, word: entry };
  }
  return {
    known: true,
    stance: 'unknown',
    uses: entry.refuses.length > 0 ? entry.refuses : entry.permits,
    word: entry,
  };
}

/** A creator's stance per use, as the registry keeps it: every use has one. */
export type PolicyByUse = { readonly [U in Use]: StanceKind };

/** One word heoga writes for a protocol, with its value. */
export interface WrittenWord {
  readonly word: string;
  readonly value: 'permit' | 'refuse';
  /** The value as the protocol spells it (`n`, `no`, `1`, `notAllowed`…); for IPTC and `noai`, the word itself. */
  readonly spelled: string;
  /** True when some use behind the word is licensed for a price: point to the terms where the format allows. */
  readonly priced: boolean;
}

const restricts = (stance: StanceKind): boolean => stance === 'deny' || stance === 'license';

/**
 * The policy as it takes effect: a refusal or a price on a use reaches the uses it contains (refusing `ai-train`
 * refuses `ai-train-genai`), so a narrower use is never published as more permissive than a broader restriction.
 *
 * @example
 * ```ts
 * effectivePolicy({ 'ai-train': 'deny', 'ai-train-genai': 'allow', 'ai-input': 'allow', 'ai-index': 'unknown', search: 'allow' })
 * // { 'ai-train': 'deny', 'ai-train-genai': 'deny', … }
 * ```
 */
export function effectivePolicy(policy: PolicyByUse): PolicyByUse {
  const out: { [U in Use]: StanceKind } = { ...policy };
  for (const use of Object.keys(policy) as Use[]) {
    if (!restricts(policy[use])) continue;
    for (const narrower of usesRestrictedBy(use)) {
      if (stanceRestrictiveness(policy[use]) > stanceRestrictiveness(out[narrower])) out[narrower] = policy[use];
    }
  }
  return out;
}

function iptcValueFor(policy: PolicyByUse): WrittenWord | undefined {
  const restricted = (Object.keys(policy) as Use[]).filter((u) => restricts(policy[u]));
  const priced = restricted.some((u) => policy[u] === 'license');
  const make = (word: string, value: 'permit' | 'refuse'): WrittenWord => ({ word, value, spelled: word, priced });
  if (restricted.length === 0) {
    return Object.values<StanceKind>(policy).every((s) => s === 'allow') ? make('DMI-ALLOWED', 'permit') : undefined;
  }
  // One value must cover every restriction, so pick the narrowest value that does.
  const covers = (scope: UseScope): boolean => restricted.every((u) => usesRestrictedBy(scope).includes(u));
  if (covers('ai-train-genai')) return make('DMI-PROHIBITED-GENAIMLTRAINING', 'refuse');
  if (covers('ai-train')) return make('DMI-PROHIBITED-AIMLTRAINING', 'refuse');
  if (covers('ai-all') && policy.search === 'allow') return make('DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING', 'refuse');
  return make(priced ? 'DMI-PROHIBITED-SEECONSTRAINT' : 'DMI-PROHIBITED', 'refuse');
}

/**
 * The words heoga writes for `protocol` to publish `policy`, conservatively: a word is a permission only when every
 * use behind it is allowed, a refusal when any is refused or licensed for a price, and left out otherwise. IPTC
 * gets the single `plus:DataMining` value that covers every restriction.
 *
 * @example
 * ```ts
 * writeProtocolWords('content-signals', { 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'allow', 'ai-index': 'deny', search: 'allow' })
 * // [{ word: 'ai-train', value: 'refuse', spelled: 'no', … }, { word: 'ai-input', value: 'permit', spelled: 'yes', … },
 * //  { word: 'search', value: 'permit', spelled: 'yes', … }]
 * ```
 */
export function writeProtocolWords(protocol: Protocol, stated: PolicyByUse): readonly WrittenWord[] {
  const policy = effectivePolicy(stated);
  if (protocol === 'iptc') {
    const value = iptcValueFor(policy);
    return value ? [value] : [];
  }
  const words = VALUE_WORDS[protocol];
  const out: WrittenWord[] = [];
  for (const entry of PROTOCOL_WORDS) {
    if (entry.protocol !== protocol || entry.legacy || !entry.writes) continue;
    const stances = entry.writes.map((u) => policy[u]);
    const priced = stances.includes('license');
    if (stances.some(restricts)) {
      out.push({ word: entry.word, value: 'refuse', spelled: words ? words.refuse : entry.word, priced });
    } else if (words && entry.permits.length > 0 && stances.every((s) => s === 'allow')) {
      out.push({ word: entry.word, value: 'permit', spelled: words.permit, priced });
    }
  }
  return out;
}
