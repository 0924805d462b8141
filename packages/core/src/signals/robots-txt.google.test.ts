import { describe, expect, it } from 'vitest';
import { evaluateRobotsTxt, isRobotsProductToken, parseRobotsTxt } from './robots-txt.js';
import { robotsPathOfUrl } from './robots/path-pattern.js';

// Known-answer cases adapted from Google's reference parser tests (google/robotstxt robots_test.cc,
// reporting_robots_test.cc), following research/signals.md §8. Case names follow Google's test names.

const allowed = (robotstxt: string, userAgent: string, url: string): boolean =>
  evaluateRobotsTxt(parseRobotsTxt(robotstxt), { userAgent, url }).allowed;

type Case = readonly [name: string, robotstxt: string, userAgent: string, url: string, expected: boolean];

const GROUPS = [
  'allow: /foo/bar/',
  '',
  'user-agent: FooBot',
  'disallow: /',
  'allow: /x/',
  'user-agent: BarBot',
  'disallow: /',
  'allow: /y/',
  '',
  '',
  'allow: /w/',
  'user-agent: BazBot',
  '',
  'user-agent: FooBot',
  'allow: /z/',
  'disallow: /',
].join('\n');

const FISH = (pattern: string): string => `user-agent: FooBot\ndisallow: /\nallow: ${pattern}\n`;

