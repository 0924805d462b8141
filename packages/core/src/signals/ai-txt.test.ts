import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AI_TXT_EXTENSIONS,
  AI_TXT_MEDIA_TYPES,
  evaluateAiTxt,
  MAX_AI_TXT_LENGTH,
  parseAiTxt,
  writeAiTxt,
} from './ai-txt.js';

const TYPICAL = `# Spawning AI
# Prevent datasets from using the following file types

User-Agent: *
Disallow: *.jpg
Disallow: *.png
Disallow: *.txt
`;

const ask = (text: string, path: string, userAgent = 'img2dataset') =>
  evaluateAiTxt(parseAiTxt(text), { userAgent, path });

describe('parseAiTxt / evaluateAiTxt', () => {
  it('reads the digest typical file', () => {
    expect(parseAiTxt(TYPICAL).groups).toEqual([
      {
        userAgents: ['*'],
        rules: [
          { kind: 'disallow', pattern: '*.jpg' },
          { kind: 'disallow', pattern: '*.png' },
          { kind: 'disallow', pattern: '*.txt' },
        ],
      },
    ]);
    expect(ask(TYPICAL, '/art/cat.jpg')).toEqual({
      allowed: false,
      rule: { kind: 'disallow', pattern: '*.jpg' },
      userAgents: ['*'],
    });
    expect(ask(TYPICAL, 'https://example.com/art/CAT.PNG?x=1').allowed).toBe(false);
    expect(ask(TYPICAL, '/art/cat.gif')).toEqual({ allowed: true, userAgents: ['*'] });
  });

  it('reads the blanket form', () => {
    const text = 'User-Agent: *\nDisallow: /\nDisallow: *\n';
    expect(ask(text, '/anything.mp3').allowed).toBe(false);
    expect(ask(text, '').allowed).toBe(false);
  });

  it('picks the longest match, allow winning a tie, and the specific group over *', () => {
    const text =
      'User-agent: *\nDisallow: /\nAllow: /public/*.jpg\n\nuser-agent: GoodBot\nuser-agent: OtherBot\nAllow: /\nDisallow: *.mp4$\n';
    expect(ask(text, '/public/a.jpg').allowed).toBe(true);
    expect(ask(text, '/private/a.jpg').allowed).toBe(false);
    expect(ask(text, '/private/a.jpg', 'goodbot')).toMatchObject({
      allowed: true,
      userAgents: ['goodbot', 'otherbot'],
    });
    expect(ask(text, '/v/a.mp4', 'OtherBot').allowed).toBe(false);
    expect(ask(text, '/v/a.mp4.html', 'OtherBot').allowed).toBe(true);
    expect(ask('User-agent: *\nDisallow: /a\nAllow: /a\n', '/a').allowed).toBe(true);
  });

  it('ignores comments, unknown keys, rules before any group and empty values; reports odd lines', () => {
    const file = parseAiTxt(
      'Disallow: /\nSitemap: x\nUser-Agent: * # all\nDisallow:\nnonsense\nDisallow: *.gif # gifs\n',
    );
    expect(file.groups).toEqual([{ userAgents: ['*'], rules: [{ kind: 'disallow', pattern: '*.gif' }] }]);
    expect(file.issues).toHaveLength(2);
  });

  it('allows everything when no group applies', () => {
    expect(ask('User-Agent: somebot\nDisallow: /\n', '/a.jpg').allowed).toBe(true);
    expect(ask('', '/a.jpg').allowed).toBe(true);
  });

  it('reads at most 500 KiB', () => {
    const file = parseAiTxt(`User-Agent: *\n${'#'.repeat(MAX_AI_TXT_LENGTH)}\nDisallow: /\n`);
    expect(file.groups[0]!.rules).toEqual([]);
    expect(file.issues).toHaveLength(1);
  });

  it('never throws on random input', () => {
    const unit = fc.constantFrom(...'User-Agent:Disallow*/.$#\n\r jpg'.split(''));
    fc.assert(
      fc.property(fc.string({ unit }), fc.string({ unit }), fc.string(), (text, path, ua) => {
        evaluateAiTxt(parseAiTxt(text), { userAgent: ua, path });
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void parseAiTxt(text)));
  });
});

describe('writeAiTxt', () => {
  it('writes Spawning’s typical header and lines', () => {
    const text = writeAiTxt({ refuse: ['images'] });
    expect(
      text.startsWith(
        '# Spawning AI\n# Prevent datasets from using the following file types\n\nUser-Agent: *\nDisallow: *.jpg\n',
      ),
    ).toBe(true);
    expect(writeAiTxt({ refuse: 'all' })).toContain('Disallow: /\nDisallow: *\n');
    expect(writeAiTxt({ refuse: [] })).toContain('Allow: /\n');
  });

  it('parse(write(x)) refuses exactly the chosen media types', () => {
    fc.assert(
      fc.property(
        fc.subarray([...AI_TXT_MEDIA_TYPES]),
        fc.constantFrom(...AI_TXT_MEDIA_TYPES),
        fc.string(),
        (refuse, type, ua) => {
          const file = parseAiTxt(writeAiTxt({ refuse }));
          expect(file.issues).toEqual([]);
          expect(
            file.groups[0]!.rules.filter((r) => r.kind === 'disallow').map((r) => r.pattern.replace(/\$$/, '')),
          ).toEqual(
            AI_TXT_MEDIA_TYPES.filter((t) => refuse.includes(t)).flatMap((t) =>
              AI_TXT_EXTENSIONS[t].map((e) => `*.${e}`),
            ),
          );
          for (const ext of AI_TXT_EXTENSIONS[type]) {
            expect(evaluateAiTxt(file, { userAgent: ua, path: `/media/file.${ext}` }).allowed).toBe(
              !refuse.includes(type),
            );
          }
        },
      ),
    );
  });
});
