import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProtocolWord, writeProtocolWords, type PolicyByUse } from '../policy/protocol-vocabulary.js';
import { STANCE_KINDS } from '../policy/statement.js';
import { USES, usesPermittedBy, usesRestrictedBy, type Use } from '../policy/uses.js';
import { ROBOTS_TXT_MAX_BYTES, evaluateRobotsTxt, parseRobotsTxt, type RobotsUseAnswers } from './robots-txt.js';
import { writeRobotsTxt } from './robots/write-robots-txt.js';

const evaluate = (text: string, userAgent: string, path: string) =>
  evaluateRobotsTxt(parseRobotsTxt(text), { userAgent, path });

const stances = (answers: RobotsUseAnswers) => Object.fromEntries(USES.map((u) => [u, answers[u].stance]));

describe('Content-Usage (AIPREF attach, research/signals.md §2)', () => {
  const example = [
    'User-Agent: *',
    'Allow: /',
    'Disallow: /drafts/',
    'Content-Usage: train-ai=n, search=y',
    'Content-Usage: /open-data/ train-ai=y',
    '',
    'User-Agent: ResearchBot',
    'Allow: /',
    'Content-Usage: train-ai=y',
  ].join('\n');

  it('reads the group-wide preference, with the deciding line', () => {
    const r = evaluate(example, 'AnyBot', '/blog/post');
    expect(r.contentUsage['ai-train']).toEqual({
      stance: 'deny',
      decidedBy: [{ line: 4, text: 'Content-Usage: train-ai=n, search=y', word: 'train-ai', value: 'n' }],
    });
    expect(r.contentUsage.search.stance).toBe('allow');
    expect(r.contentUsage['ai-input'].stance).toBe('unknown');
  });

  it('selects the longest matching path', () => {
    const r = evaluate(example, 'AnyBot', '/open-data/set.csv');
    // train-ai=y permits only generative training (vocab-06/07), narrowest reading.
    expect(r.contentUsage['ai-train-genai']).toMatchObject({ stance: 'allow', decidedBy: [{ line: 5 }] });
    expect(r.contentUsage['ai-train'].stance).toBe('unknown');
    expect(r.contentUsage.search.stance).toBe('unknown');
  });

  it('gives no preferences for paths that may not be crawled', () => {
    const r = evaluate(example, 'AnyBot', '/drafts/x');
    expect(r.allowed).toBe(false);
    expect(Object.values(stances(r.contentUsage))).toEqual(USES.map(() => 'unknown'));
  });

  it('uses only the specific group', () => {
    const r = evaluate(example, 'researchbot', '/blog');
    expect(r.contentUsage['ai-train-genai']).toMatchObject({ stance: 'allow', decidedBy: [{ line: 9 }] });
    expect(r.contentUsage.search.stance).toBe('unknown');
  });

  it('combines identical paths most restrictively', () => {
    const text =
      'User-agent: *\nContent-Usage: /a/ train-ai=y\nContent-Usage: /a/ train-ai=n\nContent-Usage: /b/ search=y';
    const r = evaluate(text, 'x', '/a/1');
    expect(r.contentUsage['ai-train-genai']).toMatchObject({ stance: 'deny', decidedBy: [{ line: 3 }] });
  });

  it('reads a parse failure as all unknown', () => {
    const r = evaluate('User-agent: *\nContent-Usage: Train-AI=n\n', 'x', '/');
    expect(r.contentUsage['ai-train'].stance).toBe('unknown');
    expect(parseRobotsTxt('User-agent: *\nContent-Usage: Train-AI=n\n').groups[0]?.contentUsage[0]?.parsed).toBe(false);
  });

  it('lets the last duplicate key win, and reads non-tokens as unknown', () => {
    expect(
      evaluate('User-agent: *\nContent-Usage: train-ai=y, train-ai\n', 'x', '/').contentUsage['ai-train-genai'].stance,
    ).toBe('unknown');
    expect(
      evaluate('User-agent: *\nContent-Usage: train-ai=y, train-ai=n\n', 'x', '/').contentUsage['ai-train'].stance,
    ).toBe('deny');
    expect(evaluate('User-agent: *\nContent-Usage: train-ai="n"\n', 'x', '/').contentUsage['ai-train'].stance).toBe(
      'unknown',
    );
  });

  it('ignores parameters and unknown keys', () => {
    const r = evaluate('User-agent: *\nContent-Usage: train-ai=n;why="x", future-use=y\n', 'x', '/');
    expect(r.contentUsage['ai-train'].stance).toBe('deny');
  });

  it('reads a path with percent-encoding like Allow/Disallow', () => {
    const r = evaluate('User-agent: *\nContent-Usage: /café/ train-ai=n\n', 'x', '/caf%C3%A9/menu');
    expect(r.contentUsage['ai-train'].stance).toBe('deny');
  });
});