const cases: readonly Case[] = [
  // 1. ID_SystemTest
  ['empty file allows all', '', 'FooBot', 'http://foo.bar/x/y', true],
  ['empty user-agent is allowed', 'user-agent: FooBot\ndisallow: /\n', '', 'http://foo.bar/x/y', true],
  ['empty URL is /', 'user-agent: FooBot\ndisallow: /\n', 'FooBot', '', false],
  // 2. ID_LineSyntax_Line
  ['name: value lines', 'user-agent: FooBot\ndisallow: /\n', 'FooBot', 'http://foo.bar/x/y', false],
  ['unknown names ignored', 'foo: FooBot\nbar: /\n', 'FooBot', 'http://foo.bar/x/y', true],
  ['(G) missing colon accepted', 'user-agent FooBot\ndisallow /\n', 'FooBot', 'http://foo.bar/x/y', false],
  // 3. ID_LineSyntax_Groups
  ['groups: FooBot /x/', GROUPS, 'FooBot', 'http://foo.bar/x/b', true],
  ['groups: FooBot /z/ (merged repeat group)', GROUPS, 'FooBot', 'http://foo.bar/z/d', true],
  ['groups: FooBot /y/', GROUPS, 'FooBot', 'http://foo.bar/y/c', false],
  ['groups: BarBot /y/', GROUPS, 'BarBot', 'http://foo.bar/y/c', true],
  ['groups: blank lines do not end a group', GROUPS, 'BarBot', 'http://foo.bar/w/a', true],
  ['groups: BarBot /z/', GROUPS, 'BarBot', 'http://foo.bar/z/d', false],
  ['groups: BazBot shares FooBot group', GROUPS, 'BazBot', 'http://foo.bar/z/d', true],
  ['groups: rules before first UA ignored (FooBot)', GROUPS, 'FooBot', 'http://foo.bar/foo/bar/', false],
  ['groups: rules before first UA ignored (BarBot)', GROUPS, 'BarBot', 'http://foo.bar/foo/bar/', false],
  ['groups: rules before first UA ignored (BazBot)', GROUPS, 'BazBot', 'http://foo.bar/foo/bar/', false],
  // 4. ID_LineSyntax_Groups_OtherRules
  [
    'sitemap does not close a group',
    'User-agent: BarBot\nSitemap: https://foo.bar/sitemap\nUser-agent: *\nDisallow: /\n',
    'BarBot',
    'http://foo.bar/',
    false,
  ],
  [
    'unknown line does not close a group',
    'User-agent: FooBot\nInvalid-Unknown-Line: unknown\nUser-agent: *\nDisallow: /\n',
    'FooBot',
    'http://foo.bar/',
    false,
  ],
  // 5. ID_REPLineNamesCaseInsensitive
  ['upper-case names', 'USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n', 'FooBot', 'http://foo.bar/x/y', true],
  ['upper-case names disallow', 'USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n', 'FooBot', 'http://foo.bar/a/b', false],
  ['camel-case names', 'uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n', 'FooBot', 'http://foo.bar/x/y', true],
  ['camel-case names disallow', 'uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n', 'FooBot', 'http://foo.bar/a/b', false],
  // 7. ID_UserAgentValueCaseInsensitive and (G) value cut at the first invalid character
  ['UA value upper case', 'User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n', 'Foo', 'http://foo.bar/x/y', true],
  ['UA value lower case', 'User-Agent: foo bar\nAllow: /x/\nDisallow: /\n', 'Foo', 'http://foo.bar/a/b', false],
  ['UA value mixed case', 'User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n', 'foo', 'http://foo.bar/a/b', false],
  // 8. ID_GlobalGroups_Secondary
  [
    'specific group replaces *',
    'user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n',
    'FooBot',
    'http://foo.bar/x/y',
    false,
  ],
  [
    'no match uses *',
    'user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n',
    'BarBot',
    'http://foo.bar/x/y',
    true,
  ],
  [
    'no match and no * allows',
    'user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n',
    'QuxBot',
    'http://foo.bar/x/y',
    true,
  ],
  // 9. ID_AllowDisallow_Value_CaseSensitive
  [
    'path match is case-sensitive (match)',
    'user-agent: FooBot\ndisallow: /x/\n',
    'FooBot',
    'http://foo.bar/x/y',
    false,
  ],
  [
    'path match is case-sensitive (no match)',
    'user-agent: FooBot\ndisallow: /X/\n',
    'FooBot',
    'http://foo.bar/x/y',
    true,
  ],
  // 10. ID_LongestMatch
  [
    'equal allow and disallow → allow',
    'user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n',
    'FooBot',
    'http://foo.bar/x/page.html',
    true,
  ],
  ['both empty → allow', 'user-agent: FooBot\ndisallow: \nallow: \n', 'FooBot', 'http://foo.bar/x/page.html', true],
  ['both / → allow', 'user-agent: FooBot\ndisallow: /\nallow: /\n', 'FooBot', 'http://foo.bar/x/page.html', true],
  [
    '/x disallowed, /x/ allowed: /x',
    'user-agent: FooBot\ndisallow: /x\nallow: /x/\n',
    'FooBot',
    'http://foo.bar/x',
    false,
  ],
  [
    '/x disallowed, /x/ allowed: /x/',
    'user-agent: FooBot\ndisallow: /x\nallow: /x/\n',
    'FooBot',
    'http://foo.bar/x/',
    true,
  ],
  [
    'longer wildcard disallow wins',
    'user-agent: FooBot\nallow: /page\ndisallow: /*.html\n',
    'FooBot',
    'http://foo.bar/page.html',
    false,
  ],
  [
    'shorter allow still applies',
    'user-agent: FooBot\nallow: /page\ndisallow: /*.html\n',
    'FooBot',
    'http://foo.bar/page',
    true,
  ],
  [
    '/x/page. (8) beats /*.html (7)',
    'user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n',
    'FooBot',
    'http://foo.bar/x/page.html',
    true,
  ],
  [
    '/*.html elsewhere',
    'user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n',
    'FooBot',
    'http://foo.bar/x/y.html',
    false,
  ],
  [
    'specific group only (not merged with *)',
    'User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n',
    'FooBot',
    'http://foo.bar/x/page',
    true,
  ],
  [
    'specific group rule applies',
    'User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n',
    'FooBot',
    'http://foo.bar/y/page',
    false,
  ],
  // 11. ID_Encoding
  [
    'query with ? & :// matches literally',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n',
    'FooBot',
    'http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par',
    true,
  ],
  [
    'non-ASCII pattern is encoded',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n',
    'FooBot',
    'http://foo.bar/foo/bar/%E3%83%84',
    true,
  ],
  // Google leaves the URL as given and answers false here; RFC 9309 §2.2.2 encodes both sides, and so do we.
  [
    '(RFC) non-ASCII URL is encoded too',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n',
    'FooBot',
    'http://foo.bar/foo/bar/ツ',
    true,
  ],
  [
    'encoded pattern matches encoded URL',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n',
    'FooBot',
    'http://foo.bar/foo/bar/%E3%83%84',
    true,
  ],
  [
    'lower-case hex is normalised',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%e3%83%84\n',
    'FooBot',
    'http://foo.bar/foo/bar/%E3%83%84',
    true,
  ],
  [
    '%62%61%7A does not match baz',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n',
    'FooBot',
    'http://foo.bar/foo/bar/baz',
    false,
  ],
  [
    '%62%61%7A matches itself',
    'User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n',
    'FooBot',
    'http://foo.bar/foo/bar/%62%61%7A',
    true,
  ],
  // 12. ID_SpecialCharacters
  [
    '* inside: literal rule',
    'User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n',
    'FooBot',
    'http://foo.bar/foo/bar/quz',
    false,
  ],
  [
    '* inside: no match',
    'User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n',
    'FooBot',
    'http://foo.bar/foo/quz',
    true,
  ],
  [
    '* inside: empty run',
    'User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n',
    'FooBot',
    'http://foo.bar/foo//quz',
    true,
  ],
  [
    '$ anchors: exact',
    'User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n',
    'FooBot',
    'http://foo.bar/foo/bar',
    false,
  ],
  [
    '$ anchors: longer',
    'User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n',
    'FooBot',
    'http://foo.bar/foo/bar/baz',
    true,
  ],
  [
    '# comment in path',
    'User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n',
    'FooBot',
    'http://foo.bar/foo/bar',
    true,
  ],
  [
    '# comment in path cuts it',
    'User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n',
    'FooBot',
    'http://foo.bar/foo/quz',
    false,
  ],
  // 14. Google documentation examples
  [
    'allow: /p beats disallow: /',
    'user-agent: FooBot\nallow: /p\ndisallow: /\n',
    'FooBot',
    'http://example.com/page',
    true,
  ],
  [
    'allow: /folder ties disallow',
    'user-agent: FooBot\nallow: /folder\ndisallow: /folder\n',
    'FooBot',
    'http://example.com/folder/page',
    true,
  ],
  [
    'disallow /*.htm longer',
    'user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n',
    'FooBot',
    'http://example.com/page.htm',
    false,
  ],
  ['allow: /$ only root', 'user-agent: FooBot\nallow: /$\ndisallow: /\n', 'FooBot', 'http://example.com/', true],
  [
    'allow: /$ not page',
    'user-agent: FooBot\nallow: /$\ndisallow: /\n',
    'FooBot',
    'http://example.com/page.html',
    false,
  ],
  // 16. BOM
  ['BOM skipped', '\uFEFFUser-Agent: foo\nDisallow: /AnyValue\n', 'foo', 'http://example.com/AnyValue', false],
  [
    'BOM mid-file makes the line garbage',
    'User-Agent: foo\n\uFEFFDisallow: /AnyValue\n',
    'foo',
    'http://example.com/AnyValue',
    true,
  ],
  // 19. (G) typos
  ['(G) typos accepted', 'useragent: FooBot\ndissallow: /\n', 'FooBot', 'http://foo.bar/x', false],
  ['(G) "user agent" accepted', 'user agent: FooBot\ndisalow: /\n', 'FooBot', 'http://foo.bar/x', false],
  // RFC 9309 §2.2.2: /robots.txt is always allowed.
  ['/robots.txt always allowed', 'user-agent: *\ndisallow: /\n', 'FooBot', 'http://foo.bar/robots.txt', true],
];

