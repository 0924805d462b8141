import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import { formatContentSignal, formatContentUsage } from './http-signals.js';
import { writeRobotsTxt } from './robots/write-robots-txt.js';
import { tdmrepForPolicy } from './tdmrep.js';
import { encodeUtf8 } from '../tlog/encoding.js';

/**
 * Inputs of the server snippets: the same as the other writers take (`writeRobotsTxt`, `tdmrepForPolicy`,
 * `writeRsl`), so that every snippet publishes the same choice as the files it serves.
 */
export interface ServerSnippetOptions {
  /** Absolute URL of the RSL licence document: sent as `Link: <…>; rel="license"` and served from `license.xml`. */
  readonly licenseUrl?: string;
  /** Absolute URL of the TDM policy: sent as `tdm-policy` when TDM is reserved, and served from `tdm-policy.json`. */
  readonly tdmPolicyUrl?: string;
  /** AI crawler product tokens for the robots.txt lines of the WordPress snippet, as `writeRobotsTxt` takes them. */
  readonly aiCrawlers?: readonly string[];
}

/** One HTTP response header the snippets send. */
export interface SignalHeader {
  readonly name: string;
  readonly value: string;
}

/** One signal document the snippets serve: the URL path, the file name the user saves it as, and its media type. */
export interface SignalFile {
  readonly path: string;
  readonly file: string;
  readonly mediaType: string;
  /** Which `heoga signals --format` writes the file's content. */
  readonly format: 'robots' | 'tdmrep' | 'tdm-policy' | 'rsl' | 'ai-txt';
}

/** The folder the snippets serve the saved signal files from; each snippet says so in a comment. */
export const SIGNAL_FILES_DIRECTORY = '/var/www/heoga-signals';

// RFC 3986 §2: the characters a URI may contain as they are (unreserved, reserved and `%`).
const URI_CHARACTER = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u;

/**
 * Returns `url`, without leading and trailing spaces and controls, with every character that RFC 3986 §2 does not allow in a URI (space, controls, `"`, `<`, `>`, `\`,
 * `^`, `` ` ``, `{`, `|`, `}`, non-ASCII) percent-encoded as UTF-8. Such characters must be encoded in a URI
 * anyway, so the address does not change; what remains is safe between `<` and `>` in a `Link` header and holds no
 * character that starts a placeholder in Caddy or ends a quoted string in any of the snippets.
 *
 * @example
 * ```ts
 * headerSafeUrl('https://example.com/a b/"x".xml') // 'https://example.com/a%20b/%22x%22.xml'
 * ```
 */
