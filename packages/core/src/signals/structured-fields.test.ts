import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSfDictionary, serializeSfDictionary, type SfBareItem, type SfMember } from './structured-fields.js';

const parsed = (s: string) => {
  const r = parseSfDictionary(s);
  if (!r.ok) throw new Error(`did not parse: ${r.reason}`);
  return r.value;
};

describe('parseSfDictionary (RFC 9651 §4.2.2)', () => {
  it('parses tokens, parameters and booleans', () => {
    const d = parsed('train-ai=n;x=1, search=y, bare;p');
    expect(d.get('train-ai')).toEqual({
      kind: 'item',
      value: { kind: 'token', value: 'n' },
      params: new Map([['x', { kind: 'integer', value: 1 }]]),
    });
    expect(d.get('search')).toMatchObject({ value: { kind: 'token', value: 'y' } });
    expect(d.get('bare')).toMatchObject({ value: { kind: 'boolean', value: true } });
  });

  it.each<[string, SfBareItem]>([
    ['a=42', { kind: 'integer', value: 42 }],
    ['a=-1.5', { kind: 'decimal', value: -1.5 }],
    ['a="x\\"y"', { kind: 'string', value: 'x"y' }],
    ['a=?0', { kind: 'boolean', value: false }],
    ['a=:aGk=:', { kind: 'byte-sequence', value: Uint8Array.from([0x68, 0x69]) }],
    ['a=@1659578233', { kind: 'date', value: 1659578233 }],
    ['a=%"f%c3%bc"', { kind: 'display-string', value: 'fü' }],
    ['a=*tok/en:1', { kind: 'token', value: '*tok/en:1' }],
  ])('parses the item in %s', (input, value) => {
    expect(parsed(input).get('a')).toMatchObject({ kind: 'item', value });
  });

  it('parses inner lists', () => {
    const m = parsed('a=(1 "b" c);q').get('a');
    expect(m?.kind).toBe('inner-list');
    expect(m?.kind === 'inner-list' && m.items.map((i) => i.value.value)).toEqual([1, 'b', 'c']);
  });

  it('lets the last duplicate win, keeping the first position', () => {
    const d = parsed('a=1, b=2, a=3');
    expect([...d.keys()]).toEqual(['a', 'b']);
    expect(d.get('a')).toMatchObject({ value: { value: 3 } });
  });

  it('accepts surrounding spaces and OWS around commas; empty is an empty dictionary', () => {
    expect(parsed('  a=1 ,\tb=2  ').size).toBe(2);
    expect(parsed('').size).toBe(0);
  });

  it.each([
    'Train-AI=n',
    'a=1,',
    'a=1 b=2',
    '1a=1',
    'a="unterminated',
    'a="bad\\n"',
    'a=?2',
    'a=1.',
    'a=1.2345',
    'a=1234567890123456',
    'a=(1 2',
    'a=:abc',
    'a=@1.5',
    'a=%"%C3%BC"',
    'a=%"%ff"',
    'a=é',
    '\ta=1',
    'a=1;B=2',
  ])('fails on %j', (input) => {
    expect(parseSfDictionary(input).ok).toBe(false);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'a=1;,( )"?:*-.%@\\\tyn'.split('')) }), (s) => {
        parseSfDictionary(s);
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => void parseSfDictionary(s)));
  });

  const key = fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,6}$/);
  const bare: fc.Arbitrary<SfBareItem> = fc.oneof(
    fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }).map((value) => ({ kind: 'integer' as const, value })),
    fc.integer({ min: -1e9, max: 1e9 }).map((n) => ({ kind: 'decimal' as const, value: n / 1000 })),
    fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) })
      .map((value) => ({ kind: 'string' as const, value })),
    fc
      .stringMatching(/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]{0,6}$/)
      .map((value) => ({ kind: 'token' as const, value })),
    fc.uint8Array({ maxLength: 8 }).map((value) => ({ kind: 'byte-sequence' as const, value })),
    fc.boolean().map((value) => ({ kind: 'boolean' as const, value })),
    fc.integer({ min: -1e12, max: 1e12 }).map((value) => ({ kind: 'date' as const, value })),
    fc.string({ unit: 'grapheme' }).map((value) => ({ kind: 'display-string' as const, value })),
  );
  const params = fc.uniqueArray(fc.tuple(key, bare), { selector: (e) => e[0], maxLength: 2 }).map((e) => new Map(e));
  const member: fc.Arbitrary<SfMember> = fc.oneof(
    fc.record({ kind: fc.constant('item' as const), value: bare, params }),
    fc.record({
      kind: fc.constant('inner-list' as const),
      items: fc.array(fc.record({ value: bare, params }), { maxLength: 3 }),
      params,
    }),
  );

  it('parse(serialize(x)) equals x', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, member), { selector: (e) => e[0], maxLength: 4 }), (entries) => {
        const dict = new Map(entries);
        const text = serializeSfDictionary(dict);
        expect(parsed(text)).toEqual(dict);
      }),
    );
  });
});
