/**
 * The scan report (`report.json`): what a scan found, aggregated as the verdict lines stream past. Memory is bounded
 * whatever the record count: counters, and maps keyed by the matched works and their rights holders (bounded by the
 * snapshot), never the lines themselves.
 */
import { VERDICT_OUTCOMES, type ReasonCode } from '@heoga/core';
import { MATCH_METHODS, type MatchMethod, type VerdictLine, type WorkInfo } from '../types.js';
import { QuoteAccumulator, summariseQuote, type QuoteSummary, type ScanQuote } from './quote.js';
import type { ReportContext } from './report-context.js';

/** The verdicts a report counts: core's four outcomes and `unreadable`, for records that could not be read. */
export const REPORT_VERDICTS = [...VERDICT_OUTCOMES, 'unreadable'] as const;

/** A verdict a report counts. */
export type ReportVerdict = (typeof REPORT_VERDICTS)[number];

/** A count for each verdict. */
export type VerdictCounts = { readonly [V in ReportVerdict]: number };

/** Match methods that find exact copies (score 1); the others find near ones. */
export const EXACT_MATCH_METHODS: readonly MatchMethod[] = ['sha256', 'text-sha256', 'identifier', 'url', 'url-prefix'];

/** Bounds on what a report lists and on what the summariser keeps. */
export const REPORT_LIMITS = {
  /** Works listed in `topWorks`. */
  topWorks: 50,
  /** Rights holders listed in `holders`. */
  holders: 100,
  /** Unreadable reasons listed. */
  unreadableReasons: 20,
  /** Record indexes kept per unreadable reason (the smallest). */
  unreadableIndexes: 5,
  /** Distinct unreadable reasons counted; records with further reasons are counted in `otherRecords`. */
  trackedReasons: 1_000,
  /** Characters an unreadable reason is cut to before it is counted. */
  reasonLength: 300,
  /** Bins of the match score histogram, each 1 / scoreBins wide. */
  scoreBins: 20,
} as const;

/** Records and matches of one kind of work (text, image, audio, video). */
export interface KindCount {
  readonly kind: string;
  /** Records with at least one match of this kind. */
  readonly records: number;
  readonly matches: number;
  /** The verdicts of those records. */
  readonly verdicts: VerdictCounts;
}

/** Records and matches found by one match method. */
export interface MethodCount {
  readonly method: MatchMethod;
  readonly exact: boolean;
  /** Records with at least one match by this method. */
  readonly records: number;
  readonly matches: number;
}

/** What a scan found of one rights holder's works. */
export interface HolderCount {
  readonly holderId: string;
  readonly name: string;
  /** Distinct works of theirs matched. */
  readonly works: number;
  /** Records holding at least one of their works. */
  readonly records: number;
  readonly verdicts: VerdictCounts;
}

/** One of the works matched most often. */
export interface TopWork {
  readonly workId: string;
  /** False when the snapshot does not describe the work (title and holders unknown). */
  readonly known: boolean;
  readonly title?: { readonly lang: string; readonly title: string };
  readonly kind: string;
  readonly disputed: boolean;
  readonly holders: WorkInfo['holders'];
  /** Records in which the work was found. */
  readonly records: number;
  readonly verdicts: VerdictCounts;
  /** The highest match score over all its matches. */
  readonly bestScore: number;
  /** The methods that found it, in `MATCH_METHODS` order. */
  readonly methods: readonly MatchMethod[];
}

/** Why records could not be read, and which. */
export interface UnreadableReason {
  readonly reason: string;
  readonly records: number;
  /** The smallest record indexes (0-based, input order) with this reason. */
  readonly firstIndexes: readonly number[];
}

/** One bin of the match score histogram: matches with `from ≤ score < to` (the last bin includes 1). */
export interface ScoreBin {
  readonly from: number;
  readonly to: number;
  /** Matches by an exact method (`EXACT_MATCH_METHODS`). */
  readonly exact: number;
  /** Matches by a near-duplicate method. */
  readonly near: number;
}