describe('Content-Signal (research/signals.md §3)', () => {
  const cloudflare = [
    'User-Agent: *',
    'Content-signal: search=yes, ai-train=no',
    'Allow: /',
    '',
    'User-agent: Bytespider',
    'Disallow: /',
  ].join('\n');

  it('reads keys and values case-insensitively', () => {
    const r = evaluate('User-agent: *\nCONTENT-SIGNAL: Search=YES, AI-Input=No, ai-train=no, use=full\n', 'x', '/');
    expect(stances(r.contentSignal)).toEqual({
      'ai-train': 'deny',
      'ai-train-genai': 'deny',
      'ai-input': 'deny',
      'ai-index': 'unknown',
      search: 'allow',
    });
    expect(r.contentSignal.search.decidedBy?.[0]).toMatchObject({ line: 2, word: 'search', value: 'YES' });
  });

  it('applies in * but not in a specific group that lacks it', () => {
    expect(evaluate(cloudflare, 'AnyBot', '/').contentSignal['ai-train'].stance).toBe('deny');
    expect(evaluate(cloudflare, 'Bytespider', '/').contentSignal['ai-train'].stance).toBe('unknown');
  });

  it('accepts an optional leading path', () => {
    const text = 'User-agent: *\nContent-Signal: ai-train=no\nContent-Signal: /open/ ai-train=yes\n';
    expect(evaluate(text, 'x', '/open/a').contentSignal['ai-train'].stance).toBe('allow');
    expect(evaluate(text, 'x', '/closed').contentSignal['ai-train'].stance).toBe('deny');
  });

  it('skips malformed members', () => {
    const r = evaluate('User-agent: *\nContent-Signal: ai-train, search=maybe, ai-input=no\n', 'x', '/');
    expect(stances(r.contentSignal)).toMatchObject({ 'ai-train': 'unknown', search: 'unknown', 'ai-input': 'deny' });
  });
});

describe('License (RSL discovery, research/signals.md §4)', () => {
  const text = [
    'License: https://a.example/rsl/site.xml',
    'User-agent: *',
    'Allow: /',
    '',
    'User-agent: GPTBot',
    'License: https://a.example/rsl/ai.xml',
    'Disallow: /private/',
    'License: not-a-url',
  ].join('\n');

  it('uses global lines when the group has none', () => {
    const r = evaluate(text, 'AnyBot', '/');
    expect(r.licenses).toEqual(['https://a.example/rsl/site.xml']);
    expect(r.licenseLines[0]?.line).toBe(1);
  });

  it('lets group lines replace global ones, and does not end a group', () => {
    const r = evaluate(text, 'GPTBot', '/private/x');
    expect(r.licenses).toEqual(['https://a.example/rsl/ai.xml']);
    expect(r.allowed).toBe(false);
  });

  it('ignores non-absolute URLs', () => {
    expect(parseRobotsTxt(text).ignored).toEqual([
      { line: 8, text: 'License: not-a-url', reason: 'license-not-absolute', name: 'license' },
    ]);
  });
});

describe('user-agent values that are not product tokens (ai.robots.txt)', () => {
  const text = 'User-agent: AI2Bot\nUser-agent: ChatGPT Agent\nDisallow: /\n\nUser-agent: *\nAllow: /\n';

  it('matches the full name and reports the ambiguity', () => {
    const r = evaluate(text, 'AI2Bot', '/');
    expect(r.allowed).toBe(false);
    expect(r.ambiguities).toEqual([
      { line: 1, text: 'User-agent: AI2Bot', value: 'AI2Bot', matchedAs: 'full', googleReads: 'ai' },
    ]);
  });

  it("matches Google's truncated name and reports the ambiguity", () => {
    const r = evaluate(text, 'ChatGPT', '/');
    expect(r.allowed).toBe(false);
    expect(r.ambiguities[0]).toMatchObject({ line: 2, matchedAs: 'truncated', googleReads: 'chatgpt' });
    expect(evaluate(text, 'chatgpt agent', '/').allowed).toBe(false);
  });

  it('reports nothing for valid tokens', () => {
    expect(evaluate(text, 'GPTBot', '/')).toMatchObject({ allowed: true, ambiguities: [], selectedBy: 'global' });
  });
});

