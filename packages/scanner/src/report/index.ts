/**
 * The scan report: `ScanSummariser` aggregates verdict lines into `report.json` and `quote.json` as they stream past;
 * `renderReportHtml` turns them into the self-contained `report.html`. This file lists every export by name.
 */

export { ScanSummariser, REPORT_VERDICTS, REPORT_LIMITS, EXACT_MATCH_METHODS } from './summarise.js';
export type {
  ScanReport,
  ReportVerdict,
  VerdictCounts,
  KindCount,
  MethodCount,
  HolderCount,
  TopWork,
  UnreadableReason,
  ScoreBin,
} from './summarise.js';

export type { ReportContext, OutputDigest } from './report-context.js';

export { QuoteAccumulator, QUOTE_LIMITS, splitByShares, summariseQuote } from './quote.js';
export type {
  ScanQuote,
  QuoteSummary,
  QuoteWork,
  QuoteOffer,
  QuoteHolder,
  HolderShare,
  CurrencyAmount,
  CurrencyTotal,
  UntotalledReason,
} from './quote.js';

export { renderReportHtml, formatCount, HTML_QUOTE_ROWS } from './render-html.js';
export { escapeHtml } from './html.js';