/** The contents of `report.json`. */
export interface ScanReport {
  readonly format: 'heoga-scan-report/1';
  readonly context: ReportContext;
  readonly totals: {
    /** Verdict lines aggregated (one per record). */
    readonly records: number;
    readonly verdicts: VerdictCounts;
    /** Records with at least one match. */
    readonly matchedRecords: number;
    readonly matches: number;
    /** Distinct works matched. */
    readonly works: number;
    /** Distinct works matched that the snapshot does not describe. */
    readonly unknownWorks: number;
    /** Distinct rights holders of the works matched. */
    readonly holders: number;
  };
  /** Records per reason code (readable records only), most first. */
  readonly reasons: readonly { readonly reason: ReasonCode; readonly records: number }[];
  /** Records whose use accrues remuneration under a pay-later regime, by who it is owed to. */
  readonly accruals: { readonly rightsHolders: number; readonly unclaimedPool: number };
  /** By kind of work matched, most records first. */
  readonly kinds: readonly KindCount[];
  /** By match method, every method in `MATCH_METHODS` order. */
  readonly methods: readonly MethodCount[];
  /** By rights holder, most records first, at most `REPORT_LIMITS.holders`. */
  readonly holders: { readonly total: number; readonly listed: readonly HolderCount[] };
  readonly unreadable: {
    readonly records: number;
    /** Distinct reasons counted (at most `REPORT_LIMITS.trackedReasons`). */
    readonly distinctReasons: number;
    /** Most records first, at most `REPORT_LIMITS.unreadableReasons`. */
    readonly reasons: readonly UnreadableReason[];
    /** Records whose reason came after `REPORT_LIMITS.trackedReasons` distinct ones were counted. */
    readonly otherRecords: number;
  };
  /** The works matched in most records, at most `REPORT_LIMITS.topWorks`. */
  readonly topWorks: { readonly total: number; readonly listed: readonly TopWork[] };
  /** The histogram of match scores (over matches, not records). */
  readonly scores: {
    readonly matches: number;
    /** Scores that were not a number in 0…1 (counted here, not in a bin). */
    readonly invalid: number;
    readonly bins: readonly ScoreBin[];
  };
  readonly quote: QuoteSummary;
}

type MutableCounts = { -readonly [V in ReportVerdict]: number };

function emptyCounts(): MutableCounts {
  return { cleared: 0, blocked: 0, 'license-required': 0, unknown: 0, unreadable: 0 };
}

interface WorkState {
  readonly workId: string;
  readonly info: WorkInfo | undefined;
  readonly kind: string;
  records: number;
  readonly verdicts: MutableCounts;
  bestScore: number;
  /** Bit i set: found by MATCH_METHODS[i]. */
  methods: number;
}

interface HolderState {
  readonly holderId: string;
  readonly name: string;
  readonly works: Set<string>;
  records: number;
  readonly verdicts: MutableCounts;
}

interface KindState {
  records: number;
  matches: number;
  readonly verdicts: MutableCounts;
}

interface ReasonState {
  records: number;
  readonly firstIndexes: number[];
}