describe('size bound', () => {
  it('truncates at exactly 500 KiB of UTF-8 instead of rejecting', () => {
    const head = 'User-agent: *\nDisallow: /a\n';
    const filler = `#${'é'.repeat(10)}\n`; // 22 bytes
    const body = head + filler.repeat(Math.ceil(ROBOTS_TXT_MAX_BYTES / filler.length) + 10) + 'Disallow: /b\n';
    const robots = parseRobotsTxt(body);
    expect(robots.truncated).toBe(true);
    expect(robots.bytesRead).toBeLessThanOrEqual(ROBOTS_TXT_MAX_BYTES);
    expect(robots.bytesRead).toBeGreaterThan(ROBOTS_TXT_MAX_BYTES - 3);
    expect(evaluateRobotsTxt(robots, { userAgent: 'x', path: '/a' }).allowed).toBe(false);
    expect(evaluateRobotsTxt(robots, { userAgent: 'x', path: '/b' }).allowed).toBe(true);
  });

  it('reads a file of exactly 500 KiB whole', () => {
    const text = 'User-agent: *\n' + '#'.repeat(ROBOTS_TXT_MAX_BYTES - 'User-agent: *\n'.length);
    expect(parseRobotsTxt(text)).toMatchObject({ truncated: false, bytesRead: ROBOTS_TXT_MAX_BYTES });
  });
});

describe('evaluation evidence', () => {
  it('reports the rule, the group lines and the reason', () => {
    const r = evaluate('User-agent: FooBot\nUser-agent: BarBot\nDisallow: /x # no\nAllow: /x/y\n', 'barbot', '/x/z');
    expect(r).toMatchObject({
      allowed: false,
      reason: 'rule',
      selectedBy: 'user-agent',
      matchedRule: { line: 3, text: 'Disallow: /x # no', kind: 'disallow', pattern: '/x' },
      groupLines: [
        { line: 1, text: 'User-agent: FooBot' },
        { line: 2, text: 'User-agent: BarBot' },
      ],
    });
    expect(evaluate('', 'x', '/').reason).toBe('no-group');
    expect(evaluate('User-agent: *\nDisallow: /x\n', 'x', '/y').reason).toBe('no-rule');
    expect(evaluate('User-agent: *\nDisallow: /\n', 'x', '/robots.txt').reason).toBe('robots-txt');
  });
});

describe('writeRobotsTxt', () => {
  const refuseAi: PolicyByUse = {
    'ai-train': 'deny',
    'ai-train-genai': 'deny',
    'ai-input': 'deny',
    'ai-index': 'deny',
    search: 'allow',
  };

  it('writes the expected file', () => {
    expect(
      writeRobotsTxt(refuseAi, {
        aiCrawlers: ['GPTBot', 'ChatGPT Agent', 'gptbot', 'CCBot'],
        licenseUrl: 'https://clearing.example/rsl/site.xml',
        sitemap: 'https://a.example/sitemap.xml',
      }),
    ).toBe(
      [
        'License: https://clearing.example/rsl/site.xml',
        '',
        'User-agent: *',
        'Content-Signal: ai-train=no, ai-input=no, search=yes',
        'Content-Usage: train-ai=n, search=y',
        'Allow: /',
        '',
        'User-agent: GPTBot',
        'User-agent: CCBot',
        'Content-Signal: ai-train=no, ai-input=no, search=yes',
        'Content-Usage: train-ai=n, search=y',
        'Disallow: /',
        '',
        'Sitemap: https://a.example/sitemap.xml',
        '',
      ].join('\n'),
    );
  });

  it('writes no crawler group when training is allowed', () => {
    const text = writeRobotsTxt(
      { ...refuseAi, 'ai-train': 'allow', 'ai-train-genai': 'allow' },
      { aiCrawlers: ['GPTBot'] },
    );
    expect(text).not.toContain('GPTBot');
  });

  it('keeps URLs on one line', () => {
    const text = writeRobotsTxt(refuseAi, { licenseUrl: 'https://a.example/x\nUser-agent: *\nDisallow: /#' });
    expect(parseRobotsTxt(text).licenses[0]?.url).toBe('https://a.example/x%0AUser-agent:%20*%0ADisallow:%20/%23');
    expect(evaluate(text, 'x', '/a').allowed).toBe(true);
  });
});

