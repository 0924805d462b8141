import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ScanSummariser,
  escapeHtml,
  formatCount,
  renderReportHtml,
  type ReportContext,
} from '../../src/report/index.js';
import type { VerdictLine, WorkInfo } from '../../src/types.js';
import { krw, line, match, offerStatement, sampleContext, sampleScan, unreadable } from './sample-scan.js';

const SECTION_IDS = ['verdicts', 'kinds', 'holders', 'scores', 'works', 'quote', 'unreadable', 'digests'];

function renderSample(): string {
  const { lines, lookupWork } = sampleScan();
  const summariser = new ScanSummariser(lookupWork);
  for (const l of lines) summariser.add(l);
  const context = sampleContext();
  return renderReportHtml(summariser.finish(context), summariser.finishQuote(context));
}

/** Renders a report in which `text` is every string that comes from data: titles, names, ids, reasons, paths. */
function renderWith(text: string): string {
  const info: WorkInfo = {
    id: `w-${text}`,
    kind: 'text',
    title: { lang: 'ko', title: text },
    disputed: true,
    holders: [{ id: `h-${text}`, name: text, role: 'author', shareBp: 10_000 }],
  };
  const lines: VerdictLine[] = [
    line(0, 'license-required', [match(info.id, 'text', 'minhash', 0.9)], {
      offers: [
        offerStatement(info.id, { ...krw(1_000, 'per-item'), scope: { territories: [text] } }),
        offerStatement(info.id, krw(5), info.holders[0]!.id),
      ],
    }),
    unreadable(1, text),
  ];
  const summariser = new ScanSummariser((id) => (id === info.id ? info : undefined));
  for (const l of lines) summariser.add(l);
  const base = sampleContext();
  const context: ReportContext = {
    ...base,
    snapshot: { ...base.snapshot, id: text, registry: text, keyId: text },
    input: { ...base.input, path: text, sha256: text },
    outputs: [{ name: text, bytes: 1, sha256: text }],
    scanner: { version: text, workers: 1 },
  };
  return renderReportHtml(summariser.finish(context), summariser.finishQuote(context));
}

/** A tag without its quoted attribute values (where escaped data may stand). */
function unquoted(tag: string): string {
  return tag.replace(/"[^"]*"|'[^']*'/g, '""');
}

/** Every tag of a page with its name and attribute names: the page's structure, without text or attribute values. */
function structure(page: string): string[] {
  const tags = page.match(/<\/?[a-zA-Z!][^>]*>/g) ?? [];
  return tags.map((tag) => {
    const name = /^<\/?([a-zA-Z!][\w-]*)/.exec(tag)?.[1] ?? '?';
    const attributes = [
      ...unquoted(tag)
        .slice(name.length + 1)
        .matchAll(/\s([a-zA-Z-:]+)(?==)/g),
    ].map((m) => m[1]);
    return `${tag.startsWith('</') ? '/' : ''}${name}(${attributes.join(',')})`;
  });
}

describe('renderReportHtml', () => {
  const page = renderSample();

  it('is one HTML document with every section, bilingual labels and lang attributes', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain('<meta charset="utf-8"');
    for (const id of SECTION_IDS) expect(page).toContain(`<section id="${id}">`);
    expect(page).toMatch(/<span lang="ko">이용 가능<\/span>\s*<span lang="en" class="en">Cleared<\/span>/);
    expect(page).toContain('<span lang="ko">이용허락 필요</span>');
    expect(page).toContain('<span lang="ko">사전 허락제</span>');
    expect(page).toContain('<span lang="ko">생성형 AI 학습</span>');
    expect(page).toMatch(/<\/html>\s*$/);
  });

  it('draws the verdict chart and the score histogram as inline SVG', () => {
    expect(page.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(page).toContain('aria-labelledby="verdict-chart-title"');
    expect(page).toContain('aria-labelledby="score-chart-title"');
    expect(page).toMatch(/<rect\s[^>]*class="fill-near"/);
  });

  it('supports dark mode and print in its inline CSS', () => {
    expect(page).toContain('@media (prefers-color-scheme:dark)');
    expect(page).toContain('@media print');
    expect(page).toContain('<meta name="color-scheme" content="light dark"');
  });

  it('needs nothing outside the file: no script, no link, no external resource', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\s(src|href|srcset|action|formaction|poster|data|xlink:href)\s*=/i);
    expect(page).not.toMatch(/@import|url\s*\(|@font-face/i);
    expect(page).not.toMatch(/<(link|iframe|object|embed|img|image|use|base|form|audio|video|source)\b/i);
    // The registry's URL is shown as text; no URL appears inside a tag or the style sheet.
    const tagsAndStyle = [...(page.match(/<[^>]*>/g) ?? []), ...(page.match(/<style>[\s\S]*?<\/style>/g) ?? [])];
    for (const part of tagsAndStyle) expect(part).not.toMatch(/https?:|\/\//);
    expect(page).toMatch(
      /<meta\s+http-equiv="Content-Security-Policy"\s+content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"/,
    );
  });

  it('shows the digest of the input and of every output in monospace', () => {
    const context = sampleContext();
    for (const digest of [context.input.sha256, ...context.outputs.map((o) => o.sha256)]) {
      expect(page).toContain(`<code class="digest">${digest}</code>`);
    }
    for (const o of context.outputs) expect(page).toContain(`<code>${o.name}</code>`);
  });

  it('formats numbers with grouping and money with formatMoney', () => {
    expect(page).toContain('3,221,225,472');
    expect(page).toContain('184,320');
    expect(page).toMatch(/KRW 1,250,000/);
    expect(page).toMatch(/USD 2,500\.00/);
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-1_000)).toBe('-1,000');
    expect(formatCount(999)).toBe('999');
  });

  it('renders an empty scan without failing', () => {
    const summariser = new ScanSummariser(() => undefined);
    const context = sampleContext({ outputs: [] });
    const empty = renderReportHtml(summariser.finish(context), summariser.finishQuote(context));
    for (const id of SECTION_IDS) expect(empty).toContain(`<section id="${id}">`);
    expect(empty).toContain('No near matches');
  });
});

describe('renderReportHtml escapes every string from data', () => {
  const benign = structure(renderWith('plain title'));

  it.each([
    '<script>alert(1)</script>',
    '"onload="alert(1)',
    "' onmouseover='alert(1)",
    '</style><script>alert(1)</script>',
    '</title><img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '`${1}` &amp; &lt;',
    '<!-- -->',
    'javascript:alert(1)',
  ])('%s comes out inert', (text) => {
    const page = renderWith(text);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<svg onload/i);
    for (const tag of page.match(/<[^>]*>/g) ?? []) expect(unquoted(tag)).not.toMatch(/\son\w+\s*=/i);
    expect(structure(page)).toEqual(benign);
    expect(page).toContain(escapeHtml(text));
  });

  it('property: no string in a title, name, id, reason or path changes the page structure', () => {
    const hostile = fc
      .array(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 6 }),
          fc.constantFrom('<', '>', '"', "'", '&', '`', '=', ' ', '/', '<script', '</style>', 'onload=', '<!--', ']]>'),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(hostile, (text) => {
        const page = renderWith(text);
        expect(page).not.toMatch(/<script/i);
        expect(structure(page)).toEqual(benign);
      }),
      { numRuns: 150 },
    );
  });
});
