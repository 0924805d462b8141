import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import { STANCE_KINDS } from '../policy/statement.js';
import { USES } from '../policy/uses.js';
import { formatContentSignal, formatContentUsage, parseContentSignal, parseContentUsage } from './http-signals.js';
import { parseXRobotsTag } from './http-signals-robots.js';
import { findRslLicenseLinks, parseLinkHeader } from './link-header.js';
import { writeRobotsTxt } from './robots/write-robots-txt.js';
import { evaluateRobotsTxt, parseRobotsTxt } from './robots-txt.js';
import {
  headerSafeUrl,
  signalFiles,
  signalHeaders,
  writeApacheSnippet,
  writeCaddySnippet,
  writeNginxSnippet,
  writeWordPressSnippet,
  type ServerSnippetOptions,
  type SignalHeader,
} from './server-snippets.js';
import { readTdmrepHeaders, tdmrepForPolicy } from './tdmrep.js';

// ---------------------------------------------------------------------------------------------------------------
// Small test-side readers of each syntax: they undo exactly the escaping the server applies, and fail on anything
// the server would read differently (an nginx variable, an Apache format specifier, a Caddy placeholder).
// ---------------------------------------------------------------------------------------------------------------

/** Reads a double-quoted string starting at `text[start] === '"'` with `unescape(next)` deciding each `\x`. */
function readQuoted(text: string, start: number, unescape: (next: string) => string): { value: string; end: number } {
  expect(text[start]).toBe('"');
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\') {
      value += unescape(text[i + 1] ?? '');
      i++;
    } else if (ch === '"') return { value, end: i + 1 };
    else value += ch;
  }
  throw new Error(`unterminated string in ${text}`);
}

const NO_HEADERS_LINE = '# The choice states no use, so there is no header to send.';

/** nginx: ngx_conf_read_token unescapes `\"`, `\'`, `\\`, `\t`, `\r`, `\n`; then `$name` / `${name}` are variables. */
function readNginxHeaders(snippet: string): SignalHeader[] {
  const geo = /^# geo \$heoga_dollar \{ default "\$"; \}$/mu.test(snippet);
  if (snippet.includes(NO_HEADERS_LINE)) return [];
  const block = /^location \/ \{\n([\s\S]*?)\n\}/mu.exec(snippet)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.trim().startsWith('add_header '))
    .map((line) => {
      const m = /^ {4}add_header ([A-Za-z-]+) /u.exec(line);
      if (!m) throw new Error(`not an add_header line: ${line}`);
      const { value: raw, end } = readQuoted(line, m[0].length, (next) =>
        next === '"' || next === "'" || next === '\\'
          ? next
          : next === 'n'
            ? '\n'
            : next === 't'
              ? '\t'
              : next === 'r'
                ? '\r'
                : `\\${next}`,
      );
      expect(line.slice(end)).toBe(' always;');
      const value = raw.replace(/\$(?:\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]*))/gu, (_, braced?: string, bare?: string) => {
        const name = braced ?? bare ?? '';
        if (name === 'heoga_dollar' && geo) return '$';
        throw new Error(`nginx would expand the variable "$${name}" in ${line}`);
      });
      return { name: m[1] ?? '', value };
    });
}

/** Apache: ap_getword_conf unescapes `\\` and `\"`; mod_headers then reads `%%` as `%`, `\n`/`\t` as controls. */
function readApacheHeaders(snippet: string): SignalHeader[] {
  return snippet
    .split('\n')
    .filter((line) => line.startsWith('Header '))
    .map((line) => {
      const m = /^Header always set ([A-Za-z-]+) /u.exec(line);
      if (!m) throw new Error(`not a Header line: ${line}`);
      const { value: config, end } = readQuoted(line, m[0].length, (next) =>
        next === '\\' || next === '"' ? next : `\\${next}`,
      );
      expect(line.slice(end)).toBe('');
      let value = '';
      for (let i = 0; i < config.length; i++) {
        const ch = config[i] ?? '';
        if (ch === '%') {
          if (config[i + 1] !== '%') throw new Error(`mod_headers would read %${config[i + 1] ?? ''} in ${line}`);
          value += '%';
          i++;
        } else if (ch === '\\' && (config[i + 1] === 'n' || config[i + 1] === 't')) {
          value += config[i + 1] === 'n' ? '\n' : '\t';
          i++;
        } else value += ch;
      }
      return { name: m[1] ?? '', value };
    });
}