describe('robots.txt: Google reference parser cases', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', (_name, robotstxt, userAgent, url, expected) => {
    expect(allowed(robotstxt, userAgent, url)).toBe(expected);
  });

  // 14. Google documentation path examples: /fish, /fish*, /fish/, /*.php, /*.php$, /fish*.php.
  const docs: readonly (readonly [string, readonly string[], readonly string[]])[] = [
    [
      '/fish',
      ['/fish', '/fish.html', '/fish/salmon.html', '/fishheads', '/fishheads/yummy.html', '/fish.html?id=anything'],
      ['/Fish.asp', '/catfish', '/?id=fish', '/desert/fish'],
    ],
    [
      '/fish*',
      ['/fish', '/fish.html', '/fish/salmon.html', '/fishheads', '/fishheads/yummy.html', '/fish.html?id=anything'],
      ['/Fish.asp', '/catfish', '/?id=fish', '/desert/fish'],
    ],
    ['/fish/', ['/fish/', '/fish/?id=anything', '/fish/salmon.htm'], ['/fish', '/fish.html', '/Fish/Salmon.asp']],
    [
      '/*.php',
      [
        '/filename.php',
        '/folder/filename.php',
        '/folder/filename.php?parameters',
        '/folder/any.php.file.html',
        '/filename.php/',
        '/index?f=filename.php/',
      ],
      ['/php/', '/index?php', '/windows.PHP'],
    ],
    [
      '/*.php$',
      ['/filename.php', '/folder/filename.php'],
      [
        '/filename.php?parameters',
        '/filename.php/',
        '/filename.php5',
        '/php/',
        '/filename?php',
        '/aaaphpaaa',
        '/windows.PHP',
      ],
    ],
    ['/fish*.php', ['/fish.php', '/fishheads/catfish.php?parameters'], ['/Fish.PHP']],
  ];
  it.each(docs)('documentation example allow: %s', (pattern, yes, no) => {
    for (const path of yes) expect(allowed(FISH(pattern), 'FooBot', `http://foo.bar${path}`), path).toBe(true);
    for (const path of no) expect(allowed(FISH(pattern), 'FooBot', `http://foo.bar${path}`), path).toBe(false);
  });

  // 6. ID_VerifyValidUserAgentsToObey
  it.each([
    ['Foobot', true],
    ['Foobot-Bar', true],
    ['Foo_Bar', true],
    ['', false],
    ['ツ', false],
    ['Foobot*', false],
    [' Foobot ', false],
    ['Foobot/2.1', false],
    ['Foobot Bar', false],
  ] as const)('product token %j valid: %s', (token, valid) => {
    expect(isRobotsProductToken(token)).toBe(valid);
  });

  // 18. ID_GetPathParamsQuery
  it.each([
    ['', '/'],
    ['http://www.example.com', '/'],
    ['http://www.example.com/', '/'],
    ['http://www.example.com/a', '/a'],
    ['http://www.example.com/a/', '/a/'],
    ['http://www.example.com/a/b?c=http://d.e/', '/a/b?c=http://d.e/'],
    ['http://www.example.com/a/b?c=d&e=f#fragment', '/a/b?c=d&e=f'],
    ['example.com', '/'],
    ['example.com/', '/'],
    ['example.com/a', '/a'],
    ['example.com/a/', '/a/'],
    ['example.com/a/b?c=d&e=f#fragment', '/a/b?c=d&e=f'],
    ['a', '/'],
    ['a/', '/'],
    ['/a', '/a'],
    ['a/b', '/b'],
    ['example.com?a', '/?a'],
    ['example.com/a;b#c', '/a;b'],
    ['//a/b/c', '/b/c'],
  ] as const)('path of %j is %j', (url, path) => {
    expect(robotsPathOfUrl(url)).toBe(path);
  });

  // 15. Line endings, with line numbers.
  it.each([
    ['LF', 'User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /\n'],
    ['CRLF', 'User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n'],
    ['CR', 'User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r'],
    ['no final newline', 'User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /'],
    ['mixed', 'User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /'],
  ])('line endings %s', (_name, text) => {
    const robots = parseRobotsTxt(text);
    expect(robots.groups).toHaveLength(2);
    expect(robots.groups[0]?.rules[0]).toMatchObject({ line: 2, kind: 'allow', pattern: '/some/path' });
    expect(robots.groups[1]?.userAgents[0]?.line).toBe(3);
    expect(robots.groups[1]?.rules[0]).toMatchObject({ line: 6, kind: 'disallow', text: 'Disallow: /' });
  });

  // 17. Sitemaps anywhere.
  it('collects sitemap lines anywhere', () => {
    const robots = parseRobotsTxt(
      'Sitemap: https://a.example/s1.xml\nUser-agent: *\nDisallow: /x\nsitemap: https://a.example/s2.xml\n',
    );
    expect(robots.sitemaps.map((s) => [s.line, s.url])).toEqual([
      [1, 'https://a.example/s1.xml'],
      [4, 'https://a.example/s2.xml'],
    ]);
  });

  it('flags typos and missing colons, and lists ignored lines', () => {
    const robots = parseRobotsTxt('disallow: /early\nuseragent FooBot\ndissallow: /\nfoo: bar\ngarbage\n');
    expect(robots.groups[0]?.userAgents[0]).toMatchObject({ typo: true, missingColon: true, value: 'FooBot' });
    expect(robots.groups[0]?.rules[0]).toMatchObject({ typo: true, missingColon: false, line: 3 });
    expect(robots.ignored.map((l) => [l.line, l.reason])).toEqual([
      [1, 'before-first-group'],
      [4, 'unknown-name'],
      [5, 'no-colon'],
    ]);
  });
});
