/**
 * `report.html`: the scan report for people, in one self-contained file. Inline CSS and inline SVG charts, no script,
 * no web font, no link or request to anything outside the file (a Content-Security-Policy says so to the browser
 * too); light and dark by `prefers-color-scheme`, printable on A4; every label in Korean and English.
 */
import { REASON_INFO, REGIMES, USE_INFO, type PriceUnit } from '@heoga/core';
import type { MatchMethod } from '../types.js';
import { html, rawHtml, type SafeHtml } from './html.js';
import type { QuoteWork, ScanQuote, UntotalledReason } from './quote.js';
import type { OutputDigest } from './report-context.js';
import {
  REPORT_LIMITS,
  REPORT_VERDICTS,
  type ReportVerdict,
  type ScanReport,
  type VerdictCounts,
} from './summarise.js';

/** How many rows the HTML tables of the quote show (`quote.json` lists them all). */
export const HTML_QUOTE_ROWS = 50;

interface Label {
  readonly ko: string;
  readonly en: string;
}

const VERDICT_LABELS: { readonly [V in ReportVerdict]: Label } = {
  cleared: { ko: '이용 가능', en: 'Cleared' },
  blocked: { ko: '이용 불가', en: 'Blocked' },
  'license-required': { ko: '이용허락 필요', en: 'Licence required' },
  unknown: { ko: '확인 불가', en: 'Unknown' },
  unreadable: { ko: '읽을 수 없음', en: 'Unreadable' },
};

const METHOD_LABELS: { readonly [M in MatchMethod]: Label } = {
  sha256: { ko: '파일 해시', en: 'File SHA-256' },
  'text-sha256': { ko: '텍스트 해시', en: 'Text SHA-256' },
  identifier: { ko: '식별자', en: 'Identifier' },
  url: { ko: 'URL', en: 'URL' },
  'url-prefix': { ko: 'URL 접두사', en: 'URL prefix' },
  minhash: { ko: '텍스트 유사도', en: 'MinHash' },
  containment: { ko: '텍스트 포함', en: 'Containment' },
  pdq: { ko: '이미지 지문', en: 'PDQ image' },
  chromaprint: { ko: '오디오 지문', en: 'Chromaprint audio' },
  video: { ko: '영상 지문', en: 'Video' },
};

const KIND_LABELS: { readonly [kind: string]: Label } = {
  text: { ko: '텍스트', en: 'Text' },
  image: { ko: '이미지', en: 'Image' },
  audio: { ko: '오디오', en: 'Audio' },
  video: { ko: '영상', en: 'Video' },
};

const UNIT_LABELS: { readonly [U in PriceUnit]: Label } = {
  'per-work': { ko: '저작물당', en: 'per work' },
  'per-1k-tokens': { ko: '1,000토큰당', en: 'per 1,000 tokens' },
  'per-item': { ko: '항목당', en: 'per item' },
  'flat-per-dataset': { ko: '데이터셋 정액', en: 'flat per dataset' },
};

const UNTOTALLED_LABELS: { readonly [R in UntotalledReason]: Label } = {
  'per-1k-tokens': {
    ko: '1,000토큰당 가격: 검사는 토큰 수를 세지 않으므로 합계에 넣지 않았습니다.',
    en: 'Priced per 1,000 tokens: a scan does not count tokens, so these are not in the totals.',
  },
  'invalid-price': {
    ko: '가격이 올바르지 않아 합계에 넣지 않았습니다.',
    en: 'The price is not valid, so these are not in the totals.',
  },
  'exceeds-safe-integer': {
    ko: '금액이 너무 커서 정확히 나타낼 수 없어 합계에 넣지 않았습니다.',
    en: 'The amount is too large to represent exactly, so these are not in the totals.',
  },
  'offers-not-listed': {
    ko: '저작물의 제안이 너무 많아 일부를 나열하지 않았습니다.',
    en: 'The work has more offers than a quote lists; some are not listed.',
  },
};

const SECTIONS = [
  { id: 'verdicts', ko: '판정', en: 'Verdicts' },
  { id: 'kinds', ko: '종류·방법', en: 'Kinds & methods' },
  { id: 'holders', ko: '권리자', en: 'Rights holders' },
  { id: 'scores', ko: '일치 점수', en: 'Match scores' },
  { id: 'works', ko: '저작물', en: 'Top works' },
  { id: 'quote', ko: '이용허락 견적', en: 'Licence quote' },
  { id: 'unreadable', ko: '읽을 수 없는 항목', en: 'Unreadable' },
  { id: 'digests', ko: '다이제스트', en: 'Digests' },
] as const;

/** Korean and English side by side, each marked with its language. */
function bi(label: Label): SafeHtml {
  return label.ko === label.en
    ? html`<span lang="en">${label.en}</span>`
    : html`<span lang="ko">${label.ko}</span> <span lang="en" class="en">${label.en}</span>`;
}

function kindLabel(kind: string): Label {
  return KIND_LABELS[kind] ?? { ko: kind, en: kind };
}