/** Caddy: the Caddyfile lexer turns `\"` into `"` and keeps other backslashes; `{` would start a placeholder. */
function readCaddyHeaders(snippet: string): SignalHeader[] {
  if (snippet.includes(NO_HEADERS_LINE)) return [];
  const block = /^header \{\n([\s\S]*?)\n\}/mu.exec(snippet)?.[1] ?? '';
  return block.split('\n').map((line) => {
    const m = /^\t([A-Za-z-]+) /u.exec(line);
    if (!m) throw new Error(`not a header field line: ${line}`);
    const { value, end } = readQuoted(line, m[0].length, (next) => (next === '"' ? '"' : `\\${next}`));
    expect(line.slice(end)).toBe('');
    if (value.includes('{')) throw new Error(`Caddy would read a placeholder in ${line}`);
    return { name: m[1] ?? '', value };
  });
}

/** PHP single-quoted string at `text[start] === "'"`: `\'` and `\\` are the only escapes. */
function readPhpString(text: string, start: number): { value: string; end: number } {
  expect(text[start]).toBe("'");
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && (text[i + 1] === "'" || text[i + 1] === '\\')) {
      value += text[i + 1];
      i++;
    } else if (ch === "'") return { value, end: i + 1 };
    else value += ch;
  }
  throw new Error('unterminated PHP string');
}

function readWordPressHeaders(snippet: string): SignalHeader[] {
  return snippet
    .split('\n')
    .filter((line) => line.startsWith('\theader('))
    .map((line) => {
      const { value, end } = readPhpString(line, '\theader('.length);
      expect(line.slice(end)).toBe(');');
      const colon = value.indexOf(': ');
      return { name: value.slice(0, colon), value: value.slice(colon + 2) };
    });
}

/** The robots.txt lines the WordPress filter puts before WordPress's own output. */
function readWordPressRobots(snippet: string): string {
  const at = snippet.indexOf('\t\treturn ') + '\t\treturn '.length;
  const { value, end } = readPhpString(snippet, at);
  expect(snippet.slice(end, end + ' . "\\n" . $output;'.length)).toBe(' . "\\n" . $output;');
  return value;
}

const READERS = {
  nginx: (p: PolicyByUse, o: ServerSnippetOptions) => readNginxHeaders(writeNginxSnippet(p, o)),
  apache: (p: PolicyByUse, o: ServerSnippetOptions) => readApacheHeaders(writeApacheSnippet(p, o)),
  caddy: (p: PolicyByUse, o: ServerSnippetOptions) => readCaddyHeaders(writeCaddySnippet(p, o)),
  wordpress: (p: PolicyByUse, o: ServerSnippetOptions) => readWordPressHeaders(writeWordPressSnippet(p, o)),
} as const;

// ---------------------------------------------------------------------------------------------------------------

const sample: PolicyByUse = {
  'ai-train': 'license',
  'ai-train-genai': 'license',
  'ai-input': 'deny',
  'ai-index': 'unknown',
  search: 'allow',
};
const sampleOptions: ServerSnippetOptions = {
  licenseUrl: 'https://haneul.example/license.xml',
  tdmPolicyUrl: 'https://haneul.example/tdm-policy.json',
  aiCrawlers: ['GPTBot', 'CCBot'],
};