const METHOD_INDEX: ReadonlyMap<string, number> = new Map(MATCH_METHODS.map((m, i) => [m, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Aggregates verdict lines into a scan report as they stream past, and the licence quote with them (it owns a
 * `QuoteAccumulator` and feeds it every line). Give it every line once, in any order; `finish` and `finishQuote` may
 * be called at any time, as often as wanted, and change nothing. Memory grows with the number of distinct works
 * matched (and their holders), never with the number of records.
 *
 * @example
 * ```ts
 * const summariser = new ScanSummariser((id) => snapshot.findWork(id));
 * for await (const line of verdictLines) summariser.add(line);
 * const report = summariser.finish(context);
 * const quote = summariser.finishQuote(context);
 * await writeFile('report.html', renderReportHtml(report, quote));
 * ```
 */
export class ScanSummariser {
  readonly #lookupWork: (workId: string) => WorkInfo | undefined;
  readonly #quote: QuoteAccumulator;
  #records = 0;
  readonly #verdicts = emptyCounts();
  #matchedRecords = 0;
  #matches = 0;
  readonly #reasons = new Map<string, number>();
  #accrualHolders = 0;
  #accrualPool = 0;
  readonly #kinds = new Map<string, KindState>();
  readonly #methodRecords = MATCH_METHODS.map(() => 0);
  readonly #methodMatches = MATCH_METHODS.map(() => 0);
  readonly #works = new Map<string, WorkState>();
  readonly #holders = new Map<string, HolderState>();
  readonly #unreadable = new Map<string, ReasonState>();
  #unreadableOther = 0;
  readonly #binsExact: number[] = Array.from({ length: REPORT_LIMITS.scoreBins }, () => 0);
  readonly #binsNear: number[] = Array.from({ length: REPORT_LIMITS.scoreBins }, () => 0);
  #invalidScores = 0;

  /** @param lookupWork what the snapshot says about a work, or `undefined` when it does not know the id. */
  constructor(lookupWork: (workId: string) => WorkInfo | undefined) {
    this.#lookupWork = lookupWork;
    this.#quote = new QuoteAccumulator(lookupWork);
  }

  /** Takes one record's verdict line into account. */
  add(line: VerdictLine): void {
    this.#records += 1;
    const verdict = line.verdict;
    this.#verdicts[verdict] += 1;
    if (line.verdict === 'unreadable') {
      this.#addUnreadable(line.reason, line.index);
      return;
    }
    this.#reasons.set(line.reason, (this.#reasons.get(line.reason) ?? 0) + 1);
    if (line.accrual !== undefined) {
      if (line.accrual.payee === 'rights-holders') this.#accrualHolders += 1;
      else this.#accrualPool += 1;
    }
    this.#quote.add(line);
    if (line.matches.length === 0) return;

    this.#matchedRecords += 1;
    // What this record counts once for, however many of its matches share it.
    const kinds = new Set<string>();
    let methods = 0;
    const works = new Map<string, WorkState>();
    for (const match of line.matches) {
      this.#matches += 1;
      kinds.add(match.kind);
      const kind = this.#kindState(match.kind);
      kind.matches += 1;
      const methodIndex = METHOD_INDEX.get(match.method);
      if (methodIndex !== undefined) {
        this.#methodMatches[methodIndex]! += 1;
        methods |= 1 << methodIndex;
      }
      this.#addScore(match.score, methodIndex !== undefined && EXACT_MATCH_METHODS.includes(match.method));
      const work = this.#workState(match.workId, match.kind);
      if (methodIndex !== undefined) work.methods |= 1 << methodIndex;
      if (Number.isFinite(match.score) && match.score > work.bestScore) work.bestScore = match.score;
      works.set(work.workId, work);
    }
    for (const kind of kinds) {
      const state = this.#kindState(kind);
      state.records += 1;
      state.verdicts[verdict] += 1;
    }
    MATCH_METHODS.forEach((_, i) => {
      if (methods & (1 << i)) this.#methodRecords[i]! += 1;
    });
    const holders = new Set<HolderState>();
    for (const work of works.values()) {
      work.records += 1;
      work.verdicts[verdict] += 1;
      for (const h of work.info?.holders ?? []) {
        let holder = this.#holders.get(h.id);
        if (holder === undefined) {
          holder = { holderId: h.id, name: h.name, works: new Set(), records: 0, verdicts: emptyCounts() };
          this.#holders.set(h.id, holder);
        }
        holder.works.add(work.workId);
        holders.add(holder);
      }
    }
    for (const holder of holders) {
      holder.records += 1;
      holder.verdicts[verdict] += 1;
    }
  }

  /** The report of everything added so far. */
  finish(context: ReportContext): ScanReport {
    const bins: ScoreBin[] = this.#binsExact.map((exact, i) => ({
      from: i / REPORT_LIMITS.scoreBins,
      to: (i + 1) / REPORT_LIMITS.scoreBins,
      exact,
      near: this.#binsNear[i]!,
    }));
    const works = [...this.#works.values()];
    const topWorks = works
      .sort((a, b) => b.records - a.records || b.bestScore - a.bestScore || compareText(a.workId, b.workId))
      .slice(0, REPORT_LIMITS.topWorks)
      .map((w): TopWork => ({
        workId: w.workId,
        known: w.info !== undefined,
        ...(w.info?.title === undefined ? {} : { title: w.info.title }),
        kind: w.info?.kind ?? w.kind,
        disputed: w.info?.disputed ?? false,
        holders: w.info?.holders ?? [],
        records: w.records,
        verdicts: { ...w.verdicts },
        bestScore: w.bestScore,
        methods: MATCH_METHODS.filter((_, i) => (w.methods & (1 << i)) !== 0),
      }));
    const holders = [...this.#holders.values()]
      .sort((a, b) => b.records - a.records || b.works.size - a.works.size || compareText(a.holderId, b.holderId))
      .slice(0, REPORT_LIMITS.holders)
      .map((h): HolderCount => ({
        holderId: h.holderId,
        name: h.name,
        works: h.works.size,
        records: h.records,
        verdicts: { ...h.verdicts },
      }));
    const unreadable = [...this.#unreadable.entries()]
      .sort(([a, x], [b, y]) => y.records - x.records || compareText(a, b))
      .slice(0, REPORT_LIMITS.unreadableReasons)
      .map(([reason, s]): UnreadableReason => ({ reason, records: s.records, firstIndexes: [...s.firstIndexes] }));

    return {
      format: 'heoga-scan-report/1',
      context,
      totals: {
        records: this.#records,
        verdicts: { ...this.#verdicts },
        matchedRecords: this.#matchedRecords,
        matches: this.#matches,
        works: this.#works.size,
        unknownWorks: works.filter((w) => w.info === undefined).length,
        holders: this.#holders.size,
      },
      reasons: [...this.#reasons.entries()]
        .sort(([a, x], [b, y]) => y - x || compareText(a, b))
        .map(([reason, records]) => ({ reason: reason as ReasonCode, records })),
      accruals: { rightsHolders: this.#accrualHolders, unclaimedPool: this.#accrualPool },
      kinds: [...this.#kinds.entries()]
        .sort(([a, x], [b, y]) => y.records - x.records || compareText(a, b))
        .map(([kind, s]) => ({ kind, records: s.records, matches: s.matches, verdicts: { ...s.verdicts } })),
      methods: MATCH_METHODS.map((method, i) => ({
        method,
        exact: EXACT_MATCH_METHODS.includes(method),
        records: this.#methodRecords[i]!,
        matches: this.#methodMatches[i]!,
      })),
      holders: { total: this.#holders.size, listed: holders },
      unreadable: {
        records: this.#verdicts.unreadable,
        distinctReasons: this.#unreadable.size,
        reasons: unreadable,
        otherRecords: this.#unreadableOther,
      },
      topWorks: { total: this.#works.size, listed: topWorks },
      scores: { matches: this.#matches, invalid: this.#invalidScores, bins },
      quote: summariseQuote(this.#quote.finish(context)),
    };
  }

  /** The licence quote (`quote.json`) of everything added so far. */
  finishQuote(context: ReportContext): ScanQuote {
    return this.#quote.finish(context);
  }

  #kindState(kind: string): KindState {
    let state = this.#kinds.get(kind);
    if (state === undefined) {
      state = { records: 0, matches: 0, verdicts: emptyCounts() };
      this.#kinds.set(kind, state);
    }
    return state;
  }

  /** The entry of a matched work; the snapshot is asked about each work once. */
  #workState(workId: string, kind: string): WorkState {
    let work = this.#works.get(workId);
    if (work === undefined) {
      work = {
        workId,
        info: this.#lookupWork(workId),
        kind,
        records: 0,
        verdicts: emptyCounts(),
        bestScore: 0,
        methods: 0,
      };
      this.#works.set(workId, work);
    }
    return work;
  }

  #addScore(score: number, exact: boolean): void {
    if (!Number.isFinite(score) || score < 0 || score > 1) {
      this.#invalidScores += 1;
      return;
    }
    const bin = Math.min(REPORT_LIMITS.scoreBins - 1, Math.floor(score * REPORT_LIMITS.scoreBins));
    if (exact) this.#binsExact[bin]! += 1;
    else this.#binsNear[bin]! += 1;
  }

  #addUnreadable(rawReason: string, index: number): void {
    const reason =
      rawReason.length > REPORT_LIMITS.reasonLength ? `${rawReason.slice(0, REPORT_LIMITS.reasonLength)}…` : rawReason;
    let state = this.#unreadable.get(reason);
    if (state === undefined) {
      if (this.#unreadable.size >= REPORT_LIMITS.trackedReasons) {
        this.#unreadableOther += 1;
        return;
      }
      state = { records: 0, firstIndexes: [] };
      this.#unreadable.set(reason, state);
    }
    state.records += 1;
    // Keep the smallest indexes, sorted, whatever order the lines come in.
    const kept = state.firstIndexes;
    if (kept.length < REPORT_LIMITS.unreadableIndexes || index < kept[kept.length - 1]!) {
      let at = kept.length;
      while (at > 0 && kept[at - 1]! > index) at -= 1;
      kept.splice(at, 0, index);
      if (kept.length > REPORT_LIMITS.unreadableIndexes) kept.pop();
    }
  }
}
