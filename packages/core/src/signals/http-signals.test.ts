import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_WORDS, writeProtocolWords, type PolicyByUse, type Protocol } from '../policy/protocol-vocabulary.js';
import { STANCE_KINDS } from '../policy/statement.js';
import { USES } from '../policy/uses.js';
import {
  formatContentSignal,
  formatContentUsage,
  MAX_HEADER_LENGTH,
  parseContentSignal,
  parseContentUsage,
  type HeaderSignalReading,
} from './http-signals.js';

const policy = fc.record(
  Object.fromEntries(USES.map((u) => [u, fc.constantFrom(...STANCE_KINDS)])),
) as fc.Arbitrary<PolicyByUse>;

const stances = (r: HeaderSignalReading) => Object.fromEntries(USES.map((u) => [u, r.byUse[u].stance]));
const allUnknown = Object.fromEntries(USES.map((u) => [u, 'unknown']));

/**
 * What was read back permits only what the policy allows, and refuses every use the protocol can speak of that the
 * policy refuses or prices. (It may refuse more: a refusal word is read in its broadest meaning, protocol-vocabulary.ts.)
 */
function expectFaithful(protocol: Protocol, read: HeaderSignalReading, p: PolicyByUse): void {
  for (const u of USES) if (read.byUse[u].stance === 'allow') expect(p[u]).toBe('allow');
  const spoken = new Set(PROTOCOL_WORDS.filter((w) => w.protocol === protocol).flatMap((w) => w.writes ?? []));
  for (const u of spoken) if (p[u] === 'deny' || p[u] === 'license') expect(read.byUse[u].stance).toBe('deny');
}

describe('parseContentUsage (AIPREF attach-05 / vocab-07)', () => {
  it('reads the digest example train-ai=n, search=y', () => {
    const r = parseContentUsage('train-ai=n, search=y');
    expect(r.valid).toBe(true);
    expect(r.byUse['ai-train']).toEqual({ stance: 'deny', key: 'train-ai' });
    expect(r.byUse['ai-train-genai']).toEqual({ stance: 'deny', key: 'train-ai' });
    expect(r.byUse.search).toEqual({ stance: 'allow', key: 'search' });
    expect(r.byUse['ai-input']).toEqual({ stance: 'unknown' });
  });

  it('reads train-ai=y as allowing generative training only (its narrowest meaning)', () => {
    const r = parseContentUsage('train-ai=y');
    expect(stances(r)).toEqual({ ...allUnknown, 'ai-train-genai': 'allow' });
  });

  it.each([
    ['train-ai="n"', 'a string is not the token n'],
    ['train-ai', 'a boolean'],
    ['train-ai=?0', 'a boolean'],
    ['train-ai=no', 'another token'],
    ['train-ai=N', 'tokens are case-sensitive'],
    ['train-ai=y, train-ai', 'the last duplicate (a boolean) wins'],
    ['train-ai=(n)', 'an inner list'],
    ['Train-AI=n', 'an uppercase key fails to parse'],
    ['train-ai=n,', 'a trailing comma fails to parse'],
    ['train-ai=n search=y', 'a missing comma fails to parse'],
  ])('reads %s as unknown (%s)', (value) => {
    expect(stances(parseContentUsage(value))).toEqual(allUnknown);
  });

  it('marks parse failures as invalid with an issue', () => {
    const r = parseContentUsage('Train-AI=n');
    expect(r.valid).toBe(false);
    expect(r.issues).toHaveLength(1);
  });

  it('ignores parameters and unknown keys, and the last duplicate wins', () => {
    const r = parseContentUsage('foo=n, train-ai=y;q=1, train-ai=n;x');
    expect(r.byUse['ai-train']).toEqual({ stance: 'deny', key: 'train-ai' });
    expect(r.entries).toEqual([
      { key: 'foo', value: 'n', known: false },
      { key: 'train-ai', value: 'n', known: true },
    ]);
  });

  it('reads older drafts: any deny wins per use', () => {
    const r = parseContentUsage('bots=y, train-genai=n, ai-use=n');
    expect(r.byUse.search).toEqual({ stance: 'allow', key: 'bots' });
    expect(r.byUse['ai-train-genai']).toEqual({ stance: 'deny', key: 'train-genai' });
    expect(r.byUse['ai-input']).toEqual({ stance: 'deny', key: 'ai-use' });
    expect(r.byUse['ai-index']).toEqual({ stance: 'allow', key: 'bots' });
  });

  it('combines several field lines with ", " and skips empty ones', () => {
    expect(stances(parseContentUsage(['train-ai=n', '', 'search=y']))).toEqual(
      stances(parseContentUsage('train-ai=n, search=y')),
    );
    // RFC 9110 combination can make a broken member span lines: then the whole field fails.
    expect(parseContentUsage(['train-ai="n', 'x"']).valid).toBe(true);
    expect(parseContentUsage(['train-ai=n;', 'search=y']).valid).toBe(false);
  });

  it('does not read a field longer than 16 KiB', () => {
    const r = parseContentUsage(`train-ai=n, ${'a=1, '.repeat(MAX_HEADER_LENGTH / 5)}search=y`);
    expect(r.valid).toBe(false);
    expect(stances(r)).toEqual(allUnknown);
  });

  it('never throws on random input', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseContentUsage(s)));
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' })), (s) => void parseContentUsage(s)));
  });

  it('writes the digest example', () => {
    const p: PolicyByUse = {
      'ai-train': 'deny',
      'ai-train-genai': 'deny',
      'ai-input': 'unknown',
      'ai-index': 'unknown',
      search: 'allow',
    };
    expect(formatContentUsage(p)).toBe('train-ai=n, search=y');
  });

  it('parse(format(x)) gives back the written words, faithfully', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const PROTOCOL = 'aipref';
        const r = parseContentUsage(formatContentUsage(p));
        expect(r.valid).toBe(true);
        expect(r.entries).toEqual(
          writeProtocolWords('aipref', p).map((w) => ({ key: w.word, value: w.spelled, known: true })),
        );
        expectFaithful(PROTOCOL, r, p);
        if (p.search === 'allow') expect(r.byUse.search.stance).toBe('allow');
      }),
    );
  });
});