describe('server snippets: known answers for a sample policy', () => {
  it('signalHeaders lists the headers every snippet sends', () => {
    expect(signalHeaders(sample, sampleOptions)).toEqual([
      { name: 'Content-Usage', value: 'train-ai=n, search=y' },
      { name: 'Content-Signal', value: 'ai-train=no, ai-input=no, search=yes' },
      { name: 'X-Robots-Tag', value: 'noai, noimageai' },
      { name: 'tdm-reservation', value: '1' },
      { name: 'tdm-policy', value: 'https://haneul.example/tdm-policy.json' },
      { name: 'Link', value: '<https://haneul.example/license.xml>; rel="license"; type="application/rsl+xml"' },
    ]);
    expect(signalFiles(sample, sampleOptions).map((f) => [f.path, f.file])).toEqual([
      ['/robots.txt', 'robots.txt'],
      ['/.well-known/tdmrep.json', 'tdmrep.json'],
      ['/ai.txt', 'ai.txt'],
      ['/license.xml', 'license.xml'],
      ['/tdm-policy.json', 'tdm-policy.json'],
    ]);
  });

  it('nginx: add_header … always in location /, and a location = block per file', () => {
    const nginx = writeNginxSnippet(sample, sampleOptions);
    expect(nginx).toContain(
      [
        'location / {',
        '    add_header Content-Usage "train-ai=n, search=y" always;',
        '    add_header Content-Signal "ai-train=no, ai-input=no, search=yes" always;',
        '    add_header X-Robots-Tag "noai, noimageai" always;',
        '    add_header tdm-reservation "1" always;',
        '    add_header tdm-policy "https://haneul.example/tdm-policy.json" always;',
        '    add_header Link "<https://haneul.example/license.xml>; rel=\\"license\\"; type=\\"application/rsl+xml\\"" always;',
        '}',
        '',
        'location = /robots.txt {',
        '    alias "/var/www/heoga-signals/robots.txt";',
        '    types { }',
        '    default_type "text/plain; charset=utf-8";',
        '}',
        '',
        'location = /.well-known/tdmrep.json {',
        '    alias "/var/www/heoga-signals/tdmrep.json";',
      ].join('\n'),
    );
    expect(nginx).toContain('location = /license.xml {\n    alias "/var/www/heoga-signals/license.xml";');
    expect(nginx).toContain('# Save the output of `heoga signals --format <format>` in /var/www/heoga-signals/ as:');
    expect(nginx).not.toContain('geo $heoga_dollar');
  });

  it('Apache: Header always set lines, Alias lines and ForceType per file', () => {
    const apache = writeApacheSnippet(sample, sampleOptions);
    expect(apache).toContain(
      [
        'Header always set Content-Usage "train-ai=n, search=y"',
        'Header always set Content-Signal "ai-train=no, ai-input=no, search=yes"',
        'Header always set X-Robots-Tag "noai, noimageai"',
        'Header always set tdm-reservation "1"',
        'Header always set tdm-policy "https://haneul.example/tdm-policy.json"',
        'Header always set Link "<https://haneul.example/license.xml>; rel=\\"license\\"; type=\\"application/rsl+xml\\""',
        '',
        'Alias "/robots.txt" "/var/www/heoga-signals/robots.txt"',
        'Alias "/.well-known/tdmrep.json" "/var/www/heoga-signals/tdmrep.json"',
        'Alias "/ai.txt" "/var/www/heoga-signals/ai.txt"',
        'Alias "/license.xml" "/var/www/heoga-signals/license.xml"',
        'Alias "/tdm-policy.json" "/var/www/heoga-signals/tdm-policy.json"',
        '<Directory "/var/www/heoga-signals">',
        '    Require all granted',
        '    <Files "robots.txt">',
        '        ForceType "text/plain; charset=utf-8"',
        '    </Files>',
      ].join('\n'),
    );
    expect(apache).toContain('    <Files "license.xml">\n        ForceType "application/rsl+xml"\n    </Files>');
  });

  it('Caddy: a header block, and a handle block per file', () => {
    const caddy = writeCaddySnippet(sample, sampleOptions);
    expect(caddy).toContain(
      [
        'header {',
        '\tContent-Usage "train-ai=n, search=y"',
        '\tContent-Signal "ai-train=no, ai-input=no, search=yes"',
        '\tX-Robots-Tag "noai, noimageai"',
        '\ttdm-reservation "1"',
        '\ttdm-policy "https://haneul.example/tdm-policy.json"',
        '\tLink "<https://haneul.example/license.xml>; rel=\\"license\\"; type=\\"application/rsl+xml\\""',
        '}',
        '',
        'handle /robots.txt {',
        '\troot * "/var/www/heoga-signals"',
        '\trewrite * "/robots.txt"',
        '\theader Content-Type "text/plain; charset=utf-8"',
        '\tfile_server',
        '}',
      ].join('\n'),
    );
  });

  it('WordPress: a robots_txt filter with the robots.txt lines and send_headers with header() calls', () => {
    const wp = writeWordPressSnippet(sample, sampleOptions);
    expect(wp.startsWith('<?php\n/**\n * Plugin Name: heoga signals\n')).toBe(true);
    expect(wp).toContain(
      [
        "add_action('send_headers', function () {",
        "\theader('Content-Usage: train-ai=n, search=y');",
        "\theader('Content-Signal: ai-train=no, ai-input=no, search=yes');",
        "\theader('X-Robots-Tag: noai, noimageai');",
        "\theader('tdm-reservation: 1');",
        "\theader('tdm-policy: https://haneul.example/tdm-policy.json');",
        '\theader(\'Link: <https://haneul.example/license.xml>; rel="license"; type="application/rsl+xml"\');',
        '});',
      ].join('\n'),
    );
    expect(wp).toContain(
      [
        "\t\treturn 'License: https://haneul.example/license.xml",
        '',
        'User-agent: *',
        'Content-Signal: ai-train=no, ai-input=no, search=yes',
        'Content-Usage: train-ai=n, search=y',
        'Allow: /',
        '',
        'User-agent: GPTBot',
        'User-agent: CCBot',
      ].join('\n'),
    );
    expect(wp).toContain('//   .well-known/tdmrep.json  from `heoga signals --format tdmrep`');
  });

  it('escapes a URL with quotes, $, % and an apostrophe for each syntax', () => {
    const o = { licenseUrl: `https://ex.example/l$1%20"q"/it's.xml?a=1;b={2}` };
    const link =
      '<https://ex.example/l$1%20%22q%22/it\'s.xml?a=1;b=%7B2%7D>; rel="license"; type="application/rsl+xml"';
    expect(signalHeaders(sample, o).at(-1)).toEqual({ name: 'Link', value: link });
    const nginx = writeNginxSnippet(sample, o);
    expect(nginx).toContain(
      '    add_header Link "<https://ex.example/l${heoga_dollar}1%20%22q%22/it\'s.xml?a=1;b=%7B2%7D>; rel=\\"license\\"; type=\\"application/rsl+xml\\"" always;',
    );
    expect(nginx).toContain('# geo $heoga_dollar { default "$"; }');
    expect(writeApacheSnippet(sample, o)).toContain(
      'Header always set Link "<https://ex.example/l$1%%20%%22q%%22/it\'s.xml?a=1;b=%%7B2%%7D>; rel=\\"license\\"; type=\\"application/rsl+xml\\""',
    );
    expect(writeWordPressSnippet(sample, o)).toContain(
      '\theader(\'Link: <https://ex.example/l$1%20%22q%22/it\\\'s.xml?a=1;b=%7B2%7D>; rel="license"; type="application/rsl+xml"\');',
    );
    // A licence whose path needs quoting is not served by the snippet; the user publishes it at its URL.
    expect(signalFiles(sample, o).some((f) => f.format === 'rsl')).toBe(false);
  });

  it('headerSafeUrl encodes only what a URI may not contain', () => {
    expect(headerSafeUrl('https://example.com/a b/"x".xml')).toBe('https://example.com/a%20b/%22x%22.xml');
    expect(headerSafeUrl('https://예시.kr/저작물?q=<1>|\\^`')).toBe(
      'https://%EC%98%88%EC%8B%9C.kr/%EC%A0%80%EC%9E%91%EB%AC%BC?q=%3C1%3E%7C%5C%5E%60',
    );
    expect(headerSafeUrl(' \thttps://example.com/x \n')).toBe('https://example.com/x');
    const plain = "https://example.com/a-b_c.~/x?y=1&z=$;'()*+,=%41#f@[::1]";
    expect(headerSafeUrl(plain)).toBe(plain);
  });

  it('says nothing it does not know: an all-unknown policy sends no header but still serves the files', () => {
    const unknown = Object.fromEntries(USES.map((u) => [u, 'unknown'])) as unknown as PolicyByUse;
    expect(signalHeaders(unknown)).toEqual([]);
    for (const snippet of [writeNginxSnippet(unknown), writeApacheSnippet(unknown), writeCaddySnippet(unknown)]) {
      expect(snippet).toContain(`\n${NO_HEADERS_LINE}\n`);
      expect(snippet).not.toMatch(/^(location \/ |Header |header \{)/mu);
    }
    expect(writeWordPressSnippet(unknown)).toContain('// The choice states no use, so there is no header to send.');
    expect(writeWordPressSnippet(unknown)).not.toContain("add_action('send_headers'");
    expect(signalFiles(unknown).map((f) => f.path)).toEqual(['/robots.txt', '/.well-known/tdmrep.json', '/ai.txt']);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const policyArb = fc.record(
  Object.fromEntries(USES.map((u) => [u, fc.constantFrom(...STANCE_KINDS)])),
) as fc.Arbitrary<PolicyByUse>;

// URLs with the characters each syntax treats specially: quotes, `$`, `%`, `\`, braces, `;`, `#`, spaces, non-ASCII.
const nastyUrl = fc
  .tuple(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.array(
      fc.constantFrom('$', '%', '%41', '"', "'", ';', '\\', '{', '}', '#', ' ', '\t', 'é', '한', 'a', '/', '${x}'),
    ),
  )
  .map(([url, extra]) => url + extra.join(''));

const optionsArb: fc.Arbitrary<ServerSnippetOptions> = fc.record(
  { licenseUrl: nastyUrl, tdmPolicyUrl: nastyUrl },
  { requiredKeys: [] },
);

describe('server snippets: every syntax carries the same header values (property)', () => {
  it('each snippet, unescaped by a reader of its syntax, gives the headers the other formats publish', () => {
    fc.assert(
      fc.property(policyArb, optionsArb, (policy, options) => {
        const expected = signalHeaders(policy, options);
        const robots = parseRobotsTxt(writeRobotsTxt(policy, {}));
        const fromRobots = evaluateRobotsTxt(robots, { userAgent: 'AnyBot', path: '/' });
        const tdm = tdmrepForPolicy(policy);
        const restricted = policy['ai-train'] === 'deny' || policy['ai-train'] === 'license';
        for (const [syntax, read] of Object.entries(READERS)) {
          const headers = read(policy, options);
          expect(headers, syntax).toEqual(expected);
          const get = (name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

          const usage = get('Content-Usage');
          expect(usage ?? '', syntax).toBe(formatContentUsage(policy));
          const signal = get('Content-Signal');
          expect(signal ?? '', syntax).toBe(formatContentSignal(policy));
          // The same per-use answers as the robots.txt lines of the same choice.
          for (const u of USES) {
            expect(parseContentUsage(usage ?? '').byUse[u].stance, `${syntax} ${u}`).toBe(
              fromRobots.contentUsage[u].stance,
            );
            expect(parseContentSignal(signal ?? '').byUse[u].stance, `${syntax} ${u}`).toBe(
              fromRobots.contentSignal[u].stance,
            );
          }
          const xRobots = get('X-Robots-Tag');
          expect(parseXRobotsTag(xRobots === undefined ? [] : [xRobots]).byUse['ai-train'].stance).toBe(
            restricted ? 'deny' : 'unknown',
          );
          expect(readTdmrepHeaders((name) => get(name)).reservation).toBe(
            tdm.reservation === 'unset' ? undefined : tdm.reservation,
          );
          const link = get('Link');
          if (options.licenseUrl === undefined) expect(link).toBeUndefined();
          else {
            // The link carries the URL as written; a reader takes it when it parses as an http(s) URL.
            const safe = headerSafeUrl(options.licenseUrl);
            expect(parseLinkHeader(link ?? '').links.map((l) => l.target)).toEqual([safe]);
            expect(findRslLicenseLinks(parseLinkHeader(link ?? '').links)).toEqual(
              URL.canParse(safe) ? [new URL(safe).href] : [],
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the WordPress robots_txt filter adds the robots.txt lines writeRobotsTxt writes, License first', () => {
    fc.assert(
      fc.property(policyArb, optionsArb, fc.boolean(), (policy, options, withCrawlers) => {
        const o = { ...options, ...(withCrawlers ? { aiCrawlers: ['GPTBot', "O'Bot", 'CCBot'] } : {}) };
        const lines = readWordPressRobots(writeWordPressSnippet(policy, o));
        expect(lines).toBe(
          writeRobotsTxt(policy, {
            ...(o.aiCrawlers ? { aiCrawlers: o.aiCrawlers } : {}),
            ...(o.licenseUrl !== undefined ? { licenseUrl: o.licenseUrl } : {}),
          }),
        );
        // Served before WordPress's own default lines, the answers stay those of heoga's robots.txt.
        const served = parseRobotsTxt(
          `${lines}\nUser-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: https://wp.example/wp-sitemap.xml\n`,
        );
        const alone = parseRobotsTxt(lines);
        for (const agent of ['GPTBot', 'SomeSearchBot']) {
          const a = evaluateRobotsTxt(served, { userAgent: agent, path: '/stories/1' });
          const b = evaluateRobotsTxt(alone, { userAgent: agent, path: '/stories/1' });
          expect(a.allowed).toBe(b.allowed);
          for (const u of USES) expect(a.contentUsage[u].stance).toBe(b.contentUsage[u].stance);
        }
        expect(served.licenses.length).toBe(alone.licenses.length);
      }),
      { numRuns: 150 },
    );
  });
});