export function headerSafeUrl(url: string): string {
  let out = '';
  // WHATWG URL §4.4 strips leading and trailing C0 controls and spaces before parsing; so do we (as writeRobotsTxt).
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  for (const ch of url.slice(start, end)) {
    if (URI_CHARACTER.test(ch)) out += ch;
    else for (const byte of encodeUtf8(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function trainingRestricted(policy: PolicyByUse): boolean {
  return policy['ai-train'] === 'deny' || policy['ai-train'] === 'license';
}

/**
 * The HTTP response headers that publish `policy` (research/signals.md §1–§6), in the order the snippets write them:
 * `Content-Usage` (AIPREF) and `Content-Signal` (Content Signals) from `formatContentUsage` / `formatContentSignal`,
 * `X-Robots-Tag: noai, noimageai` when AI training is refused or priced, `tdm-reservation` (and `tdm-policy` when
 * reserved) from `tdmrepForPolicy`, and `Link: <licence>; rel="license"; type="application/rsl+xml"` when a licence
 * URL is given. A header with nothing to say is left out. URLs pass through {@link headerSafeUrl}.
 *
 * @example
 * ```ts
 * signalHeaders({ 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'unknown', 'ai-index': 'unknown', search: 'allow' })
 * // [{ name: 'Content-Usage', value: 'train-ai=n, search=y' }, { name: 'Content-Signal', value: 'ai-train=no, search=yes' },
 * //  { name: 'X-Robots-Tag', value: 'noai, noimageai' }, { name: 'tdm-reservation', value: '1' }]
 * ```
 */
export function signalHeaders(policy: PolicyByUse, options: ServerSnippetOptions = {}): readonly SignalHeader[] {
  const headers: SignalHeader[] = [];
  const usage = formatContentUsage(policy);
  if (usage !== '') headers.push({ name: 'Content-Usage', value: usage });
  const signal = formatContentSignal(policy);
  if (signal !== '') headers.push({ name: 'Content-Signal', value: signal });
  if (trainingRestricted(policy)) headers.push({ name: 'X-Robots-Tag', value: 'noai, noimageai' });
  const tdm = tdmrepForPolicy(
    policy,
    options.tdmPolicyUrl !== undefined ? { policyUrl: headerSafeUrl(options.tdmPolicyUrl) } : {},
  );
  if (tdm.reservation !== 'unset') {
    headers.push({ name: 'tdm-reservation', value: tdm.reservation === 'reserved' ? '1' : '0' });
    if (tdm.policyUrl !== undefined) headers.push({ name: 'tdm-policy', value: tdm.policyUrl });
  }
  if (options.licenseUrl !== undefined) {
    headers.push({
      name: 'Link',
      value: `<${headerSafeUrl(options.licenseUrl)}>; rel="license"; type="application/rsl+xml"`,
    });
  }
  return headers;
}

/** The part of the WHATWG `URL` class used here. */
interface WhatwgUrl {
  new (input: string): { readonly protocol: string; readonly pathname: string };
  canParse(input: string): boolean;
}

// A path every snippet can match without quoting: nginx `location =`, Apache `Alias`, Caddy matchers all take it as is.
const PLAIN_PATH = /^\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*$/u;

/** The URL path of `url` when it is an absolute http(s) URL with a plain path; otherwise undefined. */
function plainPathOf(url: string | undefined): string | undefined {
  // WHATWG URL through globalThis: core builds without DOM types, and every runtime it targets has URL.
  const Url = (globalThis as { readonly URL?: WhatwgUrl }).URL;
  if (url === undefined || Url === undefined || !Url.canParse(url)) return undefined;
  const parsed = new Url(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return PLAIN_PATH.test(parsed.pathname) && !parsed.pathname.split('/').includes('..') ? parsed.pathname : undefined;
}

/**
 * The signal documents the snippets serve from {@link SIGNAL_FILES_DIRECTORY}: robots.txt, `/.well-known/tdmrep.json`
 * (TDMRep §3.1) and ai.txt always; the RSL licence and the TDM policy at the path of their URL when the URL has a
 * plain path (letters, digits, `.`, `_`, `~`, `-` between slashes) that no other file uses. A licence or policy on
 * another site, or at a path with other characters, is left for the user to publish there.
 *
 * @example
 * ```ts
 * signalFiles(policy, { licenseUrl: 'https://example.com/license.xml' }).map((f) => f.path)
 * // ['/robots.txt', '/.well-known/tdmrep.json', '/ai.txt', '/license.xml']
 * ```
 */
export function signalFiles(policy: PolicyByUse, options: ServerSnippetOptions = {}): readonly SignalFile[] {
  const files: SignalFile[] = [
    { path: '/robots.txt', file: 'robots.txt', mediaType: 'text/plain; charset=utf-8', format: 'robots' },
    { path: '/.well-known/tdmrep.json', file: 'tdmrep.json', mediaType: 'application/json', format: 'tdmrep' },
    { path: '/ai.txt', file: 'ai.txt', mediaType: 'text/plain; charset=utf-8', format: 'ai-txt' },
  ];
  const taken = (path: string) => files.some((f) => f.path === path);
  const rsl = plainPathOf(options.licenseUrl);
  if (rsl !== undefined && !taken(rsl))
    files.push({ path: rsl, file: 'license.xml', mediaType: 'application/rsl+xml', format: 'rsl' });
  // The policy is only announced (tdm-policy) when TDM is reserved, so only then is it worth serving.
  const tdmPolicy = tdmrepForPolicy(policy).reservation === 'reserved' ? plainPathOf(options.tdmPolicyUrl) : undefined;
  if (tdmPolicy !== undefined && !taken(tdmPolicy))
    files.push({ path: tdmPolicy, file: 'tdm-policy.json', mediaType: 'application/ld+json', format: 'tdm-policy' });
  return files;
}

// A choice that says nothing sends no header: an empty header block would only get in the way of the user's own.
const NO_HEADERS = '# The choice states no use, so there is no header to send.';

function saveComment(files: readonly SignalFile[], prefix: string): string[] {
  return [
    `${prefix}Save the output of \`heoga signals --format <format>\` in ${SIGNAL_FILES_DIRECTORY}/ as:`,
    ...files.map((f) => `${prefix}  ${f.file.padEnd(16)} (--format ${f.format.padEnd(10)}) served at ${f.path}`),
  ];
}

// nginx (ngx_conf_read_token): inside "…", `\"` and `\\` are escapes. Every `$` starts a variable in add_header,
// alias and default_type values and nginx has no escape for it, so a literal `$` is written as ${heoga_dollar}, a
// variable that `geo` sets to "$" (the usual workaround; geo is only allowed in the http {} block).
function nginxString(value: string): string {
  return `"${value.replace(/[\\"]/gu, '\\$&').replace(/\$/gu, '${heoga_dollar}')}"`;
}

/**
 * A ready-to-paste nginx snippet that publishes `policy`: `add_header … always;` lines (sent on error responses
 * too) in a `location /` block, and `location =` blocks that serve the saved signal files ({@link signalFiles})
 * with their media types. Values are double-quoted with `\"` / `\\` escapes; a `$` (possible in URLs) becomes a
 * `geo`-defined variable, with the `geo` line to put in `http {}`. Comments say where to paste and what to save.
 *
 * @example
 * ```ts
 * writeNginxSnippet(policy, { licenseUrl: 'https://example.com/license.xml' })
 * // '# heoga signals for nginx …\nlocation / {\n    add_header Content-Usage "train-ai=n, search=y" always;\n…'
 * ```
 */
export function writeNginxSnippet(policy: PolicyByUse, options: ServerSnippetOptions = {}): string {
  const headers = signalHeaders(policy, options);
  const files = signalFiles(policy, options);
  const lines = [
    "# heoga signals for nginx: paste inside your site's server { } block (for example /etc/nginx/sites-available/…),",
    '# then run `nginx -t && nginx -s reload`.',
    ...saveComment(files, '# '),
  ];
  if (headers.some((h) => h.value.includes('$'))) {
    lines.push(
      '#',
      '# This line belongs in the http { } block (nginx.conf): nginx has no escape for "$", so the values below',
      '# write it as ${heoga_dollar}.',
      '# geo $heoga_dollar { default "$"; }',
    );
  }
  if (headers.length === 0) lines.push('', NO_HEADERS);
  else
    lines.push(
      '',
      '# nginx keeps add_header lines from one level only: if your location / already has add_header lines, merge',
      '# these into it (nginx refuses a second location /); a location with its own add_header lines drops these.',
      'location / {',
      ...headers.map((h) => `    add_header ${h.name} ${nginxString(h.value)} always;`),
      '}',
    );
  for (const f of files) {
    lines.push(
      '',
      `location = ${f.path} {`,
      `    alias ${nginxString(`${SIGNAL_FILES_DIRECTORY}/${f.file}`)};`,
      '    types { }',
      `    default_type ${nginxString(f.mediaType)};`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

// Apache (ap_getword_conf): inside "…", `\"` and `\\` are escapes.
function apacheString(value: string): string {
  return `"${value.replace(/[\\"]/gu, '\\$&')}"`;
}

// mod_headers reads a value as a format string: `%` starts a format specifier (`%%` is a literal `%`, so URLs with
// percent-encoding must double it) and `\n` / `\t` become control characters (header values never hold `\`).
function apacheHeaderValue(value: string): string {
  return apacheString(value.replace(/%/gu, '%%'));
}

/**
 * A ready-to-paste Apache httpd 2.4 snippet that publishes `policy`: `Header always set` lines (mod_headers; `always`
 * also covers error responses), and `Alias` lines (mod_alias) with a `<Directory>` block that serves the saved signal
 * files with their media types. Values are double-quoted with `\"` / `\\` escapes and `%` doubled for mod_headers'
 * format strings. Comments say where to paste, which modules to enable, and what to do in `.htaccess`.
 *
 * @example
 * ```ts
 * writeApacheSnippet(policy)
 * // '# heoga signals for Apache httpd 2.4 …\nHeader always set Content-Usage "train-ai=n, search=y"\n…'
 * ```
 */
export function writeApacheSnippet(policy: PolicyByUse, options: ServerSnippetOptions = {}): string {
  const headers = signalHeaders(policy, options);
  const files = signalFiles(policy, options);
  const lines = [
    "# heoga signals for Apache httpd 2.4: paste inside your site's <VirtualHost> block, then run",
    '# `apachectl configtest && apachectl graceful`. Needs mod_headers and mod_alias (Debian: `a2enmod headers alias`).',
    '# In an .htaccess file only the Header lines work: copy the files below into your document root instead of Alias.',
    ...saveComment(files, '# '),
    '',
    ...(headers.length === 0
      ? [NO_HEADERS]
      : headers.map((h) => `Header always set ${h.name} ${apacheHeaderValue(h.value)}`)),
    '',
    ...files.map((f) => `Alias ${apacheString(f.path)} ${apacheString(`${SIGNAL_FILES_DIRECTORY}/${f.file}`)}`),
    `<Directory ${apacheString(SIGNAL_FILES_DIRECTORY)}>`,
    '    Require all granted',
    ...files.flatMap((f) => [
      `    <Files ${apacheString(f.file)}>`,
      `        ForceType ${apacheString(f.mediaType)}`,
      '    </Files>',
    ]),
    '</Directory>',
  ];
  return `${lines.join('\n')}\n`;
}

// Caddyfile lexer: inside "…", `\"` is an escape and any other backslash is kept as written; `{…}` is a
// placeholder. Header values hold neither `\` nor braces (headerSafeUrl encodes them), so quoting `"` is enough.
function caddyString(value: string): string {
  return `"${value.replace(/"/gu, '\\"')}"`;
}

/**
 * A ready-to-paste Caddy 2 snippet that publishes `policy`: a `header` directive block with the signal headers, and
 * one `handle` block per saved signal file that serves it with `file_server` and sets its media type. Values are
 * double-quoted with `\"` escapes. Comments say where to paste and what to save.
 *
 * @example
 * ```ts
 * writeCaddySnippet(policy)
 * // '# heoga signals for Caddy 2 …\nheader {\n\tContent-Usage "train-ai=n, search=y"\n…'
 * ```
 */
export function writeCaddySnippet(policy: PolicyByUse, options: ServerSnippetOptions = {}): string {
  const headers = signalHeaders(policy, options);
  const files = signalFiles(policy, options);
  const lines = [
    '# heoga signals for Caddy 2: paste inside your site block in the Caddyfile (example.com { … }), then run',
    '# `caddy validate` and `caddy reload`.',
    ...saveComment(files, '# '),
    '',
    ...(headers.length === 0
      ? [NO_HEADERS]
      : ['header {', ...headers.map((h) => `\t${h.name} ${caddyString(h.value)}`), '}']),
  ];
  for (const f of files) {
    lines.push(
      '',
      `handle ${f.path} {`,
      `\troot * ${caddyString(SIGNAL_FILES_DIRECTORY)}`,
      `\trewrite * ${caddyString(`/${f.file}`)}`,
      `\theader Content-Type ${caddyString(f.mediaType)}`,
      '\tfile_server',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

// PHP single-quoted strings: `\'` and `\\` are the only escapes, and a raw newline is allowed.
function phpString(value: string): string {
  return `'${value.replace(/[\\']/gu, '\\$&')}'`;
}

/**
 * A ready-to-paste WordPress snippet (a must-use plugin, or the body of a theme's functions.php) that publishes
 * `policy`: a `robots_txt` filter that puts the lines `writeRobotsTxt` writes (with `aiCrawlers` and the licence
 * URL) before WordPress's virtual robots.txt, and a `send_headers` action that sends the signal headers on every page
 * WordPress renders. Strings are PHP single-quoted with `\'` / `\\` escapes. Comments say where to save the plugin
 * and the files WordPress cannot serve (tdmrep.json, ai.txt, the RSL licence), and the filter's limits.
 *
 * @example
 * ```ts
 * writeWordPressSnippet(policy, { aiCrawlers: ['GPTBot'] })
 * // "<?php\n/**\n * Plugin Name: heoga signals\n…add_filter('robots_txt', …"
 * ```
 */
export function writeWordPressSnippet(policy: PolicyByUse, options: ServerSnippetOptions = {}): string {
  const headers = signalHeaders(policy, options);
  const files = signalFiles(policy, options).filter((f) => f.format !== 'robots');
  const robots = writeRobotsTxt(policy, {
    ...(options.aiCrawlers !== undefined ? { aiCrawlers: options.aiCrawlers } : {}),
    ...(options.licenseUrl !== undefined ? { licenseUrl: options.licenseUrl } : {}),
  });
  const lines = [
    '<?php',
    '/**',
    ' * Plugin Name: heoga signals',
    ' * Description: Publishes the AI-use choice written by `heoga signals` in robots.txt and HTTP headers.',
    ' */',
    '',
    '// Save this file as wp-content/mu-plugins/heoga-signals.php (a must-use plugin: always on), or paste',
    "// everything after the first line into your theme's functions.php (a theme update may remove it there).",
    '//',
    "// WordPress cannot serve these files itself: save them in your site's document root (next to wp-config.php),",
    '// where the web server serves them directly:',
    ...files.map((f) => `//   ${f.path.slice(1).padEnd(24)} from \`heoga signals --format ${f.format}\``),
    '',
    '// robots_txt only changes the robots.txt WordPress writes itself: if a robots.txt file exists in the document',
    '// root, WordPress never sees the request, so put these lines in that file instead. They go first, so that the',
    '// License line applies to every group; groups for the same user agent are merged (RFC 9309 section 2.2.1),',
    '// so WordPress\'s own lines (and its Disallow: / when "Discourage search engines" is on) stay in force.',
    'add_filter(',
    "\t'robots_txt',",
    '\tfunction ($output, $public) {',
    `\t\treturn ${phpString(robots)} . "\\n" . $output;`,
    '\t},',
    '\t10,',
    '\t2',
    ');',
    '',
    ...(headers.length === 0
      ? [`//${NO_HEADERS.slice(1)}`]
      : [
          '// send_headers runs on every page WordPress renders; files in wp-content/uploads are served by the web',
          '// server without WordPress, so use the nginx or Apache snippet (`heoga signals --format nginx|apache`) for them.',
          "add_action('send_headers', function () {",
          ...headers.map((h) => `\theader(${phpString(`${h.name}: ${h.value}`)});`),
          '});',
        ]),
  ];
  return `${lines.join('\n')}\n`;
}
