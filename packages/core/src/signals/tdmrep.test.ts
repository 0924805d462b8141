import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import { USES } from '../policy/uses.js';
import {
  combineTdmrep,
  evaluateTdmrep,
  parseTdmrepJson,
  readTdmrepHeaders,
  readTdmrepMeta,
  readTdmrepValues,
  tdmrepForPolicy,
  writeTdmrepJson,
  type TdmrepFile,
  type TdmrepRuleInput,
} from './tdmrep.js';
import { compilePathPattern, matchPathPattern } from './tdmrep-path-pattern.js';

// research/signals.md §1, "Examples (ours)".
const DIGEST_FILE = `[
  { "location": "/gallery/free/", "tdm-reservation": 0 },
  { "location": "/gallery/", "tdm-reservation": 1,
    "tdm-policy": "https://clearing.example/policies/artist-42.json" },
  { "location": "/", "tdm-reservation": 1 }
]`;

function parsed(text: string): TdmrepFile {
  const result = parseTdmrepJson(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('RFC 9309 path patterns', () => {
  it.each([
    ['/', '/anything', true],
    ['/gallery/', '/gallery/a.jpg', true],
    ['/gallery/', '/Gallery/a.jpg', false],
    ['/*.jpg$', '/a/b.jpg', true],
    ['/*.jpg$', '/a/b.jpg?x=1', false],
    ['/*.jpg', '/a/b.jpg?x=1', true],
    ['/a$', '/a', true],
    ['/a$', '/ab', false],
    ['/%7Euser/', '/~user/page', true],
    ['/~user/', '/%7euser/page', true],
    ['/price%24', '/price$', true],
    ['/a%2A', '/a*', true],
    ['/a%2A', '/ab', false],
    ['/a/*/c', '/a/b/x/c', true],
    ['/a/*/c', '/a/c', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(matchPathPattern(compilePathPattern(pattern), path)).toBe(expected);
  });
});

describe('parseTdmrepJson', () => {
  it('reads the digest example', () => {
    const file = parsed(DIGEST_FILE);
    expect(file.rules).toHaveLength(3);
    expect(evaluateTdmrep(file, '/gallery/free/sky.jpg')).toEqual({ reservation: 'not-reserved', ruleIndex: 0 });
    expect(evaluateTdmrep(file, '/gallery/sea.jpg')).toEqual({
      reservation: 'reserved',
      policyUrl: 'https://clearing.example/policies/artist-42.json',
      ruleIndex: 1,
    });
    expect(evaluateTdmrep(file, '/about')).toEqual({ reservation: 'reserved', ruleIndex: 2 });
  });

  it('requires a JSON array, even for one rule', () => {
    const result = parseTdmrepJson('{ "location": "/", "tdm-reservation": 1 }');
    expect(result.ok).toBe(false);
  });

  it('treats a reservation other than 0 or 1 as a protocol error that leaves the rule unset', () => {
    const result = parseTdmrepJson(
      '[{ "location": "/a/", "tdm-reservation": "yes" }, { "location": "/", "tdm-reservation": 1 }]',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((w) => w.path)).toEqual(['[0].tdm-reservation']);
    expect(evaluateTdmrep(result.value, '/a/b')).toEqual({ reservation: 'unset', ruleIndex: 0 });
    expect(evaluateTdmrep(result.value, '/b')).toEqual({ reservation: 'reserved', ruleIndex: 1 });
  });

  it('skips rules without a location, and no match is unset', () => {
    const result = parseTdmrepJson('[{ "tdm-reservation": 1 }, { "location": "/x/", "tdm-reservation": 1 }]');
    expect(result.ok && result.value.rules.length).toBe(1);
    expect(result.ok && evaluateTdmrep(result.value, '/y')).toEqual({ reservation: 'unset' });
  });

  it('does not give the policy with a 0', () => {
    const file = parsed('[{ "location": "/", "tdm-reservation": 0, "tdm-policy": "https://p.example/p.json" }]');
    expect(evaluateTdmrep(file, '/')).toEqual({ reservation: 'not-reserved', ruleIndex: 0 });
  });

  it('refuses input larger than 1 MiB', () => {
    const result = parseTdmrepJson(`[${' '.repeat(1024 * 1024)}]`);
    expect(result.ok).toBe(false);
  });

  it('never throws on random strings or random JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify([v, v])),
        ),
        (text) => {
          const result = parseTdmrepJson(text);
          if (result.ok) evaluateTdmrep(result.value, '/a/b');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('first match (TDMRep) versus longest match (robots.txt)', () => {
  const generalFirst =
    '[{ "location": "/", "tdm-reservation": 1 }, { "location": "/gallery/free/", "tdm-reservation": 0 }]';

  it('reads the first matching rule even when a later one is more specific', () => {
    expect(evaluateTdmrep(parsed(generalFirst), '/gallery/free/a.jpg')).toEqual({
      reservation: 'reserved',
      ruleIndex: 0,
    });
  });

  it('writes specific rules first, so that first match gives the longest-match answer', () => {
    const written = writeTdmrepJson([
      { location: '/', reservation: 'reserved' },
      { location: '/gallery/free/', reservation: 'not-reserved' },
    ]);
    expect(evaluateTdmrep(parsed(written), '/gallery/free/a.jpg').reservation).toBe('not-reserved');
    expect(evaluateTdmrep(parsed(written), '/gallery/a.jpg').reservation).toBe('reserved');
  });
});

describe('writeTdmrepJson round trip', () => {
  const segment = fc.constantFrom('a', 'b', 'gallery', 'free', '%7Ex', 'x.jpg');
  const location = fc
    .tuple(fc.array(segment, { maxLength: 3 }), fc.boolean(), fc.boolean())
    .map(([parts, wildcard, anchored]) => `/${parts.join('/')}${wildcard ? '*' : ''}${anchored ? '$' : ''}`);
  const rule: fc.Arbitrary<TdmrepRuleInput> = fc.record(
    {
      location,
      reservation: fc.constantFrom('reserved' as const, 'not-reserved' as const),
      policyUrl: fc.constantFrom('https://p.example/a.json', 'https://p.example/b.json'),
    },
    { requiredKeys: ['location', 'reservation'] },
  );
  const path = fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);

  it('evaluates every path as robots.txt longest match over the rules given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(rule, { selector: (r) => r.location, maxLength: 6 }), path, (rules, p) => {
        const file = parsed(writeTdmrepJson(rules));
        expect(file.rules.map(({ index: _index, ...r }) => r)).toHaveLength(rules.length);
        let best: TdmrepRuleInput | undefined;
        let bestLength = -1;
        for (const r of rules) {
          const pattern = compilePathPattern(r.location);
          if (matchPathPattern(pattern, p) && pattern.specificity > bestLength) {
            best = r;
            bestLength = pattern.specificity;
          }
        }
        const got = evaluateTdmrep(file, p);
        expect(got.reservation).toBe(best?.reservation ?? 'unset');
        if (best?.reservation === 'reserved') expect(got.policyUrl).toBe(best.policyUrl);
      }),
      { numRuns: 500 },
    );
  });
});

describe('precedence (TDMRep §4)', () => {
  const file = readTdmrepValues('well-known-file', '1', 'https://p.example/file.json');

  it('a header supersedes the file, HTML meta supersedes the header, EPUB/PDF supersede HTML', () => {
    const header = readTdmrepValues('http-header', '0');
    expect(combineTdmrep([file, header])).toMatchObject({ reservation: 'not-reserved', decidedBy: 'http-header' });
    const meta = readTdmrepValues('html-meta', '1', 'https://p.example/meta.json');
    expect(combineTdmrep([meta, header, file])).toMatchObject({
      reservation: 'reserved',
      decidedBy: 'html-meta',
      policyUrl: 'https://p.example/meta.json',
    });
    expect(combineTdmrep([file, readTdmrepValues('pdf', '0'), meta]).decidedBy).toBe('pdf');
  });

  it('absence, or a protocol error, at a later step never resets the value', () => {
    const silent = readTdmrepValues('http-header', undefined);
    const broken = readTdmrepValues('html-meta', 'true');
    expect(broken.warnings).toHaveLength(1);
    expect(combineTdmrep([file, silent, broken])).toMatchObject({
      reservation: 'reserved',
      decidedBy: 'well-known-file',
      policyUrl: 'https://p.example/file.json',
    });
    expect(combineTdmrep([]).reservation).toBe('unset');
  });

  it('reads HTML, EPUB 2 and EPUB 3 meta values', () => {
    const html = readTdmrepMeta('html-meta', [
      { name: 'viewport', content: 'width=device-width' },
      { name: 'TDM-Reservation', content: '1' },
      { name: 'tdm-policy', content: 'https://p.example/m.json' },
    ]);
    expect(html).toMatchObject({ reservation: 'reserved', policyUrl: 'https://p.example/m.json' });
    expect(readTdmrepMeta('epub', [{ name: 'tdm:reservation', content: '0' }]).reservation).toBe('not-reserved');
    expect(readTdmrepMeta('epub', [{ property: 'tdm:reservation', text: ' 1 ' }]).reservation).toBe('reserved');
    expect(readTdmrepMeta('html-meta', []).reservation).toBeUndefined();
  });

  it('reads headers through a lookup', () => {
    const headers = new Map([
      ['tdm-reservation', ' 1 '],
      ['tdm-policy', 'https://p.example/h.json'],
    ]);
    expect(readTdmrepHeaders((n) => headers.get(n))).toMatchObject({
      reservation: 'reserved',
      policyUrl: 'https://p.example/h.json',
    });
    expect(readTdmrepHeaders((n) => (n === 'tdm-reservation' ? '1, 0' : undefined)).reservation).toBeUndefined();
  });
});

describe('tdmrepForPolicy', () => {
  const base: PolicyByUse = {
    'ai-train': 'allow',
    'ai-train-genai': 'allow',
    'ai-input': 'allow',
    'ai-index': 'allow',
    search: 'allow',
  };

  it('reserves whenever an AI use is refused or priced, and links the policy', () => {
    expect(tdmrepForPolicy({ ...base, 'ai-index': 'deny' }, { policyUrl: 'https://p.example/x' })).toEqual({
      reservation: 'reserved',
      policyUrl: 'https://p.example/x',
      priced: false,
    });
    expect(tdmrepForPolicy({ ...base, 'ai-train-genai': 'license' }).priced).toBe(true);
  });

  it('says 0 only when every AI use is allowed, and nothing when some is without a preference', () => {
    expect(tdmrepForPolicy({ ...base, search: 'deny' }).reservation).toBe('not-reserved');
    expect(tdmrepForPolicy({ ...base, 'ai-input': 'unknown' }).reservation).toBe('unset');
  });

  it('reserves for any policy that restricts an AI use', () => {
    const stance = fc.constantFrom('allow' as const, 'deny' as const, 'license' as const, 'unknown' as const);
    fc.assert(
      fc.property(fc.tuple(stance, stance, stance, stance, stance), (stances) => {
        const policy = Object.fromEntries(USES.map((u, i) => [u, stances[i]])) as unknown as PolicyByUse;
        const restricted = USES.some((u) => u !== 'search' && (policy[u] === 'deny' || policy[u] === 'license'));
        expect(tdmrepForPolicy(policy).reservation === 'reserved').toBe(restricted);
      }),
    );
  });
});