/** The per-use answers the written words mean when read back through the protocol vocabulary. */
function expectedAnswers(protocol: 'aipref' | 'content-signals', policy: PolicyByUse): Record<Use, string> {
  const out = Object.fromEntries(USES.map((u) => [u, 'unknown'])) as Record<Use, string>;
  for (const w of writeProtocolWords(protocol, policy)) {
    const reading = readProtocolWord(protocol, w.word, w.spelled);
    if (!reading.known || reading.stance === 'unknown') continue;
    for (const scope of reading.uses) {
      for (const use of reading.stance === 'deny' ? usesRestrictedBy(scope) : usesPermittedBy(scope)) {
        if (out[use] !== 'deny') out[use] = reading.stance;
      }
    }
  }
  return out;
}

describe('properties', () => {
  const stance = fc.constantFrom(...STANCE_KINDS);
  const policy: fc.Arbitrary<PolicyByUse> = fc.record({
    'ai-train': stance,
    'ai-train-genai': stance,
    'ai-input': stance,
    'ai-index': stance,
    search: stance,
  });
  const crawlers = fc.array(fc.constantFrom('GPTBot', 'CCBot', 'ClaudeBot', 'AI2Bot', 'Google-Extended'), {
    maxLength: 4,
  });

  it('parse(write(policy)) reads back the same per-use answers', () => {
    fc.assert(
      fc.property(policy, crawlers, (p, ai) => {
        const robots = parseRobotsTxt(writeRobotsTxt(p, { aiCrawlers: ai, licenseUrl: 'https://l.example/rsl.xml' }));
        const general = evaluateRobotsTxt(robots, { userAgent: 'SomeBot', url: 'https://a.example/page' });
        expect(general.allowed).toBe(true);
        expect(stances(general.contentSignal)).toEqual(expectedAnswers('content-signals', p));
        expect(stances(general.contentUsage)).toEqual(expectedAnswers('aipref', p));
        expect(general.licenses).toEqual(['https://l.example/rsl.xml']);
        // Soundness: nothing reads as allowed that the policy did not allow.
        for (const use of USES) {
          if (general.contentSignal[use].stance === 'allow' || general.contentUsage[use].stance === 'allow') {
            expect(p[use]).toBe('allow');
          }
        }
        for (const bot of ai.filter((b) => b !== 'AI2Bot')) {
          const r = evaluateRobotsTxt(robots, { userAgent: bot, path: '/page' });
          const refused = p['ai-train'] === 'deny' || p['ai-train'] === 'license';
          expect(r.allowed).toBe(!refused);
          // A specific group replaces `*`, so it repeats the Content-Signal lines.
          expect(stances(r.contentSignal)).toEqual(expectedAnswers('content-signals', p));
        }
      }),
    );
  });

  it('never throws on any string', () => {
    for (const unit of ['binary', 'grapheme'] as const) {
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 400 }), fc.string({ unit, maxLength: 40 }), (text, path) => {
          const robots = parseRobotsTxt(text);
          evaluateRobotsTxt(robots, { userAgent: 'FooBot', path });
          evaluateRobotsTxt(robots, { userAgent: '*', url: path });
        }),
      );
    }
  });

  it('never throws on robots-like text', () => {
    const line = fc.oneof(
      fc.constantFrom(
        'User-agent: *',
        'User-agent: FooBot',
        'Disallow: /',
        'Allow: /a*b$',
        'Content-Usage: ',
        'License: x:y',
      ),
      fc
        .tuple(
          fc.constantFrom('Content-Usage: ', 'Content-Signal: ', 'Disallow: ', 'user agent '),
          fc.string({ unit: 'binary' }),
        )
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.string(),
        (lines, eol, path) => {
          evaluateRobotsTxt(parseRobotsTxt(lines.join(eol)), { userAgent: 'FooBot', path });
        },
      ),
    );
  });
});