/** An integer with thousands separators, the same in every locale: `1,234,567`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole = '0', fraction] = Math.abs(n).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function formatPercent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const pct = (part / whole) * 100;
  if (pct < 0.1) return '<0.1%';
  if (pct >= 99.95 && part < whole) return '>99.9%';
  return `${pct.toFixed(1)}%`;
}

function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = '';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return unit === '' ? `${formatCount(bytes)} B` : `${value.toFixed(1)} ${unit}`;
}

function formatDuration(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min ${s} s` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function formatScore(score: number): string {
  return score >= 1 ? '1' : score.toFixed(3);
}

/** A number of ticks 1, 2 or 5 times a power of ten, for a chart axis from 0 to at least `max`. */
function niceMax(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const stepInt = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

function verdictChart(counts: VerdictCounts, total: number): SafeHtml {
  const rowHeight = 34;
  const labelWidth = 250;
  const valueWidth = 150;
  const width = 1000;
  const barArea = width - labelWidth - valueWidth;
  const max = Math.max(1, ...REPORT_VERDICTS.map((v) => counts[v]));
  const height = REPORT_VERDICTS.length * rowHeight + 8;
  const rows = REPORT_VERDICTS.map((v, i) => {
    const y = 4 + i * rowHeight;
    const w = counts[v] === 0 ? 0 : Math.max(2, (counts[v] / max) * barArea);
    const label = VERDICT_LABELS[v];
    return html`<g>
      <text x="0" y="${y + 21}" class="chart-label"
        ><tspan lang="ko">${label.ko}</tspan><tspan lang="en" class="chart-en" dx="6">${label.en}</tspan></text
      >
      <rect x="${labelWidth}" y="${y + 5}" width="${barArea}" height="${rowHeight - 12}" rx="3" class="track" />
      <rect x="${labelWidth}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowHeight - 12}" rx="3" class="fill-${v}"
        ><title>${label.en}: ${formatCount(counts[v])}</title></rect
      >
      <text x="${width}" y="${y + 21}" text-anchor="end" class="chart-value"
        >${formatCount(counts[v])} · ${formatPercent(counts[v], total)}</text
      >
    </g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="verdict-chart-title">
    <title id="verdict-chart-title">Records by verdict</title>
    ${rows}
  </svg>`;
}

function scoreChart(report: ScanReport): SafeHtml {
  const bins = report.scores.bins;
  const width = 1000;
  const height = 280;
  const left = 56;
  const right = 12;
  const top = 14;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const { top: yMax, step } = niceMax(Math.max(0, ...bins.map((b) => b.near)));
  const barW = plotW / Math.max(1, bins.length);
  const y = (value: number): number => top + plotH - (value / yMax) * plotH;
  const grid: SafeHtml[] = [];
  for (let v = 0; v <= yMax; v += step) {
    grid.push(
      html`<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid" />
        <text x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="axis">${formatCount(v)}</text>`,
    );
  }
  const bars = bins.map((b, i) => {
    if (b.near === 0) return html``;
    const x = left + i * barW + 1.5;
    const h = Math.max(1, (b.near / yMax) * plotH);
    return html`<rect
      x="${x.toFixed(1)}"
      y="${(top + plotH - h).toFixed(1)}"
      width="${(barW - 3).toFixed(1)}"
      height="${h.toFixed(1)}"
      class="fill-near"
      ><title>${formatScore(b.from)}–${formatScore(b.to)}: ${formatCount(b.near)}</title></rect
    >`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(
    (t) =>
      html`<text x="${(left + t * plotW).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle" class="axis"
        >${t.toFixed(2)}</text
      >`,
  );
  const empty = bins.every((b) => b.near === 0)
    ? html`<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" class="chart-label muted-fill"
        ><tspan lang="ko">근사 일치 없음</tspan><tspan lang="en" dx="6">No near matches</tspan></text
      >`
    : html``;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="score-chart-title">
    <title id="score-chart-title">Near-duplicate matches by score</title>
    ${grid}${bars}
    <line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis-line" />
    ${ticks}${empty}
    <text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle" class="axis">
      <tspan lang="ko">일치 점수</tspan>
      <tspan lang="en" dx="6">match score</tspan>
    </text>
  </svg>`;
}

/** A small stacked bar of a work's or holder's verdicts. */
function verdictMiniBar(counts: VerdictCounts): SafeHtml {
  const total = REPORT_VERDICTS.reduce((sum, v) => sum + counts[v], 0);
  if (total === 0) return html``;
  let x = 0;
  const parts = REPORT_VERDICTS.filter((v) => counts[v] > 0).map((v) => {
    const w = (counts[v] / total) * 100;
    const part = html`<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="8" class="fill-${v}"
      ><title>${VERDICT_LABELS[v].en}: ${formatCount(counts[v])}</title></rect
    >`;
    x += w;
    return part;
  });
  return html`<svg class="mini" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">${parts}</svg>`;
}

function verdictCountsText(counts: VerdictCounts): SafeHtml {
  const parts = REPORT_VERDICTS.filter((v) => counts[v] > 0).map(
    (v) => html`<span class="vc"><i class="dot fill-bg-${v}"></i>${formatCount(counts[v])}</span>`,
  );
  return html`${parts}`;
}

function meter(part: number, whole: number): SafeHtml {
  const pct = whole <= 0 ? 0 : Math.min(100, (part / whole) * 100);
  return html`<span class="meter" aria-hidden="true"><span style="width: ${pct.toFixed(1)}%"></span></span>`;
}

function sectionHeading(id: (typeof SECTIONS)[number]['id'], note?: SafeHtml): SafeHtml {
  const section = SECTIONS.find((s) => s.id === id)!;
  const titles: { readonly [K in (typeof SECTIONS)[number]['id']]: Label } = {
    verdicts: { ko: '판정별 항목 수', en: 'Records by verdict' },
    kinds: { ko: '저작물 종류와 일치 방법', en: 'By kind of work and match method' },
    holders: { ko: '권리자별', en: 'By rights holder' },
    scores: { ko: '일치 점수 분포', en: 'Chart of match scores' },
    works: { ko: '가장 많이 일치한 저작물', en: 'Top matched works' },
    quote: { ko: '이용허락 견적', en: 'Licence quote' },
    unreadable: { ko: '읽을 수 없는 항목', en: 'Unreadable records' },
    digests: { ko: '입력·출력 파일 다이제스트', en: 'Digests of input and outputs' },
  };
  const n = SECTIONS.indexOf(section) + 1;
  return html`<h2><span class="num">${n}</span> ${bi(titles[id])}</h2>
    ${note ?? ''}`;
}

function holdersText(holders: QuoteWork['holders']): SafeHtml {
  if (holders.length === 0) return html`<span class="muted">—</span>`;
  return html`${holders.map(
    (h, i) =>
      html`${i > 0 ? html`<br />` : ''}<span>${h.name}</span>
        <span class="muted">${formatCount(h.shareBp / 100)}%</span>`,
  )}`;
}

function titleCell(work: {
  readonly workId: string;
  readonly title?: { readonly lang: string; readonly title: string };
  readonly disputed: boolean;
  readonly known: boolean;
}): SafeHtml {
  const title =
    work.title === undefined
      ? html`<span class="muted"
          >${bi({ ko: work.known ? '제목 없음' : '스냅숏에 없음', en: work.known ? 'untitled' : 'not in snapshot' })}</span
        >`
      : html`<span class="title" lang="${work.title.lang}">${work.title.title}</span>`;
  const disputed = work.disputed
    ? html` <span class="badge warn">${bi({ ko: '권리 분쟁', en: 'Disputed' })}</span>`
    : '';
  return html`${title}${disputed}<br /><code class="id">${work.workId}</code>`;
}

function header(report: ScanReport): SafeHtml {
  const c = report.context;
  const regime = REGIMES[c.regime];
  const use = USE_INFO[c.use];
  const fact = (label: Label, value: SafeHtml | string): SafeHtml =>
    html`<div>
      <dt>${bi(label)}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<header class="page-header">
    <p class="eyebrow">
      <span lang="en">heoga</span> <span lang="ko">허가</span> · <span lang="ko">데이터셋 검사</span>
      <span lang="en" class="en">dataset scan</span>
    </p>
    <h1>${bi({ ko: '데이터셋 검사 보고서', en: 'Dataset scan report' })}</h1>
    <p class="subtitle"><code>${c.input.path}</code></p>
    <dl class="facts">
      ${fact({ ko: '적용 법제', en: 'Regime' }, html`${bi(regime?.title ?? { ko: c.regime, en: c.regime })} <code class="tag">${c.regime}</code>`)}
      ${fact({ ko: '이용 목적', en: 'Use' }, html`${bi(use?.title ?? { ko: c.use, en: c.use })} <code class="tag">${c.use}</code>`)}
      ${fact({ ko: '스냅숏', en: 'Snapshot' }, html`<code>${c.snapshot.id}</code><br /><span class="muted">${c.snapshot.createdAt} · ${formatCount(c.snapshot.works)} <span lang="ko">저작물</span> <span lang="en">works</span></span>`)}
      ${fact({ ko: '레지스트리', en: 'Registry' }, html`<code>${c.snapshot.registry}</code>${c.snapshot.keyId === undefined ? '' : html`<br /><span class="muted"><span lang="en">key</span> <code>${c.snapshot.keyId}</code></span>`}`)}
      ${fact({ ko: '입력', en: 'Input' }, html`${formatCount(c.input.records)} <span lang="ko">항목</span> <span lang="en">records</span> · ${formatBytes(c.input.bytes)}<br /><span class="muted">${c.input.format}${c.input.compression === 'none' ? '' : ` · ${c.input.compression}`}</span>`)}
      ${fact({ ko: '입력 SHA-256', en: 'Input SHA-256' }, html`<code class="digest">${c.input.sha256}</code>`)}
      ${fact({ ko: '검사 시간', en: 'Scanned' }, html`${c.startedAt} → ${c.finishedAt}<br /><span class="muted">${formatDuration(c.startedAt, c.finishedAt)}</span>`)}
      ${fact({ ko: '검사기', en: 'Scanner' }, html`<span lang="en">heoga scanner</span> ${c.scanner.version}<br /><span class="muted">${formatCount(c.scanner.workers)} <span lang="ko">작업자</span> <span lang="en">workers</span></span>`)}
    </dl>
    <nav class="toc" aria-label="Contents">${SECTIONS.map((s, i) => html`<span>${i + 1}. ${bi(s)}</span>`)}</nav>
  </header>`;
}

function kpis(report: ScanReport, quote: ScanQuote): SafeHtml {
  const t = report.totals;
  const card = (label: Label, value: string, note: SafeHtml | string, cls = ''): SafeHtml =>
    html`<div class="kpi ${cls}">
      <div class="kpi-label">${bi(label)}</div>
      <div class="kpi-value">${value}</div>
      <div class="kpi-note">${note}</div>
    </div>`;
  const money = quote.totals.map((m) => m.display).join(' + ');
  return html`<section class="kpis" aria-label="Summary">
    ${card({ ko: '검사한 항목', en: 'Records scanned' }, formatCount(t.records), html`${formatCount(t.matchedRecords)} <span lang="ko">일치</span> <span lang="en">matched</span>`)}
    ${REPORT_VERDICTS.map((v) => card(VERDICT_LABELS[v], formatCount(t.verdicts[v]), formatPercent(t.verdicts[v], t.records), `kpi-${v}`))}
    ${card({ ko: '일치한 저작물', en: 'Works matched' }, formatCount(t.works), html`${formatCount(t.holders)} <span lang="ko">권리자</span> <span lang="en">rights holders</span>`)}
    ${card({ ko: '견적 합계', en: 'Quote total' }, money === '' ? '—' : money, quote.complete ? html`${formatCount(quote.licencesNeeded.works)} <span lang="ko">저작물</span> <span lang="en">works</span>` : html`<span lang="ko">일부 미포함</span> <span lang="en">partial</span>`, 'kpi-money')}
  </section>`;
}

function verdictSection(report: ScanReport): SafeHtml {
  const t = report.totals;
  const reasons = report.reasons.map((r) => {
    // A line read back from an older scanner may carry a code this one does not know.
    const info: Label | undefined = (REASON_INFO as { readonly [code: string]: Label | undefined })[r.reason];
    return html`<tr>
      <td><code>${r.reason}</code></td>
      <td>
        ${info === undefined ? '' : html`<span lang="ko">${info.ko}</span><br /><span lang="en" class="en">${info.en}</span>`}
      </td>
      <td class="num">${formatCount(r.records)}</td>
      <td class="num">${formatPercent(r.records, t.records)}</td>
    </tr>`;
  });
  const accrual =
    report.accruals.rightsHolders + report.accruals.unclaimedPool > 0
      ? html`<p class="note">
          ${bi({ ko: '보상금 발생', en: 'Remuneration accrues' })}: ${formatCount(report.accruals.rightsHolders)}
          ${bi({ ko: '권리자에게', en: 'to rights holders' })} · ${formatCount(report.accruals.unclaimedPool)}
          ${bi({ ko: '미분배 보상금', en: 'to the unclaimed pool' })}
        </p>`
      : '';
  return html`<section id="verdicts">
    ${sectionHeading('verdicts')} ${verdictChart(t.verdicts, t.records)} ${accrual}
    <h3>${bi({ ko: '판정 사유', en: 'Reasons' })}</h3>
    <table>
      <thead>
        <tr>
          <th>${bi({ ko: '사유', en: 'Reason' })}</th>
          <th>${bi({ ko: '설명', en: 'Meaning' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th class="num">%</th>
        </tr>
      </thead>
      <tbody>
        ${
          reasons.length === 0
            ? html`<tr>
                <td colspan="4" class="muted">—</td>
              </tr>`
            : reasons
        }
      </tbody>
    </table>
  </section>`;
}

function kindsSection(report: ScanReport): SafeHtml {
  const matched = report.totals.matchedRecords;
  const kinds = report.kinds.map(
    (k) =>
      html`<tr>
        <td>${bi(kindLabel(k.kind))}</td>
        <td class="num">${formatCount(k.records)}</td>
        <td class="bar-cell">${meter(k.records, matched)}</td>
        <td class="num">${formatCount(k.matches)}</td>
        <td>${verdictMiniBar(k.verdicts)}</td>
      </tr>`,
  );
  const methods = report.methods.map(
    (m) =>
      html`<tr class="${m.records === 0 ? 'zero' : ''}">
        <td>${bi(METHOD_LABELS[m.method])} <code class="tag">${m.method}</code></td>
        <td>${m.exact ? bi({ ko: '정확', en: 'exact' }) : bi({ ko: '근사', en: 'near' })}</td>
        <td class="num">${formatCount(m.records)}</td>
        <td class="bar-cell">${meter(m.records, matched)}</td>
        <td class="num">${formatCount(m.matches)}</td>
      </tr>`,
  );
  return html`<section id="kinds">
    ${sectionHeading('kinds', html`<p class="note">${bi({ ko: '일치한 항목 기준입니다. 한 항목에 여러 저작물이 있을 수 있습니다.', en: 'Of matched records; one record may hold several works.' })}</p>`)}
    <div>
      <div>
        <h3>${bi({ ko: '종류', en: 'Kind' })}</h3>
        <table>
          <thead>
            <tr>
              <th>${bi({ ko: '종류', en: 'Kind' })}</th>
              <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
              <th></th>
              <th class="num">${bi({ ko: '일치', en: 'Matches' })}</th>
              <th>${bi({ ko: '판정', en: 'Verdicts' })}</th>
            </tr>
          </thead>
          <tbody>
            ${
              kinds.length === 0
                ? html`<tr>
                    <td colspan="5" class="muted">—</td>
                  </tr>`
                : kinds
            }
          </tbody>
        </table>
      </div>
      <div>
        <h3>${bi({ ko: '일치 방법', en: 'Match method' })}</h3>
        <table>
          <thead>
            <tr>
              <th>${bi({ ko: '방법', en: 'Method' })}</th>
              <th></th>
              <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
              <th></th>
              <th class="num">${bi({ ko: '일치', en: 'Matches' })}</th>
            </tr>
          </thead>
          <tbody>
            ${methods}
          </tbody>
        </table>
      </div>
    </div>
  </section>`;
}

function holdersSection(report: ScanReport): SafeHtml {
  const matched = report.totals.matchedRecords;
  const rows = report.holders.listed.map(
    (h) =>
      html`<tr>
        <td><span class="name">${h.name}</span><br /><code class="id">${h.holderId}</code></td>
        <td class="num">${formatCount(h.works)}</td>
        <td class="num">${formatCount(h.records)}</td>
        <td class="bar-cell">${meter(h.records, matched)}</td>
        <td>
          ${verdictMiniBar(h.verdicts)}
          <div class="vcs">${verdictCountsText(h.verdicts)}</div>
        </td>
      </tr>`,
  );
  const more =
    report.holders.total > report.holders.listed.length
      ? html`<p class="note">
          ${bi({ ko: `상위 ${formatCount(report.holders.listed.length)}명만 표시`, en: `Top ${formatCount(report.holders.listed.length)} of ${formatCount(report.holders.total)} shown` })}
        </p>`
      : '';
  return html`<section id="holders">
    ${sectionHeading('holders')}
    <table>
      <thead>
        <tr>
          <th>${bi({ ko: '권리자', en: 'Rights holder' })}</th>
          <th class="num">${bi({ ko: '저작물', en: 'Works' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th></th>
          <th>${bi({ ko: '판정', en: 'Verdicts' })}</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="5" class="muted">
                  ${bi({ ko: '일치한 권리자가 없습니다', en: 'No rights holder matched' })}
                </td>
              </tr>`
            : rows
        }
      </tbody>
    </table>
    ${more} ${legend()}
  </section>`;
}

function legend(): SafeHtml {
  return html`<p class="legend">
    ${REPORT_VERDICTS.map((v) => html`<span><i class="dot fill-bg-${v}"></i>${bi(VERDICT_LABELS[v])}</span>`)}
  </p>`;
}

function scoresSection(report: ScanReport): SafeHtml {
  const exact = report.scores.bins.reduce((s, b) => s + b.exact, 0);
  const near = report.scores.bins.reduce((s, b) => s + b.near, 0);
  return html`<section id="scores">
    ${sectionHeading('scores', html`<p class="note">${bi({ ko: '근사 일치(MinHash, 포함, 이미지·오디오·영상 지문)의 점수 분포입니다. 정확 일치는 항상 점수 1입니다.', en: 'Scores of near-duplicate matches (MinHash, containment, image, audio and video fingerprints). Exact matches always score 1.' })}</p>`)}
    <div class="chips">
      <span class="chip"
        ><i class="dot fill-bg-near"></i>${bi({ ko: '근사 일치', en: 'Near matches' })}
        <b>${formatCount(near)}</b></span
      >
      <span class="chip"
        ><i class="dot fill-bg-exact"></i>${bi({ ko: '정확 일치 (점수 1)', en: 'Exact matches (score 1)' })}
        <b>${formatCount(exact)}</b></span
      >
      ${report.scores.invalid > 0 ? html`<span class="chip">${bi({ ko: '잘못된 점수', en: 'Invalid scores' })} <b>${formatCount(report.scores.invalid)}</b></span>` : ''}
    </div>
    ${scoreChart(report)}
  </section>`;
}

function worksSection(report: ScanReport): SafeHtml {
  const rows = report.topWorks.listed.map(
    (w, i) =>
      html`<tr>
        <td class="num muted">${i + 1}</td>
        <td class="work">${titleCell(w)}</td>
        <td>${bi(kindLabel(w.kind))}</td>
        <td>${holdersText(w.holders)}</td>
        <td class="num">${formatCount(w.records)}</td>
        <td class="verdicts">
          ${verdictMiniBar(w.verdicts)}
          <div class="vcs">${verdictCountsText(w.verdicts)}</div>
        </td>
        <td class="num">${formatScore(w.bestScore)}</td>
        <td>${w.methods.map((m) => html`<code class="tag">${m}</code> `)}</td>
      </tr>`,
  );
  const more =
    report.topWorks.total > report.topWorks.listed.length
      ? html`<p class="note">
          ${bi({ ko: `일치한 저작물 ${formatCount(report.topWorks.total)}개 중 상위 ${formatCount(report.topWorks.listed.length)}개`, en: `Top ${formatCount(report.topWorks.listed.length)} of ${formatCount(report.topWorks.total)} works matched` })}
        </p>`
      : '';
  return html`<section id="works">
    ${sectionHeading('works')}
    <table class="works">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>${bi({ ko: '저작물', en: 'Work' })}</th>
          <th>${bi({ ko: '종류', en: 'Kind' })}</th>
          <th>${bi({ ko: '권리자', en: 'Rights holders' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th>${bi({ ko: '판정', en: 'Verdicts' })}</th>
          <th class="num">${bi({ ko: '최고 점수', en: 'Best score' })}</th>
          <th>${bi({ ko: '방법', en: 'Methods' })}</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="8" class="muted">${bi({ ko: '일치한 저작물이 없습니다', en: 'No work matched' })}</td>
              </tr>`
            : rows
        }
      </tbody>
    </table>
    ${more}
  </section>`;
}

function offerText(offer: QuoteWork['offers'][number]): SafeHtml {
  const scope: string[] = [];
  if (offer.scope?.users !== undefined) scope.push(offer.scope.users.join(', '));
  if (offer.scope?.territories !== undefined) scope.push(offer.scope.territories.join(', '));
  if (offer.validity?.durationDays !== undefined) scope.push(`${formatCount(offer.validity.durationDays)} d`);
  return html`<div class="offer ${offer.selected ? 'selected' : ''}">
    <b>${offer.price.display}</b>
    ${bi(UNIT_LABELS[offer.unit])}${offer.attribution ? html` · ${bi({ ko: '저작자 표시', en: 'attribution' })}` : ''}${scope.length > 0 ? html`<br /><span class="muted">${scope.join(' · ')}</span>` : ''}${offer.rightsHolderId === undefined ? '' : html`<br /><span class="muted"><span lang="en">by</span> <code class="id">${offer.rightsHolderId}</code></span>`}${offer.estimate?.basis === 'per-record' ? html`<br /><span class="muted">× ${formatCount(offer.records)} ${bi({ ko: '항목', en: 'items' })} = ${offer.estimate.display}</span>` : ''}
  </div>`;
}

function quoteSection(quote: ScanQuote): SafeHtml {
  const needed = quote.licencesNeeded;
  const totals = quote.totals.map(
    (t) =>
      html`<div class="total">
        <div class="total-value">${t.display}</div>
        <div class="muted">${formatCount(t.works)} ${bi({ ko: '저작물', en: 'works' })}</div>
      </div>`,
  );
  const untotalled = quote.untotalled.map(
    (u) =>
      html`<li>
        ${bi(UNTOTALLED_LABELS[u.because])}
        <span class="muted"
          >(<span lang="en">works</span> ${formatCount(u.works)},
          <span lang="en">offers</span> ${formatCount(u.offers)})</span
        >
      </li>`,
  );
  const notes: SafeHtml[] = [...untotalled];
  if (quote.unidentified.length > 0) {
    notes.push(
      html`<li>
        ${bi({ ko: '권리자를 확인할 수 없는 저작물의 금액', en: 'Owed for works whose rights holders are not identified' })}:
        ${quote.unidentified.map((u) => u.display).join(' + ')}
      </li>`,
    );
  }
  if (needed.unattributed.offers > 0) {
    notes.push(
      html`<li>
        ${bi({ ko: '레지스트리 저작물이 아닌 출처의 제안은 합계에 넣지 않았습니다', en: 'Offers from sources other than a registry work are not priced' })}:
        ${formatCount(needed.unattributed.offers)}
        (${needed.unattributed.sources.map((s) => `${s.source} ${formatCount(s.offers)}`).join(', ')})
      </li>`,
    );
  }
  if (needed.recordsWithoutOffers > 0) {
    notes.push(
      html`<li>
        ${bi({ ko: '제안 없이 이용허락이 필요한 항목', en: 'Records needing a licence with no offer' })}:
        ${formatCount(needed.recordsWithoutOffers)}
      </li>`,
    );
  }
  const works = quote.works.slice(0, HTML_QUOTE_ROWS).map(
    (w) =>
      html`<tr>
        <td class="work">${titleCell(w)}</td>
        <td>${holdersText(w.holders)}</td>
        <td class="num">${formatCount(w.records)}</td>
        <td>
          ${w.offers.map(offerText)}${w.offersNotListed > 0 ? html`<span class="muted">+${formatCount(w.offersNotListed)}</span>` : ''}
        </td>
        <td class="num">
          ${w.estimate.length === 0 ? html`<span class="muted">—</span>` : w.estimate.map((e, i) => html`${i > 0 ? html`<br />` : ''}<b>${e.display}</b>`)}${w.complete ? '' : html`<br /><span class="badge warn">${bi({ ko: '일부', en: 'partial' })}</span>`}
        </td>
      </tr>`,
  );
  const holders = quote.holders.slice(0, HTML_QUOTE_ROWS).map(
    (h) =>
      html`<tr>
        <td><span class="name">${h.name ?? h.holderId}</span><br /><code class="id">${h.holderId}</code></td>
        <td class="num">${formatCount(h.works)}</td>
        <td class="num">
          ${h.amounts.length === 0 ? html`<span class="muted">—</span>` : h.amounts.map((a, i) => html`${i > 0 ? html`<br />` : ''}<b>${a.display}</b>`)}
        </td>
      </tr>`,
  );
  const moreWorks =
    quote.works.length > HTML_QUOTE_ROWS
      ? html`<p class="note">
          ${bi({ ko: `전체 ${formatCount(quote.works.length)}개는 quote.json에 있습니다`, en: `All ${formatCount(quote.works.length)} are in quote.json` })}
        </p>`
      : '';
  const moreHolders =
    quote.holders.length > HTML_QUOTE_ROWS
      ? html`<p class="note">
          ${bi({ ko: `전체 ${formatCount(quote.holders.length)}명은 quote.json에 있습니다`, en: `All ${formatCount(quote.holders.length)} are in quote.json` })}
        </p>`
      : '';
  return html`<section id="quote">
    ${sectionHeading('quote', html`<p class="note">${bi({ ko: `이용허락이 필요한 항목 ${formatCount(needed.records)}개, 저작물 ${formatCount(needed.works)}개. 금액은 통화별로 따로 합산하며 서로 섞지 않습니다. 권리자 몫은 지분(basis point)대로 나누고 나머지는 최대 잔여 방식으로 배정합니다. 밑줄 친 가격이 예상 사용료에 넣은 제안입니다.`, en: `${formatCount(needed.records)} records need a licence, for ${formatCount(needed.works)} works. Totals are per currency, never mixed; each rights holder's part follows their share in basis points, remainders by the largest remainder method. Underlined prices are the offers the estimate counts.` })}</p>`)}
    <div class="totals">
      ${
        totals.length === 0
          ? html`<div class="total">
              <div class="total-value">—</div>
              <div class="muted">${bi({ ko: '견적 없음', en: 'Nothing to quote' })}</div>
            </div>`
          : totals
      }
    </div>
    ${
      notes.length > 0
        ? html`<ul class="notes">
            ${notes}
          </ul>`
        : ''
    }
    <h3>${bi({ ko: '저작물별', en: 'Per work' })}</h3>
    <table class="quote-works">
      <thead>
        <tr>
          <th>${bi({ ko: '저작물', en: 'Work' })}</th>
          <th>${bi({ ko: '권리자', en: 'Rights holders' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th>${bi({ ko: '제안', en: 'Offers' })}</th>
          <th class="num">${bi({ ko: '예상 사용료', en: 'Estimate' })}</th>
        </tr>
      </thead>
      <tbody>
        ${
          works.length === 0
            ? html`<tr>
                <td colspan="5" class="muted">—</td>
              </tr>`
            : works
        }
      </tbody>
    </table>
    ${moreWorks}
    <h3>${bi({ ko: '권리자별 정산', en: 'Per rights holder' })}</h3>
    <table>
      <thead>
        <tr>
          <th>${bi({ ko: '권리자', en: 'Rights holder' })}</th>
          <th class="num">${bi({ ko: '저작물', en: 'Works' })}</th>
          <th class="num">${bi({ ko: '금액', en: 'Amount' })}</th>
        </tr>
      </thead>
      <tbody>
        ${
          holders.length === 0
            ? html`<tr>
                <td colspan="3" class="muted">—</td>
              </tr>`
            : holders
        }
      </tbody>
    </table>
    ${moreHolders}
  </section>`;
}

function unreadableSection(report: ScanReport): SafeHtml {
  const u = report.unreadable;
  const rows = u.reasons.map(
    (r) =>
      html`<tr>
        <td><code class="reason">${r.reason}</code></td>
        <td class="num">${formatCount(r.records)}</td>
        <td class="num">${formatPercent(r.records, u.records)}</td>
        <td>
          <code>${r.firstIndexes.map(formatCount).join(' · ')}${r.records > r.firstIndexes.length ? ' · …' : ''}</code>
        </td>
      </tr>`,
  );
  const more: SafeHtml[] = [];
  if (u.distinctReasons > u.reasons.length) {
    more.push(
      html`<p class="note">
        ${bi({ ko: `사유 ${formatCount(u.distinctReasons)}가지 중 상위 ${formatCount(u.reasons.length)}가지`, en: `Top ${formatCount(u.reasons.length)} of ${formatCount(u.distinctReasons)} reasons` })}
      </p>`,
    );
  }
  if (u.otherRecords > 0) {
    more.push(
      html`<p class="note">
        ${bi({ ko: `사유를 세지 않은 항목 ${formatCount(u.otherRecords)}개`, en: `${formatCount(u.otherRecords)} records with reasons past the first ${formatCount(REPORT_LIMITS.trackedReasons)} distinct ones` })}
      </p>`,
    );
  }
  return html`<section id="unreadable">
    ${sectionHeading('unreadable', html`<p class="note">${formatCount(u.records)} ${bi({ ko: '항목', en: 'records' })} · ${formatPercent(u.records, report.totals.records)}</p>`)}
    <table>
      <thead>
        <tr>
          <th>${bi({ ko: '사유', en: 'Reason' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th class="num">%</th>
          <th>${bi({ ko: '처음 항목 번호', en: 'First record indexes' })}</th>
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="4" class="muted">${bi({ ko: '모든 항목을 읽었습니다', en: 'Every record was read' })}</td>
              </tr>`
            : rows
        }
      </tbody>
    </table>
    ${more}
  </section>`;
}

function digestsSection(report: ScanReport): SafeHtml {
  const c = report.context;
  const row = (label: SafeHtml, file: Pick<OutputDigest, 'bytes' | 'sha256' | 'records'>): SafeHtml =>
    html`<tr>
      <td>${label}</td>
      <td class="num">${file.records === undefined ? '' : formatCount(file.records)}</td>
      <td class="num">${formatCount(file.bytes)}</td>
      <td><code class="digest">${file.sha256}</code></td>
    </tr>`;
  return html`<section id="digests">
    ${sectionHeading('digests', html`<p class="note">${bi({ ko: '투명성 로그에 기록하고 나중에 검증할 수 있도록 각 파일의 SHA-256을 적습니다.', en: 'The SHA-256 of each file, so that the scan can be logged and later verified.' })}</p>`)}
    <table class="digests">
      <thead>
        <tr>
          <th>${bi({ ko: '파일', en: 'File' })}</th>
          <th class="num">${bi({ ko: '항목', en: 'Records' })}</th>
          <th class="num">${bi({ ko: '바이트', en: 'Bytes' })}</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        ${row(html`${bi({ ko: '입력', en: 'Input' })}<br /><code class="id">${c.input.path}</code>`, c.input)}
        ${c.outputs.map((o) => row(html`<code>${o.name}</code>`, o))}
      </tbody>
    </table>
    <p class="note">
      ${bi({ ko: '스냅숏', en: 'Snapshot' })}
      <code>${c.snapshot.id}</code
      >${c.snapshot.keyId === undefined ? '' : html` · ${bi({ ko: '서명 키', en: 'signing key' })} <code>${c.snapshot.keyId}</code>`}
    </p>
  </section>`;
}

const CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--track:#eef1f4;--accent:#0b5cad;
--cleared:#1a7f37;--blocked:#cf222e;--license-required:#b35900;--unknown:#6e7781;--unreadable:#8250df;--near:#0b5cad;--exact:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--soft:#161b22;--track:#21262d;--accent:#4493f8;
--cleared:#3fb950;--blocked:#f85149;--license-required:#e3b341;--unknown:#8b949e;--unreadable:#a371f7;--near:#4493f8;--exact:#3fb950}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0 auto;max-width:1120px;padding:32px 28px 48px;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans KR","Noto Sans CJK KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
.en{color:var(--muted)}
.muted{color:var(--muted)}
h1{font-size:28px;line-height:1.2;margin:4px 0 6px;letter-spacing:-.01em}
h1 .en{font-weight:500}
h2{font-size:19px;margin:0 0 6px;display:flex;align-items:baseline;gap:8px}
h2 .num{display:inline-flex;align-items:center;justify-content:center;min-width:24px;height:24px;border-radius:12px;background:var(--accent);color:var(--bg);font-size:13px;font-weight:700}
h3{font-size:14px;margin:18px 0 6px}
.eyebrow{margin:0;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em}
.subtitle{margin:0 0 16px;color:var(--muted)}
.page-header{border-bottom:2px solid var(--fg);padding-bottom:16px;margin-bottom:20px}
.facts{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px 18px;margin:0}
.facts div{min-width:0}
.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-bottom:2px}
.facts dd{margin:0;overflow-wrap:anywhere}
.toc{display:flex;flex-wrap:wrap;gap:4px 16px;margin-top:14px;font-size:12px;color:var(--muted)}
.tag{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 4px;font-size:11px;white-space:nowrap}
.digest{overflow-wrap:anywhere;word-break:break-all}
.kpis{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin-bottom:28px}
.kpi{border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;padding:10px 12px;background:var(--soft)}
.kpi-label{font-size:12px}
.kpi-value{font-size:22px;font-weight:700;margin:2px 0;overflow-wrap:anywhere}
.kpi-note{font-size:12px;color:var(--muted)}
.kpi-cleared{border-left-color:var(--cleared)}.kpi-blocked{border-left-color:var(--blocked)}.kpi-license-required{border-left-color:var(--license-required)}.kpi-unknown{border-left-color:var(--unknown)}.kpi-unreadable{border-left-color:var(--unreadable)}
.kpi-money .kpi-value{font-size:18px}
section{margin:0 0 32px;break-inside:auto}
.note{color:var(--muted);margin:0 0 10px;font-size:13px}
.chart{display:block;width:100%;height:auto;margin:8px 0 4px}
.chart text{fill:var(--fg);font-size:13px}
.chart .chart-en{fill:var(--muted)}
.chart .axis{fill:var(--muted);font-size:11px}
.chart .chart-value{font-weight:600}
.chart .muted-fill{fill:var(--muted)}
.grid{stroke:var(--line);stroke-width:1;stroke-dasharray:2 3}
.axis-line{stroke:var(--muted);stroke-width:1}
.track{fill:var(--track)}
.fill-cleared{fill:var(--cleared)}.fill-blocked{fill:var(--blocked)}.fill-license-required{fill:var(--license-required)}.fill-unknown{fill:var(--unknown)}.fill-unreadable{fill:var(--unreadable)}.fill-near{fill:var(--near)}
.fill-bg-cleared{background:var(--cleared)}.fill-bg-blocked{background:var(--blocked)}.fill-bg-license-required{background:var(--license-required)}.fill-bg-unknown{background:var(--unknown)}.fill-bg-unreadable{background:var(--unreadable)}.fill-bg-near{background:var(--near)}.fill-bg-exact{background:var(--exact)}
.mini{display:block;width:120px;height:8px;border-radius:2px;overflow:hidden;background:var(--track)}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:4px;vertical-align:baseline}
.vcs{font-size:11px;color:var(--muted);margin-top:2px;white-space:nowrap}
.vc{margin-right:8px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin:8px 0 0}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin:4px 0}
.chip{border:1px solid var(--line);border-radius:14px;padding:2px 10px;font-size:12px;background:var(--soft)}
table{width:100%;border-collapse:collapse;margin:4px 0}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{font-size:12px;font-weight:600;background:var(--soft);border-bottom:1px solid var(--fg)}
th .en{font-weight:400}
td.num,th.num{text-align:right;white-space:nowrap}
tr.zero td{color:var(--muted)}
.bar-cell{width:110px}
.meter{display:inline-block;width:100px;height:8px;border-radius:4px;background:var(--track);overflow:hidden;vertical-align:middle}
.meter span{display:block;height:100%;background:var(--accent)}
.id{color:var(--muted);font-size:11px;overflow-wrap:anywhere}
.title{font-weight:600}
.work{min-width:200px;max-width:340px;overflow-wrap:anywhere}
.name{font-weight:600}
.badge{display:inline-block;font-size:11px;border-radius:4px;padding:0 5px;border:1px solid currentColor}
.badge.warn{color:var(--license-required)}
.totals{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 12px}
.total{border:1px solid var(--line);border-top:4px solid var(--license-required);border-radius:6px;padding:10px 16px;background:var(--soft);min-width:200px}
.total-value{font-size:24px;font-weight:700}
.notes{margin:0 0 8px;padding-left:18px;font-size:13px}
.offer{padding:2px 0}
.offer+.offer{border-top:1px dashed var(--line);margin-top:2px;padding-top:4px}
.offer.selected b{border-bottom:2px solid var(--license-required)}
.reason{overflow-wrap:anywhere}
footer{border-top:1px solid var(--line);padding-top:12px;color:var(--muted);font-size:12px}
@media (max-width:800px){.facts,.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}}
@page{size:A4;margin:14mm 12mm}
@media print{:root{color-scheme:light;--bg:#ffffff;--fg:#000000;--muted:#4b535c;--line:#c4cbd3;--soft:#ffffff;--track:#e6e9ed;--accent:#0b5cad;
--cleared:#1a7f37;--blocked:#cf222e;--license-required:#b35900;--unknown:#6e7781;--unreadable:#8250df;--near:#0b5cad;--exact:#1a7f37}
body{max-width:none;padding:0;font-size:10.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.kpis{grid-template-columns:repeat(4,minmax(0,1fr))}
thead{display:table-header-group}
tr,.chart,.kpi,.total{break-inside:avoid}
h2,h3{break-after:avoid}}
`;

/**
 * Renders the scan report as one self-contained HTML page: no script, no external request, no web font. Every
 * string from the report or the quote is escaped.
 *
 * @example
 * ```ts
 * const report = summariser.finish(context);
 * const quote = summariser.finishQuote(context);
 * await writeFile(join(out, 'report.html'), renderReportHtml(report, quote));
 * ```
 */
export function renderReportHtml(report: ScanReport, quote: ScanQuote): string {
  const c = report.context;
  const page = html`<!doctype html>
    <html lang="ko">
      <head>
        <meta charset="utf-8" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
        />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        <meta name="generator" content="heoga scanner ${c.scanner.version}" />
        <title>데이터셋 검사 보고서 · Dataset scan report · ${c.input.path}</title>
        <style>
          ${rawHtml(CSS)}
        </style>
      </head>
      <body>
        ${header(report)} ${kpis(report, quote)}
        <main>
          ${verdictSection(report)} ${kindsSection(report)} ${holdersSection(report)} ${scoresSection(report)}
          ${worksSection(report)} ${quoteSection(quote)} ${unreadableSection(report)} ${digestsSection(report)}
        </main>
        <footer>
          <p>
            ${bi({ ko: '이 보고서와 같은 내용이 report.json에 기계 판독 가능한 형식으로, 판정은 verdicts.jsonl에 항목마다 한 줄씩, 견적은 quote.json에 있습니다.', en: 'report.json holds the same data, machine-readable; verdicts.jsonl one line per record; quote.json the whole quote.' })}
          </p>
          <p><span lang="en">${report.format} · heoga scanner ${c.scanner.version} · ${c.finishedAt}</span></p>
        </footer>
      </body>
    </html> `;
  return page.value;
}