describe('parseContentSignal (Cloudflare Content Signals, header form)', () => {
  it('reads the digest example', () => {
    const r = parseContentSignal('ai-train=no, search=yes, ai-input=yes');
    expect(stances(r)).toEqual({
      'ai-train': 'deny',
      'ai-train-genai': 'deny',
      'ai-input': 'allow',
      'ai-index': 'unknown',
      search: 'allow',
    });
    expect(r.byUse['ai-train']).toEqual({ stance: 'deny', key: 'ai-train' });
  });

  it('reads ai-train=yes as allowing both kinds of training', () => {
    expect(stances(parseContentSignal('ai-train=yes'))).toMatchObject({
      'ai-train': 'allow',
      'ai-train-genai': 'allow',
    });
  });

  it('folds case, ignores unknown keys and a leading path', () => {
    const r = parseContentSignal('/docs/ AI-Train=NO, Search=Yes, use=reference');
    expect(stances(r)).toMatchObject({ 'ai-train': 'deny', search: 'allow' });
    expect(r.entries).toContainEqual({ key: 'use', value: 'reference', known: false });
  });

  it('reads other values and bare keys as unknown', () => {
    expect(stances(parseContentSignal('ai-train=maybe, search'))).toEqual(allUnknown);
    expect(parseContentSignal('search').issues).toHaveLength(1);
  });

  it('combines lines; any deny wins for a repeated key', () => {
    expect(parseContentSignal(['search=yes', 'search=no']).byUse.search.stance).toBe('deny');
  });

  it('never throws on random input', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseContentSignal(s)));
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' })), (s) => void parseContentSignal(s)));
  });

  it('writes the doc example', () => {
    const p: PolicyByUse = {
      'ai-train': 'deny',
      'ai-train-genai': 'deny',
      'ai-input': 'allow',
      'ai-index': 'deny',
      search: 'allow',
    };
    expect(formatContentSignal(p)).toBe('ai-train=no, ai-input=yes, search=yes');
  });

  it('parse(format(x)) gives back the written words, faithfully', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const PROTOCOL = 'content-signals';
        const r = parseContentSignal(formatContentSignal(p));
        expect(r.entries).toEqual(
          writeProtocolWords('content-signals', p).map((w) => ({ key: w.word, value: w.spelled, known: true })),
        );
        expect(r.issues).toEqual([]);
        expectFaithful(PROTOCOL, r, p);
      }),
    );
  });
});
