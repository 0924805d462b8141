import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combineStatements,
  findProtocolWord,
  PROTOCOL_WORDS,
  PROTOCOLS,
  readProtocolWord,
  STANCE_KINDS,
  USES,
  usesRestrictedBy,
  writeProtocolWords,
  effectivePolicy,
  type PolicyByUse,
  type Protocol,
  type Statement,
} from '../index.js';

const policy = fc.record(
  Object.fromEntries(USES.map((u) => [u, fc.constantFrom(...STANCE_KINDS)])),
) as fc.Arbitrary<PolicyByUse>;

/** Reads what heoga wrote back as statements, as the signal reader will. */
function readBack(protocol: Protocol, p: PolicyByUse): Statement[] {
  return writeProtocolWords(protocol, p).flatMap((written) => {
    const reading = readProtocolWord(protocol, written.word, written.spelled);
    if (!reading.known || reading.stance === 'unknown') return [];
    return [
      {
        kind: 'preference' as const,
        source: { kind: 'embedded-metadata' as const, format: 'iptc' as const },
        uses: reading.uses,
        stance: { kind: reading.stance },
      },
    ];
  });
}

describe('protocol vocabularies', () => {
  it.each([
    ['aipref', 'train-ai', 'n', 'deny', ['ai-train']],
    ['aipref', 'train-ai', 'y', 'allow', ['ai-train-genai']],
    ['aipref', 'search', 'y', 'allow', ['search']],
    ['aipref', 'train-genai', 'n', 'deny', ['ai-train-genai']],
    ['aipref', 'ai-use', 'n', 'deny', ['ai-input']],
    ['aipref', 'bots', 'n', 'deny', ['all']],
    ['aipref', 'train-ai', '"n"', 'unknown', ['ai-train']],
    ['content-signals', 'ai-train', 'no', 'deny', ['ai-train']],
    ['content-signals', 'AI-Train', 'YES', 'allow', ['ai-train', 'ai-train-genai']],
    ['content-signals', 'ai-input', 'no', 'deny', ['ai-input']],
    ['rsl', 'ai-all', 'prohibits', 'deny', ['ai-all']],
    ['rsl', 'all', 'prohibits', 'deny', ['all']],
    ['rsl', 'ai-index', 'permits', 'allow', ['ai-index']],
    ['rsl', 'ai-summarize', 'prohibits', 'deny', ['ai-input']],
    ['tdmrep', 'tdm', '1', 'deny', ['ai-all']],
    ['tdmrep', 'tdm', '0', 'allow', ['ai-all']],
    ['tdmrep', 'tdm', '2', 'unknown', ['ai-all']],
    ['c2pa', 'c2pa.ai_generative_training', 'notAllowed', 'deny', ['ai-train-genai']],
    ['c2pa', 'c2pa.ai_training', 'constrained', 'deny', ['ai-train']],
    ['c2pa', 'c2pa.ai_training', 'allowed', 'allow', ['ai-train']],
    ['cawg', 'cawg.ai_inference', 'notAllowed', 'deny', ['ai-input']],
    ['cawg', 'cawg.data_mining', 'notAllowed', 'deny', ['ai-all']],
    ['iptc', 'http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-GENAIMLTRAINING', undefined, 'deny', ['ai-train-genai']],
    ['iptc', 'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING', undefined, 'deny', ['ai-all']],
    ['iptc', 'Iptc4xmpExt:DMI-PROHIBITED', undefined, 'deny', ['all']],
    ['iptc', 'DMI-ALLOWED', undefined, 'allow', ['all']],
    ['iptc', 'DMI-UNSPECIFIED', undefined, 'unknown', ['all']],
    ['noai', 'NoAI', undefined, 'deny', ['ai-all']],
  ] as const)('%s %s=%s reads as %s %j', (protocol, word, value, stance, uses) => {
    const reading = readProtocolWord(protocol, word, value);
    expect(reading).toMatchObject({ known: true, stance, uses });
  });

  it('is case-sensitive for AIPREF (RFC 9651 tokens) and ignores unknown words', () => {
    expect(findProtocolWord('aipref', 'Train-AI')).toBeUndefined();
    expect(readProtocolWord('content-signals', 'use', 'full')).toEqual({ known: false });
    expect(readProtocolWord('rsl', 'openrsl:binding', 'permits')).toEqual({ known: false });
  });

  it('marks superseded draft words as legacy and never writes them', () => {
    const legacy = PROTOCOL_WORDS.filter((w) => w.legacy);
    expect(legacy.map((w) => `${w.protocol}:${w.word}`)).toContain('aipref:train-genai');
    expect(legacy.every((w) => w.writes === undefined)).toBe(true);
  });

  it('writes one choice as every protocol', () => {
    const choice: PolicyByUse = {
      'ai-train': 'deny',
      'ai-train-genai': 'deny',
      'ai-input': 'license',
      'ai-index': 'allow',
      search: 'allow',
    };
    const spelled = (p: Protocol) => writeProtocolWords(p, choice).map((w) => `${w.word}=${w.spelled}`);
    expect(spelled('aipref')).toEqual(['train-ai=n', 'search=y']);
    expect(spelled('content-signals')).toEqual(['ai-train=no', 'ai-input=no', 'search=yes']);
    expect(spelled('rsl')).toEqual(['ai-train=prohibits', 'ai-input=prohibits', 'ai-index=permits', 'search=permits']);
    expect(spelled('tdmrep')).toEqual(['tdm=1']);
    expect(spelled('c2pa')).toEqual([
      'c2pa.ai_training=notAllowed',
      'c2pa.ai_generative_training=notAllowed',
      'c2pa.ai_inference=notAllowed',
      'c2pa.data_mining=allowed',
    ]);
    expect(spelled('iptc')).toEqual([
      'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING=DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING',
    ]);
    expect(writeProtocolWords('iptc', choice)[0]?.priced).toBe(true);
    expect(spelled('noai')).toEqual(['noai=noai']);
    expect(writeProtocolWords('content-signals', choice).find((w) => w.word === 'ai-input')?.priced).toBe(true);
  });

  it('picks the narrowest IPTC value that covers every restriction', () => {
    const base: PolicyByUse = {
      'ai-train': 'allow',
      'ai-train-genai': 'allow',
      'ai-input': 'allow',
      'ai-index': 'allow',
      search: 'allow',
    };
    expect(writeProtocolWords('iptc', base)[0]?.word).toBe('DMI-ALLOWED');
    expect(writeProtocolWords('iptc', { ...base, 'ai-train-genai': 'deny' })[0]?.word).toBe(
      'DMI-PROHIBITED-GENAIMLTRAINING',
    );
    expect(writeProtocolWords('iptc', { ...base, 'ai-train': 'deny', 'ai-train-genai': 'deny' })[0]?.word).toBe(
      'DMI-PROHIBITED-AIMLTRAINING',
    );
    expect(writeProtocolWords('iptc', { ...base, 'ai-input': 'deny' })[0]?.word).toBe(
      'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING',
    );
    expect(writeProtocolWords('iptc', { ...base, search: 'deny' })[0]?.word).toBe('DMI-PROHIBITED');
    expect(writeProtocolWords('iptc', { ...base, search: 'unknown' })).toEqual([]);
    expect(writeProtocolWords('iptc', { ...base, search: 'license' })[0]).toMatchObject({
      word: 'DMI-PROHIBITED-SEECONSTRAINT',
      priced: true,
    });
  });

  it('what heoga writes, read back, never permits a use the creator restricted, and refuses every one it can express (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOCOLS), policy, (protocol, p) => {
        const statements = readBack(protocol, p);
        const expressible = new Set(
          PROTOCOL_WORDS.filter((w) => w.protocol === protocol && !w.legacy && w.writes).flatMap((w) => w.writes ?? []),
        );
        for (const use of USES) {
          const standing = combineStatements(statements, use, 0).standing;
          if (p[use] === 'deny' || p[use] === 'license') {
            expect(standing).not.toBe('allowed');
            if (expressible.has(use) || protocol === 'iptc') expect(standing).toBe('refused');
          }
          if (standing === 'allowed') expect(p[use]).toBe('allow');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every word a meaning inside the use vocabulary', () => {
    for (const w of PROTOCOL_WORDS) {
      for (const scope of [...w.refuses, ...w.permits]) expect(usesRestrictedBy(scope).length).toBeGreaterThan(0);
      for (const u of w.writes ?? []) expect(USES).toContain(u);
    }
  });
});

describe('effective policy', () => {
  it('lets a refusal or a price on ai-train reach ai-train-genai before anything is written', () => {
    const stated: PolicyByUse = {
      'ai-train': 'license',
      'ai-train-genai': 'unknown',
      'ai-input': 'allow',
      'ai-index': 'unknown',
      search: 'allow',
    };
    expect(effectivePolicy(stated)['ai-train-genai']).toBe('license');
    expect(effectivePolicy({ ...stated, 'ai-train': 'deny', 'ai-train-genai': 'license' })['ai-train-genai']).toBe(
      'deny',
    );
    expect(effectivePolicy({ ...stated, 'ai-train': 'allow', 'ai-train-genai': 'deny' })['ai-train']).toBe('allow');
    // AIPREF's train-ai stands for generative training: a priced ai-train is published as train-ai=n.
    expect(writeProtocolWords('aipref', stated).map((w) => `${w.word}=${w.spelled}`)).toEqual([
      'train-ai=n',
      'search=y',
    ]);
  });
});
